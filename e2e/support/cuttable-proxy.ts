import { connect, createServer, type Socket } from 'node:net';

export interface CuttableProxy {
  /** Base URL of the proxy, e.g. http://127.0.0.1:41234: load the widget from here so all its traffic passes through. */
  url: string;
  /** The network drops: every open connection (REST keep-alive, WebSocket) is reset and new ones are reset on arrival. */
  cut(): void;
  /** The network is back: new connections reach the server again (the dropped ones stay dropped). */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a server that a test can cut and restore, to drop a browser's network for
 * real. Chromium's offline emulation (`context.setOffline`) fails new requests but leaves an open
 * WebSocket up, so it cannot show what a visitor goes through when their connection drops.
 */
export async function startCuttableProxy(target: string): Promise<CuttableProxy> {
  const { hostname, port } = new URL(target);
  const live = new Set<Socket>();
  let up = true;

  const server = createServer((client) => {
    client.on('error', () => {});
    if (!up) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(port), hostname);
    upstream.on('error', () => {});
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      live.add(a);
      a.pipe(b);
      // One side gone (reset, or closed by the server): the other goes too, as across a real link.
      a.on('close', () => {
        live.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const dropAll = () => {
    // A reset, not a polite FIN: the browser sees the connection fail (WebSocket close 1006).
    for (const socket of live) socket.resetAndDestroy();
    live.clear();
  };

  return {
    url,
    cut() {
      up = false;
      dropAll();
    },
    restore() {
      up = true;
    },
    async close() {
      dropAll();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
