// The workflows submitted to this server, newest first, a page at a time: each with its steps in order (a step
// that has a run links to that project run's page), kept current while any is still running.
import { useState } from 'preact/hooks';
import { ErrorBox, Loading, Status } from '../../components';
import { time } from '../../format';
import { href } from '../../router';
import { hasEnded, listWorkflows, type Page, usePolling, type Workflow } from './projects-api';
import { Pager, usePageTokens } from './projects-paging';

const PAGE_SIZE = 20;
const REFRESH_MS = 4000;

export function WorkflowList({ refreshes }: { refreshes: number }) {
  const pages = usePageTokens();
  const [page, setPage] = useState<Page<Workflow> | null>(null);
  const [error, setError] = useState<unknown>(null);

  usePolling(async signal => {
    try {
      const next = await listWorkflows(PAGE_SIZE, pages.token, signal);
      setPage(next);
      setError(null);
      return next.items.some(w => !hasEnded(w.status));
    } catch (e) {
      if (!signal.aborted) setError(e);
      return false;
    }
  }, REFRESH_MS, [pages.token, refreshes]);

  if (!page) return error ? <ErrorBox error={error} /> : <Loading />;
  return (
    <div>
      <ErrorBox error={error} />
      {page.items.length === 0 ? <p class="muted">No workflows were submitted.</p> : (
        <div class="table-scroll">
          <table class="grid workflows" aria-label="Workflows">
            <thead><tr><th>Status</th><th>Workflow</th><th>Steps</th><th>Submitted by</th><th>Submitted</th><th>Ended</th></tr></thead>
            <tbody>
              {page.items.map(w => (
                <tr key={w.workflow_id}>
                  <td><Status status={w.status} /></td>
                  <td><a href={href(['runs', w.workflow_id])} title="its parent run">{w.name || w.workflow_id}</a></td>
                  <td class="steps">{w.steps.map(step => <Step key={step.name} step={step} />)}</td>
                  <td>{w.submitted_by || <span class="muted">—</span>}</td>
                  <td>{time(w.submitted_at)}</td>
                  <td>{w.ended_at ? time(w.ended_at) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} nextPageToken={page.nextPageToken} shown={page.items.length} />
    </div>
  );
}

function Step({ step }: { step: Workflow['steps'][number] }) {
  const title = [step.entry_point && `entry point ${step.entry_point}`, step.reused && 'reused a finished run',
    step.failure_reason].filter(Boolean).join('; ');
  const label = <>{step.name} <Status status={step.status} /></>;
  return step.run_id
    ? <a class="step" href={href(['projects', step.run_id])} title={title}>{label}</a>
    : <span class="step" title={title}>{label}</span>;
}
