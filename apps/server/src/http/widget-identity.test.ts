import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let s: TestServer;
let admin: { authorization: string };
const sign = (secret: string, id: string) => createHmac('sha256', secret).update(id).digest('hex');

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
});
afterAll(async () => {
  await s.close();
});

async function secretOf(headers: { authorization: string }) {
  const r = await s.app.inject({ method: 'GET', url: '/v1/settings/identity-secret', headers });
  expect(r.statusCode).toBe(200);
  return r.json().secret as string;
}

describe('widget identity verification', () => {
  it('gives admins one stable secret, refuses agents, and rotates on request', async () => {
    const first = await secretOf(admin);
    expect(first).toMatch(/^kfi_/);
    expect(await secretOf(admin)).toBe(first);
    const agent = await addMember(s, admin, 'agent', 'identity-agent@demo.test');
    expect((await s.app.inject({ method: 'GET', url: '/v1/settings/identity-secret', headers: agent.headers })).statusCode).toBe(403);
    const rotated = await s.app.inject({ method: 'POST', url: '/v1/settings/identity-secret', headers: admin });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).not.toBe(first);
    expect(await secretOf(admin)).toBe(rotated.json().secret);
    // Stored encrypted, never as given.
    const sealed = await s.deps.ctx.store.workspaces.identitySecret(s.demo!.workspace.id);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(rotated.json().secret);
  });

  it('resumes a verified customer’s open conversation with its history on another device', async () => {
    const secret = await secretOf(admin);
    const contact = { externalId: 'user-42', name: 'Li Lei', email: 'li@example.com', hash: sign(secret, 'user-42') };
    const first = await startVisitor(s, { locale: 'zh-CN', contact });
    await say(s, first, '运费多少钱');
    const again = await startVisitor(s, { locale: 'zh-CN', contact });
    expect(again.id).toBe(first.id);
    expect(again.body.messages.map((m: { text: string }) => m.text)).toContain('运费多少钱');
    const history = await s.app.inject({ method: 'GET', url: `/v1/widget/conversations/${again.id}/messages`, headers: again.headers });
    expect(history.statusCode).toBe(200);
  });

  it('refuses a tampered hash with IDENTITY_INVALID on contact.hash', async () => {
    const secret = await secretOf(admin);
    const r = await s.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      headers: { 'x-kefu-widget-key': s.demo!.workspace.widgetKey },
      payload: { locale: 'en', contact: { externalId: 'user-42', hash: sign(secret, 'user-43') } },
    });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().code).toBe('IDENTITY_INVALID');
    expect(JSON.stringify(r.json())).toContain('contact.hash');
    expect(r.body).not.toContain('运费多少钱');
  });

  it('does not link an unverified claimed id: earlier conversations stay hidden', async () => {
    const secret = await secretOf(admin);
    const verified = await startVisitor(s, { locale: 'zh-CN', contact: { externalId: 'user-7', hash: sign(secret, 'user-7') } });
    await say(s, verified, '怎么申请退货退款？');
    const claimed = await startVisitor(s, { locale: 'zh-CN', contact: { externalId: 'user-7', name: 'Mallory' } });
    expect(claimed.id).not.toBe(verified.id);
    expect(claimed.body.messages.map((m: { author: { type: string } }) => m.author.type)).toEqual(['bot']);
    const conv = await s.deps.ctx.store.conversations.findById(s.demo!.workspace.id, claimed.id);
    const contact = await s.deps.ctx.store.contacts.findById(s.demo!.workspace.id, conv!.contactId);
    // A new contact: the name they gave is shown to agents, the id they claimed is only noted.
    expect(contact).toMatchObject({ externalId: null, name: 'Mallory', attributes: { unverifiedExternalId: 'user-7' } });
    expect(contact?.id).not.toBe((await s.deps.ctx.store.contacts.findByExternalId(s.demo!.workspace.id, 'user-7'))?.id);
  });

  it('refuses a hash made with another workspace’s secret', async () => {
    const other = await loginOtherWorkspace(s, 'identity-other');
    const otherSecret = await secretOf(other);
    const r = await startVisitor(s, { locale: 'en', contact: { externalId: 'user-42', hash: sign(otherSecret, 'user-42') } }).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error);
    expect(String(r)).toContain('IDENTITY_INVALID');
  });

  it('serves the widget theme with defaults, and a stored theme once set', async () => {
    const key = { 'x-kefu-widget-key': s.demo!.workspace.widgetKey };
    const before = (await s.app.inject({ method: 'GET', url: '/v1/widget/config', headers: key })).json();
    expect(before.theme).toEqual({ color: '#2f6df6', position: 'right', logoUrl: null });
    const bad = await s.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: admin,
      payload: { widget: { theme: { color: 'red;background:url(x)' } } },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await s.app.inject({
      method: 'PATCH',
      url: '/v1/settings',
      headers: admin,
      payload: { widget: { theme: { color: '#0a7d4f', position: 'left' } } },
    });
    expect(ok.statusCode).toBe(200);
    const after = (await s.app.inject({ method: 'GET', url: '/v1/widget/config', headers: key })).json();
    expect(after.theme).toEqual({ color: '#0a7d4f', position: 'left', logoUrl: null });
    await s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload: { widget: null } });
  });
});
