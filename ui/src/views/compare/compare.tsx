// #/compare?runs=a,b,...: runs side by side (params, latest metrics), their metric charts overlaid, a scatter plot
// of one param or metric against another, and parallel coordinates.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { MetricCharts } from '../../charts/metric-charts';
import { ErrorBox, Loading, Section } from '../../components';
import type { Run } from '../../mlflow';
import { type Field, fieldId, keysOf, paramDiffers } from './compare-fields';
import { ParallelCoordinates } from './compare-parallel';
import { ScatterPlot } from './compare-scatter';
import { CompareTable } from './compare-table';
import './compare.css';

/** Axes parallel coordinates start with, at most. */
const INITIAL_AXES = 8;

export function CompareView({ runIds }: { runIds: string[] }) {
  const idsKey = runIds.join(',');
  const [loaded, setLoaded] = useState<{ idsKey: string; runs: Run[]; failures: string[] } | null>(null);

  useEffect(() => {
    let current = true;
    Promise.allSettled(runIds.map(id => mlflow.get<{ run: Run }>('runs/get', { run_id: id }))).then(answers => {
      if (!current) return;
      setLoaded({
        idsKey,
        runs: answers.flatMap(a => (a.status === 'fulfilled' ? [a.value.run] : [])),
        failures: answers.flatMap((a, i) => (a.status === 'rejected' ? [`${runIds[i]}: ${(a.reason as Error).message}`] : [])),
      });
    });
    return () => { current = false; };
  }, [idsKey]);

  if (!runIds.length) {
    return <><h1>Compare runs</h1><p class="muted">Select runs in an experiment's run list and choose Compare.</p></>;
  }
  if (loaded?.idsKey !== idsKey) return <Loading />;
  const { runs, failures } = loaded;
  return (
    <div class="compare">
      <h1>Compare {runs.length} {runs.length === 1 ? 'run' : 'runs'}</h1>
      {failures.length > 0 && <ErrorBox error={new Error(`Could not load ${failures.join('; ')}`)} />}
      {runs.length > 0 && <Comparison key={idsKey} runs={runs} />}
    </div>
  );
}

function Comparison({ runs }: { runs: Run[] }) {
  const { params, metrics } = useMemo(() => keysOf(runs), [runs]);
  const shared = useMemo(() => metrics.filter(k => runs.every(r => r.data.metrics?.some(m => m.key === k))), [runs, metrics]);
  const [chartKeys, setChartKeys] = useState<string[]>(shared.length ? shared : metrics);
  const chartRuns = useMemo(() => runs.map(r => ({ runId: r.info.run_id, name: r.info.run_name || r.info.run_id })), [runs]);
  const live = runs.some(r => r.info.status === 'RUNNING');

  const fields: Field[] = [...params.map(key => ({ kind: 'param' as const, key })),
    ...metrics.map(key => ({ kind: 'metric' as const, key }))];
  const differing = params.filter(k => paramDiffers(runs, k));
  const metricFields = fields.filter(f => f.kind === 'metric');
  const paramFields = fields.filter(f => f.kind === 'param');
  const scatterX = fields.find(f => f.kind === 'param' && differing.includes(f.key)) ?? paramFields[0] ?? fields[0];
  const scatterY = metricFields.find(f => shared.includes(f.key)) ?? metricFields[0] ?? fields[fields.length - 1];
  const parallelInitial = [...(differing.length ? paramFields.filter(f => differing.includes(f.key)) : paramFields),
    ...metricFields].slice(0, INITIAL_AXES).map(fieldId);

  const toggleChart = (key: string) =>
    setChartKeys(chartKeys.includes(key) ? chartKeys.filter(k => k !== key) : metrics.filter(k => k === key || chartKeys.includes(k)));

  return (
    <>
      <Section title="Runs"><CompareTable runs={runs} /></Section>
      <Section title="Metric charts">
        <div class="chart-keys">
          {metrics.map(key => (
            <label key={key} title={shared.includes(key) ? 'logged by every run' : 'logged by some runs'}>
              <input type="checkbox" checked={chartKeys.includes(key)} onChange={() => toggleChart(key)} />
              <span class={shared.includes(key) ? '' : 'muted'}>{key}</span>
            </label>
          ))}
        </div>
        <MetricCharts runs={chartRuns} metricKeys={chartKeys} live={live} />
      </Section>
      {runs.length > 1 && fields.length > 0 && (
        <Section title="Scatter plot">
          <ScatterPlot runs={runs} fields={fields} initialX={fieldId(scatterX)} initialY={fieldId(scatterY)} />
        </Section>
      )}
      {runs.length > 1 && fields.length > 0 && (
        <Section title="Parallel coordinates">
          <ParallelCoordinates runs={runs} fields={fields} initial={parallelInitial} />
        </Section>
      )}
    </>
  );
}
