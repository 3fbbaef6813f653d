// The client side of bench/ws.mjs: many WebSocket clients in a child process of their own, so their
// memory and event loop are not the server's. Driven over IPC ({ id, cmd, ...args } → { id, result | error }).
// The same harness drives kefu's visitor sockets and the bare `ws` echo server.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const { default: WebSocket } = await import('ws');

/**
 * Source addresses on the loopback /8 (Linux routes all of 127.0.0.0/8 to lo). Spreading clients over
 * them keeps each address under kefu's per-address limit on starting conversations (30 a minute) and
 * keeps 4-tuples distinct, so tens of thousands of sockets do not exhaust one address's ephemeral ports.
 */
const sourceAddress = (i) => `127.1.${1 + (Math.floor(i / 250) % 250)}.${1 + (i % 250)}`;

const sleep = (t) => new Promise((r) => setTimeout(r, t));

/** A POST with a JSON body; resolves with the status and parsed body. */
function postJson(url, { headers = {}, body, agent, localAddress }) {
  return new Promise((resolve, reject) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = null;
          try {
            parsed = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('request timed out after 60 s')));
    req.on('error', reject);
    req.end(data);
  });
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` in flight. */
async function pool(n, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

const state = { conversations: [], clients: [], closedEarly: 0 };

const commands = {
  /** Starts `n` kefu conversations through POST /v1/widget/conversations, `perAddress` from each source address. */
  async startConversations({ url, widgetKey, n, perAddress, concurrency }) {
    const t0 = performance.now();
    const failures = {};
    state.conversations = new Array(n);
    await pool(n, concurrency, async (i) => {
      try {
        const r = await postJson(`${url}/v1/widget/conversations`, {
          headers: { 'x-kefu-widget-key': widgetKey },
          body: { channel: 'web', locale: i % 3 === 2 ? 'en' : 'zh-CN' },
          localAddress: sourceAddress(Math.floor(i / perAddress)),
        });
        if (r.status !== 201) {
          failures[r.status] = (failures[r.status] ?? 0) + 1;
          return;
        }
        state.conversations[i] = { id: r.body.conversation.id, token: r.body.visitorToken, locale: i % 3 === 2 ? 'en' : 'zh-CN' };
      } catch (err) {
        failures[err.code ?? err.message] = (failures[err.code ?? err.message] ?? 0) + 1;
      }
    });
    state.conversations = state.conversations.filter(Boolean);
    return { ms: performance.now() - t0, started: state.conversations.length, failures };
  },

  /**
   * Opens one socket per conversation (kefu) or `n` sockets (echo), `concurrency` handshakes in flight;
   * a client counts as connected when its first frame (`ready`) arrived.
   */
  async connect({ url, kind, n, concurrency, timeoutMs = 30_000 }) {
    const count = kind === 'kefu' ? state.conversations.length : n;
    const handshakes = [];
    const failures = {};
    const fail = (why) => {
      failures[why] = (failures[why] ?? 0) + 1;
    };
    const t0 = performance.now();
    await pool(count, concurrency, async (i) => {
      const conv = kind === 'kefu' ? state.conversations[i] : null;
      const target = kind === 'kefu' ? `${url.replace('http', 'ws')}/v1/widget/ws?token=${encodeURIComponent(conv.token)}` : url.replace('http', 'ws');
      const started = performance.now();
      await new Promise((resolve) => {
        const ws = new WebSocket(target, { localAddress: sourceAddress(i % 4096), perMessageDeflate: false });
        const client = { ws, conv, ready: false, pending: null };
        const timer = setTimeout(() => {
          fail('timeout');
          ws.terminate();
          resolve();
        }, timeoutMs);
        ws.on('message', (data) => {
          const at = performance.now();
          if (!client.ready) {
            client.ready = true;
            clearTimeout(timer);
            handshakes.push(at - started);
            state.clients.push(client);
            resolve();
            return;
          }
          const p = client.pending;
          if (!p) return;
          if (kind === 'echo') {
            p.done(at);
            return;
          }
          const f = JSON.parse(String(data));
          if (f.type === 'message.created' && f.message?.author?.type === 'bot') p.done(at);
        });
        ws.on('error', (err) => {
          if (!client.ready) {
            clearTimeout(timer);
            fail(err.code ?? err.message);
            resolve();
          }
        });
        ws.on('close', () => {
          if (client.ready && !state.closing) state.closedEarly++;
          client.pending?.fail('socket closed');
        });
      });
    });
    return { ms: performance.now() - t0, connected: state.clients.length, failures, handshakes };
  },

  /**
   * Clients [from, to) send one message each, `wave` clients at a time: a wave is sent together and
   * the next starts when all its replies arrived (or timed out). Latency = send → reply frame.
   */
  async send({ url, kind, wave, texts, from: first = 0, to = Number.POSITIVE_INFINITY, timeoutMs = 30_000 }) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: wave });
    const latencies = [];
    const httpLatencies = [];
    const failures = {};
    const fail = (why) => {
      failures[why] = (failures[why] ?? 0) + 1;
    };
    const t0 = performance.now();
    const last = Math.min(to, state.clients.length);
    for (let from = first; from < last; from += wave) {
      const batch = state.clients.slice(from, Math.min(from + wave, last));
      await Promise.all(
        batch.map(
          (client, j) =>
            new Promise((resolve) => {
              const text = texts[(from + j) % texts.length];
              const sentAt = performance.now();
              const timer = setTimeout(() => client.pending?.fail('no reply in 30 s'), timeoutMs);
              client.pending = {
                done(at) {
                  clearTimeout(timer);
                  client.pending = null;
                  latencies.push(at - sentAt);
                  resolve();
                },
                fail(why) {
                  clearTimeout(timer);
                  client.pending = null;
                  fail(why);
                  resolve();
                },
              };
              if (client.ws.readyState !== WebSocket.OPEN) return client.pending.fail('socket not open');
              if (kind === 'echo') return client.ws.send(JSON.stringify({ type: 'message', text }));
              postJson(`${url}/v1/widget/conversations/${client.conv.id}/messages`, {
                headers: { authorization: `Bearer ${client.conv.token}` },
                body: { text },
                agent,
              }).then(
                (r) => {
                  if (r.status === 200) httpLatencies.push(performance.now() - sentAt);
                  else client.pending?.fail(`HTTP ${r.status}`);
                },
                (err) => client.pending?.fail(err.code ?? err.message),
              );
            }),
        ),
      );
    }
    agent.destroy();
    return { ms: performance.now() - t0, latencies, httpLatencies, failures, closedEarly: state.closedEarly };
  },

  async close() {
    state.closing = true;
    for (const c of state.clients) c.ws.terminate();
    state.clients = [];
    state.conversations = [];
    await sleep(200);
    return { ok: true };
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('message', async (m) => {
    try {
      process.send({ id: m.id, result: await commands[m.cmd](m) });
    } catch (err) {
      process.send({ id: m.id, error: String(err?.stack ?? err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ id: 0, result: 'ready' });
}
