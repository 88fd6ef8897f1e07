// Parallel coordinates: a vertical axis per chosen param or metric, a polyline per run across them (broken where the
// run has no value). Hovering a line (or near it) names its run and dims the others.
import { useState } from 'preact/hooks';
import { runColor } from '../../charts/colors';
import type { Run } from '../../mlflow';
import { AxisLine } from './compare-axis';
import { axisOf, type Field, fieldId, fieldValue, position } from './compare-fields';

const H = 380;
const TOP = 40;
const BOTTOM = 24;
const GAP = 170;
const SIDE = 90;

export function ParallelCoordinates({ runs, fields, initial }: { runs: Run[]; fields: Field[]; initial: string[] }) {
  const [chosen, setChosen] = useState<string[]>(initial);
  const [hovered, setHovered] = useState<number | null>(null);
  const shown = fields.filter(f => chosen.includes(fieldId(f)));
  const width = Math.max(600, SIDE * 2 + GAP * (shown.length - 1));
  const axisX = (j: number) => (shown.length === 1 ? width / 2 : SIDE + j * (width - 2 * SIDE) / (shown.length - 1));
  const axes = shown.map(f => axisOf(runs.map(r => fieldValue(r, f))));
  const lines = runs.map((run, i) => {
    let path = '';
    let pen = false;
    shown.forEach((f, j) => {
      const p = position(axes[j], fieldValue(run, f));
      if (p === undefined) { pen = false; return; }
      const point = `${axisX(j).toFixed(1)},${(H - BOTTOM - p * (H - TOP - BOTTOM)).toFixed(1)}`;
      path += pen ? `L${point}` : `M${point}h0`; // h0: a lone point still shows as a dot (round line caps)
      pen = true;
    });
    return { run, i, path };
  }).filter(l => l.path);

  function toggle(id: string) {
    setChosen(chosen.includes(id) ? chosen.filter(c => c !== id) : [...chosen, id]);
  }

  return (
    <div class="parallel">
      <div class="plot-controls field-choices">
        {fields.map(f => (
          <label key={fieldId(f)} class={f.kind}>
            <input type="checkbox" checked={chosen.includes(fieldId(f))} onChange={() => toggle(fieldId(f))} />{f.key}
          </label>
        ))}
      </div>
      {shown.length === 0 ? <p class="muted">Choose params or metrics to draw an axis for.</p> : (
        <svg class="parallel-plot" viewBox={`0 0 ${width} ${H}`} style={{ maxWidth: `${width}px` }} data-lines={lines.length}
          data-axes={shown.length} role="img" aria-label="Parallel coordinates">
          {lines.map(l => (
            <g key={l.run.info.run_id} class={`run${hovered === null ? '' : hovered === l.i ? ' hovered' : ' dimmed'}`}
              data-run={l.run.info.run_id} onMouseEnter={() => setHovered(l.i)} onMouseLeave={() => setHovered(null)}>
              <title>{l.run.info.run_name}</title>
              <path class="run-line" d={l.path} stroke={runColor(l.i)} />
              <path class="hit-area" d={l.path} />
            </g>
          ))}
          {shown.map((f, j) => (
            <g key={fieldId(f)}>
              <AxisLine axis={axes[j]} from={H - BOTTOM} to={TOP} at={axisX(j)} vertical />
              <text class="axis-title" x={axisX(j)} y={TOP - 16} text-anchor="middle">{f.kind} {f.key}</text>
            </g>
          ))}
          {hovered !== null && <text class="hover-label" x={4} y={12}>{runs[hovered].info.run_name}</text>}
        </svg>
      )}
    </div>
  );
}
