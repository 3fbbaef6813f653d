#!/usr/bin/env node
// Concurrent widget WebSockets (GitHub issue 7): N visitors connected to one kefu instance at once,
// each sends one message; reply latency (message sent → the bot's `message.created` frame on that
// visitor's socket) and the server's memory per connection, beside a bare `ws` echo server measured in
// the same run with the same client harness and the same N.
//
// Three processes per server, so the figures are the server's own: this orchestrator, the server
// (kefu as main.ts builds it on a temporary SQLite file, or the echo server) and the clients
// (bench/lib/ws-swarm.mjs). On a 2-core machine the server and the clients get one core each.
// Method, per server:
//   1. kefu only: the clients start N conversations (POST /v1/widget/conversations, 25 per source
//      address; see below) — timed, but before the memory baseline, so the conversations' rows and
//      caches are not counted as socket cost.
//   2. memory baseline: three forced GCs in the server process, then RSS and heap used.
//   3. connect: N sockets, 200 handshakes in flight; a client is connected when `ready` arrived.
//   4. memory with N connected, the same way; per connection = (with N − baseline) / N.
//   5. send: every client sends one message, in waves of W (default 100): a wave's W messages go out
//      together, the next wave starts when all its replies arrived, so the figure is a turn's latency
//      with W in flight, not the position in a queue of N. kefu: POST
//      /v1/widget/conversations/:id/messages with a demo FAQ question (no language model: offline
//      FAQ answers); echo: the same text as a WebSocket frame, echoed back.
// Rate limits: kefu allows 30 conversation starts a minute per client address and has no setting for
// it; the clients spread over source addresses in 127.1.0.0/16 (Linux routes all of 127/8 to lo), so
// nothing in the server is changed. The message route has no rate limit.
// Usage: npm run bench:ws  [-- --clients 10000 --wave 100]
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureServerBuilt, ROOT } from './lib/ensure-server-built.mjs';
import { readJsonl } from './lib/read-jsonl.mjs';

const { values: args } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    clients: { type: 'string', default: '10000' },
    wave: { type: 'string', default: '50' },
    solo: { type: 'string', default: '200' },
    'per-address': { type: 'string', default: '25' },
  },
});
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const SELF = fileURLToPath(import.meta.url);

/** Answers the orchestrator's IPC calls with `commands`. */
function serveIpc(commands) {
  process.on('message', async (m) => {
    try {
      process.send({ id: m.id, result: await commands[m.cmd](m) });
    } catch (err) {
      process.send({ id: m.id, error: String(err?.stack ?? err) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

/** After three forced collections, so garbage waiting for the next GC is not counted. */
async function memory(sockets) {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await sleep(100);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, sockets: sockets() };
}

// ── server processes ─────────────────────────────────────────────────────────────────────────────
if (args.role === 'kefu') {
  const dist = (p) => import(pathToFileURL(join(ROOT, 'apps/server/dist', p)).href);
  const [{ buildApp }, { createDeps, createLogger }, { parseEnv }, { seedDemo }] = await Promise.all([
    dist('app.js'),
    dist('deps.js'),
    dist('config/config.js'),
    dist('usecases/seed-demo.js'),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-ws-'));
  const env = parseEnv({ DATA_DIR: dataDir, DATABASE_URL: `sqlite:${join(dataDir, 'kefu.db')}`, LOG_LEVEL: 'silent', PORT: '0' });
  const config = Object.freeze({ ...env, appSecret: 'bench-secret-bench-secret-bench-secret-12' });
  const deps = await createDeps(config, { log: createLogger(config) });
  const demo = await seedDemo(deps.ctx, dataDir, { trainIntents: true });
  const app = await buildApp(deps, { logger: createLogger(config) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // main.ts trains the demo's intent model in the background; measure with it serving, as users get it.
  const trainedBy = performance.now() + 120_000;
  while (!deps.ctx.intentModels.serving(demo.workspace.id)) {
    if (performance.now() > trainedBy) throw new Error('the demo intent model did not finish training in 120 s');
    await sleep(50);
  }
  serveIpc({
    memory: () => memory(() => deps.hub.size),
    async close() {
      deps.hub.closeAll();
      await app.close();
      await deps.close();
      rmSync(dataDir, { recursive: true, force: true });
      return { ok: true };
    },
  });
  process.send({ id: 0, result: { url: `http://127.0.0.1:${app.server.address().port}`, widgetKey: demo.workspace.widgetKey } });
} else if (args.role === 'echo') {
  // The floor: `ws` (the library under @fastify/websocket) on a plain http server. It sends a first
  // frame on connect as kefu sends `ready`, and returns every text frame as it came.
  const { WebSocketServer } = await import('ws');
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, maxPayload: 64 * 1024 });
  wss.on('connection', (ws) => {
    ws.send('{"type":"ready"}');
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  serveIpc({
    memory: () => memory(() => wss.clients.size),
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => server.close(r));
      return { ok: true };
    },
  });
  process.send({ id: 0, result: { url: `http://127.0.0.1:${server.address().port}` } });
} else {
  await main();
}

// ── orchestrator ─────────────────────────────────────────────────────────────────────────────────
/** Forks `modulePath`, with the file-descriptor limit raised to `nofile` when given; resolves once it says ready. */
function spawn(modulePath, argv, nofile) {
  const execArgv = ['--expose-gc'];
  // fork() runs execPath with execArgv + module + argv; a shell in between raises the soft limit (the
  // IPC channel's descriptor survives the exec).
  const opts = nofile
    ? { execPath: '/bin/sh', execArgv: ['-c', `ulimit -n ${nofile} && exec "${process.execPath}" ${execArgv.join(' ')} "$0" "$@"`] }
    : { execArgv };
  const child = fork(modulePath, argv, { ...opts, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let nextId = 1;
  let exited = null;
  child.on('message', (m) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  child.on('exit', (code, signal) => {
    exited = `exited (${signal ?? code})`;
    for (const w of waiting.values()) w.reject(new Error(`${modulePath} ${argv.join(' ')} ${exited}`));
    waiting.clear();
  });
  const call = (cmd, payload = {}) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error(`${modulePath} ${exited}`));
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      child.send({ id, cmd, ...payload });
    });
  const ready = new Promise((resolve, reject) => waiting.set(0, { resolve, reject }));
  return { child, call, ready, kill: () => exited || child.kill('SIGKILL') };
}

async function main() {
  const N = Number(args.clients);
  const WAVE = Number(args.wave);
  const PER_ADDRESS = Number(args['per-address']);
  const SOLO = Number(args.solo);
  const T0 = performance.now();
  const log = (line) => process.stderr.write(`[${((performance.now() - T0) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
  const loadAtStart = loadavg();

  // Each server and the client process hold N sockets; each needs N descriptors plus a few dozen.
  const [soft, hard] = spawnSync('sh', ['-c', 'ulimit -n; ulimit -Hn'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .map((v) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v)));
  const needed = N + 256;
  let nofile = null;
  let fdNote = `ulimit -n ${soft} (hard ${hard}; Node raises the soft limit to the hard one at start-up); needed per process ≈ ${needed}`;
  if (soft < needed) {
    nofile = Math.min(hard, Math.max(needed, 4096));
    fdNote += nofile >= needed ? `; raised to ${nofile} for the children` : `; hard limit too low, raised to ${nofile}: fewer than N clients will connect`;
  } else fdNote += '; enough, unchanged';
  const ports = spawnSync('sh', ['-c', 'cat /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null'], { encoding: 'utf8' }).stdout.trim().replace(/\s+/, '–');
  log(fdNote);

  // Other work in progress can leave the sources not compiling; the sockets and the turn path are
  // then measured on the last dist that built, and the report says so.
  let buildNote = null;
  try {
    ensureServerBuilt();
  } catch (err) {
    buildNote = `apps/server/dist was not rebuilt (${err.message}); measured the existing build`;
    log(buildNote);
  }
  const texts = readJsonl(join(ROOT, 'examples/demo-shop/faqs.jsonl')).map((f) => f.question);
  const swarmPath = join(ROOT, 'bench/lib/ws-swarm.mjs');
  const results = {};
  const children = [];
  const cleanup = () => {
    for (const c of children) c.kill();
  };
  process.on('exit', cleanup);
  process.on('SIGINT', () => process.exit(130));

  for (const kind of ['kefu', 'echo']) {
    log(`${kind}: starting the server${kind === 'kefu' ? ' (demo workspace, intent model training)' : ''} …`);
    const server = spawn(SELF, ['--role', kind], nofile);
    const swarm = spawn(swarmPath, [], nofile);
    children.push(server, swarm);
    try {
      const info = await server.ready;
      await swarm.ready;
      const r = { kind };
      if (kind === 'kefu') {
        log(`kefu: starting ${N} conversations over HTTP …`);
        r.start = await swarm.call('startConversations', { url: info.url, widgetKey: info.widgetKey, n: N, perAddress: PER_ADDRESS, concurrency: 50 });
        log(`kefu: ${r.start.started} started in ${(r.start.ms / 1000).toFixed(1)} s ${fmtFailures(r.start.failures)}`);
      }
      r.before = await server.call('memory');
      log(`${kind}: connecting ${N} clients …`);
      r.connect = await swarm.call('connect', { url: info.url, kind, n: N, concurrency: 200 });
      log(`${kind}: ${r.connect.connected} connected in ${(r.connect.ms / 1000).toFixed(1)} s ${fmtFailures(r.connect.failures)}`);
      r.after = await server.call('memory');
      const solo = Math.min(SOLO, r.connect.connected);
      log(`${kind}: ${solo} clients send one message each, one at a time …`);
      r.solo = await swarm.call('send', { url: info.url, kind, wave: 1, texts, from: 0, to: solo });
      log(`${kind}: the other ${r.connect.connected - solo} clients send one message each, waves of ${WAVE} …`);
      r.send = await swarm.call('send', { url: info.url, kind, wave: WAVE, texts, from: solo });
      log(`${kind}: ${r.send.latencies.length} replies in ${(r.send.ms / 1000).toFixed(1)} s ${fmtFailures(r.send.failures)}`);
      r.end = await server.call('memory');
      await swarm.call('close');
      await server.call('close');
      results[kind] = r;
    } catch (err) {
      log(`${kind}: failed: ${err.message.split('\n')[0]}`);
      results[kind] = { kind, error: err.message.split('\n')[0] };
    } finally {
      swarm.kill();
      server.kill();
    }
  }
  report({ N, WAVE, SOLO, PER_ADDRESS, results, buildNote, fdNote, ports, loadAtStart, loadAtEnd: loadavg(), totalS: (performance.now() - T0) / 1000 });
}

function fmtFailures(f) {
  const entries = Object.entries(f ?? {});
  return entries.length ? `(failures: ${entries.map(([k, v]) => `${k} ×${v}`).join(', ')})` : '';
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => (s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : Number.NaN);
  return { n: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s.length ? s[s.length - 1] : Number.NaN };
}

function report({ N, WAVE, SOLO, PER_ADDRESS, results, buildNote, fdNote, ports, loadAtStart, loadAtEnd, totalS }) {
  const ms = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '—');
  const kb = (n) => (Number.isFinite(n) ? (n / 1024).toFixed(1) : '—');
  const row = (r) => {
    if (r.error) return { name: r.kind, error: r.error };
    const n = r.connect.connected;
    const lat = stats(r.send.latencies);
    const failures = [r.start?.failures, r.connect.failures, r.solo.failures, r.send.failures].reduce(
      (a, f) => a + Object.values(f ?? {}).reduce((x, y) => x + y, 0),
      0,
    );
    return {
      name: r.kind === 'kefu' ? 'kefu (visitor socket, bot reply)' : 'bare `ws` echo server',
      n,
      connectS: r.connect.ms / 1000,
      handshake: stats(r.connect.handshakes),
      lat,
      http: stats(r.send.httpLatencies),
      heap: n ? (r.after.heapUsed - r.before.heapUsed) / n : Number.NaN,
      rss: n ? (r.after.rss - r.before.rss) / n : Number.NaN,
      external: n ? (r.after.external - r.before.external) / n : Number.NaN,
      before: r.before,
      after: r.after,
      sockets: r.after.sockets,
      sendS: r.send.ms / 1000,
      failures,
      solo: stats(r.solo.latencies),
      failureText: [fmtFailures(r.start?.failures), fmtFailures(r.connect.failures), fmtFailures(r.solo.failures), fmtFailures(r.send.failures)]
        .filter(Boolean)
        .join(' '),
      closedEarly: r.send.closedEarly,
      start: r.start,
    };
  };
  const k = results.kefu ? row(results.kefu) : null;
  const e = results.echo ? row(results.echo) : null;
  const out = [];
  out.push(`## Concurrent widget WebSockets — ${N} clients, one message each`);
  out.push('');
  out.push(
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')} at start, ${loadAtEnd.map((l) => l.toFixed(2)).join(' / ')} at end; ${totalS.toFixed(0)} s in all.`,
  );
  if (buildNote) out.push(`Note: ${buildNote}.`);
  out.push(`File descriptors: ${fdNote}. Ephemeral ports ${ports}; clients bind source addresses in 127.1.0.0/16.`);
  out.push(
    `Server, clients and this orchestrator are separate processes. Memory: server process after three forced GCs, with N connected minus before connecting, ÷ N.`,
  );
  out.push('');
  out.push(`Reply latency: message sent → reply frame on the sender's socket, clients ${SOLO + 1}…N in waves of ${WAVE} (all N stay connected).`);
  out.push('');
  out.push('| server | clients connected | connect time | reply latency p50 | p90 | p99 | max | heap / connection | RSS / connection | failures |');
  out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of [k, e]) {
    if (!r) continue;
    if (r.error) {
      out.push(`| ${r.name} | — | — | — | — | — | — | — | — | failed: ${r.error} |`);
      continue;
    }
    out.push(
      `| ${r.name} | ${r.n} / ${N} | ${r.connectS.toFixed(1)} s | ${ms(r.lat.p50)} ms | ${ms(r.lat.p90)} ms | ${ms(r.lat.p99)} ms | ${ms(r.lat.max)} ms | ${kb(r.heap)} KB | ${kb(r.rss)} KB | ${r.failures} |`,
    );
  }
  if (k && e && !k.error && !e.error) {
    const ratio = (a, b) => (Number.isFinite(a / b) && b > 0 ? `${(a / b).toFixed(1)}×` : '—');
    out.push('');
    out.push('| kefu ÷ echo | connect time | reply p50 | reply p99 | heap / connection | RSS / connection |');
    out.push('|---|--:|--:|--:|--:|--:|');
    out.push(
      `| ratio | ${ratio(k.connectS, e.connectS)} | ${ratio(k.lat.p50, e.lat.p50)} | ${ratio(k.lat.p99, e.lat.p99)} | ${ratio(k.heap, e.heap)} | ${ratio(k.rss, e.rss)} |`,
    );
  }
  out.push('');
  out.push(`With N connected, the first ${SOLO} clients one message at a time (nothing else in flight):`);
  out.push('');
  out.push('| server | replies | p50 | p90 | p99 | max |');
  out.push('|---|--:|--:|--:|--:|--:|');
  for (const r of [k, e])
    if (r && !r.error) out.push(`| ${r.name} | ${r.solo.n} | ${ms(r.solo.p50)} ms | ${ms(r.solo.p90)} ms | ${ms(r.solo.p99)} ms | ${ms(r.solo.max)} ms |`);
  out.push('');
  out.push('Details:');
  for (const r of [k, e]) {
    if (!r || r.error) continue;
    const mb = (b) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    out.push(
      `- ${r.name}: handshake → ready p50 ${ms(r.handshake.p50)} ms, p99 ${ms(r.handshake.p99)} ms (200 in flight); server saw ${r.sockets} sockets; RSS ${mb(r.before.rss)} → ${mb(r.after.rss)}, heap used ${mb(r.before.heapUsed)} → ${mb(r.after.heapUsed)}, external ${kb(r.external)} KB / connection; ${r.lat.n} replies in ${r.sendS.toFixed(1)} s (${(r.lat.n / r.sendS).toFixed(0)} messages/s)${r.closedEarly ? `; ${r.closedEarly} sockets closed by the server` : ''}${r.failureText ? `; ${r.failureText}` : ''}.`,
    );
    if (r.start)
      out.push(
        `  Before connecting: ${r.start.started} conversations started over HTTP in ${r.start.ms.toFixed(0)} ms (50 in flight, ${PER_ADDRESS} per source address). HTTP response to the message POST: p50 ${ms(r.http.p50)} ms, p99 ${ms(r.http.p99)} ms.`,
      );
  }
  if (k && !k.error && k.n < N) out.push(`- kefu reached ${k.n} of ${N} clients: ${k.failureText || 'see above'}.`);
  process.stdout.write(`${out.join('\n')}\n`);
}
