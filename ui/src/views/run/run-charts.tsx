// The run's "Charts" section: its metric keys as toggles, and a chart of each key toggled on (live while it runs).
import { useMemo } from 'preact/hooks';
import { MetricCharts } from '../../charts/metric-charts';
import { Section } from '../../components';

export function ChartsSection({ runId, runName, metricKeys, charted, onToggle, live }: {
  runId: string; runName: string; metricKeys: string[]; charted: Set<string>; onToggle(key: string): void; live: boolean;
}) {
  const runs = useMemo(() => [{ runId, name: runName }], [runId, runName]);
  const shown = metricKeys.filter(k => charted.has(k));
  return (
    <Section title="Charts">
      {metricKeys.length > 0 && (
        <div class="chart-keys" role="group" aria-label="Charted metrics">
          {metricKeys.map(key => (
            <button type="button" key={key} class="chip" aria-pressed={charted.has(key)} onClick={() => onToggle(key)}>{key}</button>
          ))}
        </div>
      )}
      <div id="run-charts">
        {metricKeys.length > 0 && !shown.length
          ? <p class="muted">Pick a metric above to chart it.</p>
          : <MetricCharts runs={runs} metricKeys={shown} live={live} />}
      </div>
    </Section>
  );
}
