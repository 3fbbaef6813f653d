import type { Conversation, ConversationPage } from '@kefu/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type ConversationFilter, compareConversations, newer, type Viewer } from '../lib/conversation-filters';
import { useFrames, useOnReady } from './realtime';
import { useSignedIn } from './session';

const PAGE_SIZE = 50;

export interface ConversationListState {
  items: Conversation[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

/**
 * One filtered page of the inbox, kept current by `conversation.created` / `conversation.updated`
 * frames: a conversation that stops matching the filter leaves the list, one that starts matching
 * joins it. Refetches on every (re)connect, and replays frames that arrived while a fetch was in
 * flight so an older response never hides a newer change.
 */
export function useConversationList(filter: ConversationFilter, viewer: Omit<Viewer, 'now'>) {
  const { api } = useSignedIn();
  const [state, setState] = useState<ConversationListState>({ items: [], nextCursor: null, loading: true, loadingMore: false, error: null });
  const inFlight = useRef<{ seq: number; frames: Conversation[] } | null>(null);
  const seq = useRef(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const viewerRef = useRef(viewer);
  viewerRef.current = viewer;

  const place = useCallback((items: Conversation[], c: Conversation) => {
    const i = items.findIndex((x) => x.id === c.id);
    const candidate = newer(c, i >= 0 ? items[i] : undefined);
    if (i >= 0 && candidate !== c) return items;
    const rest = i >= 0 ? items.filter((_, j) => j !== i) : items;
    if (!filterRef.current.matches(candidate, { ...viewerRef.current, now: Date.now() })) return rest;
    return [...rest, candidate].sort(compareConversations);
  }, []);

  const load = useCallback(async () => {
    const mySeq = ++seq.current;
    inFlight.current = { seq: mySeq, frames: [] };
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await api.get<ConversationPage>('/v1/conversations', { ...filter.query, limit: PAGE_SIZE });
      if (mySeq !== seq.current) return;
      const replay = inFlight.current?.frames ?? [];
      inFlight.current = null;
      setState({
        items: replay.reduce(place, page.items.slice().sort(compareConversations)),
        nextCursor: page.nextCursor,
        loading: false,
        loadingMore: false,
        error: null,
      });
    } catch (error) {
      if (mySeq !== seq.current) return;
      inFlight.current = null;
      setState((s) => ({ ...s, loading: false, error }));
    }
  }, [api, filter, place]);

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) return;
    const mySeq = seq.current;
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const page = await api.get<ConversationPage>('/v1/conversations', { ...filter.query, limit: PAGE_SIZE, cursor });
      if (mySeq !== seq.current) return;
      setState((s) => ({ ...s, items: page.items.reduce(place, s.items), nextCursor: page.nextCursor, loadingMore: false }));
    } catch (error) {
      if (mySeq !== seq.current) return;
      setState((s) => ({ ...s, loadingMore: false, error }));
    }
  }, [api, filter, place, state.nextCursor, state.loadingMore]);

  useEffect(() => {
    setState({ items: [], nextCursor: null, loading: true, loadingMore: false, error: null });
    void load();
  }, [load]);

  useOnReady(() => void load());

  useFrames((f) => {
    if (f.type === 'conversation.removed') {
      // Moved to a team this member is not in: it leaves the list (and the server says nothing more of it).
      setState((s) => ({ ...s, items: s.items.filter((c) => c.id !== f.conversationId) }));
      return;
    }
    if (f.type !== 'conversation.created' && f.type !== 'conversation.updated') return;
    inFlight.current?.frames.push(f.conversation);
    setState((s) => ({ ...s, items: place(s.items, f.conversation) }));
  });

  return { ...state, reload: load, loadMore };
}
