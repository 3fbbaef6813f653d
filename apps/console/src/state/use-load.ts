import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** Fetches again; the current data stays on screen until the answer arrives. */
  reload(): Promise<void>;
  /** Replaces the data with what a write answered, without a fetch. */
  setData(next: T | ((prev: T | null) => T | null)): void;
}

/**
 * One resource fetched when `deps` change. A newer fetch wins over an older one still in flight, and
 * an unmounted or superseded fetch is aborted, so a slow answer never overwrites a fresh one.
 */
export function useLoad<T>(fetcher: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const ctrl = useRef<AbortController | null>(null);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  const run = useCallback(async () => {
    const mine = ++seq.current;
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    setLoading(true);
    try {
      const result = await fetcherRef.current(c.signal);
      if (mine !== seq.current) return;
      setData(result);
      setError(null);
    } catch (err) {
      if (mine !== seq.current || c.signal.aborted) return;
      setError(err);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(null);
    setError(null);
    void run();
    return () => {
      seq.current++;
      ctrl.current?.abort();
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to fetch again
  }, deps);

  return { data, error, loading, reload: run, setData };
}
