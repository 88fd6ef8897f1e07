// Hash routes (#/runs/abc), so the gateway serves one page and a reload lands where the user was.
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  /** Path segments after '#/': '#/runs/abc' is ['runs', 'abc']. */
  parts: string[];
  query: URLSearchParams;
}

export function current(): Location {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?', 2);
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const changed = () => setLocation(current());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return location;
}

/** '#/' + the encoded parts, with a query when given. */
export function href(parts: (string | number)[], query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  // Commas stay readable: #/experiments/1,2 lists two experiments.
  return '#/' + parts.map(p => encodeURIComponent(String(p)).replace(/%2C/gi, ',')).join('/') + (s ? `?${s}` : '');
}

export function go(parts: (string | number)[], query?: Record<string, string | undefined>, replace = false) {
  const target = href(parts, query);
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
