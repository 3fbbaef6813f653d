import type { SlaEvent } from '@kefu/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../ports/clock.js';
import { testServerDatabases } from '../test-support/dialects.js';
import { loginDemo, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// SLA clocks as a support team lives with them: a conversation handed to people must get a first
// answer and be resolved in time; at 80% of the target it turns amber, past it red, each announced
// once however often the sweep runs; a reply stops the first-response clock, handing back to the
// bot cancels, tickets keep their own (longer) clocks. Time is a clock the test moves.

type Headers = { authorization: string };
const MIN = 60_000;

/** A clock the test moves by hand. */
class TestClock implements Clock {
  constructor(private t: number) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

for (const db of testServerDatabases()) {
  describe(`SLA clocks (${db.name})`, () => {
    let s: TestServer;
    let admin: Headers;
    let drop: () => Promise<void>;
    const clock = new TestClock(Date.parse('2026-04-27T02:00:00Z'));

    beforeAll(async () => {
      const opened = await db.open();
      drop = opened.drop;
      s = await startTestServer({
        clock,
        ...(opened.databaseUrl ? { databaseUrl: opened.databaseUrl } : {}),
        ...(opened.databaseSchema ? { databaseSchema: opened.databaseSchema } : {}),
      });
      admin = await loginDemo(s);
    });
    afterAll(async () => {
      await s?.close();
      await drop?.();
    });

    const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Headers = admin) =>
      s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    const handoff = async (priority: string) => {
      const v = await startVisitor(s);
      const r = await inject('POST', `/v1/conversations/${v.id}/handoff`, { reason: 'customer_request', priority });
      expect(r.statusCode).toBe(200);
      return v.id;
    };
    const conversation = async (id: string) => (await inject('GET', `/v1/conversations/${id}`)).json();
    const events = async (query: string): Promise<SlaEvent[]> => (await inject('GET', `/v1/sla/events?${query}`)).json().items;
    const eventsOf = async (query: string, id: string) => (await events(query)).filter((e) => e.conversationId === id || e.ticketId === id);
    const sweep = () => s.deps.sla.sweep();

    it('starts the clocks at hand-off, warns at 80% and breaches at the due time, each once', async () => {
      const id = await handoff('urgent');
      const c = await conversation(id);
      expect(c.sla.firstResponse).toMatchObject({ state: 'running', at: null, dueAt: new Date(clock.now().getTime() + 5 * MIN).toISOString() });
      expect(c.sla.resolution).toMatchObject({ state: 'running', dueAt: new Date(clock.now().getTime() + 60 * MIN).toISOString() });

      clock.advance(4 * MIN);
      await sweep();
      await sweep();
      expect((await conversation(id)).sla.firstResponse.state).toBe('warning');
      expect(await eventsOf('kind=warning', id)).toHaveLength(1);
      const atRisk = (await inject('GET', '/v1/conversations?sla=at_risk')).json().items.map((x: { id: string }) => x.id);
      expect(atRisk).toContain(id);

      clock.advance(1 * MIN);
      await Promise.all([sweep(), sweep()]);
      await sweep();
      expect((await conversation(id)).sla.firstResponse.state).toBe('breached');
      const breaches = await eventsOf('kind=breach', id);
      expect(breaches).toHaveLength(1);
      expect(breaches[0]).toMatchObject({ metric: 'first_response', priority: 'urgent', conversationId: id, ticketId: null });
      const breached = (await inject('GET', '/v1/conversations?sla=breached')).json().items.map((x: { id: string }) => x.id);
      expect(breached).toContain(id);

      // The late reply stops the clock (still breached); the conversation leaves the breached filter.
      const reply = await inject('POST', `/v1/conversations/${id}/messages`, { text: '您好，久等了' });
      expect(reply.statusCode).toBe(200);
      const after = await conversation(id);
      expect(after.sla.firstResponse).toMatchObject({ state: 'breached', at: clock.now().toISOString() });
      expect(after.sla.resolution.state).toBe('running');
      expect((await inject('GET', '/v1/conversations?sla=breached')).json().items.map((x: { id: string }) => x.id)).not.toContain(id);
    });

    it('a reply in time meets first response (notes do not), resolving meets resolution', async () => {
      const id = await handoff('normal');
      clock.advance(5 * MIN);
      await inject('POST', `/v1/conversations/${id}/messages`, { text: '内部备注：先查订单', kind: 'note' });
      expect((await conversation(id)).sla.firstResponse.state).toBe('running');
      await inject('POST', `/v1/conversations/${id}/messages`, { text: 'Hello, let me check that for you.' });
      expect((await conversation(id)).sla.firstResponse).toMatchObject({ state: 'met', at: clock.now().toISOString() });
      clock.advance(10 * MIN);
      expect((await inject('PATCH', `/v1/conversations/${id}`, { status: 'resolved' })).statusCode).toBe(200);
      const done = await conversation(id);
      expect(done.sla.resolution).toMatchObject({ state: 'met', at: clock.now().toISOString() });
      expect((await eventsOf('kind=met', id)).map((e) => e.metric).sort()).toEqual(['first_response', 'resolution']);
      clock.advance(24 * 60 * MIN);
      await sweep();
      expect(await eventsOf('kind=breach', id)).toHaveLength(0);
    });

    it('handing back to the bot cancels both clocks: no warning, no breach', async () => {
      const id = await handoff('urgent');
      clock.advance(2 * MIN);
      expect((await inject('POST', `/v1/conversations/${id}/release`)).statusCode).toBe(200);
      const c = await conversation(id);
      expect(c.sla.firstResponse.state).toBe('cancelled');
      expect(c.sla.resolution.state).toBe('cancelled');
      clock.advance(120 * MIN);
      await sweep();
      expect(await eventsOf('metric=first_response', id)).toHaveLength(0);
    });

    it('a priority change recomputes the due times from the same start', async () => {
      const id = await handoff('low');
      const start = Date.parse((await conversation(id)).queuedAt);
      expect((await conversation(id)).sla.firstResponse.dueAt).toBe(new Date(start + 120 * MIN).toISOString());
      clock.advance(1 * MIN);
      await inject('POST', `/v1/conversations/${id}/handoff`, { reason: 'vip', priority: 'high' });
      const c = await conversation(id);
      expect(c.sla.firstResponse.dueAt).toBe(new Date(start + 15 * MIN).toISOString());
      expect(c.sla.resolution.dueAt).toBe(new Date(start + 240 * MIN).toISOString());
      await inject('PATCH', `/v1/conversations/${id}`, { status: 'closed' });
    });

    it('tickets: a public comment is the first response, solving meets resolution, a late one breaches once', async () => {
      const created = await inject('POST', '/v1/tickets', { subject: '退款未到账', priority: 'urgent' });
      expect(created.statusCode).toBe(201);
      const ticket = created.json();
      expect(ticket.sla.firstResponse).toMatchObject({ state: 'running', dueAt: new Date(clock.now().getTime() + 60 * MIN).toISOString() });
      clock.advance(10 * MIN);
      await inject('POST', `/v1/tickets/${ticket.id}/comments`, { body: '内部：联系财务', public: false });
      expect((await inject('GET', `/v1/tickets/${ticket.id}`)).json().sla.firstResponse.state).toBe('running');
      await inject('POST', `/v1/tickets/${ticket.id}/comments`, { body: '已在处理，请稍候', public: true });
      expect((await inject('GET', `/v1/tickets/${ticket.id}`)).json().sla.firstResponse.state).toBe('met');

      clock.advance(8 * 60 * MIN);
      await sweep();
      await sweep();
      const breaches = await eventsOf('kind=breach', ticket.id);
      expect(breaches).toHaveLength(1);
      expect(breaches[0]).toMatchObject({ metric: 'resolution', ticketId: ticket.id, conversationId: null });
      const solved = await inject('PATCH', `/v1/tickets/${ticket.id}`, { status: 'solved' });
      expect(solved.json().sla.resolution).toMatchObject({ state: 'breached', at: clock.now().toISOString() });
    });

    it('summarises open clocks and targets met for managers', async () => {
      const r = await inject('GET', '/v1/sla/summary');
      expect(r.statusCode).toBe(200);
      const summary = r.json();
      expect(summary.firstResponse.met).toBeGreaterThanOrEqual(2);
      expect(summary.firstResponse.breached).toBeGreaterThanOrEqual(1);
      expect(summary.firstResponse.metPercent).toBeGreaterThan(0);
      expect(summary.firstResponse.metPercent).toBeLessThan(100);
      expect(summary.conversations.running + summary.conversations.atRisk + summary.conversations.breached).toBeGreaterThanOrEqual(1);
    });

    it('takes no clocks when the policy is off', async () => {
      expect((await inject('PATCH', '/v1/settings', { sla: { enabled: false } })).statusCode).toBe(200);
      const id = await handoff('urgent');
      expect((await conversation(id)).sla).toBeNull();
      expect((await inject('PATCH', '/v1/settings', { sla: null })).statusCode).toBe(200);
    });

    it.each([
      [{ sla: { warnAtPercent: 150 } }, 'body.sla.warnAtPercent'],
      [{ sla: { targets: { urgent: { firstResponse: 30, resolution: 10 } } } }, 'body.sla.targets.urgent.resolution'],
      [{ sla: { targets: { normal: { firstResponse: 0, resolution: 60 } } } }, 'body.sla.targets.normal.firstResponse'],
      [{ sla: { ticketTargets: { vip: { firstResponse: 5, resolution: 60 } } } }, 'body.sla.ticketTargets'],
    ])('refuses %j with 400 naming %s', async (payload, field) => {
      const r = await inject('PATCH', '/v1/settings', payload);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const problem = r.json();
      const fields = [problem.field ?? '', ...(problem.errors ?? []).map((e: { field: string }) => e.field)];
      expect(fields.some((f: string) => f.startsWith(field))).toBe(true);
    });

    it('stores targets and shows them with their defaults', async () => {
      const r = await inject('PATCH', '/v1/settings', { sla: { targets: { urgent: { firstResponse: 3, resolution: 45 } }, warnAtPercent: 75 } });
      expect(r.statusCode).toBe(200);
      const eff = r.json().effective.sla;
      expect(eff.targets.urgent).toEqual({ firstResponse: 3, resolution: 45 });
      expect(eff.targets.normal).toEqual({ firstResponse: 30, resolution: 480 });
      expect(eff.warnAtPercent).toBe(75);
      expect(eff.businessHoursOnly).toBe(true);
      await inject('PATCH', '/v1/settings', { sla: null });
    });
  });
}

// Several instances share one PostgreSQL database and all sweep: each breach is still recorded and
// announced once.
const pg = testServerDatabases().find((d) => d.name === 'postgres');
describe.skipIf(!pg)('SLA clocks with two instances (postgres)', () => {
  it('records one breach when both instances sweep at once', async () => {
    const opened = await pg!.open();
    const clock = new TestClock(Date.parse('2026-04-27T02:00:00Z'));
    const where = { databaseUrl: opened.databaseUrl!, databaseSchema: opened.databaseSchema!, clock };
    const a = await startTestServer(where);
    const b = await startTestServer({ ...where, demo: false });
    try {
      const admin = await loginDemo(a);
      const announced: string[] = [];
      for (const s of [a, b]) s.deps.ctx.bus.subscribe((e) => void (e.type === 'sla.breached' && announced.push(e.event.id)));
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const v = await startVisitor(a);
        await a.app.inject({ method: 'POST', url: `/v1/conversations/${v.id}/handoff`, headers: admin, payload: { reason: 'x', priority: 'urgent' } });
        ids.push(v.id);
      }
      clock.advance(6 * MIN);
      await Promise.all([a.deps.sla.sweep(), b.deps.sla.sweep(), a.deps.sla.sweep(), b.deps.sla.sweep()]);
      const items: SlaEvent[] = (await a.app.inject({ url: '/v1/sla/events?kind=breach&limit=200', headers: admin })).json().items;
      for (const id of ids) expect(items.filter((e) => e.conversationId === id && e.metric === 'first_response')).toHaveLength(1);
      expect(announced).toHaveLength(ids.length);
      expect(new Set(announced).size).toBe(ids.length);
    } finally {
      await b.close();
      await a.close();
      await opened.drop();
    }
  });
});
