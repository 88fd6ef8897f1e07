// The runs table itself: one row per run on screen (children indented under their expanded parent), the run
// columns, then the chosen param, metric and tag columns; clicking a sortable header asks for a server-side sort.
import { Status } from '../../components';
import { duration, time } from '../../format';
import { href } from '../../router';
import {
  columnId, KEY_KINDS, type KeyColumn, type KeyKind, keyValue, type Order, orderByOf, RUN_COLUMNS, type RunColumn,
  sourceOf, userOf,
} from './runs-columns';
import type { RunRow } from './runs-tree';

const GROUP_LABELS: Record<KeyKind, string> = { params: 'Params', metrics: 'Metrics (latest)', tags: 'Tags' };

interface Props {
  rows: RunRow[];
  columns: KeyColumn[];
  /** Experiment names by id; the experiment column shows when there is more than one experiment. */
  experiments?: Map<string, string>;
  order: Order;
  onSort: (by: string, firstDescending: boolean) => void;
  selected: ReadonlySet<string>;
  onSelect: (runIds: string[], on: boolean) => void;
  expanded: ReadonlySet<string>;
  onToggle: (runId: string) => void;
}

export function RunsTable({ rows, columns, experiments, order, onSort, selected, onSelect, expanded, onToggle }: Props) {
  const runColumns = RUN_COLUMNS.filter(c => c.id !== 'experiment' || experiments);
  const groups = KEY_KINDS.map(kind => ({ kind, count: columns.filter(c => c.kind === kind).length })).filter(g => g.count);
  const nested = rows.some(r => r.children > 0 || r.depth > 0);
  const allSelected = rows.length > 0 && rows.every(r => selected.has(r.run.info.run_id));

  const sortable = (label: string, by: string | undefined, firstDescending: boolean, extra?: { title?: string; class?: string }) => {
    const active = by !== undefined && order.by === by;
    return (
      <th key={label + by} class={extra?.class} title={extra?.title}
        aria-sort={active ? (order.descending ? 'descending' : 'ascending') : undefined}>
        {by === undefined ? label : (
          <button type="button" class="link sort" onClick={() => onSort(by, firstDescending)}
            title={`Sort by ${label}${active ? (order.descending ? ', ascending' : ', descending') : ''}`}>
            {label}<span class="arrow">{active ? (order.descending ? ' ▼' : ' ▲') : ''}</span>
          </button>
        )}
      </th>
    );
  };
  const headerOf = (c: RunColumn) => sortable(c.label, c.orderBy, c.id === 'start');

  return (
    <table class="grid runs">
      <thead>
        <tr class="groups">
          <th colSpan={runColumns.length + 1} />
          {groups.map(g => <th key={g.kind} colSpan={g.count} class={`group group-${g.kind}`}>{GROUP_LABELS[g.kind]}</th>)}
        </tr>
        <tr class="columns">
          <th class="select">
            <input type="checkbox" aria-label="Select all runs shown" checked={allSelected}
              onChange={e => onSelect(rows.map(r => r.run.info.run_id), e.currentTarget.checked)} />
          </th>
          {runColumns.map(headerOf)}
          {columns.map(c => sortable(c.key, orderByOf(c), c.kind === 'metrics', { title: columnId(c), class: `key key-${c.kind}` }))}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ run, depth, children }) => {
          const id = run.info.run_id;
          const source = sourceOf(run);
          const open = expanded.has(id);
          return (
            <tr key={id} data-run-id={id} class={`${depth ? 'child' : ''}${run.info.lifecycle_stage === 'deleted' ? ' deleted' : ''}`}>
              <td class="select">
                <input type="checkbox" aria-label={`Select ${run.info.run_name || id}`} checked={selected.has(id)}
                  onChange={e => onSelect([id], e.currentTarget.checked)} />
              </td>
              <td class="name" style={depth ? { paddingLeft: `${8 + depth * 22}px` } : undefined}>
                {children > 0 ? (
                  <button type="button" class="link toggle" aria-expanded={open} onClick={() => onToggle(id)}
                    title={`${open ? 'Hide' : 'Show'} ${children} child run${children === 1 ? '' : 's'}`}>
                    {open ? '▾' : '▸'}<span class="child-count">{children}</span>
                  </button>
                ) : nested && <span class="toggle-space" />}
                <a href={href(['runs', id])}>{run.info.run_name || id}</a>
                {run.info.lifecycle_stage === 'deleted' && <span class="deleted-mark">deleted</span>}
              </td>
              <td><Status status={run.info.status} /></td>
              <td>{time(run.info.start_time)}</td>
              <td>{duration(run.info.start_time, run.info.end_time)}</td>
              <td>{userOf(run)}</td>
              <td class="source" title={source.full}>{source.short}</td>
              {experiments && (
                <td><a href={href(['experiments', run.info.experiment_id])}>{experiments.get(run.info.experiment_id) ?? run.info.experiment_id}</a></td>
              )}
              {columns.map(c => {
                const value = keyValue(run, c);
                return <td key={columnId(c)} data-col={columnId(c)} class={`key key-${c.kind}`} title={value}>{value}</td>;
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
