// Where an artifact browser lists and downloads files from: a run's artifacts or a logged model's. Both answer a
// listing as MLflow does: one directory level per request, paths relative to the root.
import { artifactUrl, mlflow, url } from '../api';
import type { FileInfo } from '../mlflow';

export interface ArtifactSource {
  /** Stands for the source: a browser starts over when it changes. */
  id: string;
  /** The files and directories directly under `dir` ('' for the root). */
  list(dir: string, signal?: AbortSignal): Promise<FileInfo[]>;
  /** Where the file at `path` downloads from (same origin, the session cookie goes along). */
  url(path: string): string;
}

interface Listing { files?: FileInfo[] }

export function runArtifacts(runId: string): ArtifactSource {
  return {
    id: `run:${runId}`,
    list: async (dir, signal) =>
      (await mlflow.get<Listing>('artifacts/list', { run_id: runId, path: dir || undefined }, signal)).files ?? [],
    url: path => artifactUrl(runId, path),
  };
}

export function loggedModelArtifacts(modelId: string): ArtifactSource {
  const model = encodeURIComponent(modelId);
  return {
    id: `model:${modelId}`,
    list: async (dir, signal) => (await mlflow.get<Listing>(`logged-models/${model}/artifacts/directories`,
      { artifact_directory_path: dir || undefined }, signal)).files ?? [],
    url: path => url(`/ajax-api/2.0/mlflow/logged-models/${model}/artifacts/files`, { artifact_file_path: path }),
  };
}

/** The last segment of a path: 'plots/fold-1.png' is 'fold-1.png'. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The directories above a path, outermost first: 'a/b/c.txt' has 'a' and 'a/b'. */
export function parentDirs(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
