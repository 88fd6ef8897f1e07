// The runs side by side: a header row of run names, then their params (rows that differ highlighted, optionally
// only those) and their latest metrics (the best value of each row highlighted).
import { useState } from 'preact/hooks';
import { runColor } from '../../charts/colors';
import { Status } from '../../components';
import { duration, number, time } from '../../format';
import type { Run } from '../../mlflow';
import { href } from '../../router';
import { keysOf, metricValue, paramDiffers, paramValue } from './compare-fields';

/** Metrics whose name says lower is better; any other metric is better higher (each row can be flipped). */
const LOWER_IS_BETTER = /loss|err|rmse|mse|mae|perplexity|latency|time|cost/i;

export function CompareTable({ runs }: { runs: Run[] }) {
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const [flipped, setFlipped] = useState<Set<string>>(new Set());
  const { params, metrics } = keysOf(runs);
  const shownParams = onlyDifferences ? params.filter(k => paramDiffers(runs, k)) : params;
  const span = runs.length + 1;

  function flip(key: string) {
    const next = new Set(flipped);
    if (!next.delete(key)) next.add(key);
    setFlipped(next);
  }

  return (
    <>
      <label class="only-differences">
        <input type="checkbox" checked={onlyDifferences} onChange={e => setOnlyDifferences(e.currentTarget.checked)} />
        Only params that differ
      </label>
      <div class="compare-scroll">
        <table class="grid compare-table">
          <thead>
            <tr>
              <th>Run</th>
              {runs.map((run, i) => (
                <th key={run.info.run_id} class="run-name">
                  <span class="swatch" style={{ background: runColor(i) }} />
                  <a href={href(['runs', run.info.run_id])}>{run.info.run_name || run.info.run_id}</a>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr><td>Status</td>{runs.map(r => <td key={r.info.run_id}><Status status={r.info.status} /></td>)}</tr>
            <tr><td>Started</td>{runs.map(r => <td key={r.info.run_id}>{time(r.info.start_time)}</td>)}</tr>
            <tr><td>Duration</td>{runs.map(r => <td key={r.info.run_id}>{duration(r.info.start_time, r.info.end_time)}</td>)}</tr>
            <tr class="group"><th colSpan={span}>Parameters ({shownParams.length}{onlyDifferences ? ` of ${params.length}` : ''})</th></tr>
            {shownParams.map(key => {
              const differs = paramDiffers(runs, key);
              return (
                <tr key={key} data-param={key} class={differs ? 'differs' : ''}>
                  <td class="mono">{key}</td>
                  {runs.map(r => <td key={r.info.run_id} class="mono">{paramValue(r, key) ?? <span class="muted">—</span>}</td>)}
                </tr>
              );
            })}
            <tr class="group"><th colSpan={span}>Metrics, latest values ({metrics.length})</th></tr>
            {metrics.map(key => {
              const lower = LOWER_IS_BETTER.test(key) !== flipped.has(key);
              const values = runs.map(r => metricValue(r, key));
              const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
              const best = present.length > 1 ? (lower ? Math.min(...present) : Math.max(...present)) : undefined;
              return (
                <tr key={key} data-metric={key}>
                  <td class="mono">
                    {key}
                    <button type="button" class="link direction" onClick={() => flip(key)}
                      title={`Best is the ${lower ? 'lowest' : 'highest'} value; click to flip`}>{lower ? '↓' : '↑'}</button>
                  </td>
                  {values.map((v, i) => (
                    <td key={runs[i].info.run_id} class={`mono${v === best ? ' best' : ''}`}>
                      {v === undefined ? <span class="muted">—</span> : number(v)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
