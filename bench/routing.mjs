#!/usr/bin/env node
// Handoff routing: kefu's incremental RoutingQueue (the built server's routing/routing-queue.js) against
// a naive router that re-sorts the whole queue and scans every agent on every event (bench/lib/
// naive-router.mjs), on the same simulated events in the same process. Both must make the same
// assignments (checked); the figures are the time per event and, under lighter load, how evenly each
// strategy spreads conversations over agents of equal capacity. Also: the expected-wait estimate
// against the waits the simulation produced.
// Usage: npm run bench:routing [-- --events 20000 --waiting 1000 --agents 50 --light-conversations 20000 --seed 7]
import { createHash } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureServerBuilt, ROOT } from './lib/ensure-server-built.mjs';
import { NaiveRouter } from './lib/naive-router.mjs';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    waiting: { type: 'string', default: '1000' },
    agents: { type: 'string', default: '50' },
    'light-conversations': { type: 'string', default: '20000' },
    seed: { type: 'string', default: '7' },
  },
});
const CLOSES = Number(args.events);
const WAITING = Number(args.waiting);
const AGENTS = Number(args.agents);
const LIGHT_CONVERSATIONS = Number(args['light-conversations']);
const SEED = Number(args.seed);
/** Mean handle time (assignment → close), exponential. */
const HANDLE_MS = 6 * 60_000;
const T0 = Date.UTC(2026, 10, 23, 1, 0);
const STRATEGIES = ['round_robin', 'least_busy', 'skill_based'];

ensureServerBuilt();
const dist = (p) => import(pathToFileURL(join(ROOT, 'apps/server/dist', p)).href);
const [{ RoutingQueue }, { expectedWaitMs }] = await Promise.all([dist('routing/routing-queue.js'), dist('routing/route-queue.js')]);
const log = (line) => process.stderr.write(`${line}\n`);

// ── scenarios ───────────────────────────────────────────────────────────────────────────────────────

/** mulberry32. */
function prng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const weighted = (pairs) => {
    let u = next() * pairs.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of pairs) if ((u -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  return { next, weighted, exp: (mean) => -Math.log(1 - next()) * mean, int: (n) => Math.floor(next() * n) };
}

const PRIORITY_MIX = [
  ['low', 10],
  ['normal', 70],
  ['high', 15],
  ['urgent', 5],
];

/** 50 agents, one team, the same skills and capacity 4; aging on, or low-priority conversations would wait forever behind the stream of normal ones. */
const uniform = {
  name: 'uniform',
  agingMs: 10 * 60_000,
  agents: Array.from({ length: AGENTS }, (_, i) => ({
    id: `agent-${String(i).padStart(2, '0')}`,
    teamIds: ['support'],
    skills: ['lang:zh-Hans', 'lang:en'],
    capacity: 4,
  })),
  profileOf: () => 'all',
  conversation: (r) => ({ teamId: null, priority: r.weighted(PRIORITY_MIX), skills: [] }),
};

/** Ten profiles of five agents: three teams, three languages, two products, capacities 2–8. */
const PROFILES = [
  { teamIds: ['presales'], skills: ['lang:zh-Hans', 'product:tv'], capacity: 4 },
  { teamIds: ['presales'], skills: ['lang:zh-Hans', 'lang:en', 'product:phone'], capacity: 6 },
  { teamIds: ['aftersales'], skills: ['lang:zh-Hans', 'product:tv', 'product:phone'], capacity: 5 },
  { teamIds: ['aftersales'], skills: ['lang:zh-Hant', 'lang:zh-Hans', 'product:tv'], capacity: 3 },
  { teamIds: ['aftersales'], skills: ['lang:en', 'product:phone'], capacity: 4 },
  { teamIds: ['billing'], skills: ['lang:zh-Hans'], capacity: 8 },
  { teamIds: ['billing', 'aftersales'], skills: ['lang:zh-Hans', 'lang:en'], capacity: 6 },
  { teamIds: ['presales', 'aftersales'], skills: ['lang:zh-Hant', 'lang:en'], capacity: 2 },
  { teamIds: ['presales'], skills: ['lang:en', 'product:tv'], capacity: 4 },
  { teamIds: ['billing'], skills: ['lang:zh-Hant', 'lang:en'], capacity: 3 },
];
const mixed = {
  name: 'mixed',
  agingMs: 5 * 60_000,
  agents: Array.from({ length: AGENTS }, (_, i) => ({ id: `agent-${String(i).padStart(2, '0')}`, ...PROFILES[i % PROFILES.length] })),
  profileOf: (id) => `P${Number(id.slice(6)) % PROFILES.length}`,
  conversation: (r) => ({
    teamId: r.weighted([
      ['presales', 35],
      ['aftersales', 40],
      ['billing', 15],
      [null, 10],
    ]),
    priority: r.weighted(PRIORITY_MIX),
    skills: [
      r.weighted([
        ['lang:zh-Hans', 65],
        ['lang:zh-Hant', 15],
        ['lang:en', 20],
      ]),
    ],
    preferredSkills: r.weighted([
      [['product:tv'], 40],
      [['product:phone'], 40],
      [[], 20],
    ]),
  }),
  churn: { every: 50, back: 25 },
};

// ── simulation ──────────────────────────────────────────────────────────────────────────────────────

class Heap {
  items = [];
  push(x) {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].time <= x.time) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1].time < a[l].time ? l + 1 : l;
        if (a[c].time >= last.time) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
  get size() {
    return this.items.length;
  }
}

/**
 * Runs one scenario against one router. `mode: 'backlog'`: fill every slot plus `WAITING`, then
 * `CLOSES` times: a conversation closes (its agent is freed) and a new one arrives, so the queue
 * stays at its size; with `churn`, every `every` closes an online agent goes offline (its conversations
 * are requeued) and comes back `back` closes later. `mode: 'light'`: Poisson arrivals at `load` of the
 * total capacity, `LIGHT_CONVERSATIONS` of them. The simulation draws its random numbers in the same
 * order whatever the router, so two routers making the same decisions see the same events.
 */
function simulate(sc, router, { mode, load = 0.7, estimate = false, closes: closeCount = CLOSES, conversations = LIGHT_CONVERSATIONS }) {
  const r = prng(SEED);
  const times = { close: [], enqueue: [], offline: [], online: [], fill: [] };
  /** Per event kind, how many events made the naive router sort and walk the queue. */
  const fullPasses = { close: 0, enqueue: 0, offline: 0, online: 0, fill: 0 };
  const perAgent = new Map(sc.agents.map((a) => [a.id, 0]));
  const held = new Map();
  const hash = createHash('sha1');
  const heap = new Heap();
  const presence = new Map(sc.agents.map((a) => [a.id, 'online']));
  const queuedAt = new Map();
  const waits = new Map();
  let now = T0;
  let seq = 0;
  let epoch = 0;

  const apply = (out) => {
    for (const id of out.requeued) held.delete(id);
    for (const a of out.assignments) {
      const e = ++epoch;
      held.set(a.conversationId, e);
      perAgent.set(a.agentId, perAgent.get(a.agentId) + 1);
      heap.push({ time: now + Math.max(1, Math.round(r.exp(HANDLE_MS))), kind: 'close', id: a.conversationId, epoch: e });
      hash.update(`${a.conversationId}>${a.agentId};`);
      const w = waits.get(a.conversationId);
      if (w && w.actual === undefined) w.actual = now - w.queuedAt;
    }
  };
  const timed = (kind, fn) => {
    const passes = router.fullPasses;
    const t0 = process.hrtime.bigint();
    const out = fn();
    times[kind].push(Number(process.hrtime.bigint() - t0) / 1000);
    if (passes !== undefined) fullPasses[kind] += router.fullPasses - passes;
    apply(out);
    return out;
  };
  const arrive = (kind) => {
    const c = { id: `c${String(++seq).padStart(6, '0')}`, queuedAt: now, ...sc.conversation(r) };
    queuedAt.set(c.id, now);
    const out = timed(kind, () => router.enqueue(c, now));
    if (estimate && out.assignments.length === 0) {
      const position = router.position(c.id, now);
      waits.set(c.id, {
        id: c.id,
        priority: c.priority,
        queuedAt: now,
        position,
        predicted: expectedWaitMs(position, { averageHandleMs: HANDLE_MS, onlineCapacity: totalCapacity }),
      });
    }
  };

  const totalCapacity = sc.agents.reduce((s, a) => s + a.capacity, 0);
  for (const a of sc.agents) apply(router.upsertAgent({ ...a, active: 0, presence: 'online', lastAssignedAt: null }, now));

  if (mode === 'backlog') {
    for (let i = 0; i < totalCapacity + WAITING; i++) arrive('fill');
    let closes = 0;
    const back = new Map();
    while (closes < closeCount && heap.size > 0) {
      const e = heap.pop();
      if (held.get(e.id) !== e.epoch) continue;
      now = e.time;
      held.delete(e.id);
      timed('close', () => router.closeConversation(e.id, now));
      arrive('enqueue');
      closes++;
      if (sc.churn) {
        const returning = back.get(closes);
        if (returning) {
          presence.set(returning, 'online');
          timed('online', () => router.setPresence(returning, 'online', now));
        }
        if (closes % sc.churn.every === 0) {
          const online = sc.agents.filter((a) => presence.get(a.id) === 'online');
          const leaving = online[r.int(online.length)].id;
          presence.set(leaving, 'offline');
          timed('offline', () => router.setPresence(leaving, 'offline', now));
          back.set(closes + sc.churn.back, leaving);
        }
      }
    }
  } else {
    const rate = (load * totalCapacity) / HANDLE_MS;
    heap.push({ time: now + Math.round(r.exp(1 / rate)), kind: 'arrive' });
    let arrivals = 0;
    while (heap.size > 0) {
      const e = heap.pop();
      if (e.kind === 'arrive') {
        now = e.time;
        arrive('enqueue');
        if (++arrivals < conversations) heap.push({ time: now + Math.max(1, Math.round(r.exp(1 / rate))), kind: 'arrive' });
        continue;
      }
      if (held.get(e.id) !== e.epoch) continue;
      now = e.time;
      held.delete(e.id);
      timed('close', () => router.closeConversation(e.id, now));
    }
  }
  return { times, fullPasses, perAgent, digest: hash.digest('hex'), waits: [...waits.values()], end: now };
}

const kefu = (sc, strategy) => new RoutingQueue({ strategy, agingMs: sc.agingMs });
const naive = (sc, strategy) => new NaiveRouter({ strategy, agingMs: sc.agingMs });

// ── figures ─────────────────────────────────────────────────────────────────────────────────────────

const quantile = (xs, q) => {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const us = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(a / b < 10 ? 1 : 0)}×` : '—');
const EVENT_LABELS = {
  close: 'close → agent freed',
  enqueue: 'new conversation',
  offline: 'agent offline (requeue)',
  online: 'agent back online',
};

// Warm-up: both routers, every strategy, a short run each (JIT), results discarded.
for (const sc of [uniform, mixed])
  for (const s of STRATEGIES) {
    simulate(sc, kefu(sc, s), { mode: 'backlog', closes: 1000 });
    simulate(sc, naive(sc, s), { mode: 'backlog', closes: 300 });
    simulate(sc, kefu(sc, s), { mode: 'light', conversations: 2000 });
  }

/** What the 1,000 waiting need at the end of a run, and how many online agents have room nonetheless. */
function queueShape(router, now) {
  const waiting = router.waiting(now);
  const needs = new Map();
  for (const c of waiting) {
    const key = `${c.teamId ?? 'any team'} + ${c.skills.join(', ') || 'no skill'}`;
    needs.set(key, (needs.get(key) ?? 0) + 1);
  }
  const top = [...needs].sort((a, b) => b[1] - a[1]).slice(0, 2);
  const idle = router.roster().filter((a) => a.presence === 'online' && a.active < a.capacity).length;
  return { waiting: waiting.length, top, idle };
}

const queueShapes = [];
const latencyRows = [];
const mismatches = [];
let estimateRun = null;
for (const sc of [uniform, mixed]) {
  for (const strategy of STRATEGIES) {
    const t0 = performance.now();
    const router = kefu(sc, strategy);
    const k = simulate(sc, router, { mode: 'backlog', estimate: sc === uniform && strategy === 'least_busy' });
    queueShapes.push({ scenario: sc.name, strategy, ...queueShape(router, k.end) });
    const t1 = performance.now();
    const n = simulate(sc, naive(sc, strategy), { mode: 'backlog' });
    const t2 = performance.now();
    if (k.digest !== n.digest) mismatches.push(`${sc.name}/${strategy}`);
    if (k.waits.length > 0) estimateRun = k;
    log(
      `${sc.name} ${strategy}: kefu ${((t1 - t0) / 1000).toFixed(1)} s, naive ${((t2 - t1) / 1000).toFixed(1)} s, same assignments: ${k.digest === n.digest}`,
    );
    for (const kind of ['close', 'enqueue', 'offline', 'online']) {
      if (k.times[kind].length === 0) continue;
      latencyRows.push({
        scenario: sc.name,
        strategy,
        event: EVENT_LABELS[kind],
        n: k.times[kind].length,
        k50: quantile(k.times[kind], 0.5),
        k99: quantile(k.times[kind], 0.99),
        kmax: quantile(k.times[kind], 1),
        n50: quantile(n.times[kind], 0.5),
        n99: quantile(n.times[kind], 0.99),
        kmean: k.times[kind].reduce((s, x) => s + x, 0) / k.times[kind].length,
        nmean: n.times[kind].reduce((s, x) => s + x, 0) / n.times[kind].length,
        walked: n.fullPasses[kind] / n.times[kind].length,
      });
    }
  }
}

const fairnessRows = [];
for (const sc of [uniform, mixed]) {
  for (const strategy of [...STRATEGIES, 'first_free']) {
    const router = strategy === 'first_free' ? naive(sc, strategy) : kefu(sc, strategy);
    const res = simulate(sc, router, { mode: 'light', load: 0.7 });
    // Agents of equal capacity (and, in the mixed roster, the same teams and skills) side by side.
    const groups = new Map();
    for (const [id, count] of res.perAgent) {
      const g = sc.profileOf(id);
      groups.set(g, [...(groups.get(g) ?? []), count]);
    }
    let worst = { ratio: 0 };
    for (const [g, counts] of groups) {
      const lo = Math.min(...counts);
      const hi = Math.max(...counts);
      const x = lo > 0 ? hi / lo : Number.POSITIVE_INFINITY;
      if (x > worst.ratio) worst = { group: g, lo, hi, ratio: x };
    }
    const p99 = quantile(res.times.enqueue, 0.99);
    fairnessRows.push({ scenario: sc.name, strategy, total: [...res.perAgent.values()].reduce((s, x) => s + x, 0), ...worst, groups: groups.size, p99 });
  }
}

// ── output ──────────────────────────────────────────────────────────────────────────────────────────

console.log(
  `\nRouting — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}; ` +
    `${WAITING.toLocaleString('en-US')} waiting, ${AGENTS} agents, ${CLOSES.toLocaleString('en-US')} closes (+ as many arrivals) per run, mean handle time ${HANDLE_MS / 60_000} min\n`,
);
console.log('Time per event, µs (kefu = incremental RoutingQueue; naive = re-sort the queue and scan every agent on every event):\n');
console.log(
  '| scenario | strategy | event | events | kefu p50 | kefu p99 | kefu max | naive p50 | naive p99 | p99 naive ÷ kefu | mean naive ÷ kefu | naive walked the queue |',
);
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of latencyRows)
  console.log(
    `| ${r.scenario} | ${r.strategy} | ${r.event} | ${r.n.toLocaleString('en-US')} | ${us(r.k50)} | ${us(r.k99)} | ${us(r.kmax)} | ${us(r.n50)} | ${us(r.n99)} | ${ratio(r.n99, r.k99)} | ${ratio(r.nmean, r.kmean)} | ${(r.walked * 100).toFixed(0)}% |`,
  );
console.log('\nAt the end of each backlog run (kefu): what the waiting conversations need, and online agents with room that can take none of them:\n');
for (const q of queueShapes)
  console.log(
    `- ${q.scenario} ${q.strategy}: ${q.waiting.toLocaleString('en-US')} waiting, most of them ${q.top.map(([k, n]) => `${k} (${n})`).join(' and ')}; ${q.idle} agents with room`,
  );
console.log(
  mismatches.length === 0
    ? '\nSame assignments from kefu and the naive router in every run (SHA-1 of the assignment sequence).'
    : `\n**Assignments differ** from the naive router in: ${mismatches.join(', ')}`,
);

console.log(
  `\nFairness at 70 % load (Poisson arrivals, ${LIGHT_CONVERSATIONS.toLocaleString('en-US')} conversations): conversations per agent among agents of equal capacity` +
    ' (uniform: all 50; mixed: the worst of the 10 groups of 5 identical agents). first_free = the first agent in roster order with room (no strategy), for contrast.\n',
);
console.log('| scenario | strategy | assigned | fewest | most | max ÷ min | worst group | new conversation p99 µs |');
console.log('|---|---|---:|---:|---:|---:|---|---:|');
for (const r of fairnessRows)
  console.log(
    `| ${r.scenario} | ${r.strategy} | ${r.total.toLocaleString('en-US')} | ${r.lo} | ${r.hi} | ${Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '∞'} | ${r.groups > 1 ? r.group : 'all'} | ${r.strategy === 'first_free' ? '(naive)' : us(r.p99)} |`,
  );

if (estimateRun) {
  const ws = estimateRun.waits;
  console.log(
    `\nExpected wait (position × ${HANDLE_MS / 60_000} min ÷ ${uniform.agents.reduce((s, a) => s + a.capacity, 0)} slots) against the simulated wait, uniform backlog, least_busy, conversations that had to wait:\n`,
  );
  console.log(
    '| priority | had to wait | served in the run | median predicted min | median actual min | median actual ÷ predicted | p10–p90 actual ÷ predicted |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---|');
  const min = (x) => (Number.isFinite(x) ? (x / 60_000).toFixed(1) : '—');
  const fx = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
  for (const p of ['urgent', 'high', 'normal', 'low', 'all']) {
    const waited = ws.filter((w) => p === 'all' || w.priority === p);
    if (waited.length === 0) continue;
    const served = waited.filter((w) => w.actual !== undefined);
    const predicted = quantile(
      served.map((w) => w.predicted),
      0.5,
    );
    const actual = quantile(
      served.map((w) => w.actual),
      0.5,
    );
    const rs = served.map((w) => w.actual / w.predicted);
    console.log(
      `| ${p} | ${waited.length.toLocaleString('en-US')} | ${served.length.toLocaleString('en-US')} | ${min(predicted)} | ${min(actual)} | ${fx(quantile(rs, 0.5))} | ${fx(quantile(rs, 0.1))}–${fx(quantile(rs, 0.9))} |`,
    );
  }
}
