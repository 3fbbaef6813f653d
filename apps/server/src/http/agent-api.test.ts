import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember as addMemberAs, loginDemo, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWorkspace } from '../usecases/create-workspace.js';

let s: TestServer;
let owner: { authorization: string };
let other: { authorization: string };

beforeAll(async () => {
  s = await startTestServer();
  owner = await loginDemo(s);
  await createWorkspace(s.deps.ctx, { slug: 'other', name: 'Other', owner: { email: 'boss@other.test', name: 'Boss', password: 'other-password-1' } });
  const r = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'boss@other.test', password: 'other-password-1' } });
  other = { authorization: `Bearer ${r.json().token}` };
});
afterAll(async () => {
  await s.close();
});

const addMember = (role: string, email: string) => addMemberAs(s, owner, role, email);

describe('auth', () => {
  it('logs in, tells who I am, and logs out', async () => {
    const headers = await loginDemo(s);
    const me = (await s.app.inject({ url: '/v1/me', headers })).json();
    expect(me).toMatchObject({ principal: 'member', member: { role: 'owner' }, workspace: { slug: 'demo' } });
    expect(me.member.passwordHash).toBeUndefined();
    expect((await s.app.inject({ method: 'POST', url: '/v1/auth/logout', headers })).statusCode).toBe(204);
    expect((await s.app.inject({ url: '/v1/me', headers })).statusCode).toBe(401);
  });

  it('asks for the workspace only after the password matched in several', async () => {
    await createWorkspace(s.deps.ctx, { slug: 'twin', name: 'Twin', owner: { email: s.demo!.adminEmail, name: 'Twin', password: s.demo!.adminPassword! } });
    await createWorkspace(s.deps.ctx, { slug: 'twin2', name: 'Twin2', owner: { email: 'shared@demo.test', name: 'S', password: 'another-password-9' } });
    const ambiguous = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: s.demo!.adminEmail, password: s.demo!.adminPassword } });
    expect(ambiguous.json()).toMatchObject({ code: 'AUTH_WORKSPACE_REQUIRED', errors: [{ field: 'body.workspace' }] });
    const wrong = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: s.demo!.adminEmail, password: 'wrong-password' } });
    expect(wrong.json().code).toBe('AUTH_INVALID_CREDENTIALS');
    const chosen = await s.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: s.demo!.adminEmail, password: s.demo!.adminPassword, workspace: 'twin' },
    });
    expect(chosen.json().workspace.slug).toBe('twin');
  });

  it('refuses a wrong password and an unknown e-mail the same way', async () => {
    const wrong = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: s.demo!.adminEmail, password: 'nope-nope' } });
    const unknown = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'ghost@demo.test', password: 'nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().code).toBe(wrong.json().code);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('answers 401 without a token and with a bad or expired one', async () => {
    expect((await s.app.inject({ url: '/v1/conversations' })).json().code).toBe('AUTH_REQUIRED');
    expect((await s.app.inject({ url: '/v1/conversations', headers: { authorization: 'Bearer kfs_nope' } })).json().code).toBe('AUTH_INVALID_TOKEN');
    const expired = await s.deps.ctx.store.transaction(async (tx) => {
      const m = (await tx.members.list(s.demo!.workspace.id))[0]!;
      await tx.sessions.create({
        id: s.deps.ctx.ids.next(),
        workspaceId: m.workspaceId,
        memberId: m.id,
        tokenHash: (await import('../adapters/auth/secrets.js')).sha256('kfs_expired'),
        createdAt: '2020-01-01T00:00:00.000Z',
        expiresAt: '2020-01-02T00:00:00.000Z',
      });
      return 'kfs_expired';
    });
    expect((await s.app.inject({ url: '/v1/conversations', headers: { authorization: `Bearer ${expired}` } })).statusCode).toBe(401);
  });
});

describe('conversations for agents', () => {
  it('lists by status, shows traces, and lets an agent take over so the bot falls silent', async () => {
    const v = await startVisitor(s);
    await say(s, v, '怎么开发票');
    const list = (await s.app.inject({ url: '/v1/conversations?status=bot', headers: owner })).json();
    expect(list.items.map((c: { id: string }) => c.id)).toContain(v.id);
    const msgs = (await s.app.inject({ url: `/v1/conversations/${v.id}/messages`, headers: owner })).json().items;
    const bot = msgs.at(-1);
    expect(bot.metadata.trace.stages.map((st: { stage: string }) => st.stage)).toEqual([
      'normalize',
      'detect-language',
      'understand',
      'detect-handoff-request',
      'flow',
      'retrieve',
      'policy',
      'reply',
    ]);
    expect(bot.metadata.trace.decision.kind).toBe('answer');

    const reply = await s.app.inject({
      method: 'POST',
      url: `/v1/conversations/${v.id}/messages`,
      headers: owner,
      payload: { text: '您好，我来帮您开票', clientMessageId: 'a-1' },
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().conversation).toMatchObject({ status: 'assigned', assignee: { name: 'Demo Admin 演示管理员' } });
    const again = await s.app.inject({
      method: 'POST',
      url: `/v1/conversations/${v.id}/messages`,
      headers: owner,
      payload: { text: '您好，我来帮您开票', clientMessageId: 'a-1' },
    });
    expect(again.json().message.id).toBe(reply.json().message.id);
    const customer = (await say(s, v, '好的谢谢')).json();
    expect(customer.replies).toEqual([]);
    const visitorView = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items;
    expect(visitorView.filter((m: { author: { type: string } }) => m.author.type === 'agent')).toHaveLength(1);
  });

  it('keeps internal notes from the customer', async () => {
    const v = await startVisitor(s);
    await say(s, v, '运费');
    const note = await s.app.inject({
      method: 'POST',
      url: `/v1/conversations/${v.id}/messages`,
      headers: owner,
      payload: { text: '客户是老用户', kind: 'note' },
    });
    expect(note.json().conversation.status).toBe('bot');
    const visitorView = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items;
    expect(visitorView.some((m: { text: string }) => m.text === '客户是老用户')).toBe(false);
    const agentView = (await s.app.inject({ url: `/v1/conversations/${v.id}/messages`, headers: owner })).json().items;
    expect(agentView.some((m: { author: { type: string } }) => m.author.type === 'note')).toBe(true);
  });

  it('changes status through the transition table and rejects invalid moves', async () => {
    const v = await startVisitor(s);
    const patch = (status: string) => s.app.inject({ method: 'PATCH', url: `/v1/conversations/${v.id}`, headers: owner, payload: { status } });
    expect((await patch('queued')).json().status).toBe('queued');
    expect((await patch('assigned')).json().assignee.name).toBe('Demo Admin 演示管理员');
    expect((await patch('bot')).json()).toMatchObject({ status: 'bot', assignee: null });
    expect((await patch('closed')).json().status).toBe('closed');
    const invalid = await patch('assigned');
    expect(invalid.statusCode).toBe(409);
    expect(invalid.json().code).toBe('CONVERSATION_INVALID_TRANSITION');
    expect((await patch('nonsense')).json().errors[0].field).toBe('body.status');
    const closedReply = await s.app.inject({ method: 'POST', url: `/v1/conversations/${v.id}/messages`, headers: owner, payload: { text: 'hi' } });
    expect(closedReply.json().code).toBe('CONVERSATION_CLOSED');
  });

  it('lets only the owner, an admin or an owner change an assigned conversation', async () => {
    const a = await addMember('agent', 'agent-d@demo.test');
    const b = await addMember('agent', 'agent-e@demo.test');
    const v = await startVisitor(s);
    const patch = (headers: Record<string, string>, status: string) =>
      s.app.inject({ method: 'PATCH', url: `/v1/conversations/${v.id}`, headers, payload: { status } });
    expect((await patch(a.headers, 'assigned')).json().assignee.name).toBe('agent-d');
    for (const status of ['resolved', 'bot', 'assigned']) expect((await patch(b.headers, status)).json().code).toBe('CONVERSATION_ASSIGNED_TO_OTHER');
    expect((await patch(owner, 'assigned')).json().assignee.name).toBe('Demo Admin 演示管理员');
    expect((await patch(a.headers, 'resolved')).statusCode).toBe(409);
    expect((await patch(owner, 'resolved')).json().status).toBe('resolved');
  });

  it('does not let an agent reply in a conversation another agent owns', async () => {
    const a = await addMember('agent', 'agent-a@demo.test');
    const b = await addMember('agent', 'agent-b@demo.test');
    const v = await startVisitor(s);
    await s.app.inject({ method: 'POST', url: `/v1/conversations/${v.id}/messages`, headers: a.headers, payload: { text: '我是A' } });
    const r = await s.app.inject({ method: 'POST', url: `/v1/conversations/${v.id}/messages`, headers: b.headers, payload: { text: '我是B' } });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('CONVERSATION_ASSIGNED_TO_OTHER');
  });

  it('answers 404 for another workspace’s conversation, and for unknown ids', async () => {
    const v = await startVisitor(s);
    for (const url of [`/v1/conversations/${v.id}`, `/v1/conversations/${v.id}/messages`]) {
      const r = await s.app.inject({ url, headers: other });
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('CONVERSATION_NOT_FOUND');
    }
    expect((await s.app.inject({ method: 'POST', url: `/v1/conversations/${v.id}/messages`, headers: other, payload: { text: 'x' } })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'PATCH', url: `/v1/conversations/${v.id}`, headers: other, payload: { status: 'resolved' } })).statusCode).toBe(404);
    expect((await s.app.inject({ url: '/v1/conversations/unknown-id', headers: owner })).statusCode).toBe(404);
    expect((await s.app.inject({ url: '/v1/conversations', headers: other })).json().items).toEqual([]);
  });

  it('rejects a bad status filter and a bad cursor by name', async () => {
    expect((await s.app.inject({ url: '/v1/conversations?status=bot,nope', headers: owner })).json().errors[0].field).toMatch(/^querystring\.status/);
    expect((await s.app.inject({ url: '/v1/conversations?limit=1000', headers: owner })).json().errors[0].field).toBe('querystring.limit');
    expect((await s.app.inject({ url: '/v1/conversations?cursor=zzz', headers: owner })).json().code).toBe('CURSOR_INVALID');
  });
});

describe('roles', () => {
  it('lets a viewer read but not reply, and an agent reply but not manage members', async () => {
    const viewer = await addMember('viewer', 'viewer@demo.test');
    const agent = await addMember('agent', 'agent-c@demo.test');
    const v = await startVisitor(s);
    expect((await s.app.inject({ url: '/v1/conversations', headers: viewer.headers })).statusCode).toBe(200);
    const r = await s.app.inject({ method: 'POST', url: `/v1/conversations/${v.id}/messages`, headers: viewer.headers, payload: { text: 'hi' } });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('AUTH_FORBIDDEN');
    expect(
      (
        await s.app.inject({
          method: 'POST',
          url: '/v1/members',
          headers: agent.headers,
          payload: { email: 'x@y.z', name: 'x', role: 'agent', password: '12345678' },
        })
      ).statusCode,
    ).toBe(403);
    expect((await s.app.inject({ url: '/v1/api-keys', headers: agent.headers })).statusCode).toBe(403);
  });
});

describe('members', () => {
  it('validates new members and refuses duplicates', async () => {
    const bad = await s.app.inject({
      method: 'POST',
      url: '/v1/members',
      headers: owner,
      payload: { email: 'nope', name: '', role: 'king', password: 'short' },
    });
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.email', 'body.name', 'body.password', 'body.role']);
    await addMember('agent', 'dup@demo.test');
    const dup = await s.app.inject({
      method: 'POST',
      url: '/v1/members',
      headers: owner,
      payload: { email: 'DUP@demo.test', name: 'd', role: 'agent', password: 'correct-horse-1' },
    });
    expect(dup.json().code).toBe('MEMBER_EMAIL_TAKEN');
  });

  it('keeps the last owner and ends sessions of a disabled member', async () => {
    const me = (await s.app.inject({ url: '/v1/me', headers: owner })).json().member;
    const r = await s.app.inject({ method: 'PATCH', url: `/v1/members/${me.id}`, headers: owner, payload: { role: 'agent' } });
    expect(r.json().code).toBe('MEMBER_LAST_OWNER');
    const a = await addMember('agent', 'leaver@demo.test');
    await s.app.inject({ method: 'PATCH', url: `/v1/members/${a.member.id}`, headers: owner, payload: { disabled: true } });
    expect((await s.app.inject({ url: '/v1/me', headers: a.headers })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'PATCH', url: `/v1/members/${a.member.id}`, headers: other, payload: { name: 'x' } })).statusCode).toBe(404);
  });
});

describe('API keys', () => {
  it('shows the secret once, stores only a prefix, works as a bearer token and can be revoked', async () => {
    const created = await s.app.inject({ method: 'POST', url: '/v1/api-keys', headers: owner, payload: { name: 'CRM sync', role: 'viewer' } });
    expect(created.statusCode).toBe(201);
    const { secret, apiKey } = created.json();
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const listed = (await s.app.inject({ url: '/v1/api-keys', headers: owner })).json().items;
    expect(JSON.stringify(listed)).not.toContain(secret);
    const asKey = { authorization: `Bearer ${secret}` };
    expect((await s.app.inject({ url: '/v1/me', headers: asKey })).json().principal).toBe('api_key');
    expect((await s.app.inject({ method: 'POST', url: '/v1/members', headers: asKey, payload: {} })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/api-keys/${apiKey.id}`, headers: other })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/api-keys/${apiKey.id}`, headers: owner })).json().revokedAt).not.toBeNull();
    expect((await s.app.inject({ url: '/v1/me', headers: asKey })).statusCode).toBe(401);
  });
});

describe('contacts', () => {
  it('creates, finds, updates and isolates contacts', async () => {
    const c = await s.app.inject({
      method: 'POST',
      url: '/v1/contacts',
      headers: owner,
      payload: { name: '王五', externalId: 'crm-9', phone: '+86 138 0000 0000', attributes: { tier: 'gold' } },
    });
    expect(c.statusCode).toBe(201);
    const id = c.json().id;
    expect((await s.app.inject({ url: '/v1/contacts?q=王五', headers: owner })).json().items[0].id).toBe(id);
    const u = await s.app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, headers: owner, payload: { attributes: { city: '上海' } } });
    expect(u.json().attributes).toEqual({ tier: 'gold', city: '上海' });
    expect((await s.app.inject({ url: `/v1/contacts/${id}`, headers: other })).statusCode).toBe(404);
    const dup = await s.app.inject({ method: 'POST', url: '/v1/contacts', headers: owner, payload: { externalId: 'crm-9' } });
    expect(dup.json().code).toBe('CONTACT_EXTERNAL_ID_TAKEN');
    const bad = await s.app.inject({ method: 'POST', url: '/v1/contacts', headers: owner, payload: { phone: 'call me', email: 'x' } });
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.email', 'body.phone']);
    expect((await s.app.inject({ method: 'PATCH', url: `/v1/contacts/${id}`, headers: owner, payload: {} })).statusCode).toBe(400);
  });
});

describe('service routes', () => {
  it('reports health, readiness, metrics and OpenAPI docs', async () => {
    expect((await s.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await s.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', database: 'sqlite' });
    const metrics = (await s.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/kefu_knowledge_index_entries \d+/);
    const bytes = Number(metrics.match(/kefu_knowledge_index_bytes (\d+)/)?.[1]);
    expect(bytes).toBeGreaterThan(100_000);
    const spec = (await s.app.inject({ url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/conversations', '/v1/widget/conversations/{id}/messages', '/v1/auth/login']));
  });

  it('answers unknown routes with problem+json', async () => {
    const r = await s.app.inject({ url: '/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('ROUTE_NOT_FOUND');
  });
});
