import type { ConversationPage } from '@kefu/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useFrames, useOnReady } from './realtime';
import { useSignedIn } from './session';

const LIMIT = 100;

/** Conversations waiting for a person, counted live for the Queued tab and the page title. */
export function useQueueCount() {
  const { api } = useSignedIn();
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  const [more, setMore] = useState(false);

  const load = useCallback(async () => {
    try {
      const page = await api.get<ConversationPage>('/v1/conversations', { status: 'queued', limit: LIMIT });
      setIds(new Set(page.items.map((c) => c.id)));
      setMore(page.nextCursor !== null);
    } catch {
      // The count is a hint; the list shows the error.
    }
  }, [api]);

  useEffect(() => void load(), [load]);
  useOnReady(() => void load());
  useFrames((f) => {
    if (f.type !== 'conversation.created' && f.type !== 'conversation.updated') return;
    const { id, status } = f.conversation;
    setIds((s) => {
      if ((status === 'queued') === s.has(id)) return s;
      const next = new Set(s);
      if (status === 'queued') next.add(id);
      else next.delete(id);
      return next;
    });
  });

  return { count: ids.size, more };
}
