// Line charts of metric histories, one per metric key, the given runs overlaid, with the controls they share:
// x axis (step, wall time, time since the run's first point), log scale and smoothing.
import { useMemo, useState } from 'preact/hooks';
import { MetricChart, type ChartRun } from './metric-chart';
import type { XMode } from './metric-history';
import './charts.css';

export type { ChartRun };

export function MetricCharts({ runs, metricKeys, live }: { runs: ChartRun[]; metricKeys: string[]; live?: boolean }) {
  const [xMode, setXMode] = useState<XMode>('step');
  const [logY, setLogY] = useState(false);
  const [smoothing, setSmoothing] = useState(0);
  const view = useMemo(() => ({ xMode, logY, smoothing }), [xMode, logY, smoothing]);
  const runsKey = runs.map(r => `${r.runId}:${r.name}`).join(',');

  if (!metricKeys.length) return <p class="muted">No metrics to chart.</p>;
  return (
    <div class="metric-charts">
      <div class="chart-controls">
        <label>X axis <select aria-label="X axis" value={xMode} onChange={e => setXMode(e.currentTarget.value as XMode)}>
          <option value="step">Step</option>
          <option value="time">Wall time</option>
          <option value="relative">Relative time</option>
        </select></label>
        <label><input type="checkbox" aria-label="Log scale" checked={logY}
          onChange={e => setLogY(e.currentTarget.checked)} /> Log scale</label>
        <label>Smoothing <input type="range" aria-label="Smoothing" min={0} max={0.99} step={0.01} value={smoothing}
          onInput={e => setSmoothing(Number(e.currentTarget.value))} /> <span class="mono">{smoothing.toFixed(2)}</span></label>
        <span class="muted hint">Drag on a chart to zoom, double-click to reset.</span>
        {live && <span class="live" title="Refreshing every 5 seconds">● live</span>}
      </div>
      <div class="chart-grid">
        {metricKeys.map(key => <MetricChart key={`${key}|${runsKey}`} runs={runs} metricKey={key} view={view} live={live} />)}
      </div>
    </div>
  );
}
