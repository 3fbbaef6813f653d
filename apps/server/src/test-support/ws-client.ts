import type { ServerFrame } from '@kefu/protocol';
import WebSocket from 'ws';

export interface WsClient {
  ws: WebSocket;
  /** Every frame received, in order. */
  frames: ServerFrame[];
  /** The first frame (received already or later) matching `pred`; rejects after `ms`. */
  waitFor<T extends ServerFrame>(pred: (f: ServerFrame) => boolean, ms?: number): Promise<T>;
}

/** A WebSocket client on `baseUrl` + `path` that records frames; resolves once the server said `ready`. */
export async function connectWs(baseUrl: string, path: string): Promise<WsClient> {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}${path}`);
  const frames: ServerFrame[] = [];
  const waiters: Array<{ pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }> = [];
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as ServerFrame;
    frames.push(f);
    for (const w of [...waiters])
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
  });
  const waitFor = <T extends ServerFrame>(pred: (f: ServerFrame) => boolean, ms = 5000) =>
    new Promise<T>((resolve, reject) => {
      const hit = frames.find(pred);
      if (hit) return resolve(hit as T);
      const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(frames.map((x) => x.type))}`)), ms);
      waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as T);
        },
      });
    });
  await waitFor((f) => f.type === 'ready');
  return { ws, frames, waitFor };
}
