// The state of an artifact tree: which directories are open and what each opened directory holds. A directory is
// listed the first time it opens (one request per directory, never the whole tree).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FileInfo } from '../mlflow';
import type { ArtifactSource } from './artifact-source';

export interface DirListing { files?: FileInfo[]; error?: unknown }

export interface ArtifactTree {
  listings: Map<string, DirListing>;
  open: Set<string>;
  toggle(dir: string): void;
}

/** Directories first, then files, each by name. */
function sorted(files: FileInfo[]): FileInfo[] {
  return [...files].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.path.localeCompare(b.path));
}

/** `initiallyOpen`: directories to open at once besides the root (those above a selected file). */
export function useArtifactTree(source: ArtifactSource, initiallyOpen: string[]): ArtifactTree {
  const [open, setOpen] = useState(() => new Set(['', ...initiallyOpen]));
  const [listings, setListings] = useState(() => new Map<string, DirListing>());
  const requested = useRef(new Set<string>());
  const abort = useRef(new AbortController());

  useEffect(() => () => abort.current.abort(), []);

  useEffect(() => {
    for (const dir of open) {
      if (requested.current.has(dir)) continue;
      requested.current.add(dir);
      const signal = abort.current.signal;
      source.list(dir, signal).then(
        files => setListings(m => new Map(m).set(dir, { files: sorted(files) })),
        error => { if (!signal.aborted) setListings(m => new Map(m).set(dir, { error })); });
    }
  }, [open, source]);

  function toggle(dir: string) {
    setOpen(current => {
      const next = new Set(current);
      if (!next.delete(dir)) next.add(dir);
      return next;
    });
  }

  return { listings, open, toggle };
}
