import type { Member } from '@kefu/protocol';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { useSignedIn } from './session';

// One fetch per session token: names change rarely and only label who edited what.
const cache = new Map<string, Promise<Member[]>>();

function loadMembers(api: ApiClient) {
  const key = api.token ?? '';
  let p = cache.get(key);
  if (!p) {
    p = api
      .get<{ items: Member[] }>('/v1/members')
      .then((r) => r.items)
      .catch(() => {
        cache.delete(key);
        return [];
      });
    cache.set(key, p);
  }
  return p;
}

const load = (api: ApiClient) => loadMembers(api).then((items) => new Map(items.map((m) => [m.id, m.name])));

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

/** The workspace's active members (for the @mention picker); empty until loaded. */
export function useMembers(): readonly Member[] {
  const { api } = useSignedIn();
  const [members, setMembers] = useState<readonly Member[]>([]);
  useEffect(() => {
    let live = true;
    void loadMembers(api).then((items) => {
      if (live) setMembers(items.filter((m) => !m.disabled));
    });
    return () => {
      live = false;
    };
  }, [api]);
  return members;
}
