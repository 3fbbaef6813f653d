import type { ClientFrame, ServerFrame } from '@kefu/protocol';

export type RealtimeStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open' }
  | { state: 'waiting'; attempt: number; retryAt: number }
  | { state: 'unauthorized' }
  | { state: 'stopped' };

export interface RealtimeOptions {
  token: string;
  /** ws(s)://host/v1/ws; defaults to the console's own origin. */
  url?: string;
  onUnauthorized?: () => void;
  /** Backoff bounds in ms (tests shorten them). */
  minDelay?: number;
  maxDelay?: number;
}

type FrameListener = (frame: ServerFrame) => void;
type StatusListener = (status: RealtimeStatus) => void;
/**
 * Called on every `ready`. `resync` is true when the connection came back after a drop. Views refetch on
 * every `ready` anyway: events between their first fetch and the first `ready` would be missed too.
 */
type ReadyListener = (info: { resync: boolean }) => void;

const PING_EVERY_MS = 20_000;
/** No frame at all (not even a pong) for this long means the connection is dead without a close. */
const SILENCE_LIMIT_MS = 50_000;
const CLOSE_UNAUTHORIZED = 4401;

/**
 * The agent's WebSocket to `/v1/ws`. Reconnects with exponential backoff and jitter when the socket
 * drops, pings so half-open connections are noticed, and reports every later `ready` as a resync so
 * views refetch what they may have missed.
 */
export class Realtime {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private everReady = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private statusValue: RealtimeStatus = { state: 'stopped' };
  private readonly frameListeners = new Set<FrameListener>();
  private readonly statusListeners = new Set<StatusListener>();
  private readonly readyListeners = new Set<ReadyListener>();
  private readonly minDelay: number;
  private readonly maxDelay: number;

  constructor(private readonly opts: RealtimeOptions) {
    this.minDelay = opts.minDelay ?? 500;
    this.maxDelay = opts.maxDelay ?? 30_000;
  }

  get status() {
    return this.statusValue;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.retryNow);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.retryNow);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    if (s && (s.readyState === WebSocket.OPEN || s.readyState === WebSocket.CONNECTING)) s.close(1000, 'bye');
    this.setStatus({ state: 'stopped' });
  }

  /** Sends when connected; typing indicators are not worth queueing, so otherwise they are dropped. */
  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  onFrame(fn: FrameListener) {
    this.frameListeners.add(fn);
    return () => void this.frameListeners.delete(fn);
  }

  onStatus(fn: StatusListener) {
    this.statusListeners.add(fn);
    return () => void this.statusListeners.delete(fn);
  }

  onReady(fn: ReadyListener) {
    this.readyListeners.add(fn);
    return () => void this.readyListeners.delete(fn);
  }

  /** Reconnect immediately instead of waiting for the backoff timer (network back, tab visible). */
  readonly retryNow = () => {
    if (this.stopped || this.statusValue.state !== 'waiting') return;
    this.clearTimers();
    this.connect();
  };

  private readonly onVisibility = () => {
    if (document.visibilityState === 'visible') this.retryNow();
  };

  private connect() {
    this.setStatus({ state: 'connecting', attempt: this.attempt });
    const url = new URL(this.opts.url ?? defaultUrl());
    url.searchParams.set('token', this.opts.token);
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.lastFrameAt = Date.now();
      this.pingTimer = setInterval(() => this.heartbeat(), PING_EVERY_MS);
    };
    socket.onmessage = (ev) => {
      if (socket !== this.socket) return;
      this.lastFrameAt = Date.now();
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        const resync = this.everReady;
        this.everReady = true;
        this.attempt = 0;
        this.setStatus({ state: 'open' });
        for (const fn of this.readyListeners) fn({ resync });
        return;
      }
      for (const fn of this.frameListeners) fn(frame);
    };
    socket.onclose = (ev) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      if (ev.code === CLOSE_UNAUTHORIZED) {
        this.stopped = true;
        this.setStatus({ state: 'unauthorized' });
        this.opts.onUnauthorized?.();
        return;
      }
      this.scheduleRetry();
    };
    // onerror is always followed by onclose, which does the work.
    socket.onerror = () => {};
  }

  private heartbeat() {
    if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
      this.socket?.close(4000, 'silent');
      return;
    }
    this.send({ type: 'ping' });
  }

  private scheduleRetry() {
    const attempt = this.attempt++;
    const ceiling = Math.min(this.maxDelay, this.minDelay * 2 ** attempt);
    // Full jitter over the upper half, so a restarted server is not hit by every console at once.
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.setStatus({ state: 'waiting', attempt: this.attempt, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }

  private clearTimers() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
  }

  private setStatus(s: RealtimeStatus) {
    this.statusValue = s;
    for (const fn of this.statusListeners) fn(s);
  }
}

function defaultUrl() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/v1/ws`;
}
