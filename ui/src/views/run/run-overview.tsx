// The run page's overview: who ran what, when and from where, its parent run and experiment, and its child runs.
import { useEffect, useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { CopyButton, ErrorBox, Section, Status } from '../../components';
import { duration, time } from '../../format';
import { type Experiment, PARENT_TAG, type Run, tag } from '../../mlflow';
import { href } from '../../router';

export function RunOverview({ run, experiment }: { run: Run; experiment?: Experiment }) {
  const { info } = run;
  const parentId = tag(run, PARENT_TAG);
  const source = tag(run, 'mlflow.source.name');
  const sourceType = tag(run, 'mlflow.source.type');
  const commit = tag(run, 'mlflow.source.git.commit');
  const running = info.status === 'RUNNING';
  const user = info.user_id || tag(run, 'mlflow.user');
  return (
    <Section title="Overview">
      <div class="table-box"><table class="grid kv run-overview">
        <tbody>
          <tr><td>Run ID</td><td><span class="mono" data-field="run-id">{info.run_id}</span><CopyButton text={info.run_id} /></td></tr>
          <tr><td>Status</td><td><Status status={info.status} /></td></tr>
          <tr><td>Experiment</td><td><a href={href(['experiments', info.experiment_id])}>{experiment?.name ?? info.experiment_id}</a></td></tr>
          {parentId && <tr><td>Parent run</td><td><ParentLink runId={parentId} /></td></tr>}
          <tr><td>Started</td><td>{time(info.start_time)}</td></tr>
          <tr><td>Ended</td><td>{running ? <span class="muted">still running</span> : time(info.end_time)}</td></tr>
          <tr><td>Duration</td><td>{duration(info.start_time, running ? undefined : info.end_time)}</td></tr>
          {user && <tr><td>User</td><td>{user}</td></tr>}
          {source && <tr><td>Source</td><td><span class="mono">{source}</span>{sourceType && <span class="muted"> ({sourceType})</span>}</td></tr>}
          {commit && <tr><td>Git commit</td><td><span class="mono">{commit}</span><CopyButton text={commit} /></td></tr>}
          {info.artifact_uri && <tr><td>Artifact location</td><td class="mono">{info.artifact_uri}</td></tr>}
        </tbody>
      </table></div>
    </Section>
  );
}

/** A link to the parent run, named once its name is known. */
function ParentLink({ runId }: { runId: string }) {
  const [name, setName] = useState<string | undefined>(undefined);
  useEffect(() => {
    const abort = new AbortController();
    mlflow.get<{ run: Run }>('runs/get', { run_id: runId }, abort.signal)
      .then(r => setName(r.run.info.run_name), () => undefined);
    return () => abort.abort();
  }, [runId]);
  return <a href={href(['runs', runId])} data-field="parent-run">{name ?? runId}</a>;
}

interface SearchAnswer { runs?: Run[]; next_page_token?: string }

const CHILDREN_PAGE = 100;

/** The runs whose parent is this one, a page at a time; nothing at all when there are none. */
export function ChildRuns({ run }: { run: Run }) {
  const [children, setChildren] = useState<Run[]>([]);
  const [next, setNext] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  async function load(pageToken?: string) {
    try {
      const answer = await mlflow.post<SearchAnswer>('runs/search', {
        experiment_ids: [run.info.experiment_id], filter: `tags.${PARENT_TAG} = '${run.info.run_id}'`,
        max_results: CHILDREN_PAGE, page_token: pageToken,
      });
      setChildren(current => [...(pageToken ? current : []), ...(answer.runs ?? [])]);
      setNext(answer.next_page_token || undefined);
    } catch (e) {
      setError(e);
    }
  }

  useEffect(() => { load(); }, [run.info.run_id]);

  if (error) return <Section title="Child runs"><ErrorBox error={error} /></Section>;
  if (!children.length) return null;
  return (
    <Section title={`Child runs (${children.length}${next ? '+' : ''})`}>
      <div class="table-box"><table class="grid child-runs">
        <thead><tr><th>Run</th><th>Status</th><th>Started</th><th>Duration</th></tr></thead>
        <tbody>
          {children.map(child => (
            <tr key={child.info.run_id}>
              <td><a href={href(['runs', child.info.run_id])}>{child.info.run_name || child.info.run_id}</a></td>
              <td><Status status={child.info.status} /></td>
              <td>{time(child.info.start_time)}</td>
              <td>{duration(child.info.start_time, child.info.end_time)}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {next && <button type="button" onClick={() => load(next)}>Show more child runs</button>}
    </Section>
  );
}
