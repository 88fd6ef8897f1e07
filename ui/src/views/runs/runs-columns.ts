// The runs table's columns: the fixed run columns, the param/metric/tag columns a user can choose, which of those
// are shown by default, and the server-side sort (MLflow order_by) each column stands for.
import { number } from '../../format';
import { type Run, tag } from '../../mlflow';

export type KeyKind = 'params' | 'metrics' | 'tags';
export const KEY_KINDS: KeyKind[] = ['params', 'metrics', 'tags'];

/** A param, metric or tag column, identified in the URL as "params.lr", "metrics.loss", "tags.team". */
export interface KeyColumn { kind: KeyKind; key: string }
export type KeysSeen = Record<KeyKind, string[]>;

/** Shown by default, at most: params and metrics up to this many each. */
const DEFAULT_KEYS = 10;
/** Shown by default, at most: this many user tags (not "mlflow.*"); system tags stay off. */
const DEFAULT_TAGS = 3;

export const columnId = (c: KeyColumn) => `${c.kind}.${c.key}`;

/** The sorted keys of every param, metric and tag the runs have. */
export function keysSeen(runs: Run[]): KeysSeen {
  const seen = { params: new Set<string>(), metrics: new Set<string>(), tags: new Set<string>() };
  for (const run of runs) {
    run.data.params?.forEach(p => seen.params.add(p.key));
    run.data.metrics?.forEach(m => seen.metrics.add(m.key));
    run.data.tags?.forEach(t => seen.tags.add(t.key));
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { params: sorted(seen.params), metrics: sorted(seen.metrics), tags: sorted(seen.tags) };
}

export function defaultColumns(keys: KeysSeen): KeyColumn[] {
  return [
    ...keys.params.slice(0, DEFAULT_KEYS).map(key => ({ kind: 'params' as const, key })),
    ...keys.metrics.slice(0, DEFAULT_KEYS).map(key => ({ kind: 'metrics' as const, key })),
    ...keys.tags.filter(k => !k.startsWith('mlflow.')).slice(0, DEFAULT_TAGS).map(key => ({ kind: 'tags' as const, key })),
  ];
}

/** What a run shows in a key column: the param, the latest metric value or the tag. */
export function keyValue(run: Run, c: KeyColumn): string | undefined {
  if (c.kind === 'params') return run.data.params?.find(p => p.key === c.key)?.value;
  if (c.kind === 'tags') return tag(run, c.key);
  const metric = run.data.metrics?.find(m => m.key === c.key);
  return metric && number(metric.value);
}

/** A server-side sort: an MLflow order_by term without its direction, e.g. "metrics.`loss`". */
export interface Order { by: string; descending: boolean }

export const DEFAULT_ORDER: Order = { by: 'attributes.start_time', descending: true };

export const orderByOf = (c: KeyColumn) => `${c.kind}.\`${c.key}\``;
export const formatOrder = (o: Order) => `${o.by} ${o.descending ? 'DESC' : 'ASC'}`;

export function parseOrder(text: string | null): Order {
  const match = /^(.+?)\s+(ASC|DESC)$/i.exec(text?.trim() ?? '');
  if (match) return { by: match[1], descending: match[2].toUpperCase() === 'DESC' };
  return text?.trim() ? { by: text.trim(), descending: false } : DEFAULT_ORDER;
}

/** The run columns before the key columns; `orderBy` when the server can sort on it. */
export interface RunColumn { id: string; label: string; orderBy?: string }

export const RUN_COLUMNS: RunColumn[] = [
  { id: 'name', label: 'Run name', orderBy: 'attributes.run_name' },
  { id: 'status', label: 'Status', orderBy: 'attributes.status' },
  { id: 'start', label: 'Started', orderBy: 'attributes.start_time' },
  { id: 'duration', label: 'Duration' },
  { id: 'user', label: 'User', orderBy: 'tags.`mlflow.user`' },
  { id: 'source', label: 'Source', orderBy: 'tags.`mlflow.source.name`' },
  { id: 'experiment', label: 'Experiment' },
];

/** Where a run came from, shortened to the file name (the whole path stays in the title). */
export function sourceOf(run: Run): { short: string; full: string } {
  const full = tag(run, 'mlflow.source.name') ?? '';
  return { short: full.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? full, full };
}

export const userOf = (run: Run) => tag(run, 'mlflow.user') ?? run.info.user_id ?? '';
