import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Tickets belong to a team like conversations do: a ticket opened from a conversation takes its team,
// and an agent sees tickets of no team, of their teams, or assigned to them; anyone else's answers 404.
let s: TestServer;
let admin: { authorization: string };
let lily: Awaited<ReturnType<typeof addMember>>;
let wang: Awaited<ReturnType<typeof addMember>>;
let afterSales: { id: string; name: string };
let billing: { id: string; name: string };

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
  lily = await addMember(s, admin, 'agent', 'tt-lily@demo.test');
  wang = await addMember(s, admin, 'agent', 'tt-wang@demo.test');
  afterSales = (await inject('POST', '/v1/teams', admin, { name: '售后组', memberIds: [lily.member.id] })).json();
  billing = (await inject('POST', '/v1/teams', admin, { name: '账务组', memberIds: [wang.member.id] })).json();
  await inject('PATCH', '/v1/settings', admin, { routing: { autoAssign: false } });
});
afterAll(() => s.close());

function inject(method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) {
  return s.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
}
const numbers = (r: { json(): { items: { number: number }[] } }) => r.json().items.map((t) => t.number);

describe('tickets and teams', () => {
  it('a ticket opened from a team’s conversation belongs to that team; admins move it to another', async () => {
    const v = await startVisitor(s);
    await say(s, v, '转人工');
    expect((await inject('POST', `/v1/conversations/${v.id}/transfer`, admin, { teamId: afterSales.id })).statusCode).toBe(200);

    const created = await inject('POST', '/v1/tickets', lily.headers, { subject: '退货：耳机左耳无声', conversationId: v.id });
    expect(created.statusCode).toBe(201);
    const t = created.json();
    expect(t.team).toEqual({ id: afterSales.id, name: '售后组' });

    const none = (await inject('POST', '/v1/tickets', admin, { subject: '无团队', conversationId: v.id, teamId: null })).json();
    expect(none.team).toBeNull();

    const moved = await inject('PATCH', `/v1/tickets/${t.id}`, admin, { teamId: billing.id });
    expect(moved.json().team).toEqual({ id: billing.id, name: '账务组' });
    expect((await inject('GET', `/v1/tickets/${t.id}`, wang.headers)).statusCode).toBe(200);
    expect((await inject('GET', `/v1/tickets/${t.id}`, lily.headers)).statusCode).toBe(404);
    expect((await inject('PATCH', `/v1/tickets/${t.id}`, admin, { teamId: afterSales.id })).json().team.id).toBe(afterSales.id);
  });

  it('agents see tickets of no team, of their teams and assigned to them; another team’s answers 404', async () => {
    const shared = (await inject('POST', '/v1/tickets', admin, { subject: 'shared' })).json();
    const sales = (await inject('POST', '/v1/tickets', admin, { subject: 'after-sales', teamId: afterSales.id })).json();
    const money = (await inject('POST', '/v1/tickets', admin, { subject: 'billing', teamId: billing.id })).json();
    const handed = (await inject('POST', '/v1/tickets', admin, { subject: 'billing, for lily', teamId: billing.id, assigneeId: lily.member.id })).json();

    const lilySees = numbers(await inject('GET', '/v1/tickets?limit=100', lily.headers));
    expect(lilySees).toEqual(expect.arrayContaining([shared.number, sales.number, handed.number]));
    expect(lilySees).not.toContain(money.number);
    expect(numbers(await inject('GET', '/v1/tickets?limit=100', admin))).toEqual(expect.arrayContaining([money.number, handed.number]));

    // Outsiders get 404 for reading, changing and commenting, exactly like a ticket that does not exist.
    for (const r of [
      await inject('GET', `/v1/tickets/${money.id}`, lily.headers),
      await inject('PATCH', `/v1/tickets/${money.id}`, lily.headers, { status: 'open' }),
      await inject('POST', `/v1/tickets/${money.id}/comments`, lily.headers, { body: 'peek' }),
    ]) {
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('TICKET_NOT_FOUND');
    }
    expect((await inject('GET', `/v1/tickets/${handed.id}`, lily.headers)).statusCode).toBe(200);
    const comments = (await inject('GET', `/v1/tickets/${money.id}`, admin)).json().comments;
    expect(comments).toEqual([]);

    // The team filter: members name their own team; another team's answers 404, `none` lists the shared ones.
    expect(numbers(await inject('GET', `/v1/tickets?team=${afterSales.id}&limit=100`, lily.headers))).toContain(sales.number);
    expect(numbers(await inject('GET', `/v1/tickets?team=${afterSales.id}&limit=100`, lily.headers))).not.toContain(shared.number);
    const foreign = await inject('GET', `/v1/tickets?team=${billing.id}`, lily.headers);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('TEAM_NOT_FOUND');
    const noTeam = numbers(await inject('GET', '/v1/tickets?team=none&limit=100', lily.headers));
    expect(noTeam).toContain(shared.number);
    expect(noTeam).not.toContain(sales.number);
    expect(numbers(await inject('GET', `/v1/tickets?team=${billing.id}&limit=100`, admin))).toEqual(expect.arrayContaining([money.number, handed.number]));
  });

  it('an agent cannot link a ticket to another team’s conversation', async () => {
    const v = await startVisitor(s);
    await say(s, v, '转人工');
    await inject('POST', `/v1/conversations/${v.id}/transfer`, admin, { teamId: billing.id });
    const r = await inject('POST', '/v1/tickets', lily.headers, { subject: 'not mine', conversationId: v.id });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('CONVERSATION_NOT_FOUND');
  });

  it('refuses unknown teams, malformed text and another workspace’s team', async () => {
    const unknown = await inject('POST', '/v1/tickets', admin, { subject: 'x', teamId: 'nobody' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'TEAM_NOT_FOUND', errors: [{ field: 'body.teamId' }] });
    const t = (await inject('POST', '/v1/tickets', admin, { subject: 'x' })).json();
    expect((await inject('PATCH', `/v1/tickets/${t.id}`, admin, { teamId: 'nobody' })).json().code).toBe('TEAM_NOT_FOUND');
    expect((await inject('GET', '/v1/tickets?team=nobody', admin)).json().code).toBe('TEAM_NOT_FOUND');
    expect((await inject('POST', '/v1/tickets', admin, { subject: 'x', teamId: 42 })).statusCode).toBe(400);

    const malformed = await s.app.inject({
      method: 'POST',
      url: '/v1/tickets',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"subject":"bad \\ud800 subject"}',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'TEXT_MALFORMED_UNICODE' });
    const malformedPatch = await s.app.inject({
      method: 'PATCH',
      url: `/v1/tickets/${t.id}`,
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"subject":"\\udc00"}',
    });
    expect(malformedPatch.json()).toMatchObject({ code: 'TEXT_MALFORMED_UNICODE' });

    const other = await loginOtherWorkspace(s, 'tickets-teams-other');
    const theirs = await inject('POST', '/v1/tickets', other, { subject: 'x', teamId: afterSales.id });
    expect(theirs.json().code).toBe('TEAM_NOT_FOUND');
    expect((await inject('GET', `/v1/tickets?team=${afterSales.id}`, other)).statusCode).toBe(404);
  });
});
