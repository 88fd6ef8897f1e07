// #/experiments/<id>[,<id>...]?filter=&order=&view=&cols=: the runs table of one or several experiments. The
// filter, sort, lifecycle view and chosen columns live in the URL (replaced, not pushed), so a reload or a shared
// link shows the same table. Runs come 100 a page from one runs/search each; nothing is asked per run.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { ErrorBox, Loading } from '../../components';
import type { Experiment } from '../../mlflow';
import { go, href } from '../../router';
import { ColumnChooser } from './runs-column-chooser';
import { columnId, defaultColumns, formatOrder, KEY_KINDS, keysSeen } from './runs-columns';
import { type LifecycleView, PAGE_SIZE, type RunQuery, runQueryKey, runQueryOf, runQueryParams, useRunSearch } from './runs-search';
import { RunsTable } from './runs-table';
import { runRows } from './runs-tree';
import './runs.css';

/** The `cols` value when every param, metric and tag column is unchecked (an empty value would mean the defaults). */
const NO_COLUMNS = 'none';

export function RunsView({ experimentIds, query }: { experimentIds: string[]; query: URLSearchParams }) {
  const wanted = runQueryOf(query);
  const wantedKey = runQueryKey(wanted);
  const chosenColumns = query.get('cols');
  const search = useRunSearch(experimentIds);
  const names = useExperimentNames(experimentIds);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => search.ensure(wanted), [wantedKey]);

  const runs = search.loaded?.runs;
  const shownQuery = search.loaded?.query ?? wanted;
  const keys = useMemo(() => keysSeen(runs ?? []), [runs]);
  const columns = useMemo(() => {
    if (chosenColumns === null) return defaultColumns(keys);
    const chosen = new Set(chosenColumns.split(','));
    return KEY_KINDS.flatMap(kind => keys[kind].map(key => ({ kind, key })).filter(c => chosen.has(columnId(c))));
  }, [keys, chosenColumns]);
  const rows = useMemo(() => runRows(runs ?? [], expanded), [runs, expanded]);
  const selectedIds = (runs ?? []).filter(r => selected.has(r.info.run_id)).map(r => r.info.run_id);

  /** Puts the table's state in the URL without a new history entry. */
  function remember(q: RunQuery, cols = chosenColumns ?? undefined) {
    go(['experiments', experimentIds.join(',')], { ...runQueryParams(q), cols }, true);
  }

  async function change(q: RunQuery) {
    if (await search.search(q)) remember(q);
  }

  function sortBy(by: string, firstDescending: boolean) {
    const descending = shownQuery.order.by === by ? !shownQuery.order.descending : firstDescending;
    change({ ...shownQuery, order: { by, descending } });
  }

  function select(ids: string[], on: boolean) {
    const next = new Set(selected);
    ids.forEach(id => (on ? next.add(id) : next.delete(id)));
    setSelected(next);
  }

  function toggle(id: string) {
    const next = new Set(expanded);
    if (!next.delete(id)) next.add(id);
    setExpanded(next);
  }

  const title = experimentIds.length === 1
    ? names.get(experimentIds[0]) ?? `Experiment ${experimentIds[0]}`
    : `${experimentIds.length} experiments`;

  return (
    <div class="runs-view">
      <div class="crumbs"><a href={href(['experiments'])}>Experiments</a> /</div>
      <h1>
        {title}
        {experimentIds.length === 1 && <span class="muted experiment-id"> #{experimentIds[0]}</span>}
      </h1>
      {experimentIds.length > 1 && (
        <p class="experiment-names">{experimentIds.map(id => (
          <a key={id} href={href(['experiments', id])}>{names.get(id) ?? id}</a>
        ))}</p>
      )}
      <FilterBar filter={shownQuery.filter} busy={search.busy} onSubmit={filter => change({ ...shownQuery, filter })} />
      <div class="runs-toolbar">
        <label>
          Show{' '}
          <select value={shownQuery.view} aria-label="Runs to show"
            onChange={e => change({ ...shownQuery, view: e.currentTarget.value as LifecycleView })}>
            <option value="active">Active runs</option>
            <option value="deleted">Deleted runs</option>
            <option value="all">Active and deleted runs</option>
          </select>
        </label>
        <ColumnChooser keys={keys} visible={columns}
          onChange={ids => remember(shownQuery, ids && (ids.length ? ids.join(',') : NO_COLUMNS))} />
        <button type="button" class="primary" disabled={selectedIds.length < 2}
          title={selectedIds.length < 2 ? 'Select at least two runs' : undefined}
          onClick={() => go(['compare'], { runs: selectedIds.join(',') })}>Compare ({selectedIds.length})</button>
        {selectedIds.length > 0 && <button type="button" onClick={() => setSelected(new Set())}>Clear selection</button>}
        <span class="spacer" />
        {runs && (
          <span class="run-count" aria-live="polite">
            {runs.length} run{runs.length === 1 ? '' : 's'}
            {rows.length < runs.length && `, ${runs.length - rows.length} of them in collapsed groups`}
            {search.loaded?.next && '; more match'}
          </span>
        )}
        <button type="button" onClick={() => search.search(shownQuery)} disabled={search.busy}>Refresh</button>
      </div>
      <ErrorBox error={search.error} />
      {!runs ? (search.error ? null : <Loading />) : (
        <div class="runs-scroll">
          <RunsTable rows={rows} columns={columns} experiments={experimentIds.length > 1 ? names : undefined}
            order={shownQuery.order} onSort={sortBy} selected={selected} onSelect={select}
            expanded={expanded} onToggle={toggle} />
          {!runs.length && <p class="muted empty">No runs{shownQuery.filter ? ' match this filter' : ''}.</p>}
        </div>
      )}
      {search.loaded?.next && (
        <div class="load-more">
          <button type="button" onClick={search.loadMore} disabled={search.busy}>Load {PAGE_SIZE} more</button>
        </div>
      )}
      <p class="muted sort-note">Sorted by <code>{formatOrder(shownQuery.order)}</code> on the server.</p>
    </div>
  );
}

/**
 * The filter box: MLflow's search language, sent on Enter or with the button, so typing only re-renders this box.
 * It follows the filter the table shows, and keeps what was typed when the server refuses it.
 */
function FilterBar({ filter, busy, onSubmit }: { filter: string; busy: boolean; onSubmit: (filter: string) => void }) {
  const [draft, setDraft] = useState(filter);
  useEffect(() => setDraft(filter), [filter]);
  return (
    <form class="filter-bar" role="search" onSubmit={e => { e.preventDefault(); onSubmit(draft); }}>
      <input type="search" class="mono" value={draft} aria-label="Filter runs" spellcheck={false}
        placeholder="Filter, e.g. metrics.accuracy > 0.9 and params.optimizer = 'adam' and tags.team = 'nlp'"
        onInput={e => setDraft(e.currentTarget.value)} />
      <button type="submit" class="primary" disabled={busy}>Search</button>
      {filter && <button type="button" onClick={() => onSubmit('')}>Clear</button>}
    </form>
  );
}

/** The names of the experiments, by id (one experiments/get each: a handful, never per run). */
function useExperimentNames(experimentIds: string[]): Map<string, string> {
  const [names, setNames] = useState(new Map<string, string>());
  useEffect(() => {
    Promise.allSettled(experimentIds.map(id => mlflow.get<{ experiment: Experiment }>('experiments/get', { experiment_id: id })))
      .then(answers => setNames(new Map(answers.flatMap(a => (a.status === 'fulfilled' ? [[a.value.experiment.experiment_id, a.value.experiment.name]] : [])))));
  }, [experimentIds.join(',')]);
  return names;
}
