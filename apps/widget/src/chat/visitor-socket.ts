import type { ClientFrame, ServerFrame } from '@kefu/protocol';

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface VisitorSocketOptions {
  url: string;
  onFrame(frame: ServerFrame): void;
  onStateChange?(state: SocketState): void;
  /** Called on every `ready` after the first: frames sent while the socket was down are lost. */
  onReconnected?(): void;
  /** The server refused the token (close code 4401); reconnecting would not help. */
  onUnauthorized?(): void;
  WebSocket?: typeof WebSocket;
  /** Milliseconds before reconnect attempt `n` (0-based). */
  backoff?: (attempt: number) => number;
  pingIntervalMs?: number;
}

const CLOSE_UNAUTHORIZED = 4401;

/** Exponential backoff from 0.5 s to 30 s with jitter, so many visitors do not reconnect in step. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * The visitor's realtime connection: reconnects with backoff until closed, keeps the connection alive
 * through idle proxies with pings, and reports each reconnection so the caller can fetch what it missed.
 */
export class VisitorSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private everReady = false;
  private stopped = false;
  private state: SocketState | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private readonly WebSocketImpl: typeof WebSocket;
  private readonly onOnline = () => {
    if (this.socket === null && !this.stopped) this.reconnectNow();
  };

  constructor(private readonly options: VisitorSocketOptions) {
    this.WebSocketImpl = options.WebSocket ?? globalThis.WebSocket;
  }

  connect(): void {
    this.stopped = false;
    globalThis.addEventListener?.('online', this.onOnline);
    this.open();
  }

  close(): void {
    this.stopped = true;
    globalThis.removeEventListener?.('online', this.onOnline);
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
    this.setState('closed');
  }

  send(frame: ClientFrame): boolean {
    if (this.socket?.readyState !== this.WebSocketImpl.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private open() {
    this.setState(this.everReady ? 'reconnecting' : 'connecting');
    const socket = new this.WebSocketImpl(this.options.url);
    this.socket = socket;
    socket.addEventListener('message', (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(event.data) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        this.attempt = 0;
        this.setState('open');
        const reconnected = this.everReady;
        this.everReady = true;
        if (reconnected) this.options.onReconnected?.();
      }
      this.options.onFrame(frame);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      if (event.code === CLOSE_UNAUTHORIZED) {
        this.stopped = true;
        this.setState('closed');
        this.options.onUnauthorized?.();
        return;
      }
      this.setState('reconnecting');
      const delay = (this.options.backoff ?? defaultBackoff)(this.attempt++);
      this.reconnectTimer = setTimeout(() => this.open(), delay);
    });
    this.pingTimer = setInterval(() => this.send({ type: 'ping' }), this.options.pingIntervalMs ?? 25_000);
  }

  private reconnectNow() {
    this.clearTimers();
    this.open();
  }

  private clearTimers() {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.reconnectTimer = null;
    this.pingTimer = null;
  }

  private setState(state: SocketState) {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }
}
