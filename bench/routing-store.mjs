#!/usr/bin/env node
// Routing as the product runs it (apps/server/dist, usecases/route-queued.ts): each pass reads the
// workspace's open conversations, members and teams from the database under the workspace's lock,
// plans with the routing engine, and assigns each conversation under its own lock with the customer's
// "who joined" message in the same write (ADR 0006). bench/routing.mjs measures the engine alone.
//
// 1,000 conversations wait (mixed priorities, half of them in one of two teams), 50 agents (capacity 5,
// 25 in each team). Measured:
//   - the first pass when all 50 agents come online: 250 assignments in one pass;
//   - steady state: an agent finishes a conversation (resolved), the pass gives them the next one —
//     the latency of that pass (what a customer at the head of the queue waits beyond the agent), and
//   - fairness: conversations per agent after the steady-state events (equal capacity).
// SQLite by default; `-- --database postgres://…` (or TEST_DATABASE_URL with `--pg`) for PostgreSQL.
// Usage: npm run bench:routing  (runs bench/routing.mjs, then this)  |  node bench/routing-store.mjs [--events 300] [--pg]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureServerBuilt, ROOT } from './lib/ensure-server-built.mjs';

const { values: args } = parseArgs({
  options: { events: { type: 'string', default: '300' }, database: { type: 'string' }, pg: { type: 'boolean', default: false } },
});
const EVENTS = Number(args.events);
const WAITING = 1000;
const AGENTS = 50;
const CAPACITY = 5;
const PRIORITIES = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];

ensureServerBuilt();
const dist = (p) => import(pathToFileURL(join(ROOT, 'apps/server/dist', p)).href);
const [{ createDeps, createLogger }, { parseEnv }, { createWorkspace }, { routeQueued }] = await Promise.all([
  dist('deps.js'),
  dist('config/config.js'),
  dist('usecases/create-workspace.js'),
  dist('usecases/route-queued.js'),
]);

const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : Number.NaN;
};
const fmt = (n) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-routing-'));
const url = args.database ?? (args.pg ? process.env.TEST_DATABASE_URL : undefined) ?? `sqlite:${join(dataDir, 'kefu.db')}`;
const env = parseEnv({ DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', PORT: '0', DEMO: 'false' });
const config = Object.freeze({ ...env, appSecret: 'bench-secret-bench-secret-bench-secret-12' });
// PostgreSQL: a schema of its own, dropped at the end.
const schema = url.startsWith('postgres') ? `bench_routing_${Date.now()}` : null;
const { default: pg } = schema ? await import('pg') : { default: null };
if (schema) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.end();
}
const deps = await createDeps(config, { log: createLogger(config), ...(schema ? { database: { schema } } : {}) });
const { ctx } = deps;
const dialect = ctx.store.dialect;

const slug = `bench-${Date.now().toString(36)}`;
const { workspace } = await createWorkspace(ctx, { slug, name: 'Routing bench' });
await ctx.store.workspaces.updateSettings(workspace.id, { ...workspace.settings, routing: { autoAssign: true, strategy: 'least_busy' } });
const now = () => ctx.clock.now().toISOString();

const members = [];
for (let i = 0; i < AGENTS; i++) {
  const m = {
    id: ctx.ids.next(),
    workspaceId: workspace.id,
    email: `agent-${i}@bench.test`,
    name: `Agent ${i}`,
    role: 'agent',
    passwordHash: 'x',
    disabled: false,
    createdAt: now(),
  };
  await ctx.store.members.create(m);
  members.push(m);
}
const teams = ['售后', '售前'].map((name, t) => ({
  id: ctx.ids.next(),
  workspaceId: workspace.id,
  name,
  description: '',
  memberIds: members.filter((_, i) => i % 2 === t).map((m) => m.id),
  createdAt: now(),
  updatedAt: now(),
}));
for (const t of teams) await ctx.store.teams.create(t);

let seq = 0;
async function enqueue() {
  const at = new Date(Date.parse('2026-11-20T00:00:00Z') + seq++ * 1000).toISOString();
  const contact = {
    id: ctx.ids.next(),
    workspaceId: workspace.id,
    externalId: null,
    name: null,
    email: null,
    phone: null,
    attributes: {},
    createdAt: at,
    updatedAt: at,
  };
  await ctx.store.contacts.create(contact);
  const team = seq % 2 === 0 ? teams[seq % 4 === 0 ? 0 : 1].id : null;
  await ctx.store.conversations.create({
    id: ctx.ids.next(),
    workspaceId: workspace.id,
    contactId: contact.id,
    channel: 'web',
    status: 'queued',
    assigneeId: null,
    language: 'zh-Hans',
    handoffReason: 'customer_request',
    lastMessageAt: at,
    lastMessagePreview: '转人工',
    tags: [],
    priority: PRIORITIES[seq % PRIORITIES.length],
    dialogue: null,
    handoff: null,
    queuedAt: at,
    teamId: team,
    snoozedUntil: null,
    createdAt: at,
    updatedAt: at,
  });
}
process.stderr.write(`seeding ${WAITING} waiting conversations and ${AGENTS} agents on ${dialect}…\n`);
for (let i = 0; i < WAITING; i++) await enqueue();

// Everyone comes online at once (as the store has it: the bench calls the pass itself, no listener).
for (const m of members) await ctx.store.members.update({ ...m, presence: 'online', capacity: CAPACITY });
let t = performance.now();
const first = await routeQueued(ctx, workspace.id);
const firstMs = performance.now() - t;

// Steady state: an agent resolves one of theirs (oldest first), a new customer joins, the pass runs.
const passMs = [];
const perAgent = new Map(members.map((m) => [m.id, 0]));
for (const a of first) perAgent.set(a.agentId, perAgent.get(a.agentId) + 1);
for (let e = 0; e < EVENTS; e++) {
  const agent = members[e % AGENTS];
  const mine = await ctx.store.conversations.list(workspace.id, { status: ['assigned'], assigneeId: agent.id, limit: 1 });
  const done = mine.items[0];
  if (done) await ctx.store.conversations.update({ ...done, status: 'resolved', updatedAt: now() });
  await enqueue();
  t = performance.now();
  const assigned = await routeQueued(ctx, workspace.id);
  passMs.push(performance.now() - t);
  for (const a of assigned) perAgent.set(a.agentId, perAgent.get(a.agentId) + 1);
}
const counts = [...perAgent.values()];

console.log(
  `\nRouting through the store (${dialect}, ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}): ${WAITING} waiting, ${AGENTS} agents × capacity ${CAPACITY}, two teams\n`,
);
console.log('| pass | runs | assignments per pass | p50 ms | p99 ms | max ms |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(`| all agents come online | 1 | ${first.length} | ${fmt(firstMs)} | ${fmt(firstMs)} | ${fmt(firstMs)} |`);
console.log(`| an agent frees a slot | ${passMs.length} | 1 | ${fmt(quantile(passMs, 0.5))} | ${fmt(quantile(passMs, 0.99))} | ${fmt(Math.max(...passMs))} |`);
console.log(
  `\nPer assignment in the first pass: ${fmt(firstMs / Math.max(1, first.length))} ms (the customer's "who joined" message is written with each). Fairness after ${EVENTS} events, conversations per agent of equal capacity: fewest ${Math.min(...counts)}, most ${Math.max(...counts)}, max ÷ min ${(Math.max(...counts) / Math.max(1, Math.min(...counts))).toFixed(2)}.`,
);

await deps.close();
if (schema) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA ${schema} CASCADE`);
  await c.end();
}
rmSync(dataDir, { recursive: true, force: true });
