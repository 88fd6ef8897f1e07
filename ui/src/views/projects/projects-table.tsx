// The table of project runs: status, run (to its page with the logs), project, entry point, backend, where it
// executes (Job or process), who submitted it and when, and links to its logs and its tracking run.
import { Status } from '../../components';
import { time } from '../../format';
import { type Run, tag } from '../../mlflow';
import { href } from '../../router';
import type { ProjectRun } from './projects-api';

const JOB_TAG = 'quarkflow.project.job';
const PROCESS_TAG = 'quarkflow.project.process';

/** The run's status now: its tracking run's when known (a listing's is a copy that may lag). */
export function statusOf(run: ProjectRun, tracked: Map<string, Run>): string {
  return tracked.get(run.run_id)?.info.status ?? run.status;
}

export function ProjectRunTable({ runs, tracked }: { runs: ProjectRun[]; tracked: Map<string, Run> }) {
  return (
    <div class="table-scroll">
      <table class="grid project-runs" aria-label="Project runs">
        <thead>
          <tr>
            <th>Status</th><th>Run</th><th>Project</th><th>Entry point</th><th>Backend</th><th>Job / process</th>
            <th>Submitted by</th><th>Submitted</th><th>Links</th>
          </tr>
        </thead>
        <tbody>
          {runs.map(run => {
            const tracking = tracked.get(run.run_id);
            const job = tracking && tag(tracking, JOB_TAG);
            const process = tracking && tag(tracking, PROCESS_TAG);
            return (
              <tr key={run.run_id} data-run-id={run.run_id}>
                <td><Status status={statusOf(run, tracked)} /></td>
                <td><a href={href(['projects', run.run_id])} title={run.run_id}>{tracking?.info.run_name || run.run_id}</a></td>
                <td class="project-uri" title={run.project_uri}>
                  <code>{run.project_uri}</code>
                  {run.version && <span class="muted"> @ {run.version}</span>}
                </td>
                <td>{run.entry_point}</td>
                <td>{run.backend}</td>
                <td>{job ? <code title="Kubernetes Job">{job}</code> : process ? <code title="local process id">{process}</code> : <span class="muted">—</span>}</td>
                <td>{run.submitted_by || <span class="muted">—</span>}</td>
                <td>{time(run.submitted_at)}</td>
                <td class="links">
                  <a href={href(['projects', run.run_id])}>Logs</a>
                  <a href={href(['runs', run.run_id])}>Tracking run</a>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
