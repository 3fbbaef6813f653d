import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, demoChat, loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Hand-off: the context an agent reads first, the hand-off API for agents and external systems, one
// owner per conversation (claim with 409 naming the holder), and the explicit handback to the bot.
let s: TestServer;
let admin: { authorization: string };

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
});
afterAll(() => s.close());

const conversation = async (id: string, headers = admin) => (await s.app.inject({ url: `/v1/conversations/${id}`, headers })).json();
const post = (url: string, headers: Record<string, string>, payload?: object) =>
  s.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

describe('hand-off context', () => {
  it('captures why, what the customer said, how they feel and what the bot answered from which entry', async () => {
    const c = await demoChat(s, admin, 'zh-CN');
    await c.say('满多少包邮？');
    await c.say('退款多久到账');
    const r = await c.say('我要转人工');
    expect(r.conversation.status).toBe('queued');
    const { handoff, queuedAt } = await conversation(c.v.id);
    expect(queuedAt).not.toBeNull();
    expect(handoff).toMatchObject({ trigger: 'customer_request', by: 'bot', language: 'zh-Hans' });
    expect(handoff.customerMessages).toEqual(['满多少包邮？', '退款多久到账', '我要转人工']);
    expect(handoff.tried.length).toBe(2);
    expect(handoff.tried[0]).toMatchObject({ kind: 'answer', reason: 'knowledge_match' });
    expect(handoff.tried[0].sources[0].title).toMatch(/包邮/);
    expect(handoff.sentiment).toMatchObject({ label: expect.any(String), negativeStreak: expect.any(Number) });
    // The customer never sees the bot's reading of them.
    expect(r.conversation.handoff).toBeUndefined();
    expect((await s.app.inject({ url: `/v1/widget/conversations/${c.v.id}`, headers: c.v.headers })).json().handoff).toBeUndefined();
  });
});

describe('hand-off API', () => {
  it('lets an agent or an external system hand off with a reason, note and priority; the bot stops', async () => {
    const v = await startVisitor(s);
    await say(s, v, '满多少包邮？');
    const r = await post(`/v1/conversations/${v.id}/handoff`, admin, { reason: 'crm_vip', note: 'VIP 客户，来自 CRM', priority: 'high' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'queued', priority: 'high', handoffReason: 'crm_vip', handoff: { by: 'agent', note: 'VIP 客户，来自 CRM' } });
    const after = await say(s, v, '在吗？');
    expect(after.json().replies).toEqual([]);
    // Again while queued: reason and priority change, it stays in the queue with its place.
    const again = (await post(`/v1/conversations/${v.id}/handoff`, admin, { reason: 'escalated', priority: 'urgent' })).json();
    expect(again).toMatchObject({ status: 'queued', priority: 'urgent', queuedAt: r.json().queuedAt });
  });

  it('refuses bad input, a conversation a person owns, and another workspace’s conversation', async () => {
    const v = await startVisitor(s);
    for (const payload of [{}, { reason: '' }, { reason: 'x', priority: 'asap' }, { reason: 'x'.repeat(201) }, { reason: 'bad \ud800' }]) {
      const r = await post(`/v1/conversations/${v.id}/handoff`, admin, payload);
      expect(r.statusCode).toBe(400);
      expect(r.json().errors[0].field).toMatch(/^body/);
    }
    await post(`/v1/conversations/${v.id}/claim`, admin);
    const owned = await post(`/v1/conversations/${v.id}/handoff`, admin, { reason: 'x' });
    expect(owned.statusCode).toBe(409);
    expect(owned.json().code).toBe('CONVERSATION_INVALID_TRANSITION');
    const other = await loginOtherWorkspace(s, 'handoff-other');
    expect((await post(`/v1/conversations/${v.id}/handoff`, other, { reason: 'x' })).statusCode).toBe(404);
    expect((await post('/v1/conversations/nope/handoff', admin, { reason: 'x' })).statusCode).toBe(404);
  });
});

describe('VIP contacts', () => {
  it('hand a VIP to people at once with a higher priority; other customers still get the bot', async () => {
    await s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload: { vip: { attribute: 'tier', values: ['gold', 'platinum'] } } });
    try {
      const vip = await startVisitor(s);
      const contactId = vip.body.conversation.contact.id;
      expect(
        (await s.app.inject({ method: 'PATCH', url: `/v1/contacts/${contactId}`, headers: admin, payload: { attributes: { tier: 'gold' } } })).statusCode,
      ).toBe(200);
      const r = (await say(s, vip, '满多少包邮？')).json();
      expect(r.conversation).toMatchObject({ status: 'queued', handoffReason: 'vip', priority: 'high' });
      const regular = await startVisitor(s);
      expect((await say(s, regular, '满多少包邮？')).json().conversation.status).toBe('bot');
    } finally {
      await s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload: { vip: null } });
    }
  });
});

describe('business hours', () => {
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const allWeek = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ from: '09:00', to: '18:00' }]]));
  const patch = (payload: object) => s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload });

  it('out of hours, a hand-off tells the customer when people are back and opens a ticket instead of queueing', async () => {
    // Closed all day today (a holiday), open from 09:00 tomorrow.
    expect((await patch({ businessHours: { timeZone: 'Asia/Shanghai', weekly: allWeek, holidays: [today()] } })).statusCode).toBe(200);
    try {
      const c = await demoChat(s, admin, 'zh-CN');
      const r = await c.say('我要转人工，我的快递丢了');
      expect(r.text).toMatch(/现在是非工作时间，人工客服将于 .*09:00 上班。我已为您登记工单/);
      expect(r.conversation.status).toBe('bot');
      const tickets = (await s.app.inject({ url: `/v1/tickets?conversationId=${c.v.id}`, headers: admin })).json().items;
      expect(tickets[0]).toMatchObject({ source: 'bot', subject: '我要转人工，我的快递丢了' });
      const trace = await c.trace();
      expect(trace.stages.find((x: { stage: string }) => x.stage === 'business-hours').output).toMatchObject({ mode: 'ticket' });

      await patch({ afterHours: 'queue' });
      const q = await demoChat(s, admin, 'en');
      const r2 = await q.say('I want to talk to a human');
      expect(r2.text).toMatch(/Our team is away right now and back at .*09:00/);
      expect(r2.conversation.status).toBe('queued');
    } finally {
      await patch({ businessHours: null, afterHours: null });
    }
  });

  it('refuses hours that make no sense, naming the field', async () => {
    for (const [businessHours, field] of [
      [{ timeZone: 'Asia/Shanghai', weekly: { mon: [{ from: '18:00', to: '09:00' }] } }, 'body.businessHours.weekly.mon'],
      [{ timeZone: 'Nowhere/Land', weekly: {} }, 'body.businessHours.timeZone'],
      [{ timeZone: 'Asia/Shanghai', weekly: { mon: [{ from: '9', to: '18:00' }] } }, 'body.businessHours.weekly.mon'],
      [{ timeZone: 'Asia/Shanghai', weekly: {}, holidays: ['2026-02-30'] }, 'body.businessHours.holidays'],
    ] as const) {
      const r = await patch({ businessHours });
      expect(r.statusCode).toBe(400);
      expect(r.json().errors.some((e: { field: string }) => e.field.startsWith(field))).toBe(true);
    }
  });
});

describe('reply suggestions', () => {
  it('suggests knowledge answers for what the customer asked since anyone answered, in their language; nothing is sent', async () => {
    const c = await demoChat(s, admin, 'zh-TW');
    await c.say('退款多久到賬？');
    // Right after the request for a person, the question before it is what needs answering.
    await c.say('轉人工');
    const r = await s.app.inject({ url: `/v1/conversations/${c.v.id}/suggestions`, headers: admin });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ query: '退款多久到賬？', generated: 'off' });
    expect(body.items[0]).toMatchObject({ kind: 'knowledge', source: { title: expect.stringContaining('退款') } });
    // In Traditional, as the customer writes.
    expect(body.items[0].text).toMatch(/[退款]/);
    expect(body.items[0].text).not.toMatch(/[级]|[这]/);
    const messages = (await s.app.inject({ url: `/v1/conversations/${c.v.id}/messages`, headers: admin })).json().items;
    expect(messages.filter((m: { author: { type: string } }) => m.author.type === 'agent')).toEqual([]);
  });

  it('answers 404 for another workspace’s conversation and 401 without a member token', async () => {
    const v = await startVisitor(s);
    const other = await loginOtherWorkspace(s, 'suggest-other');
    expect((await s.app.inject({ url: `/v1/conversations/${v.id}/suggestions`, headers: other })).statusCode).toBe(404);
    expect((await s.app.inject({ url: `/v1/conversations/${v.id}/suggestions`, headers: v.headers })).statusCode).toBe(401);
    expect((await s.app.inject({ url: `/v1/conversations/${v.id}/suggestions`, headers: admin })).json()).toEqual({ query: '', items: [], generated: 'off' });
  });
});

describe('ownership', () => {
  it('one owner: a second agent’s claim gets 409 naming the holder, an admin takes over, release hands back to the bot', async () => {
    const lily = await addMember(s, admin, 'agent', 'lily@demo.test');
    const wang = await addMember(s, admin, 'agent', 'wang@demo.test');
    const v = await startVisitor(s);
    await say(s, v, '转人工');
    expect((await post(`/v1/conversations/${v.id}/claim`, lily.headers)).json()).toMatchObject({ status: 'assigned', assignee: { name: 'lily' } });
    expect((await post(`/v1/conversations/${v.id}/claim`, lily.headers)).statusCode).toBe(200);
    const taken = await post(`/v1/conversations/${v.id}/claim`, wang.headers);
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'CONVERSATION_ASSIGNED_TO_OTHER', holder: { name: 'lily' } });
    expect((await post(`/v1/conversations/${v.id}/release`, wang.headers)).statusCode).toBe(409);
    expect((await post(`/v1/conversations/${v.id}/claim`, admin)).json()).toMatchObject({ assignee: { name: expect.not.stringMatching('lily') } });

    const back = (await post(`/v1/conversations/${v.id}/release`, admin)).json();
    expect(back).toMatchObject({ status: 'bot', assignee: null, queuedAt: null });
    expect((await say(s, v, '满多少包邮？')).json().replies[0].text).toContain('99');
    // Nothing to release twice.
    expect((await post(`/v1/conversations/${v.id}/release`, admin)).statusCode).toBe(409);
  });
});

describe('hand-off context from a flow', () => {
  it('keeps what a flow collected when the flow hands off', async () => {
    // The last test: the order API stays down.
    await s.shop!.close();
    {
      const c = await demoChat(s, admin, 'zh-CN');
      await c.say('查订单');
      const r = await c.say('YD2026111800456');
      expect(r.conversation.status).toBe('queued');
      const { handoff } = await conversation(c.v.id);
      expect(handoff.trigger).toMatch(/unavailable|flow|error/);
      expect(handoff.flow).toMatchObject({ key: 'order_status', slots: { order_no: 'YD2026111800456' } });
    }
  });
});
