import type { InboxCounts } from '@kefu/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useFrames, useOnReady } from './realtime';
import { useSignedIn } from './session';

/** Frames after which the counts may have changed. */
const CHANGES = new Set(['conversation.created', 'conversation.updated', 'conversation.removed', 'conversation.assigned', 'conversation.transferred']);
const SETTLE_MS = 250;

/**
 * How many conversations each inbox view holds for the signed-in member (and per team of theirs),
 * fetched again shortly after anything that may change them; a burst of frames costs one request.
 */
export function useInboxCounts() {
  const { api } = useSignedIn();
  const [counts, setCounts] = useState<InboxCounts | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    try {
      setCounts(await api.get<InboxCounts>('/v1/inbox/counts'));
    } catch {
      // The counts are a hint; the list shows errors.
    }
  }, [api]);

  useEffect(() => {
    void load();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [load]);
  useOnReady(() => void load());
  useFrames((f) => {
    if (!CHANGES.has(f.type)) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void load(), SETTLE_MS);
  });
  // A snooze runs out without a frame: look again every minute.
  useEffect(() => {
    const every = setInterval(() => void load(), 60_000);
    return () => clearInterval(every);
  }, [load]);

  return counts;
}
