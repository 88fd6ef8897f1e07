// #/projects[?status=RUNNING]: the project runs submitted to this server, newest first, a page at a time, filtered
// by status and kept current while any run shown is still going; below them, the workflows. #/projects/<run id>
// is ProjectRunView (projects-run.tsx).
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Loading, Section, Status } from '../../components';
import type { Run } from '../../mlflow';
import { go, href, useLocation } from '../../router';
import { getProjectRun, hasEnded, listProjectRuns, type Page, type ProjectRun, RUN_STATUSES, trackingRuns,
  usePolling } from './projects-api';
import { Pager, usePageTokens } from './projects-paging';
import { ProjectRunTable, statusOf } from './projects-table';
import { WorkflowList } from './projects-workflows';
import './projects.css';

export { ProjectRunView } from './projects-run';

const PAGE_SIZE = 50;
/** How often the page shown is read again while a run on it has not ended. */
const REFRESH_MS = 3000;

export function ProjectRunsView({ canEdit }: { canEdit: boolean }) {
  const status = useLocation().query.get('status') ?? '';
  /** Bumped by Refresh: both lists read their page again. */
  const [refreshes, setRefreshes] = useState(0);
  return (
    <div class="project-runs-view">
      <h1>Project runs <button type="button" onClick={() => setRefreshes(refreshes + 1)}>Refresh</button></h1>
      <Section title="Runs" actions={
        <label class="status-filter">
          Status{' '}
          <select value={status} onChange={e => go(['projects'], { status: e.currentTarget.value }, true)}>
            <option value="">All</option>
            {RUN_STATUSES.map(s => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      }>
        <RunList key={status} status={status} canEdit={canEdit} refreshes={refreshes} />
      </Section>
      <Section title="Workflows"><WorkflowList refreshes={refreshes} /></Section>
    </div>
  );
}

function RunList({ status, canEdit, refreshes }: { status: string; canEdit: boolean; refreshes: number }) {
  const pages = usePageTokens();
  const [page, setPage] = useState<Page<ProjectRun> | null>(null);
  const [tracked, setTracked] = useState<Map<string, Run>>(new Map());
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>(null);

  usePolling(async signal => {
    try {
      const next = await listProjectRuns(status || undefined, PAGE_SIZE, pages.token, signal);
      // Without the tracking runs the listing still shows, with its own copy of the status.
      const tracking = await trackingRuns(next.items, signal).catch(() => new Map<string, Run>());
      setPage(next);
      setTracked(tracking);
      setError(null);
      const going = next.items.some(r => !hasEnded(statusOf(r, tracking)));
      setLive(going);
      return going;
    } catch (e) {
      if (!signal.aborted) setError(e);
      return false;
    }
  }, REFRESH_MS, [status, pages.token, refreshes]);

  if (!page) return error ? <ErrorBox error={error} /> : <Loading />;
  return (
    <div>
      <ErrorBox error={error} />
      {page.items.length === 0 ? <Empty status={status} canEdit={canEdit} /> : (
        <>
          {live && <p class="muted live-note">Refreshing every {REFRESH_MS / 1000} s while runs are going.</p>}
          <ProjectRunTable runs={page.items} tracked={tracked} />
        </>
      )}
      <Pager pages={pages} nextPageToken={page.nextPageToken} shown={page.items.length} />
    </div>
  );
}

function Empty({ status, canEdit }: { status: string; canEdit: boolean }) {
  if (status) return <p class="muted">No project run is {status}.</p>;
  return (
    <p class="muted">
      No project runs yet.{canEdit && <> Submit one with <code>./quarkflow run &lt;project&gt; -b local</code> or{' '}
        <code>mlflow run &lt;project&gt; -b quarkflow</code>.</>}
    </p>
  );
}

/**
 * On a tracking run's page: a line linking to the project run of the same id, with its status; nothing when the
 * run is no project run (or cannot be read).
 */
export function ProjectRunLink({ runId }: { runId: string }) {
  const [run, setRun] = useState<ProjectRun | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setRun(null);
    getProjectRun(runId, controller.signal).then(setRun).catch(() => undefined);
    return () => controller.abort();
  }, [runId]);
  if (!run) return null;
  return (
    <p class="project-run-link">
      Project run <Status status={run.status} /> <code>{run.entry_point}</code> of <code>{run.project_uri}</code>:{' '}
      <a href={href(['projects', run.run_id])}>details and logs</a>
    </p>
  );
}
