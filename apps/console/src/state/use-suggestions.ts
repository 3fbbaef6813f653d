import type { ReplySuggestions } from '@kefu/protocol';
import { useCallback, useEffect, useState } from 'react';
import { conversationsApi } from '../api/conversations';
import { useSignedIn } from './session';

export interface SuggestionsState {
  data: ReplySuggestions | null;
  loading: boolean;
  error: unknown;
  /** Whether they are fetched at all (automatically, or since the agent asked). */
  active: boolean;
  /** Fetches now; also turns on fetching for later customer messages. */
  refresh(): void;
}

/**
 * Reply suggestions for the open conversation, fetched when it opens and again whenever a new
 * customer message arrives (`customerMessageId` changes). `auto` is off while the bot answers, so
 * watching a bot conversation does not ask the language model for drafts nobody needs; the agent's
 * request turns it on. The last suggestions stay on screen while newer ones load; a slower, older
 * answer never replaces a newer one.
 */
export function useSuggestions(conversationId: string, customerMessageId: string | null, auto: boolean): SuggestionsState {
  const { api } = useSignedIn();
  const [requested, setRequested] = useState(false);
  const [data, setData] = useState<ReplySuggestions | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const active = auto || requested;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new customer message or an explicit refresh (tick) fetches again
  useEffect(() => {
    if (!active) {
      setLoading(false);
      return;
    }
    const c = new AbortController();
    setLoading(true);
    setError(null);
    conversationsApi.suggestions(api, conversationId, c.signal).then(
      (r) => {
        if (c.signal.aborted) return;
        setData(r);
        setLoading(false);
      },
      (err: unknown) => {
        if (c.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => c.abort();
  }, [api, conversationId, customerMessageId, active, tick]);

  const refresh = useCallback(() => {
    setRequested(true);
    setTick((n) => n + 1);
  }, []);

  return { data, loading, error, active, refresh };
}
