// #/experiments: the experiments, 100 a page from experiments/search, filtered by name as one types (case-insensitive),
// active or deleted, sortable by name or date. Each links to its runs table; checked ones open together in one table.
// Users who may edit create, rename, delete and restore experiments here.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { mlflow } from '../../api';
import { ErrorBox, Loading } from '../../components';
import type { Experiment } from '../../mlflow';
import { href } from '../../router';
import { ExperimentRow } from './experiments-row';
import './experiments.css';

const PAGE_SIZE = 100;
/** How long typing in the name filter pauses before the list is asked again. */
const FILTER_DELAY_MS = 250;

type LifecycleView = 'active' | 'deleted';
const VIEW_TYPES: Record<LifecycleView, string> = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY' };

interface Sort { by: 'name' | 'creation_time' | 'last_update_time'; descending: boolean }
interface Page { experiments: Experiment[]; next?: string }
interface Notice { text: ComponentChildren; undo?: () => void }

/** MLflow's filter for names containing `text`, any case. */
export function nameFilter(text: string): string | undefined {
  const t = text.trim();
  return t ? `name ILIKE '%${t.replace(/'/g, "''")}%'` : undefined;
}

export function ExperimentsView({ canEdit }: { canEdit: boolean }) {
  const [text, setText] = useState('');
  const [filter, setFilter] = useState('');
  const [view, setView] = useState<LifecycleView>('active');
  const [sort, setSort] = useState<Sort>({ by: 'creation_time', descending: true });
  const [page, setPage] = useState<Page | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const [newName, setNewName] = useState('');
  const latest = useRef(0);

  useEffect(() => {
    const timer = setTimeout(() => setFilter(text), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  /** Loads the first page, or appends the page of `pageToken`; an answer overtaken by a newer ask is dropped. */
  async function load(pageToken?: string) {
    const ticket = ++latest.current;
    setBusy(true);
    try {
      const answer = await mlflow.post<{ experiments?: Experiment[]; next_page_token?: string }>('experiments/search', {
        filter: nameFilter(filter), view_type: VIEW_TYPES[view], max_results: PAGE_SIZE,
        order_by: [`${sort.by} ${sort.descending ? 'DESC' : 'ASC'}`], page_token: pageToken,
      });
      if (ticket !== latest.current) return;
      setPage(before => ({
        experiments: (pageToken && before ? before.experiments : []).concat(answer.experiments ?? []),
        next: answer.next_page_token || undefined,
      }));
      setError(null);
    } catch (e) {
      if (ticket === latest.current) setError(e);
    } finally {
      if (ticket === latest.current) setBusy(false);
    }
  }

  useEffect(() => { load(); }, [filter, view, sort.by, sort.descending]);

  /** Runs an edit; true when the server took it (else its error shows). */
  async function edit(endpoint: string, body: object, notice?: Notice): Promise<boolean> {
    try {
      await mlflow.post(endpoint, body);
      setError(null);
      setNotice(notice ?? null);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }

  const without = (id: string) => setPage(p => p && { ...p, experiments: p.experiments.filter(x => x.experiment_id !== id) });

  async function create(e: Event) {
    e.preventDefault();
    const name = newName.trim();
    try {
      const { experiment_id: id } = await mlflow.post<{ experiment_id: string }>('experiments/create', { name });
      setNewName('');
      setError(null);
      setNotice({ text: <>Created experiment <a href={href(['experiments', id])}>{name}</a>.</> });
      load();
    } catch (err) {
      setError(err);
    }
  }

  async function rename(x: Experiment, name: string) {
    const done = await edit('experiments/update', { experiment_id: x.experiment_id, new_name: name });
    if (done) setPage(p => p && { ...p, experiments: p.experiments.map(y => (y.experiment_id === x.experiment_id ? { ...y, name } : y)) });
    return done;
  }

  async function remove(x: Experiment) {
    const undo = async () => {
      if (await edit('experiments/restore', { experiment_id: x.experiment_id })) load();
    };
    if (await edit('experiments/delete', { experiment_id: x.experiment_id }, { text: <>Deleted experiment “{x.name}”.</>, undo })) without(x.experiment_id);
  }

  async function restore(x: Experiment) {
    if (await edit('experiments/restore', { experiment_id: x.experiment_id }, { text: <>Restored experiment “{x.name}”.</> })) without(x.experiment_id);
  }

  function select(ids: string[], on: boolean) {
    const next = new Set(selected);
    ids.forEach(id => (on ? next.add(id) : next.delete(id)));
    setSelected(next);
  }

  const sortHeader = (label: string, by: Sort['by']) => {
    const active = sort.by === by;
    return (
      <th aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : undefined}>
        <button type="button" class="link sort" onClick={() => setSort({ by, descending: active ? !sort.descending : by !== 'name' })}>
          {label}<span class="arrow">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };

  const experiments = page?.experiments ?? [];
  const selectedIds = [...selected];
  const allSelected = experiments.length > 0 && experiments.every(x => selected.has(x.experiment_id));

  return (
    <div class="experiments-view">
      <h1>Experiments</h1>
      <div class="experiments-toolbar">
        <input type="search" value={text} placeholder="Filter by name" aria-label="Filter experiments by name"
          onInput={e => setText(e.currentTarget.value)} />
        <div class="tabs" role="tablist" aria-label="Experiments to show">
          <button type="button" role="tab" aria-selected={view === 'active'} onClick={() => setView('active')}>Active</button>
          <button type="button" role="tab" aria-selected={view === 'deleted'} onClick={() => setView('deleted')}>Deleted</button>
        </div>
        {selectedIds.length > 0 && (
          <a class="button primary" href={'#/experiments/' + selectedIds.map(encodeURIComponent).join(',')}>
            Open runs of {selectedIds.length} experiment{selectedIds.length === 1 ? '' : 's'}
          </a>
        )}
        {selectedIds.length > 0 && <button type="button" onClick={() => setSelected(new Set())}>Clear selection</button>}
        <span class="spacer" />
        {canEdit && (
          <form class="create" onSubmit={create}>
            <input value={newName} placeholder="New experiment name" aria-label="New experiment name" required
              onInput={e => setNewName(e.currentTarget.value)} />
            <button type="submit" class="primary">Create</button>
          </form>
        )}
      </div>
      {notice && (
        <div class="notice" role="status">
          {notice.text}
          {notice.undo && <button type="button" class="link undo" onClick={notice.undo}>Undo</button>}
        </div>
      )}
      <ErrorBox error={error} />
      {!page ? (error ? null : <Loading />) : (
        <div class="experiments-scroll">
          <table class="grid experiments">
            <thead>
              <tr>
                <th class="select">
                  <input type="checkbox" aria-label="Select all experiments shown" checked={allSelected}
                    onChange={e => select(experiments.map(x => x.experiment_id), e.currentTarget.checked)} />
                </th>
                {sortHeader('Name', 'name')}
                <th>ID</th>
                {sortHeader('Created', 'creation_time')}
                {sortHeader('Last updated', 'last_update_time')}
                {canEdit && <th />}
              </tr>
            </thead>
            <tbody>
              {experiments.map(x => (
                <ExperimentRow key={x.experiment_id} experiment={x} canEdit={canEdit} selected={selected.has(x.experiment_id)}
                  onSelect={on => select([x.experiment_id], on)} onRename={name => rename(x, name)}
                  onDelete={() => remove(x)} onRestore={() => restore(x)} />
              ))}
            </tbody>
          </table>
          {!experiments.length && (
            <p class="muted empty">No {view === 'deleted' ? 'deleted ' : ''}experiments{filter.trim() ? ` with “${filter.trim()}” in their name` : ''}.</p>
          )}
        </div>
      )}
      <div class="experiments-footer">
        {page && <span class="muted experiment-count">{experiments.length} experiment{experiments.length === 1 ? '' : 's'} shown{page.next ? ', more match' : ''}</span>}
        {page?.next && <button type="button" onClick={() => load(page.next)} disabled={busy}>Load {PAGE_SIZE} more</button>}
      </div>
    </div>
  );
}
