// Metric histories as the charts need them: fetched through MLflow's sampling endpoint (at most MAX_POINTS per run
// over a step range) and turned into uPlot's aligned columns for an x axis mode, smoothing and log scale.
import uPlot from 'uplot';
import { mlflow } from '../api';
import type { Metric } from '../mlflow';

/** The endpoint's own limit per run is higher; 1000 points per run is more than a chart's width in pixels. */
const MAX_POINTS = 1000;
/** MLflow's limit of run ids per get-history-bulk-interval request. */
const MAX_RUNS_PER_REQUEST = 100;

export type XMode = 'step' | 'time' | 'relative';
export interface StepRange { start: number; end: number }
export interface RunHistory { runId: string; steps: number[]; timestamps: number[]; values: (number | null)[] }

/** The sampled history of `metricKey` for each run (in the order of runIds), over `range` or all steps. */
export async function fetchHistories(runIds: string[], metricKey: string, range: StepRange | null,
  signal: AbortSignal): Promise<RunHistory[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < runIds.length; i += MAX_RUNS_PER_REQUEST) chunks.push(runIds.slice(i, i + MAX_RUNS_PER_REQUEST));
  const answers = await Promise.all(chunks.map(chunk => mlflow.get<{ metrics?: Metric[] }>(
    'metrics/get-history-bulk-interval',
    { run_ids: chunk, metric_key: metricKey, max_results: MAX_POINTS, start_step: range?.start, end_step: range?.end },
    signal)));
  const byRun = new Map<string, Metric[]>(runIds.map(id => [id, []]));
  for (const answer of answers) for (const m of answer.metrics ?? []) byRun.get(m.run_id ?? '')?.push(m);
  return runIds.map(runId => {
    const metrics = byRun.get(runId)!
      .sort((a, b) => Number(a.step) - Number(b.step) || Number(a.timestamp) - Number(b.timestamp));
    return {
      runId,
      steps: metrics.map(m => Number(m.step)),
      timestamps: metrics.map(m => Number(m.timestamp)),
      values: metrics.map(m => (Number.isFinite(Number(m.value)) ? Number(m.value) : null)),
    };
  });
}

/** Debiased exponential moving average, as TensorBoard and MLflow smooth (weight 0 leaves the values as they are). */
export function smooth(values: (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values;
  let last = 0;
  let debias = 0;
  return values.map(v => {
    if (v === null) return null;
    last = last * weight + (1 - weight) * v;
    debias = debias * weight + (1 - weight);
    return last / debias;
  });
}

export interface ChartView { xMode: XMode; logY: boolean; smoothing: number }

export interface PreparedData {
  data: uPlot.AlignedData;
  /** Per run, the x value and step of each point (to turn a selected x range back into steps). */
  runs: { xs: number[]; steps: number[] }[];
  points: number;
  steps: StepRange | null;
}

/** uPlot's columns: one x column shared by all runs (joined), one y column per run. Where a run has no point at
 * another run's x the value is undefined (the line goes on); null (a non-finite value, or one ≤ 0 on a log scale)
 * breaks the line. */
export function prepare(histories: RunHistory[], view: ChartView, firstTimestamps: Map<string, number>): PreparedData {
  let points = 0;
  let minStep = Infinity;
  let maxStep = -Infinity;
  const runs = histories.map(h => {
    const first = firstTimestamps.get(h.runId) ?? h.timestamps[0] ?? 0;
    const xs = view.xMode === 'step' ? h.steps
      : view.xMode === 'time' ? h.timestamps.map(t => t / 1000)
      : h.timestamps.map(t => (t - first) / 1000);
    return { xs, steps: h.steps };
  });
  const tables = histories.map((h, i) => {
    const ys = smooth(h.values, view.smoothing).map(v => (v === null || (view.logY && v <= 0) ? null : v));
    for (const [j, y] of ys.entries()) {
      if (y === null) continue;
      points++;
      minStep = Math.min(minStep, h.steps[j]);
      maxStep = Math.max(maxStep, h.steps[j]);
    }
    return [runs[i].xs, ys] as uPlot.AlignedData;
  });
  const data = tables.length ? uPlot.join(tables) : [[]] as uPlot.AlignedData;
  return { data, runs, points, steps: points ? { start: minStep, end: maxStep } : null };
}

/** The steps a selected x range [xMin, xMax] covers: exact in step mode; otherwise the steps of the points inside
 * it and one neighbour each side, so the lines reach the edges. */
export function stepRangeOf(prepared: PreparedData, xMode: XMode, xMin: number, xMax: number): StepRange | null {
  if (xMode === 'step') {
    const start = Math.ceil(xMin);
    const end = Math.floor(xMax);
    return start <= end ? { start, end } : { start: Math.floor(xMin), end: Math.ceil(xMax) };
  }
  let start = Infinity;
  let end = -Infinity;
  for (const { xs, steps } of prepared.runs) {
    for (let i = 0; i < xs.length; i++) {
      const before = i + 1 < xs.length && xs[i + 1] >= xMin;
      const after = i > 0 && xs[i - 1] <= xMax;
      if ((xs[i] >= xMin || before) && (xs[i] <= xMax || after)) {
        start = Math.min(start, steps[i]);
        end = Math.max(end, steps[i]);
      }
    }
  }
  return start <= end ? { start, end } : null;
}
