// The logged models of a run (MLflow 3): those it logged (its model outputs, and the models whose source run it is)
// and those it used (its model inputs), each with its status and, on request, its artifacts.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { ArtifactBrowser } from '../../artifacts/artifact-browser';
import { loggedModelArtifacts } from '../../artifacts/artifact-source';
import { ErrorBox, Section } from '../../components';
import { time } from '../../format';
import type { LoggedModel, Run } from '../../mlflow';

/** At most this many models are looked up one by one (inputs logged elsewhere). */
const LOOKUPS = 20;
const SEARCH_PAGE = 100;

interface ModelRow { id: string; relation: string; info?: LoggedModel['info'] }

/** What the run says about its models, before any is looked up: outputs first, then inputs. */
function relations(run: Run): Map<string, string> {
  const rows = new Map<string, string>();
  for (const output of run.outputs?.model_outputs ?? []) rows.set(output.model_id, `logged (step ${output.step ?? 0})`);
  for (const input of run.inputs?.model_inputs ?? []) if (!rows.has(input.model_id)) rows.set(input.model_id, 'input');
  return rows;
}

async function loadModels(run: Run, signal: AbortSignal): Promise<ModelRow[]> {
  const related = relations(run);
  const found = await mlflow.post<{ models?: LoggedModel[] }>('logged-models/search', {
    experiment_ids: [run.info.experiment_id], filter: `source_run_id = '${run.info.run_id}'`, max_results: SEARCH_PAGE,
  }, signal);
  const infos = new Map((found.models ?? []).map(m => [m.info.model_id, m.info]));
  const missing = [...related.keys()].filter(id => !infos.has(id)).slice(0, LOOKUPS);
  await Promise.all(missing.map(id => mlflow.get<{ model: LoggedModel }>(`logged-models/${encodeURIComponent(id)}`, undefined, signal)
    .then(answer => { infos.set(id, answer.model.info); }, () => undefined)));
  const rows: ModelRow[] = [...related].map(([id, relation]) => ({ id, relation, info: infos.get(id) }));
  for (const [id, info] of infos) if (!related.has(id)) rows.push({ id, relation: 'logged', info });
  return rows;
}

const statusLabel = (status?: string) => (status ?? '').replace(/^LOGGED_MODEL_/, '');

export function LoggedModelsSection({ run }: { run: Run }) {
  const [rows, setRows] = useState<ModelRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const [selected, setSelected] = useState('');
  const outputs = [...relations(run).keys()].join(',');
  const source = useMemo(() => browsing ? loggedModelArtifacts(browsing) : null, [browsing]);

  useEffect(() => {
    const abort = new AbortController();
    loadModels(run, abort.signal).then(setRows, e => { if (!abort.signal.aborted) setError(e); });
    return () => abort.abort();
  }, [run.info.run_id, outputs]);

  if (error) return <Section title="Logged models"><ErrorBox error={error} /></Section>;
  if (!rows?.length) return null;
  return (
    <Section title={`Logged models (${rows.length})`}>
      <div class="table-box"><table class="grid run-models">
        <thead><tr><th>Name</th><th>Model ID</th><th>Status</th><th>Type</th><th>Created</th><th>Relation</th><th /></tr></thead>
        <tbody>
          {rows.map(({ id, relation, info }) => (
            <tr key={id} data-model={id}>
              <td class="name">{info?.name ?? <span class="muted">not found</span>}</td>
              <td class="mono">{id}</td>
              <td>{statusLabel(info?.status)}</td>
              <td>{info?.model_type}</td>
              <td>{time(info?.creation_timestamp_ms)}</td>
              <td>{relation}</td>
              <td>{info && (
                <button type="button" aria-pressed={browsing === id} aria-label={`Artifacts of ${info.name}`}
                  onClick={() => { setBrowsing(browsing === id ? null : id); setSelected(''); }}>Artifacts</button>
              )}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {source && <ArtifactBrowser source={source} selected={selected} onSelect={setSelected} />}
    </Section>
  );
}
