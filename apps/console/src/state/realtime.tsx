import type { ServerFrame } from '@kefu/protocol';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { Realtime, type RealtimeStatus } from '../api/realtime';

/** How long a customer's "typing" lasts without a fresh frame (they may close the tab mid-word). */
const TYPING_TTL_MS = 6_000;

/** Which conversations have a customer typing right now. */
class TypingStore {
  private readonly until = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<() => void>();
  private snapshot: ReadonlySet<string> = new Set();

  set(conversationId: string, on: boolean) {
    clearTimeout(this.timers.get(conversationId));
    this.timers.delete(conversationId);
    if (on) {
      this.until.set(conversationId, Date.now() + TYPING_TTL_MS);
      this.timers.set(
        conversationId,
        setTimeout(() => this.set(conversationId, false), TYPING_TTL_MS),
      );
    } else if (!this.until.delete(conversationId)) return;
    this.snapshot = new Set(this.until.keys());
    for (const fn of this.listeners) fn();
  }

  clear() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.until.clear();
    this.snapshot = new Set();
    for (const fn of this.listeners) fn();
  }

  readonly subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  };

  readonly getSnapshot = () => this.snapshot;
}

interface RealtimeValue {
  realtime: Realtime;
  typing: TypingStore;
}

const RealtimeContext = createContext<RealtimeValue | null>(null);

export function RealtimeProvider({ token, onUnauthorized, children }: { token: string; onUnauthorized: () => void; children: ReactNode }) {
  const unauthorized = useRef(onUnauthorized);
  unauthorized.current = onUnauthorized;
  const value = useMemo(() => ({ realtime: new Realtime({ token, onUnauthorized: () => unauthorized.current() }), typing: new TypingStore() }), [token]);

  useEffect(() => {
    const { realtime, typing } = value;
    const off = realtime.onFrame((f) => {
      if (f.type === 'typing' && f.author.type === 'contact') typing.set(f.conversationId, f.on);
      // A customer's message ends their typing, even if the "off" frame never comes.
      if (f.type === 'message.created' && f.message.author.type === 'contact') typing.set(f.conversationId, false);
    });
    realtime.start();
    return () => {
      off();
      realtime.stop();
      typing.clear();
    };
  }, [value]);

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

function useRealtimeContext() {
  const v = useContext(RealtimeContext);
  if (!v) throw new Error('useRealtime outside RealtimeProvider');
  return v;
}

export const useRealtime = () => useRealtimeContext().realtime;

export function useRealtimeStatus(): RealtimeStatus {
  const rt = useRealtime();
  return useSyncExternalStore(
    (fn) => rt.onStatus(fn),
    () => rt.status,
  );
}

/** Calls `fn` for every server frame; the latest `fn` is used without resubscribing. */
export function useFrames(fn: (frame: ServerFrame) => void) {
  const rt = useRealtime();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => rt.onFrame((f) => ref.current(f)), [rt]);
}

/** Calls `fn` whenever the socket is (re)connected, so a view can refetch what it might have missed. */
export function useOnReady(fn: () => void) {
  const rt = useRealtime();
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => rt.onReady(() => ref.current()), [rt]);
}

export function useTypingConversations(): ReadonlySet<string> {
  const { typing } = useRealtimeContext();
  return useSyncExternalStore(typing.subscribe, typing.getSnapshot);
}
