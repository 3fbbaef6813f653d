import type { Mention, ReadMentionsBody } from '@kefu/protocol';
import { useCallback, useEffect, useState } from 'react';
import { mentionsApi } from '../api/canned-replies';
import { useFrames, useOnReady } from './realtime';
import { useSignedIn } from './session';

export interface Mentions {
  /** Recent mentions of the signed-in member, newest first. */
  items: readonly Mention[];
  unread: number;
  markRead(body: ReadMentionsBody): Promise<void>;
}

const RECENT = 20;

/**
 * The signed-in member's @mentions: fetched on mount and after every reconnect (frames may have been
 * missed), and kept live from the `mention` frames only they receive.
 */
export function useMentions(): Mentions {
  const { api, session } = useSignedIn();
  const isMember = Boolean(session.member);
  const [items, setItems] = useState<readonly Mention[]>([]);
  const [unread, setUnread] = useState(0);

  const load = useCallback(async () => {
    if (!isMember) return;
    try {
      const r = await mentionsApi.list(api, { limit: RECENT });
      setItems(r.items);
      setUnread(r.unread);
    } catch {
      // The indicator stays as it was; the next reconnect fetches again.
    }
  }, [api, isMember]);

  useEffect(() => {
    void load();
  }, [load]);
  useOnReady(() => void load());

  useFrames((f) => {
    if (f.type !== 'mention') return;
    setItems((prev) => (prev.some((m) => m.id === f.mention.id) ? prev : [f.mention, ...prev].slice(0, RECENT)));
    setUnread((n) => n + 1);
  });

  const markRead = useCallback(
    async (body: ReadMentionsBody) => {
      const at = new Date().toISOString();
      const hits = (m: Mention) => m.readAt === null && ('ids' in body ? body.ids.includes(m.id) : m.conversationId === body.conversationId);
      setItems((prev) => prev.map((m) => (hits(m) ? { ...m, readAt: at } : m)));
      try {
        setUnread((await mentionsApi.read(api, body)).unread);
      } catch {
        void load();
      }
    },
    [api, load],
  );

  return { items, unread, markRead };
}
