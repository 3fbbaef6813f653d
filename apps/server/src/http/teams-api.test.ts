import type { ServerFrame } from '@kefu/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addMember, loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { connectWs } from '../test-support/ws-client.js';
import { wakeDueConversations } from '../usecases/handoff.js';
import { routeQueued } from '../usecases/route-queued.js';

// Teams, transfer, inbox views and snooze: a team's conversations are seen and taken only by its
// members (everyone else gets 404, over REST and WebSocket), a transfer tells the customer where they
// went, and snoozed conversations leave the inbox until their time or the customer's next message.
let s: TestServer;
let admin: { authorization: string };
let lily: Awaited<ReturnType<typeof addMember>>;
let wang: Awaited<ReturnType<typeof addMember>>;
let chen: Awaited<ReturnType<typeof addMember>>;
let afterSales: { id: string; name: string };
let now = Date.parse('2026-11-20T02:00:00Z');

beforeAll(async () => {
  s = await startTestServer({ listen: true, clock: { now: () => new Date(now) } });
  admin = await loginDemo(s);
  lily = await addMember(s, admin, 'agent', 'team-lily@demo.test');
  wang = await addMember(s, admin, 'agent', 'team-wang@demo.test');
  chen = await addMember(s, admin, 'agent', 'team-chen@demo.test');
  const r = await inject('POST', '/v1/teams', admin, { name: '售后组', description: '退换货与维修', memberIds: [lily.member.id] });
  expect(r.statusCode).toBe(201);
  afterSales = r.json();
  // Routing would take queued conversations away from the assertions: these tests move them by hand.
  await inject('PATCH', '/v1/settings', admin, { routing: { autoAssign: false } });
});
afterAll(() => s.close());

function inject(method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) {
  return s.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
}
const customerSees = async (v: { id: string; headers: Record<string, string> }) =>
  (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items.map((m: { text: string }) => m.text);
const ids = (page: { items: { id: string }[] }) => page.items.map((c) => c.id);

/** A customer who asked for a person: queued in the shared queue. */
async function queued() {
  const v = await startVisitor(s);
  await say(s, v, '转人工');
  return v;
}

describe('teams', () => {
  it('lists teams with members and who is online; admins shape them; bad input names the field', async () => {
    const list = (await inject('GET', '/v1/teams', wang.headers)).json();
    expect(list.items).toEqual([
      expect.objectContaining({ name: '售后组', online: 0, members: [{ id: lily.member.id, name: 'team-lily', presence: 'offline' }] }),
    ]);

    expect((await inject('POST', '/v1/teams', wang.headers, { name: '黑客组' })).statusCode).toBe(403);
    const taken = await inject('POST', '/v1/teams', admin, { name: '售后组' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'TEAM_NAME_TAKEN', errors: [{ field: 'body.name' }] });
    const unknown = await inject('POST', '/v1/teams', admin, { name: 'VIP', memberIds: [wang.member.id, 'nobody'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'body.memberIds.1' })]);
    const malformed = await s.app.inject({
      method: 'POST',
      url: '/v1/teams',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name":"bad \\ud800 name"}',
    });
    expect(malformed.json()).toMatchObject({ code: 'TEXT_MALFORMED_UNICODE' });
    expect((await inject('POST', '/v1/teams', admin, { name: '  ' })).json().errors[0].field).toBe('body.name');
    expect((await inject('PATCH', `/v1/teams/${afterSales.id}`, admin, {})).statusCode).toBe(400);

    const other = await loginOtherWorkspace(s, 'teams-other');
    expect((await inject('GET', `/v1/teams/${afterSales.id}`, other)).statusCode).toBe(404);
    expect((await inject('PATCH', `/v1/teams/${afterSales.id}`, other, { name: 'x' })).statusCode).toBe(404);

    const temp = (await inject('POST', '/v1/teams', admin, { name: '临时组', memberIds: [wang.member.id] })).json();
    const renamed = await inject('PATCH', `/v1/teams/${temp.id}`, admin, { name: 'Temp', memberIds: [] });
    expect(renamed.json()).toMatchObject({ name: 'Temp', members: [] });
    expect((await inject('DELETE', `/v1/teams/${temp.id}`, admin)).statusCode).toBe(204);
    expect((await inject('GET', `/v1/teams/${temp.id}`, admin)).statusCode).toBe(404);
  });

  it('transfers to a team nobody of which is online: queued, the customer told so; outsiders get 404 everywhere', async () => {
    const v = await queued();
    const r = await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, { teamId: afterSales.id, note: '客户要换货，已核实订单' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'queued', assignee: null, team: { id: afterSales.id, name: '售后组' } });
    expect((await customerSees(v)).at(-1)).toBe('已为您转接到售后组。该组暂时没有在线客服，您的对话已保留在排队中，有人上线后会第一时间回复您。');
    // The visitor never sees the team (nor the note).
    const mine = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}`, headers: v.headers })).json();
    expect(mine.team).toBeUndefined();

    // Chen (not in the team) may no longer see it at all: like another workspace's.
    expect((await inject('GET', `/v1/conversations/${v.id}`, chen.headers)).statusCode).toBe(404);
    expect((await inject('GET', `/v1/conversations/${v.id}/messages`, chen.headers)).statusCode).toBe(404);
    expect((await inject('POST', `/v1/conversations/${v.id}/claim`, chen.headers)).statusCode).toBe(404);
    expect((await inject('POST', `/v1/conversations/${v.id}/messages`, chen.headers, { text: '我来' })).statusCode).toBe(404);
    expect((await inject('GET', `/v1/conversations?team=${afterSales.id}`, chen.headers)).json()).toMatchObject({ code: 'TEAM_NOT_FOUND' });
    expect(ids((await inject('GET', '/v1/conversations?view=all', chen.headers)).json())).not.toContain(v.id);

    // Lily (in the team) sees it waiting, with the note; the admin sees everything.
    expect(ids((await inject('GET', '/v1/conversations?view=unassigned', lily.headers)).json())).toContain(v.id);
    expect(ids((await inject('GET', `/v1/conversations?view=team`, lily.headers)).json())).toContain(v.id);
    const notes = (await inject('GET', `/v1/conversations/${v.id}/messages`, lily.headers))
      .json()
      .items.filter((m: { author: { type: string } }) => m.author.type === 'note');
    expect(notes.map((m: { text: string }) => m.text)).toContain('客户要换货，已核实订单');
    expect((await inject('GET', `/v1/conversations/${v.id}`, admin)).statusCode).toBe(200);

    const counts = (await inject('GET', '/v1/inbox/counts', lily.headers)).json();
    expect(counts.teams).toEqual([expect.objectContaining({ id: afterSales.id, name: '售后组' })]);
    expect(counts.teams[0].waiting).toBeGreaterThanOrEqual(1);
    expect((await inject('GET', '/v1/inbox/counts', chen.headers)).json().teams).toEqual([]);

    const claimed = await inject('POST', `/v1/conversations/${v.id}/claim`, lily.headers);
    expect(claimed.json()).toMatchObject({ status: 'assigned', assignee: { id: lily.member.id }, team: { id: afterSales.id } });
    const history = (await inject('GET', `/v1/conversations/${v.id}/events`, lily.headers)).json().items;
    expect(history.map((e: { type: string }) => e.type)).toEqual(['handoff.requested', 'conversation.transferred', 'conversation.assigned']);
    expect(history[1]).toMatchObject({ actor: { type: 'member', name: 'team-chen' }, data: { to: { teamId: afterSales.id }, note: '客户要换货，已核实订单' } });
    expect((await inject('GET', `/v1/conversations/${v.id}/events`, chen.headers)).statusCode).toBe(404);

    // A note can only bring in colleagues who may open the conversation: Chen's name stays plain text.
    const note = await inject('POST', `/v1/conversations/${v.id}/messages`, admin, { kind: 'note', text: '@team-chen @team-lily 请看一下这位客户' });
    expect(note.json().message.metadata.mentions).toEqual([lily.member.id]);
    expect((await inject('GET', '/v1/me/mentions', chen.headers)).json().items).toEqual([]);
  });

  it('transfers to an agent who is online, refuses offline agents, strangers and bad bodies', async () => {
    const v = await queued();
    await inject('POST', `/v1/conversations/${v.id}/claim`, chen.headers);

    const offline = await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, { agentId: wang.member.id });
    expect(offline.statusCode).toBe(409);
    expect(offline.json()).toMatchObject({ code: 'AGENT_OFFLINE' });
    expect(offline.json().detail).toContain('team-wang');

    await inject('PUT', '/v1/me/presence', wang.headers, { presence: 'away' });
    // Only the owner (or an admin) moves an assigned conversation.
    const stolen = await inject('POST', `/v1/conversations/${v.id}/transfer`, lily.headers, { agentId: wang.member.id });
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json()).toMatchObject({ code: 'CONVERSATION_ASSIGNED_TO_OTHER', holder: { name: 'team-chen' } });

    const both = await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, { agentId: wang.member.id, teamId: afterSales.id });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].field).toBe('body.agentId');
    expect((await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, {})).statusCode).toBe(400);
    const long = await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, { agentId: wang.member.id, note: '备'.repeat(2001) });
    expect(long.json().errors[0].field).toBe('body.note');
    const broken = await s.app.inject({
      method: 'POST',
      url: `/v1/conversations/${v.id}/transfer`,
      headers: { ...chen.headers, 'content-type': 'application/json' },
      payload: `{"agentId":"${wang.member.id}","note":"\\udc00 bad"}`,
    });
    expect(broken.json()).toMatchObject({ code: 'TEXT_MALFORMED_UNICODE' });
    // Nothing moved on the bad requests.
    expect((await inject('GET', `/v1/conversations/${v.id}`, chen.headers)).json().assignee.id).toBe(chen.member.id);
    expect((await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, { agentId: 'nobody' })).json().code).toBe('MEMBER_NOT_FOUND');
    expect((await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, { teamId: 'nobody' })).json().code).toBe('TEAM_NOT_FOUND');

    const r = await inject('POST', `/v1/conversations/${v.id}/transfer`, chen.headers, { agentId: wang.member.id });
    expect(r.json()).toMatchObject({ status: 'assigned', assignee: { id: wang.member.id } });
    expect((await customerSees(v)).at(-1)).toBe('已为您转接给客服 team-wang，请稍候。');
    // Chen handed it on: now it is Wang's, and Chen is refused like anyone else.
    expect((await inject('POST', `/v1/conversations/${v.id}/messages`, chen.headers, { text: '还是我' })).json().code).toBe('CONVERSATION_ASSIGNED_TO_OTHER');
    expect((await inject('POST', `/v1/conversations/${v.id}/transfer`, wang.headers, { agentId: wang.member.id })).json().code).toBe(
      'CONVERSATION_TRANSFER_INVALID',
    );

    // A conversation the bot has is handed off (with a team), not transferred.
    const bot = await startVisitor(s);
    await say(s, bot, '你好');
    expect((await inject('POST', `/v1/conversations/${bot.id}/transfer`, chen.headers, { teamId: afterSales.id })).json().code).toBe(
      'CONVERSATION_INVALID_TRANSITION',
    );
    const handed = await inject('POST', `/v1/conversations/${bot.id}/handoff`, admin, { reason: '售后问题', team: afterSales.id });
    expect(handed.json()).toMatchObject({ status: 'queued', team: { id: afterSales.id } });
    expect((await inject('POST', `/v1/conversations/${bot.id}/handoff`, admin, { reason: 'x', team: 'nobody' })).statusCode).toBe(404);
    await inject('PUT', '/v1/me/presence', wang.headers, { presence: 'offline' });
  });

  it("routes a team's conversation only to its members", async () => {
    await inject('PATCH', '/v1/settings', admin, { routing: { autoAssign: true } });
    try {
      const v = await queued();
      await inject('POST', `/v1/conversations/${v.id}/transfer`, admin, { teamId: afterSales.id });
      await inject('PUT', '/v1/me/presence', chen.headers, { presence: 'online' });
      // Chen is online with room, but not in the team: it waits for Lily.
      const routed = await routeQueued(s.deps.ctx, s.demo!.workspace.id);
      expect(routed.map((a) => a.conversationId)).not.toContain(v.id);
      expect((await inject('GET', `/v1/conversations/${v.id}`, admin)).json()).toMatchObject({ status: 'queued' });
      await inject('PUT', '/v1/me/presence', lily.headers, { presence: 'online' });
      await vi.waitFor(async () =>
        expect((await inject('GET', `/v1/conversations/${v.id}`, admin)).json()).toMatchObject({ assignee: { id: lily.member.id } }),
      );
      const history = (await inject('GET', `/v1/conversations/${v.id}/events`, admin)).json().items;
      expect(history.at(-1)).toMatchObject({ type: 'conversation.assigned', actor: { type: 'system' }, data: { by: 'routing' } });
    } finally {
      for (const m of [lily, chen]) await inject('PUT', '/v1/me/presence', m.headers, { presence: 'offline' });
      await inject('PATCH', '/v1/settings', admin, { routing: { autoAssign: false } });
    }
  });
});

describe('inbox views and snooze', () => {
  it('counts mine / unassigned / all, moves snoozed conversations out of mine until the customer writes or the time comes', async () => {
    const a = await queued();
    const b = await queued();
    await inject('POST', `/v1/conversations/${a.id}/claim`, wang.headers);
    await inject('POST', `/v1/conversations/${b.id}/claim`, wang.headers);
    const before = (await inject('GET', '/v1/inbox/counts', wang.headers)).json();
    expect(ids((await inject('GET', '/v1/conversations?view=mine', wang.headers)).json())).toEqual(expect.arrayContaining([a.id, b.id]));

    // Bad snoozes.
    expect((await inject('POST', `/v1/conversations/${a.id}/snooze`, wang.headers, { until: '2020-01-01T00:00:00Z' })).json()).toMatchObject({
      code: 'SNOOZE_INVALID',
      errors: [{ field: 'body.until' }],
    });
    expect((await inject('POST', `/v1/conversations/${a.id}/snooze`, wang.headers, { minutes: 5, until: '2030-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await inject('POST', `/v1/conversations/${a.id}/snooze`, wang.headers, { minutes: 0 })).statusCode).toBe(400);
    expect((await inject('POST', `/v1/conversations/${a.id}/snooze`, chen.headers, { minutes: 5 })).json().code).toBe('CONVERSATION_ASSIGNED_TO_OTHER');
    const waiting = await queued();
    expect((await inject('POST', `/v1/conversations/${waiting.id}/snooze`, admin, { minutes: 5 })).json().code).toBe('CONVERSATION_INVALID_TRANSITION');
    // Taking it from the status menu is an assignment like a claim, in the history too.
    await inject('PATCH', `/v1/conversations/${waiting.id}`, chen.headers, { status: 'assigned' });
    const taken = (await inject('GET', `/v1/conversations/${waiting.id}/events`, chen.headers)).json().items.at(-1);
    expect(taken).toMatchObject({ type: 'conversation.assigned', actor: { name: 'team-chen' }, data: { assigneeId: chen.member.id, by: 'claim' } });

    const snoozed = await inject('POST', `/v1/conversations/${a.id}/snooze`, wang.headers, { minutes: 60 });
    expect(snoozed.json().snoozedUntil).toBe(new Date(now + 3_600_000).toISOString());
    await inject('POST', `/v1/conversations/${b.id}/snooze`, wang.headers, { minutes: 30 });
    const during = (await inject('GET', '/v1/inbox/counts', wang.headers)).json();
    expect(during).toMatchObject({ mine: before.mine - 2, snoozed: before.snoozed + 2 });
    expect(ids((await inject('GET', '/v1/conversations?view=mine', wang.headers)).json())).not.toContain(a.id);
    expect(ids((await inject('GET', '/v1/conversations?view=snoozed', wang.headers)).json())).toEqual(expect.arrayContaining([a.id, b.id]));

    // The customer writing wakes A; time wakes B.
    await say(s, a, '还在吗？');
    expect((await inject('GET', `/v1/conversations/${a.id}`, wang.headers)).json().snoozedUntil).toBeNull();
    now += 31 * 60_000;
    await vi.waitFor(async () => {
      await wakeDueConversations(s.deps.ctx, s.demo!.workspace.id);
      expect((await inject('GET', `/v1/conversations/${b.id}`, wang.headers)).json().snoozedUntil).toBeNull();
    });
    expect((await inject('GET', '/v1/inbox/counts', wang.headers)).json()).toMatchObject({ mine: before.mine, snoozed: before.snoozed });
    const types = async (id: string) =>
      (await inject('GET', `/v1/conversations/${id}/events`, wang.headers)).json().items.map((e: { type: string; data: object }) => [e.type, e.data]);
    expect(await types(a.id)).toContainEqual(['conversation.woke', { reason: 'customer' }]);
    expect(await types(b.id)).toContainEqual(['conversation.woke', { reason: 'time' }]);

    // Ending a snooze by hand.
    await inject('POST', `/v1/conversations/${a.id}/snooze`, wang.headers, { minutes: 10 });
    expect((await inject('DELETE', `/v1/conversations/${a.id}/snooze`, wang.headers)).json().snoozedUntil).toBeNull();
    const feed = (await inject('GET', '/v1/events?type=conversation.snoozed,conversation.woke', admin)).json().items;
    expect(feed.filter((e: { conversationId: string }) => e.conversationId === a.id).map((e: { type: string }) => e.type)).toEqual([
      'conversation.snoozed',
      'conversation.woke',
      'conversation.snoozed',
      'conversation.woke',
    ]);
    expect((await inject('GET', '/v1/events?since=yesterday', admin)).statusCode).toBe(400);
  });
});

describe('realtime, by team', () => {
  it("sends a team's conversation only to agents who may see it, and tells the others to drop it when it leaves them", async () => {
    const login = async (m: typeof lily) => m.headers.authorization.slice('Bearer '.length);
    const lilyWs = await connectWs(s.url, `/v1/ws?token=${await login(lily)}`);
    const chenWs = await connectWs(s.url, `/v1/ws?token=${await login(chen)}`);
    const v = await queued();
    await chenWs.waitFor((f) => f.type === 'handoff.requested' && f.conversationId === v.id);
    await inject('POST', `/v1/conversations/${v.id}/transfer`, admin, { teamId: afterSales.id });
    const moved = await lilyWs.waitFor<Extract<ServerFrame, { type: 'conversation.transferred' }>>(
      (f) => f.type === 'conversation.transferred' && f.conversationId === v.id,
    );
    expect(moved).toMatchObject({ to: { teamId: afterSales.id, agentId: null }, by: { name: 'Demo Admin 演示管理员' } });
    await chenWs.waitFor((f) => f.type === 'conversation.removed' && f.conversationId === v.id);

    await say(s, v, '我的订单号是 123456');
    await lilyWs.waitFor((f) => f.type === 'message.created' && f.conversationId === v.id && f.message.text.includes('123456'));
    await inject('POST', `/v1/conversations/${v.id}/claim`, lily.headers);
    await lilyWs.waitFor((f) => f.type === 'conversation.assigned' && f.conversationId === v.id && f.by === 'claim');
    // Chen heard nothing of it after the transfer (the customer's message, the claim).
    const after = chenWs.frames.slice(chenWs.frames.findIndex((f) => f.type === 'conversation.removed'));
    expect(after.some((f) => 'conversationId' in f && f.conversationId === v.id && f.type !== 'conversation.removed')).toBe(false);
    expect(after.some((f) => (f.type === 'conversation.updated' || f.type === 'conversation.created') && f.conversation.id === v.id)).toBe(false);
    lilyWs.ws.close();
    chenWs.ws.close();
  });
});
