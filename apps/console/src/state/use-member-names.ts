import type { Member } from '@kefu/protocol';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { useSignedIn } from './session';

// One fetch per session token: names change rarely and only label who edited what.
const cache = new Map<string, Promise<Map<string, string>>>();

function load(api: ApiClient) {
  const key = api.token ?? '';
  let p = cache.get(key);
  if (!p) {
    p = api
      .get<{ items: Member[] }>('/v1/members')
      .then((r) => new Map(r.items.map((m) => [m.id, m.name])))
      .catch(() => {
        cache.delete(key);
        return new Map<string, string>();
      });
    cache.set(key, p);
  }
  return p;
}

/** Member id → name, for "edited by"; empty until loaded (ids are then shown shortened). */
export function useMemberNames(): ReadonlyMap<string, string> {
  const { api } = useSignedIn();
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    void load(api).then((m) => {
      if (live) setNames(m);
    });
    return () => {
      live = false;
    };
  }, [api]);
  return names;
}
