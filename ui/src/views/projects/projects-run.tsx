// #/projects/<run id>: one project run — what was submitted and how it runs (kept current until it ends), its
// parameters and command, its output as it streams, and a Cancel button for editors while it is going.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, mlflow } from '../../api';
import { CopyButton, ErrorBox, Loading, Section, Status } from '../../components';
import { time } from '../../format';
import type { Run } from '../../mlflow';
import { href } from '../../router';
import { cancelProjectRun, getProjectRun, hasEnded, isCancellable, type ProjectRun, usePolling } from './projects-api';
import { ProjectRunLogs } from './projects-logs';
import './projects.css';

/** How often the run is read again while it has not ended. */
const REFRESH_MS = 2000;

export function ProjectRunView({ runId, canEdit }: { runId: string; canEdit: boolean }) {
  const [run, setRun] = useState<ProjectRun | null>(null);
  const [name, setName] = useState<string>('');
  const [error, setError] = useState<unknown>(null);

  usePolling(async signal => {
    try {
      const current = await getProjectRun(runId, signal);
      setRun(current);
      setError(null);
      return !hasEnded(current.status);
    } catch (e) {
      if (signal.aborted) return false;
      setError(e);
      return !(e instanceof ApiError && e.status === 404);
    }
  }, REFRESH_MS, [runId]);

  useEffect(() => {
    const controller = new AbortController();
    mlflow.get<{ run: Run }>('runs/get', { run_id: runId }, controller.signal)
      .then(answer => setName(answer.run.info.run_name ?? ''))
      .catch(() => undefined); // the name is a nicety: the id stands in for it
    return () => controller.abort();
  }, [runId]);

  if (!run) return error ? <ErrorBox error={error} /> : <Loading />;
  return (
    <div class="project-run">
      <h1>
        Project run <span class="run-title">{name || run.run_id}</span> <Status status={run.status} />
      </h1>
      <p class="links">
        <a href={href(['runs', run.run_id])}>Tracking run</a>
        <a href={href(['experiments', run.experiment_id])}>Experiment {run.experiment_id}</a>
        <a href={href(['projects'])}>All project runs</a>
      </p>
      <ErrorBox error={error} />
      {canEdit && isCancellable(run.status) && <CancelRun run={run} onCancelled={setRun} />}
      <div class="project-run-columns">
        <Section title="Details"><Details run={run} /></Section>
        <Section title="Parameters"><Parameters parameters={run.parameters ?? {}} /></Section>
      </div>
      <Section title="Command" actions={<CopyButton text={run.command} />}>
        <pre class="command" aria-label="Command">{run.command}</pre>
      </Section>
      <Section title="Logs"><ProjectRunLogs runId={run.run_id} /></Section>
    </div>
  );
}

function Details({ run }: { run: ProjectRun }) {
  const config = run.backend_config && Object.keys(run.backend_config).length ? run.backend_config : null;
  const rows: [string, ComponentChildren][] = [
    ['Run id', <><code>{run.run_id}</code><CopyButton text={run.run_id} /></>],
    ['Experiment', <a href={href(['experiments', run.experiment_id])}>{run.experiment_id}</a>],
    ['Status', <Status status={run.status} />],
    ['Project URI', <code class="wrap">{run.project_uri}</code>],
    ['Version', run.version],
    ['Git commit', run.git_commit && <code>{run.git_commit}</code>],
    ['Entry point', run.entry_point],
    ['Backend', run.backend],
    ['Backend config', config && <pre class="config">{JSON.stringify(config, null, 2)}</pre>],
    ['Kubernetes Job', run.job && <code>{run.job}</code>],
    ['Process', run.process && <code>{run.process}</code>],
    ['Submitted by', run.submitted_by],
    ['Submitted at', time(run.submitted_at)],
    ['Cancel requested at', run.cancel_requested_at ? time(run.cancel_requested_at) : null],
    ['Failure reason', run.failure_reason && <pre class="failure">{run.failure_reason}</pre>],
  ];
  return (
    <table class="grid kv project-details">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}><td>{label}</td><td>{value || <span class="muted">—</span>}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

function Parameters({ parameters }: { parameters: Record<string, string> }) {
  const keys = Object.keys(parameters).sort();
  if (!keys.length) return <p class="muted">No parameters were given.</p>;
  return (
    <table class="grid project-parameters" aria-label="Parameters">
      <thead><tr><th>Name</th><th>Value</th></tr></thead>
      <tbody>
        {keys.map(key => <tr key={key}><td>{key}</td><td><code class="wrap">{parameters[key]}</code></td></tr>)}
      </tbody>
    </table>
  );
}

/** Cancel, then a confirmation in place; the answer (same status, cancel requested) replaces the run shown. */
function CancelRun({ run, onCancelled }: { run: ProjectRun; onCancelled: (run: ProjectRun) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (run.cancel_requested_at) {
    return <p class="cancel-bar muted" role="status">Cancel requested at {time(run.cancel_requested_at)}; stopping…</p>;
  }

  async function cancel() {
    setSending(true);
    try {
      onCancelled(await cancelProjectRun(run.run_id));
      setConfirming(false);
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
    }
  }

  return (
    <div class="cancel-bar">
      {!confirming && <button type="button" class="danger" onClick={() => setConfirming(true)}>Cancel run</button>}
      {confirming && (
        <div role="alertdialog" aria-label="Confirm cancel" class="confirm">
          <span>Stop this run? Its process is killed and the run ends KILLED.</span>
          <button type="button" class="danger" disabled={sending} onClick={cancel}>Yes, cancel the run</button>
          <button type="button" disabled={sending} onClick={() => setConfirming(false)}>Keep it running</button>
        </div>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
