// The runs table's data: runs/search of the experiments, 100 runs a page, with the table's filter, sort and
// lifecycle view. A new search replaces the table only when it succeeds; an answer overtaken by a newer ask, or
// coming after the view is gone, is dropped.
import { useEffect, useRef, useState } from 'preact/hooks';
import { mlflow } from '../../api';
import type { Run } from '../../mlflow';
import { DEFAULT_ORDER, formatOrder, type Order, parseOrder } from './runs-columns';

export const PAGE_SIZE = 100;

export type LifecycleView = 'active' | 'deleted' | 'all';
const RUN_VIEW_TYPES: Record<LifecycleView, string> = { active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' };

/** What the server is asked: the part of the table's state kept in the URL that needs a new search. */
export interface RunQuery { filter: string; order: Order; view: LifecycleView }

export function runQueryOf(params: URLSearchParams): RunQuery {
  const view = params.get('view');
  return {
    filter: params.get('filter') ?? '',
    order: parseOrder(params.get('order')),
    view: view === 'deleted' || view === 'all' ? view : 'active',
  };
}

/** The URL query of a RunQuery, leaving out what is the default. */
export function runQueryParams(q: RunQuery): Record<string, string | undefined> {
  const order = formatOrder(q.order);
  return {
    filter: q.filter.trim() || undefined,
    order: order === formatOrder(DEFAULT_ORDER) ? undefined : order,
    view: q.view === 'active' ? undefined : q.view,
  };
}

export const runQueryKey = (q: RunQuery) => JSON.stringify([q.filter.trim(), formatOrder(q.order), q.view]);

interface Loaded { runs: Run[]; next?: string; query: RunQuery }
interface SearchAnswer { runs?: Run[]; next_page_token?: string }

export function useRunSearch(experimentIds: string[]) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(0);
  /** The key of the query the table shows, and of the one being asked; set at once, unlike state. */
  const shown = useRef<string | null>(null);
  const asked = useRef<string | null>(null);
  // Leaving the view drops any answer still to come (so it neither sets state nor rewrites the next page's URL).
  useEffect(() => () => { latest.current++; }, []);

  async function ask(query: RunQuery, pageToken: string | undefined, apply: (answer: SearchAnswer) => void) {
    const ticket = ++latest.current;
    setBusy(true);
    try {
      const answer = await mlflow.post<SearchAnswer>('runs/search', {
        experiment_ids: experimentIds,
        filter: query.filter.trim() || undefined,
        order_by: [formatOrder(query.order)],
        run_view_type: RUN_VIEW_TYPES[query.view],
        max_results: PAGE_SIZE,
        page_token: pageToken,
      });
      if (ticket !== latest.current) return false;
      apply(answer);
      setError(null);
      return true;
    } catch (e) {
      if (ticket === latest.current) setError(e);
      return false;
    } finally {
      if (ticket === latest.current) {
        setBusy(false);
        asked.current = null;
      }
    }
  }

  /** Loads the first page of `query` into the table; true when it did (false on an error, kept in `error`). */
  function search(query: RunQuery): Promise<boolean> {
    const key = runQueryKey(query);
    asked.current = key;
    return ask(query, undefined, answer => {
      shown.current = key;
      setLoaded({ runs: answer.runs ?? [], next: answer.next_page_token || undefined, query });
    });
  }

  /** Searches unless the table shows, or is about to show, this query already. */
  function ensure(query: RunQuery) {
    const key = runQueryKey(query);
    if (key !== shown.current && key !== asked.current) search(query);
  }

  /** Appends the next page (runs already there are not repeated). */
  function loadMore() {
    if (!loaded?.next) return;
    const { query, next } = loaded;
    ask(query, next, answer => setLoaded(before => {
      if (!before) return before;
      const have = new Set(before.runs.map(r => r.info.run_id));
      const runs = before.runs.concat((answer.runs ?? []).filter(r => !have.has(r.info.run_id)));
      return { runs, next: answer.next_page_token || undefined, query };
    }));
  }

  return { loaded, busy, error, search, ensure, loadMore };
}
