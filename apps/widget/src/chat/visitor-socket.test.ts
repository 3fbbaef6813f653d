import type { ServerFrame } from '@kefu/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SocketState, VisitorSocket } from './visitor-socket.js';

/** Just enough of the browser WebSocket for VisitorSocket: events, send, close with a code. */
class FakeWebSocket extends EventTarget {
  static readonly OPEN = 1;
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeWebSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop(1000);
  }
  ready() {
    this.readyState = FakeWebSocket.OPEN;
    this.frame({ type: 'ready', workspaceId: 'ws' });
  }
  frame(frame: ServerFrame) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(frame) }));
  }
  drop(code: number) {
    this.readyState = 3;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
}

function open(extra: { onReconnected?: () => void; onUnauthorized?: () => void } = {}) {
  const frames: ServerFrame[] = [];
  const states: SocketState[] = [];
  const socket = new VisitorSocket({
    url: 'ws://kefu.test/v1/widget/ws?token=t',
    onFrame: (f) => frames.push(f),
    onStateChange: (s) => states.push(s),
    WebSocket: FakeWebSocket as unknown as typeof WebSocket,
    backoff: (n) => 1000 * (n + 1),
    ...extra,
  });
  socket.connect();
  return { socket, frames, states, current: () => FakeWebSocket.instances.at(-1)! };
}

describe('VisitorSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.instances = [];
  });
  afterEach(() => vi.useRealTimers());

  it('reconnects with growing delays and reports the reconnection once ready', () => {
    const onReconnected = vi.fn();
    const { current, states } = open({ onReconnected });
    current().ready();
    current().drop(1006);
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    current().drop(1006);
    vi.advanceTimersByTime(2000);
    expect(FakeWebSocket.instances).toHaveLength(3);
    expect(onReconnected).not.toHaveBeenCalled();
    current().ready();
    expect(onReconnected).toHaveBeenCalledOnce();
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('passes frames on and keeps the connection alive with pings', () => {
    const { current, frames } = open();
    current().ready();
    current().frame({ type: 'typing', conversationId: 'c1', author: { type: 'agent', name: 'Lily' }, on: true });
    expect(frames.map((f) => f.type)).toEqual(['ready', 'typing']);
    vi.advanceTimersByTime(25_000);
    expect(current().sent).toEqual([JSON.stringify({ type: 'ping' })]);
  });

  it('stops when the server refuses the token', () => {
    const onUnauthorized = vi.fn();
    const { current } = open({ onUnauthorized });
    current().drop(4401);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('stays closed after close()', () => {
    const { socket, current, states } = open();
    current().ready();
    socket.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
    expect(socket.send({ type: 'ping' })).toBe(false);
  });
});
