// One metric's line chart (uPlot), every run overlaid. Drag-select zooms and fetches that step range again (at full
// resolution once it holds ≤ 1000 steps); double-click goes back to the whole history. The container's data
// attributes say what is drawn: data-state loading|drawn|error, data-points, data-steps "first-last", data-x, data-scale.
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ErrorBox } from '../components';
import { number } from '../format';
import { runColor } from './colors';
import { type ChartView, fetchHistories, prepare, type PreparedData, type RunHistory, type StepRange,
  stepRangeOf } from './metric-history';

export interface ChartRun { runId: string; name: string }

const HEIGHT = 240;
const LIVE_INTERVAL_MS = 5000;

function mark(el: HTMLElement | null, attributes: Record<string, string>) {
  for (const [name, value] of Object.entries(attributes)) el?.setAttribute(`data-${name}`, value);
}

export function MetricChart({ runs, metricKey, view, live }:
  { runs: ChartRun[]; metricKey: string; view: ChartView; live?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plotBox = useRef<HTMLDivElement>(null);
  const plot = useRef<{ chart: uPlot; shape: string } | null>(null);
  const prepared = useRef<PreparedData | null>(null);
  const viewNow = useRef(view);
  viewNow.current = view;
  const firstTimestamps = useRef(new Map<string, number>());
  const lastRequest = useRef('');
  const fetching = useRef(false);
  const [zoom, setZoom] = useState<StepRange | null>(null);
  const [histories, setHistories] = useState<RunHistory[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!live) return;
    // A refresh waits for the previous fetch rather than cancelling it, so a slow server still gets answers through.
    const timer = setInterval(() => fetching.current || setTick(t => t + 1), LIVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [live]);

  useEffect(() => {
    const request = JSON.stringify(zoom);
    if (request !== lastRequest.current) mark(box.current, { state: 'loading' });
    lastRequest.current = request;
    const abort = new AbortController();
    fetching.current = true;
    fetchHistories(runs.map(r => r.runId), metricKey, zoom, abort.signal).then(fetched => {
      if (abort.signal.aborted) return;
      if (!zoom) {
        for (const h of fetched) if (h.timestamps.length) firstTimestamps.current.set(h.runId, Math.min(...h.timestamps));
      }
      setError(null);
      setHistories(fetched);
    }).catch(e => {
      if (abort.signal.aborted) return;
      setError(e);
      mark(box.current, { state: 'error' });
    }).finally(() => { if (!abort.signal.aborted) fetching.current = false; });
    return () => abort.abort();
  }, [metricKey, zoom, tick]);

  useEffect(() => {
    if (!histories || !plotBox.current) return;
    const data = prepare(histories, view, firstTimestamps.current);
    prepared.current = data;
    const shape = `${view.xMode}/${view.logY}`;
    if (plot.current?.shape === shape) {
      plot.current.chart.setData(data.data);
      return;
    }
    plot.current?.chart.destroy();
    const chart = new uPlot(options(plotBox.current.clientWidth, runs, view, {
      zoomTo: range => setZoom(range),
      reset: () => setZoom(null),
      drawn: () => {
        const p = prepared.current!;
        mark(box.current, {
          state: 'drawn', points: String(p.points), x: viewNow.current.xMode,
          scale: viewNow.current.logY ? 'log' : 'linear', steps: p.steps ? `${p.steps.start}-${p.steps.end}` : '',
        });
      },
      selected: (xMin, xMax) => prepared.current && stepRangeOf(prepared.current, viewNow.current.xMode, xMin, xMax),
    }), data.data, plotBox.current);
    plot.current = { chart, shape };
  }, [histories, view.xMode, view.logY, view.smoothing]);

  useEffect(() => {
    const resized = new ResizeObserver(() => {
      if (plot.current && plotBox.current) plot.current.chart.setSize({ width: plotBox.current.clientWidth, height: HEIGHT });
    });
    if (plotBox.current) resized.observe(plotBox.current);
    return () => {
      resized.disconnect();
      plot.current?.chart.destroy();
      plot.current = null;
    };
  }, []);

  return (
    <div class="metric-chart" data-metric={metricKey} ref={box}>
      <header>
        <h3 title={metricKey}>{metricKey}</h3>
        {zoom && <button type="button" class="link zoomed" title="Show all steps (or double-click the chart)"
          onClick={() => setZoom(null)}>steps {zoom.start}–{zoom.end} ✕</button>}
      </header>
      <ErrorBox error={error} />
      <div class="plot" ref={plotBox} />
    </div>
  );
}

interface Handlers {
  zoomTo(range: StepRange): void;
  reset(): void;
  drawn(): void;
  selected(xMin: number, xMax: number): StepRange | null;
}

/** Around a single x value (every run logged one step) uPlot would span 0–100 or a day; one unit either side. */
function singleValueRange(u: uPlot, min: number, max: number): uPlot.Range.MinMax {
  const xs = u.data[0];
  return xs.length > 0 && xs[0] === xs[xs.length - 1] ? [xs[0] - 1, xs[0] + 1] : [min, max];
}

const X_LABELS = { step: 'step', time: 'time', relative: 'seconds since first point' };

function options(width: number, runs: ChartRun[], view: ChartView, on: Handlers): uPlot.Options {
  const formatValue = (_: uPlot, v: number | null) => (v === null || v === undefined ? '—' : number(v));
  return {
    width: Math.max(width, 200),
    height: HEIGHT,
    scales: {
      x: { time: view.xMode === 'time', range: singleValueRange },
      y: view.logY ? { distr: 3, log: 10 } : {} },
    series: [
      { label: X_LABELS[view.xMode], value: view.xMode === 'time' ? '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' : formatValue },
      ...runs.map((run, i) => ({ label: run.name, stroke: runColor(i), width: 1.5, value: formatValue })),
    ],
    axes: [
      view.xMode === 'time' ? {} : { values: (_: uPlot, splits: number[]) => splits.map(v => number(v)) },
      { size: 64, values: (_: uPlot, splits: number[]) => splits.map(v => number(v)) },
    ],
    cursor: {
      drag: { x: true, y: false, setScale: true },
      bind: { dblclick: (_, __, handler) => e => { handler(e); on.reset(); return null; } },
    },
    hooks: {
      setSelect: [u => {
        if (u.select.width < 3) return;
        const range = on.selected(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x'));
        if (range) on.zoomTo(range);
      }],
      draw: [() => on.drawn()],
    },
  };
}
