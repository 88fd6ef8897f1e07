// A scatter plot of one param or metric against another, one point per run (the run's name on hover).
import { useState } from 'preact/hooks';
import { runColor } from '../../charts/colors';
import type { Run } from '../../mlflow';
import { AxisLine, FieldSelect } from './compare-axis';
import { axisOf, type Field, fieldFromId, fieldLabel, fieldValue, position } from './compare-fields';

const W = 720;
const H = 380;
const LEFT = 90;
const RIGHT = 24;
const TOP = 16;
const BOTTOM = 56;
/** Points keep off the axes: positions 0–1 map to 5–95% of the plot. */
const PAD = 0.05;
const inset = (p: number) => PAD + (1 - 2 * PAD) * p;

export function ScatterPlot({ runs, fields, initialX, initialY }:
  { runs: Run[]; fields: Field[]; initialX: string; initialY: string }) {
  const [xId, setXId] = useState(initialX);
  const [yId, setYId] = useState(initialY);
  const [hovered, setHovered] = useState<number | null>(null);
  const x = fieldFromId(xId);
  const y = fieldFromId(yId);
  const xValues = runs.map(r => fieldValue(r, x));
  const yValues = runs.map(r => fieldValue(r, y));
  const xAxis = axisOf(xValues);
  const yAxis = axisOf(yValues);
  const points = runs.flatMap((run, i) => {
    const px = position(xAxis, xValues[i]);
    const py = position(yAxis, yValues[i]);
    if (px === undefined || py === undefined) return [];
    return [{ run, i, cx: LEFT + inset(px) * (W - LEFT - RIGHT), cy: H - BOTTOM - inset(py) * (H - TOP - BOTTOM) }];
  });
  const hover = points.find(p => p.i === hovered);

  return (
    <div class="scatter">
      <div class="plot-controls">
        <FieldSelect label="X" fields={fields} value={xId} onChange={setXId} />
        <FieldSelect label="Y" fields={fields} value={yId} onChange={setYId} />
        {points.length < runs.length && (
          <span class="muted">{runs.length - points.length} of {runs.length} runs lack a value for {x.key} or {y.key}</span>
        )}
      </div>
      <svg class="scatter-plot" viewBox={`0 0 ${W} ${H}`} data-points={points.length} role="img"
        aria-label={`${fieldLabel(y)} against ${fieldLabel(x)}`}>
        <AxisLine axis={xAxis} from={LEFT} to={W - RIGHT} at={H - BOTTOM} pad={PAD} />
        <AxisLine axis={yAxis} from={H - BOTTOM} to={TOP} at={LEFT} vertical pad={PAD} />
        <text class="axis-title" x={(LEFT + W - RIGHT) / 2} y={H - 12} text-anchor="middle">{fieldLabel(x)}</text>
        <text class="axis-title" transform={`translate(16 ${(TOP + H - BOTTOM) / 2}) rotate(-90)`} text-anchor="middle">
          {fieldLabel(y)}
        </text>
        {points.map(p => (
          <circle key={p.run.info.run_id} class="point" data-run={p.run.info.run_id} cx={p.cx} cy={p.cy}
            r={hovered === p.i ? 8 : 6} fill={runColor(p.i)}
            onMouseEnter={() => setHovered(p.i)} onMouseLeave={() => setHovered(null)}>
            <title>{`${p.run.info.run_name}: ${x.key}=${xValues[p.i]}, ${y.key}=${yValues[p.i]}`}</title>
          </circle>
        ))}
        {hover && (
          <text class="hover-label" x={hover.cx + (hover.cx > W / 2 ? -12 : 12)} y={hover.cy - 10}
            text-anchor={hover.cx > W / 2 ? 'end' : 'start'}>{hover.run.info.run_name}</text>
        )}
      </svg>
    </div>
  );
}
