// What the compare view plots: a run's params and latest metrics as fields, and axes that place their values
// (numeric when every value parses as a number, else categorical).
import { number } from '../../format';
import type { Run } from '../../mlflow';

export interface Field { kind: 'param' | 'metric'; key: string }
export type FieldValue = string | number | undefined;

export const fieldId = (f: Field) => `${f.kind}:${f.key}`;
export const fieldLabel = (f: Field) => `${f.kind === 'param' ? 'param' : 'metric'} ${f.key}`;

export function fieldFromId(id: string): Field {
  const at = id.indexOf(':');
  return { kind: id.slice(0, at) as Field['kind'], key: id.slice(at + 1) };
}

export function paramValue(run: Run, key: string): string | undefined {
  return run.data.params?.find(p => p.key === key)?.value;
}

export function metricValue(run: Run, key: string): number | undefined {
  const m = run.data.metrics?.find(x => x.key === key);
  return m === undefined ? undefined : Number(m.value);
}

export function fieldValue(run: Run, field: Field): FieldValue {
  return field.kind === 'param' ? paramValue(run, field.key) : metricValue(run, field.key);
}

/** The sorted union of the runs' param keys and of their metric keys. */
export function keysOf(runs: Run[]): { params: string[]; metrics: string[] } {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const run of runs) {
    run.data.params?.forEach(p => params.add(p.key));
    run.data.metrics?.forEach(m => metrics.add(m.key));
  }
  return { params: [...params].sort(), metrics: [...metrics].sort() };
}

/** Whether the runs disagree on a param (a missing value differs from any value). */
export function paramDiffers(runs: Run[], key: string): boolean {
  return new Set(runs.map(r => paramValue(r, key))).size > 1;
}

export type Axis =
  | { kind: 'numeric'; min: number; max: number }
  | { kind: 'categorical'; categories: string[] };

const asNumber = (v: FieldValue) => (typeof v === 'number' ? v : v !== undefined && v.trim() !== '' ? Number(v) : NaN);

export function axisOf(values: FieldValue[]): Axis {
  const present = values.filter(v => v !== undefined);
  const numbers = present.map(asNumber);
  if (numbers.every(Number.isFinite)) {
    return { kind: 'numeric', min: Math.min(...numbers), max: Math.max(...numbers) };
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { kind: 'categorical', categories };
}

/** Where a value sits on an axis, 0 (low end) to 1 (high end); undefined when the run has no value. */
export function position(axis: Axis, value: FieldValue): number | undefined {
  if (value === undefined) return undefined;
  if (axis.kind === 'numeric') {
    return axis.max === axis.min ? 0.5 : (asNumber(value) - axis.min) / (axis.max - axis.min);
  }
  const n = axis.categories.length;
  return n === 1 ? 0.5 : axis.categories.indexOf(String(value)) / (n - 1);
}

/** Labelled ticks along an axis: round values for a numeric one, every category (up to a dozen) for a categorical one. */
export function ticksOf(axis: Axis): { at: number; label: string }[] {
  if (axis.kind === 'categorical') {
    const every = Math.ceil(axis.categories.length / 12);
    return axis.categories.map(c => ({ at: position(axis, c)!, label: c })).filter((_, i) => i % every === 0);
  }
  const { min, max } = axis;
  if (min === max) return [{ at: 0.5, label: number(min) }];
  return roundTicks(min, max).map(v => ({ at: (v - min) / (max - min), label: number(v) }));
}

/** About five round values (multiples of 1, 2, 2.5 or 5 times a power of ten) between min and max. */
function roundTicks(min: number, max: number): number[] {
  const rough = (max - min) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s >= rough)!;
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}
