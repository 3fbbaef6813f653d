import type { FaqEntry } from '@kefu/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { type FaqListQuery, knowledgeApi } from '../api/knowledge';
import { useSignedIn } from './session';

const PAGE_SIZE = 30;

export interface FaqListState {
  items: FaqEntry[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

/** One filtered list of FAQ entries, most recently changed first, with "load more" paging. */
export function useFaqList(query: FaqListQuery) {
  const { api } = useSignedIn();
  const [state, setState] = useState<FaqListState>({ items: [], nextCursor: null, loading: true, loadingMore: false, error: null });
  const seq = useRef(0);
  const key = JSON.stringify(query);
  const queryRef = useRef(query);
  queryRef.current = query;

  const load = useCallback(async () => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await knowledgeApi.listFaqs(api, { ...queryRef.current, limit: PAGE_SIZE });
      if (mine !== seq.current) return;
      setState({ items: page.items, nextCursor: page.nextCursor, loading: false, loadingMore: false, error: null });
    } catch (error) {
      if (mine !== seq.current) return;
      setState((s) => ({ ...s, loading: false, error }));
    }
  }, [api]);

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) return;
    const mine = seq.current;
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      const page = await knowledgeApi.listFaqs(api, { ...queryRef.current, limit: PAGE_SIZE, cursor });
      if (mine !== seq.current) return;
      setState((s) => {
        const seen = new Set(s.items.map((e) => e.id));
        return { ...s, items: [...s.items, ...page.items.filter((e) => !seen.has(e.id))], nextCursor: page.nextCursor, loadingMore: false };
      });
    } catch (error) {
      if (mine !== seq.current) return;
      setState((s) => ({ ...s, loadingMore: false, error }));
    }
  }, [api, state.nextCursor, state.loadingMore]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the query's content
  useEffect(() => {
    // The old items stay (dimmed) while the new filter loads, so typing in the search box does not flash.
    void load();
    return () => {
      seq.current++;
    };
  }, [key, load]);

  return { ...state, reload: load, loadMore };
}
