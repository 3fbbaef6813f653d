import { useEffect, useState } from 'react';
import { knowledgeApi } from '../api/knowledge';
import { useSignedIn } from './session';

// Questions of FAQ entries seen in this session; null when the entry is gone. Absent while loading.
const cache = new Map<string, string | null>();
const inflight = new Set<string>();

export function rememberFaqTitle(id: string, question: string) {
  cache.set(id, question);
}

/** The question of each FAQ entry an intent answers with, fetched once per entry and session. */
export function useFaqTitles(ids: readonly string[]): ReadonlyMap<string, string | null> {
  const { api } = useSignedIn();
  const key = [...new Set(ids)].sort().join(',');
  const [, setTick] = useState(0);

  useEffect(() => {
    const missing = key ? key.split(',').filter((id) => !cache.has(id) && !inflight.has(id)) : [];
    if (missing.length === 0) return;
    const ctrl = new AbortController();
    for (const id of missing) inflight.add(id);
    void Promise.all(
      missing.map((id) =>
        knowledgeApi
          .getFaq(api, id, ctrl.signal)
          .then(
            (e) => void cache.set(id, e.question),
            () => {
              // Aborted: asked again next time. Otherwise the entry is gone (or unreadable): "not found".
              if (!ctrl.signal.aborted) cache.set(id, null);
            },
          )
          .finally(() => {
            if (!ctrl.signal.aborted) inflight.delete(id);
          }),
      ),
    ).then(() => {
      if (!ctrl.signal.aborted) setTick((n) => n + 1);
    });
    return () => {
      ctrl.abort();
      for (const id of missing) inflight.delete(id);
    };
  }, [api, key]);

  return cache;
}
