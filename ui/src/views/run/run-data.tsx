// The run's parameters and latest metrics as tables, filterable by key when there are many. A metric's key shows or
// hides its chart.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Section } from '../../components';
import { number, time } from '../../format';
import type { KeyValue, Metric } from '../../mlflow';

/** Tables offer a key filter from this many rows on, and show this many rows at most. */
const FILTER_FROM = 12;
const MAX_ROWS = 1000;

function useKeyFilter<T extends { key: string }>(items: T[]) {
  const [text, setText] = useState('');
  const needle = text.trim().toLowerCase();
  const matching = needle ? items.filter(i => i.key.toLowerCase().includes(needle)) : items;
  const input = items.length >= FILTER_FROM && (
    <input type="search" class="key-filter" placeholder="Filter keys" aria-label="Filter keys" value={text}
      onInput={e => setText(e.currentTarget.value)} />);
  return { matching, input };
}

function Capped({ shown, total }: { shown: number; total: number }) {
  return shown < total ? <p class="muted">Showing {shown} of {total}; filter to find the others.</p> : null;
}

function DataSection({ title, count, filter, empty, children }:
  { title: string; count: number; filter: ComponentChildren; empty: string; children: ComponentChildren }) {
  return (
    <Section title={`${title} (${count})`} actions={filter}>
      {count ? children : <p class="muted">{empty}</p>}
    </Section>
  );
}

export function ParamsSection({ params }: { params: KeyValue[] }) {
  const sorted = [...params].sort((a, b) => a.key.localeCompare(b.key));
  const { matching, input } = useKeyFilter(sorted);
  return (
    <DataSection title="Parameters" count={params.length} filter={input} empty="No parameters.">
      <div class="table-box">
        <table class="grid kv run-params">
          <thead><tr><th>Name</th><th>Value</th></tr></thead>
          <tbody>{matching.slice(0, MAX_ROWS).map(p => (
            <tr key={p.key}><td class="key">{p.key}</td><td class="value">{p.value}</td></tr>
          ))}</tbody>
        </table>
        <Capped shown={Math.min(matching.length, MAX_ROWS)} total={matching.length} />
      </div>
    </DataSection>
  );
}

export function MetricsSection({ metrics, charted, onToggleChart }:
  { metrics: Metric[]; charted: Set<string>; onToggleChart(key: string): void }) {
  const sorted = [...metrics].sort((a, b) => a.key.localeCompare(b.key));
  const { matching, input } = useKeyFilter(sorted);
  return (
    <DataSection title="Metrics" count={metrics.length} filter={input} empty="No metrics.">
      <div class="table-box">
        <table class="grid kv run-metrics">
          <thead><tr><th>Name</th><th>Latest value</th><th>Step</th><th>Logged</th></tr></thead>
          <tbody>{matching.slice(0, MAX_ROWS).map(m => (
            <tr key={m.key}>
              <td class="key">
                <button type="button" class={`link metric-key${charted.has(m.key) ? ' charted' : ''}`}
                  aria-pressed={charted.has(m.key)} title={charted.has(m.key) ? 'Hide its chart' : 'Show its chart'}
                  onClick={() => onToggleChart(m.key)}>{m.key}</button>
              </td>
              <td class="value" title={String(m.value)}>{number(m.value)}</td>
              <td>{m.step}</td>
              <td class="muted">{time(m.timestamp)}</td>
            </tr>
          ))}</tbody>
        </table>
        <Capped shown={Math.min(matching.length, MAX_ROWS)} total={matching.length} />
      </div>
    </DataSection>
  );
}
