import { useCallback, useSyncExternalStore } from 'react';

const MAX_ENTRIES = 500;

interface SeenState {
  /** Activity before this moment counts as seen: a new console starts with a clean inbox. */
  baseline: string;
  seen: Record<string, string>;
}

/**
 * Per member and browser: the last activity time seen in each conversation. A conversation whose
 * lastMessageAt is later is shown as having new activity.
 */
class SeenStore {
  private state: SeenState;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly key: string) {
    this.state = this.read();
  }

  isUnread(conversationId: string, lastMessageAt: string | null) {
    if (!lastMessageAt) return false;
    const seen = this.state.seen[conversationId];
    return lastMessageAt > (seen && seen > this.state.baseline ? seen : this.state.baseline);
  }

  markSeen(conversationId: string, lastMessageAt: string | null) {
    if (!lastMessageAt || !this.isUnread(conversationId, lastMessageAt)) return;
    const entries = Object.entries({ ...this.state.seen, [conversationId]: lastMessageAt })
      .sort((a, b) => (a[1] < b[1] ? 1 : -1))
      .slice(0, MAX_ENTRIES);
    this.state = { ...this.state, seen: Object.fromEntries(entries) };
    this.write();
    for (const fn of this.listeners) fn();
  }

  readonly subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  };

  readonly getSnapshot = () => this.state;

  private read(): SeenState {
    try {
      const raw = localStorage.getItem(this.key);
      if (raw) {
        const s = JSON.parse(raw) as SeenState;
        if (typeof s.baseline === 'string' && s.seen && typeof s.seen === 'object') return s;
      }
    } catch {
      // Unreadable: start fresh below.
    }
    const fresh = { baseline: new Date().toISOString(), seen: {} };
    this.state = fresh;
    this.write();
    return fresh;
  }

  private write() {
    try {
      localStorage.setItem(this.key, JSON.stringify(this.state));
    } catch {
      // Storage full or blocked: unread marks last for this page.
    }
  }
}

const stores = new Map<string, SeenStore>();

function storeFor(memberId: string) {
  let s = stores.get(memberId);
  if (!s) stores.set(memberId, (s = new SeenStore(`kefu.console.seen.${memberId}`)));
  return s;
}

export function useSeen(memberId: string) {
  const store = storeFor(memberId);
  useSyncExternalStore(store.subscribe, store.getSnapshot);
  const isUnread = useCallback((id: string, at: string | null) => store.isUnread(id, at), [store]);
  const markSeen = useCallback((id: string, at: string | null) => store.markSeen(id, at), [store]);
  return { isUnread, markSeen };
}
