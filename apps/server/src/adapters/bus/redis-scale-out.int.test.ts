import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DomainEvent } from '../../domain/events.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { RedisConversationLock } from '../lock/redis-conversation-lock.js';
import { RedisEventBus } from './redis-event-bus.js';

const REDIS = process.env.TEST_REDIS_URL;
const PG = process.env.TEST_DATABASE_URL;

describe.runIf(REDIS)('Redis event bus and lock', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it('delivers an event once to local handlers and once to every other instance', async () => {
    const a = await RedisEventBus.connect(REDIS!);
    const b = await RedisEventBus.connect(REDIS!);
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    const seenA: DomainEvent[] = [];
    const seenB: DomainEvent[] = [];
    a.subscribe((e) => void seenA.push(e));
    const gotB = new Promise<void>((resolve) =>
      b.subscribe((e) => {
        seenB.push(e);
        resolve();
      }),
    );
    await a.publish([{ type: 'knowledge.changed', workspaceId: 'w-1' }]);
    await gotB;
    await new Promise((r) => setTimeout(r, 100));
    expect(seenA).toEqual([{ type: 'knowledge.changed', workspaceId: 'w-1' }]);
    expect(seenB).toEqual([{ type: 'knowledge.changed', workspaceId: 'w-1' }]);
  });

  it('gives own-event listeners only what their instance published (history is written once)', async () => {
    const a = await RedisEventBus.connect(REDIS!);
    const b = await RedisEventBus.connect(REDIS!);
    closers.push(
      () => a.close(),
      () => b.close(),
    );
    const ownA: DomainEvent[] = [];
    const ownB: DomainEvent[] = [];
    a.subscribeOwn((e) => void ownA.push(e));
    b.subscribeOwn((e) => void ownB.push(e));
    const relayed = new Promise<void>((resolve) => b.subscribe((e) => e.workspaceId === 'w-own' && resolve()));
    await a.publish([{ type: 'teams.changed', workspaceId: 'w-own' }]);
    // B heard it (all listeners), but it is not B's own.
    await relayed;
    await new Promise((r) => setTimeout(r, 100));
    expect(ownA).toEqual([{ type: 'teams.changed', workspaceId: 'w-own' }]);
    expect(ownB).toEqual([]);
  });

  it('serialises work on one conversation across instances', async () => {
    const r1 = new Redis(REDIS!);
    const r2 = new Redis(REDIS!);
    closers.push(
      () => r1.quit(),
      () => r2.quit(),
    );
    const l1 = new RedisConversationLock(r1);
    const l2 = new RedisConversationLock(r2);
    const id = `c-${randomBytes(4).toString('hex')}`;
    const log: string[] = [];
    const work = (l: RedisConversationLock, name: string) =>
      l.run(id, async () => {
        log.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 30));
        log.push(`${name}:end`);
      });
    await Promise.all([work(l1, 'a'), work(l2, 'b'), work(l1, 'c'), work(l2, 'd')]);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace('start', 'end'));
  });

  it('takes over a lock whose holder died, after its time-to-live', async () => {
    const r = new Redis(REDIS!);
    closers.push(() => r.quit());
    const id = `c-${randomBytes(4).toString('hex')}`;
    await r.set(`kefu:lock:conversation:${id}`, 'dead-holder', 'PX', 200);
    const lock = new RedisConversationLock(r, { ttlMs: 1000, waitMs: 2000 });
    expect(await lock.run(id, async () => 'ran')).toBe('ran');
    const busy = new RedisConversationLock(r, { ttlMs: 1000, waitMs: 50 });
    await r.set(`kefu:lock:conversation:${id}`, 'other', 'PX', 5000);
    await expect(busy.run(id, async () => 'never')).rejects.toMatchObject({ code: 'CONVERSATION_BUSY' });
  });
});

describe.runIf(REDIS && PG)('two instances on PostgreSQL + Redis', () => {
  let a: TestServer;
  let b: TestServer;
  const schema = `kefu_scale_${randomBytes(5).toString('hex')}`;
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('shows an agent on instance B the chat a customer has on instance A', async () => {
    const c = new pg.Client({ connectionString: PG });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.end();
    const env = { REDIS_URL: REDIS! };
    a = await startTestServer({ listen: true, databaseUrl: PG!, databaseSchema: schema, env });
    b = await startTestServer({ listen: true, databaseUrl: PG!, databaseSchema: schema, env, demo: false });
    const login = await (
      await fetch(`${b.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: a.demo!.adminEmail, password: a.demo!.adminPassword }),
      })
    ).json();
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/v1/ws?token=${login.token}`);
    const frames: Array<{ type: string; message?: { text: string; author: { type: string } } }> = [];
    const gotAnswer = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        const f = JSON.parse(String(d));
        frames.push(f);
        if (f.type === 'message.created' && f.message.author.type === 'bot' && f.message.metadata.kind === 'answer') resolve();
      }),
    );
    await new Promise((r) => ws.once('open', r));
    const start = await (
      await fetch(`${a.url}/v1/widget/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kefu-widget-key': a.demo!.workspace.widgetKey },
        body: '{"locale":"zh-CN"}',
      })
    ).json();
    await fetch(`${a.url}/v1/widget/conversations/${start.conversation.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${start.visitorToken}` },
      body: JSON.stringify({ text: '运费多少钱' }),
    });
    await gotAnswer;
    expect(frames.some((f) => f.type === 'message.created' && f.message?.text === '运费多少钱')).toBe(true);
    const viaB = await (
      await fetch(`${b.url}/v1/widget/conversations/${start.conversation.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${start.visitorToken}` },
        body: JSON.stringify({ text: '怎么开发票' }),
      })
    ).json();
    expect(viaB.replies[0].metadata.kind).toBe('answer');
    ws.close();
  });

  it('counts a rate limit across instances: the 31st conversation a minute from one address is refused, whichever instance it reaches', async () => {
    // A fresh address per run: the counts live in Redis for the rest of the minute.
    const address = `10.${randomBytes(3).join('.')}`;
    const start = (server: TestServer) =>
      server.app.inject({
        method: 'POST',
        url: '/v1/widget/conversations',
        remoteAddress: address,
        headers: { 'x-kefu-widget-key': a.demo!.workspace.widgetKey },
        payload: { locale: 'zh-CN' },
      });
    for (let i = 0; i < 15; i++) {
      expect((await start(a)).statusCode).toBe(201);
      expect((await start(b)).statusCode).toBe(201);
    }
    // Each instance has seen 15: alone, either would still let it through.
    const refused = await start(a);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect((await start(b)).statusCode).toBe(429);
  });
});
