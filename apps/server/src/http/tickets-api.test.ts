import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Tickets carry on after the chat: numbered per workspace, linked to the conversation, and every
// status change or public reply is told to the customer in their conversation, in their language.
let s: TestServer;
let admin: { authorization: string };

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
});
afterAll(() => s.close());

const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers = admin) =>
  s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const customerSees = async (v: { id: string; headers: Record<string, string> }) =>
  (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items.map((m: { text: string }) => m.text);

describe('tickets', () => {
  it('opens a numbered ticket from a conversation, works it, and keeps the customer informed in their language', async () => {
    const v = await startVisitor(s, { locale: 'zh-TW' });
    await say(s, v, '我的電視螢幕有壞點，要換貨');
    const lily = await addMember(s, admin, 'agent', 'tickets-lily@demo.test');
    const created = await inject('POST', '/v1/tickets', { subject: '電視壞點換貨', conversationId: v.id, priority: 'high' });
    expect(created.statusCode).toBe(201);
    const t = created.json();
    expect(t).toMatchObject({ number: expect.any(Number), status: 'new', priority: 'high', conversationId: v.id, source: 'agent', assignee: null });
    expect((await customerSees(v)).at(-1)).toBe(`已為您建立工單 #${t.number}：電視壞點換貨。處理進度會在這裡通知您。`);

    const second = (await inject('POST', '/v1/tickets', { subject: 'another' })).json();
    expect(second.number).toBe(t.number + 1);

    const assigned = (await inject('PATCH', `/v1/tickets/${t.id}`, { assigneeId: lily.member.id })).json();
    expect(assigned).toMatchObject({ status: 'open', assignee: { name: 'tickets-lily' } });
    expect((await customerSees(v)).at(-1)).toBe(`工單 #${t.number} 狀態更新：處理中。`);

    expect((await inject('POST', `/v1/tickets/${t.id}/comments`, { body: '倉庫已確認，明天寄出新機', public: true }, lily.headers)).statusCode).toBe(201);
    expect((await inject('POST', `/v1/tickets/${t.id}/comments`, { body: '內部：供應商 RMA 單號 88' }, lily.headers)).statusCode).toBe(201);
    const seen = await customerSees(v);
    expect(seen.at(-1)).toBe(`工單 #${t.number} 有新回覆：倉庫已確認，明天寄出新機`);
    expect(seen.join('\n')).not.toContain('RMA');

    const solved = (await inject('PATCH', `/v1/tickets/${t.id}`, { status: 'solved' }, lily.headers)).json();
    expect(solved.solvedAt).not.toBeNull();
    const full = (await inject('GET', `/v1/tickets/${t.id}`)).json();
    expect(full.comments.map((c: { author: { type: string }; public: boolean }) => [c.author.type, c.public])).toEqual([
      ['system', false],
      ['agent', true],
      ['agent', false],
      ['system', false],
    ]);
    expect((await inject('PATCH', `/v1/tickets/${t.id}`, { status: 'closed' })).statusCode).toBe(200);
    const closed = await inject('PATCH', `/v1/tickets/${t.id}`, { status: 'open' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('TICKET_CLOSED');

    const mine = (await inject('GET', '/v1/tickets?assignee=me&status=closed', undefined, lily.headers)).json().items;
    expect(mine.map((x: { id: string }) => x.id)).toEqual([t.id]);
    expect((await inject('GET', `/v1/tickets?conversationId=${v.id}`)).json().items).toHaveLength(1);
  });

  it('refuses bad input, unknown members and conversations, and another workspace’s tickets', async () => {
    for (const body of [{}, { subject: '' }, { subject: 'x'.repeat(201) }, { subject: 'x', priority: 'asap' }, { subject: 'x', dueAt: 'tomorrow' }]) {
      expect((await inject('POST', '/v1/tickets', body)).statusCode).toBe(400);
    }
    expect((await inject('POST', '/v1/tickets', { subject: 'x', conversationId: 'nope' })).statusCode).toBe(404);
    expect((await inject('POST', '/v1/tickets', { subject: 'x', assigneeId: 'nope' })).json().code).toBe('MEMBER_NOT_FOUND');
    const t = (await inject('POST', '/v1/tickets', { subject: 'private' })).json();
    expect((await inject('PATCH', `/v1/tickets/${t.id}`, {})).statusCode).toBe(400);
    expect((await inject('GET', '/v1/tickets?status=lost')).statusCode).toBe(400);
    const other = await loginOtherWorkspace(s, 'tickets-other');
    expect((await inject('GET', `/v1/tickets/${t.id}`, undefined, other)).statusCode).toBe(404);
    expect((await inject('PATCH', `/v1/tickets/${t.id}`, { status: 'open' }, other)).statusCode).toBe(404);
    expect((await inject('GET', '/v1/tickets', undefined, other)).json().items).toEqual([]);
    const viewer = await addMember(s, admin, 'viewer', 'tickets-viewer@demo.test');
    expect((await inject('POST', '/v1/tickets', { subject: 'x' }, viewer.headers)).statusCode).toBe(403);
    expect((await s.app.inject({ url: '/v1/tickets' })).statusCode).toBe(401);
  });

  it('a flow opens a ticket with create_ticket, and the customer gets its number', async () => {
    const source = `key: callback_request
name: { zh-CN: 预约回电, en: Call-back request }
triggers: { keywords: [请给我回电话] }
steps:
  - ask: { slot: when, type: text, prompt: { zh-CN: 什么时间方便？, en: When suits you? } }
  - call: { action: create_ticket, with: { subject: "回电：{{slots.when}}", priority: high } }
  - end: { zh-CN: 好的，我们会按时回电。, en: We will call you back. }
`;
    expect((await inject('POST', '/v1/flows', { source })).statusCode).toBe(201);
    const v = await startVisitor(s);
    await say(s, v, '请给我回电话');
    const r = (await say(s, v, '明天下午三点')).json();
    expect(r.replies[0].text).toBe('好的，我们会按时回电。');
    const ticket = (await inject('GET', `/v1/tickets?conversationId=${v.id}`)).json().items[0];
    expect(ticket).toMatchObject({ subject: '回电：明天下午三点', priority: 'high', source: 'bot', status: 'new' });
    expect((await customerSees(v)).at(-1)).toBe(`已为您创建工单 #${ticket.number}：回电：明天下午三点。处理进展会在这里通知您。`);
  });
});
