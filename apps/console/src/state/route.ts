import { useCallback, useSyncExternalStore } from 'react';
import { type FilterId, filterById } from '../lib/conversation-filters';

/** `/app/` or `/app/c/<conversation id>`, with `?filter=<id>`; the server sends index.html for all. */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export interface Route {
  conversationId: string | null;
  filter: FilterId;
}

function parse(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  const m = /^\/c\/([^/]+)/.exec(path);
  const filter = filterById(new URLSearchParams(location.search).get('filter')).id;
  return { conversationId: m ? decodeURIComponent(m[1]!) : null, filter };
}

let current = parse();
const listeners = new Set<() => void>();

function notify() {
  const next = parse();
  if (next.conversationId === current.conversationId && next.filter === current.filter) return;
  current = next;
  for (const fn of listeners) fn();
}

function subscribe(fn: () => void) {
  listeners.add(fn);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

export function hrefFor(route: Route) {
  const path = route.conversationId ? `${BASE}/c/${encodeURIComponent(route.conversationId)}` : `${BASE}/`;
  return route.filter === 'all' ? path : `${path}?filter=${route.filter}`;
}

export function useRoute(): [Route, (next: Partial<Route>, opts?: { replace?: boolean }) => void] {
  const route = useSyncExternalStore(subscribe, () => current);
  const navigate = useCallback((next: Partial<Route>, opts?: { replace?: boolean }) => {
    const href = hrefFor({ ...current, ...next });
    if (href === location.pathname + location.search) return;
    if (opts?.replace) history.replaceState(null, '', href);
    else history.pushState(null, '', href);
    notify();
  }, []);
  return [route, navigate];
}
