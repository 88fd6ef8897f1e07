// Quarkflow's project-run and workflow API as the views use it (projects-service's JSON, snake_case), and the
// polling hook that keeps a page current while a run is still going.
import { useEffect, useRef } from 'preact/hooks';
import { get, mlflow, post, PROJECTS } from '../../api';
import type { Run } from '../../mlflow';

export const WORKFLOWS = '/api/2.0/quarkflow/workflows/';

export interface ProjectRun {
  run_id: string;
  experiment_id: string;
  status: string;
  project_uri: string;
  version?: string | null;
  git_commit?: string | null;
  entry_point: string;
  parameters?: Record<string, string> | null;
  backend: string;
  backend_config?: Record<string, unknown> | null;
  command: string;
  submitted_by?: string | null;
  submitted_at: number;
  cancel_requested_at?: number | null;
  /** `<namespace>/<name>` of its Kubernetes Job, once created. */
  job?: string | null;
  /** The local process's id, once started. */
  process?: string | null;
  failure_reason?: string | null;
}

export interface WorkflowStep {
  name: string;
  status: string;
  run_id?: string | null;
  reused?: boolean;
  depends_on?: string[] | null;
  entry_point?: string;
  failure_reason?: string | null;
}

export interface Workflow {
  workflow_id: string;
  name: string;
  experiment_id: string;
  status: string;
  submitted_by?: string | null;
  submitted_at: number;
  ended_at?: number | null;
  steps: WorkflowStep[];
}

/** The statuses a run can be listed by, in the order a run goes through them. */
export const RUN_STATUSES = ['SCHEDULED', 'RUNNING', 'FINISHED', 'FAILED', 'KILLED'];
const ENDED = new Set(['FINISHED', 'FAILED', 'KILLED']);

export const hasEnded = (status: string) => ENDED.has(status);
export const isCancellable = (status: string) => status === 'SCHEDULED' || status === 'RUNNING';

export interface Page<T> { items: T[]; nextPageToken?: string }

export async function listProjectRuns(status: string | undefined, maxResults: number, pageToken: string | undefined,
  signal?: AbortSignal): Promise<Page<ProjectRun>> {
  const answer = await get<{ runs?: ProjectRun[]; next_page_token?: string }>(PROJECTS + 'list',
    { status, max_results: maxResults, page_token: pageToken }, signal);
  return { items: answer.runs ?? [], nextPageToken: answer.next_page_token || undefined };
}

export async function listWorkflows(maxResults: number, pageToken: string | undefined,
  signal?: AbortSignal): Promise<Page<Workflow>> {
  const answer = await get<{ workflows?: Workflow[]; next_page_token?: string }>(WORKFLOWS + 'list',
    { max_results: maxResults, page_token: pageToken }, signal);
  return { items: answer.workflows ?? [], nextPageToken: answer.next_page_token || undefined };
}

/**
 * The tracking runs of these project runs, by id, in one search: their run names, their current status (a listing's
 * is a copy the run events keep) and the launcher's tags (the process or Job). Missing runs are left out.
 */
export async function trackingRuns(runs: ProjectRun[], signal?: AbortSignal): Promise<Map<string, Run>> {
  const found = new Map<string, Run>();
  if (!runs.length) return found;
  const ids = runs.map(r => `'${r.run_id.replace(/'/g, '')}'`).join(', ');
  const answer = await mlflow.post<{ runs?: Run[] }>('runs/search', {
    experiment_ids: [...new Set(runs.map(r => r.experiment_id))],
    filter: `attributes.run_id IN (${ids})`,
    run_view_type: 'ALL',
    max_results: runs.length,
  }, signal);
  for (const run of answer.runs ?? []) found.set(run.info.run_id, run);
  return found;
}

export const getProjectRun = (runId: string, signal?: AbortSignal) =>
  get<{ run: ProjectRun }>(PROJECTS + 'get', { run_id: runId }, signal).then(a => a.run);

export const cancelProjectRun = (runId: string) =>
  post<{ run: ProjectRun }>(PROJECTS + 'cancel', { run_id: runId }).then(a => a.run);

/**
 * Calls `load` now and whenever `key` changes, then again every `intervalMs` for as long as `load` answers true
 * ("something is still going"). Each call gets a signal that is aborted when the key changes or the page is left.
 */
export function usePolling(load: (signal: AbortSignal) => Promise<boolean>, intervalMs: number, key: unknown[]) {
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      const again = await latest.current(controller.signal).catch(() => false);
      if (again && !controller.signal.aborted) timer = setTimeout(tick, intervalMs);
    };
    tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, key);
}
