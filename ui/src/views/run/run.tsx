// One run's page (#/runs/<run id>): overview, notes, parameters, metrics and their charts, tags, datasets, logged
// models and the artifact browser. The run is one request (runs/get), refreshed while it runs; each section asks
// for what else it shows. The selected artifact is kept in the address (?artifact=path), so a reload keeps it.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { ArtifactBrowser } from '../../artifacts/artifact-browser';
import { runArtifacts } from '../../artifacts/artifact-source';
import { ErrorBox, Loading, Section, Status } from '../../components';
import { type Experiment, NOTE_TAG, type Run, tag } from '../../mlflow';
import { go, href, useLocation } from '../../router';
import { ChartsSection } from './run-charts';
import { MetricsSection, ParamsSection } from './run-data';
import { DatasetsSection } from './run-datasets';
import { LoggedModelsSection } from './run-models';
import { NotesSection } from './run-notes';
import { ChildRuns, RunOverview } from './run-overview';
import { ProjectRunLink } from '../projects/projects';
import { TagsSection } from './run-tags';
import './run.css';

/** A running run is read again this often. */
const REFRESH_MS = 10_000;
/** Metrics charted before the user picks: the first ones by key. */
const CHARTED_AT_FIRST = 8;

export function RunView({ runId, canEdit }: { runId: string; canEdit: boolean }) {
  const [run, setRun] = useState<Run | null>(null);
  const [experiment, setExperiment] = useState<Experiment | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [chartChoices, setChartChoices] = useState(new Map<string, boolean>());
  const location = useLocation();
  const artifactSource = useMemo(() => runArtifacts(runId), [runId]);

  async function load() {
    try {
      setRun((await mlflow.get<{ run: Run }>('runs/get', { run_id: runId })).run);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }

  useEffect(() => { load(); }, [runId]);

  const running = run?.info.status === 'RUNNING';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, runId]);

  const experimentId = run?.info.experiment_id;
  useEffect(() => {
    if (!experimentId) return;
    mlflow.get<{ experiment: Experiment }>('experiments/get', { experiment_id: experimentId })
      .then(answer => setExperiment(answer.experiment), () => undefined);
  }, [experimentId]);

  if (!run) return error ? <ErrorBox error={error} /> : <Loading />;

  const metricKeys = (run.data.metrics ?? []).map(m => m.key).sort();
  const charted = new Set(metricKeys.filter((key, i) => chartChoices.get(key) ?? i < CHARTED_AT_FIRST));
  function toggleChart(key: string) {
    const showing = !charted.has(key);
    setChartChoices(new Map(chartChoices).set(key, showing));
    if (showing) requestAnimationFrame(() => document.getElementById('run-charts')?.scrollIntoView({ block: 'nearest' }));
  }

  const artifact = location.query.get('artifact') ?? '';
  const selectArtifact = (path: string) => go(['runs', runId], { artifact: path }, true);
  const name = run.info.run_name || run.info.run_id;

  return (
    <div class="run-page">
      <nav class="breadcrumb">
        <a href={href(['experiments'])}>Experiments</a> ›{' '}
        <a href={href(['experiments', run.info.experiment_id])}>{experiment?.name ?? run.info.experiment_id}</a> ›
      </nav>
      <h1 class="run-title">
        <span class="run-name">{name}</span> <Status status={run.info.status} />
        {run.info.lifecycle_stage === 'deleted' && <span class="status status-killed">deleted</span>}
      </h1>
      <ErrorBox error={error} />
      <RunOverview run={run} experiment={experiment} />
      {tag(run, 'mlflow.source.type') === 'PROJECT' && <ProjectRunLink runId={run.info.run_id} />}
      <ChildRuns run={run} />
      <NotesSection runId={runId} note={tag(run, NOTE_TAG) ?? ''} canEdit={canEdit} onChanged={load} />
      <div class="run-columns">
        <ParamsSection params={run.data.params ?? []} />
        <MetricsSection metrics={run.data.metrics ?? []} charted={charted} onToggleChart={toggleChart} />
      </div>
      <ChartsSection runId={runId} runName={name} metricKeys={metricKeys} charted={charted} onToggle={toggleChart}
        live={running} />
      <TagsSection runId={runId} tags={run.data.tags ?? []} canEdit={canEdit} onChanged={load} />
      {(run.inputs?.dataset_inputs?.length ?? 0) > 0 && <DatasetsSection inputs={run.inputs!.dataset_inputs!} />}
      <LoggedModelsSection run={run} />
      <Section title="Artifacts">
        <ArtifactBrowser source={artifactSource} selected={artifact} onSelect={selectArtifact} />
      </Section>
    </div>
  );
}
