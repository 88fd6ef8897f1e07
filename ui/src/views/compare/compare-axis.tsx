// The field pickers and axis drawing the scatter plot and the parallel coordinates share.
import { type Axis, type Field, fieldId, ticksOf } from './compare-fields';

export function FieldSelect({ label, fields, value, onChange }:
  { label: string; fields: Field[]; value: string; onChange: (id: string) => void }) {
  const group = (kind: Field['kind'], title: string) => {
    const options = fields.filter(f => f.kind === kind);
    return options.length > 0 && (
      <optgroup label={title}>{options.map(f => <option key={fieldId(f)} value={fieldId(f)}>{f.key}</option>)}</optgroup>
    );
  };
  return (
    <label>{label} <select aria-label={label} value={value} onChange={e => onChange(e.currentTarget.value)}>
      {group('param', 'Params')}
      {group('metric', 'Metrics')}
    </select></label>
  );
}

/** A horizontal axis from `from` to `to` at height `at` (ticks below) or a vertical one (ticks left), its values
 * kept `pad` (a fraction of its length) off both ends. */
export function AxisLine({ axis, from, to, at, vertical, pad = 0 }:
  { axis: Axis; from: number; to: number; at: number; vertical?: boolean; pad?: number }) {
  const ticks = ticksOf(axis);
  const place = (t: number) => from + (pad + t * (1 - 2 * pad)) * (to - from);
  return (
    <g class="axis">
      {vertical ? <line x1={at} x2={at} y1={from} y2={to} /> : <line x1={from} x2={to} y1={at} y2={at} />}
      {ticks.map(t => vertical ? (
        <g key={t.label}>
          <line x1={at - 4} x2={at} y1={place(t.at)} y2={place(t.at)} />
          <text x={at - 7} y={place(t.at)} dy="0.32em" text-anchor="end">{shorten(t.label)}</text>
        </g>
      ) : (
        <g key={t.label}>
          <line x1={place(t.at)} x2={place(t.at)} y1={at} y2={at + 4} />
          <text x={place(t.at)} y={at + 16} text-anchor="middle">{shorten(t.label)}</text>
        </g>
      ))}
    </g>
  );
}

const shorten = (s: string) => (s.length > 14 ? `${s.slice(0, 13)}…` : s);
