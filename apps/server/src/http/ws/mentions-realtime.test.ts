import type { ServerFrame } from '@kefu/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { connectWs } from '../../test-support/ws-client.js';

let s: TestServer;
let adminToken: string;

beforeAll(async () => {
  s = await startTestServer({ listen: true });
  adminToken = (await post('/v1/auth/login', { email: s.demo!.adminEmail, password: s.demo!.adminPassword })).token;
});
afterAll(async () => {
  await s.close();
});

async function post(path: string, body: unknown, token?: string) {
  const r = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return r.json();
}

async function agent(email: string, name: string) {
  await post('/v1/members', { email, name, role: 'agent', password: 'correct-horse-1' }, adminToken);
  const { token } = await post('/v1/auth/login', { email, password: 'correct-horse-1' });
  return { token: token as string, ws: await connectWs(s.url, `/v1/ws?token=${token}`) };
}

describe('mention frames', () => {
  it('reach only the mentioned agent’s sockets, while every agent sees the note', async () => {
    const lily = await agent('lily@ws.test', '李丽');
    const tom = await agent('tom@ws.test', 'Tom Baker');
    const admin = await connectWs(s.url, `/v1/ws?token=${adminToken}`);
    const started = await fetch(`${s.url}/v1/widget/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kefu-widget-key': s.demo!.workspace.widgetKey },
      body: JSON.stringify({ locale: 'zh-CN' }),
    }).then((r) => r.json());
    const convId = started.conversation.id as string;
    const visitor = await connectWs(s.url, `/v1/widget/ws?token=${started.visitorToken}`);

    const { message } = await post(`/v1/conversations/${convId}/messages`, { kind: 'note', text: '@李丽 这位客户要退款，麻烦跟进' }, adminToken);
    const frame = await lily.ws.waitFor<Extract<ServerFrame, { type: 'mention' }>>((f) => f.type === 'mention');
    expect(frame.mention).toMatchObject({ conversationId: convId, messageId: message.id, by: { name: 'Demo Admin 演示管理员' }, readAt: null });
    expect(frame.mention.excerpt).toBe('@李丽 这位客户要退款，麻烦跟进');

    // Everyone on the team sees the note itself (and with it who was mentioned); only Lily is pinged.
    const note = await tom.ws.waitFor<Extract<ServerFrame, { type: 'message.created' }>>((f) => f.type === 'message.created' && f.message.id === message.id);
    expect(note.message.mentions).toEqual([{ id: expect.any(String), name: '李丽' }]);
    await admin.waitFor((f) => f.type === 'message.created' && f.message.id === message.id);
    // A later frame to Tom proves the mention frame would have arrived by now had it been sent to him.
    await post(`/v1/conversations/${convId}/messages`, { kind: 'note', text: '@Tom Baker FYI' }, adminToken);
    await tom.ws.waitFor((f) => f.type === 'mention');
    expect(tom.ws.frames.filter((f) => f.type === 'mention')).toHaveLength(1);
    expect(lily.ws.frames.filter((f) => f.type === 'mention')).toHaveLength(1);
    expect(admin.frames.some((f) => f.type === 'mention')).toBe(false);
    expect(visitor.frames.some((f) => f.type === 'mention' || (f.type === 'message.created' && f.message.author.type === 'note'))).toBe(false);

    const listed = await fetch(`${s.url}/v1/me/mentions?unread=true`, { headers: { authorization: `Bearer ${lily.token}` } }).then((r) => r.json());
    expect(listed.items.map((m: { id: string }) => m.id)).toEqual([frame.mention.id]);
    for (const c of [lily.ws, tom.ws, admin, visitor]) c.ws.close();
  });
});
