import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addMember, loginDemo, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { routeQueued } from '../usecases/route-queued.js';

// Queued conversations reach online agents by themselves: the customer hears their place in the queue,
// then who joined; an agent going offline puts theirs back; capacity is respected.
let s: TestServer;
let admin: { authorization: string };

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
});
afterAll(() => s.close());

const presence = (headers: Record<string, string>, value: string) =>
  s.app.inject({ method: 'PUT', url: '/v1/me/presence', headers, payload: { presence: value } });
const conversation = async (id: string) => (await s.app.inject({ url: `/v1/conversations/${id}`, headers: admin })).json();
const customerSees = async (v: { id: string; headers: Record<string, string> }) =>
  (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items.map((m: { text: string }) => m.text);

describe('auto-assignment', () => {
  it('tells a waiting customer their place, assigns when an agent comes online, respects capacity and re-queues on offline', async () => {
    const lily = await addMember(s, admin, 'agent', 'route-lily@demo.test');
    await s.app.inject({ method: 'PATCH', url: `/v1/members/${lily.member.id}`, headers: admin, payload: { capacity: 1 } });
    const a = await startVisitor(s);
    const b = await startVisitor(s);
    await say(s, a, '转人工');
    await vi.waitFor(async () => expect((await customerSees(a)).at(-1)).toMatch(/您已进入人工排队，当前排在第 \d+ 位，客服上线后会尽快回复您/));
    await say(s, b, '转人工');

    expect((await presence(lily.headers, 'online')).json()).toMatchObject({ presence: 'online', capacity: 1 });
    // Oldest first, one at a time (capacity 1).
    await vi.waitFor(async () => expect(await conversation(a.id)).toMatchObject({ status: 'assigned', assignee: { name: 'route-lily' } }));
    expect((await customerSees(a)).at(-1)).toBe('客服 route-lily 已接入，正在为您服务。');
    expect((await conversation(b.id)).status).toBe('queued');

    // Resolving A frees room for B.
    await s.app.inject({ method: 'PATCH', url: `/v1/conversations/${a.id}`, headers: lily.headers, payload: { status: 'resolved' } });
    await vi.waitFor(async () => expect(await conversation(b.id)).toMatchObject({ status: 'assigned', assignee: { name: 'route-lily' } }));

    // Going offline puts B back in the queue, keeping its place.
    const before = (await conversation(b.id)).queuedAt;
    await presence(lily.headers, 'offline');
    await vi.waitFor(async () => expect(await conversation(b.id)).toMatchObject({ status: 'queued', assignee: null, queuedAt: before }));
  });

  it('leaves the queue alone when the workspace turns auto-assignment off, and refuses bad presence', async () => {
    await s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload: { routing: { autoAssign: false } } });
    try {
      const wang = await addMember(s, admin, 'agent', 'route-wang@demo.test');
      const v = await startVisitor(s);
      await say(s, v, '转人工');
      await presence(wang.headers, 'online');
      expect(await routeQueued(s.deps.ctx, s.demo!.workspace.id)).toEqual([]);
      expect((await conversation(v.id)).status).toBe('queued');
      expect((await presence(wang.headers, 'busy')).statusCode).toBe(400);
      await presence(wang.headers, 'offline');
    } finally {
      await s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload: { routing: null } });
    }
  });
});
