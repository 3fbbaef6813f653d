import type { ServerFrame } from '@kefu/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { connectWs } from '../../test-support/ws-client.js';

let s: TestServer;
let token: string;
let widgetKey: string;

beforeAll(async () => {
  s = await startTestServer({ listen: true });
  widgetKey = s.demo!.workspace.widgetKey;
  token = (await post('/v1/auth/login', { email: s.demo!.adminEmail, password: s.demo!.adminPassword })).token;
});
afterAll(async () => {
  await s.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return r.json();
}

const connect = (path: string) => connectWs(s.url, path);

describe('realtime WebSocket', () => {
  it('delivers a customer chat to agents live, with traces, and agent replies to the customer without notes', async () => {
    const agent = await connect(`/v1/ws?token=${token}`);
    const start = await post('/v1/widget/conversations', { locale: 'zh-CN' }, { 'x-kefu-widget-key': widgetKey });
    const convId = start.conversation.id;
    await agent.waitFor((f) => f.type === 'conversation.created' && f.conversation.id === convId);
    const visitor = await connect(`/v1/widget/ws?token=${start.visitorToken}`);

    await post(`/v1/widget/conversations/${convId}/messages`, { text: '怎么申请退货' }, { authorization: `Bearer ${start.visitorToken}` });
    const botFrame = await agent.waitFor<Extract<ServerFrame, { type: 'message.created' }>>(
      (f) => f.type === 'message.created' && f.message.author.type === 'bot' && f.conversationId === convId && f.message.metadata.kind !== 'greeting',
    );
    expect(botFrame.message.metadata.trace?.decision.kind).toBe('answer');
    const visitorBot = await visitor.waitFor<Extract<ServerFrame, { type: 'message.created' }>>(
      (f) => f.type === 'message.created' && f.message.author.type === 'bot',
    );
    expect(visitorBot.message.metadata.trace).toBeUndefined();

    await post(`/v1/conversations/${convId}/messages`, { text: '内部备注', kind: 'note' }, { authorization: `Bearer ${token}` });
    await post(`/v1/conversations/${convId}/messages`, { text: '您好，我是客服小王' }, { authorization: `Bearer ${token}` });
    const agentMsg = await visitor.waitFor<Extract<ServerFrame, { type: 'message.created' }>>(
      (f) => f.type === 'message.created' && f.message.author.type === 'agent',
    );
    expect(agentMsg.message.author.name).toBe('Demo Admin 演示管理员');
    const updated = await visitor.waitFor<Extract<ServerFrame, { type: 'conversation.updated' }>>(
      (f) => f.type === 'conversation.updated' && f.conversation.status === 'assigned',
    );
    expect(updated.conversation.id).toBe(convId);
    expect(visitor.frames.some((f) => f.type === 'message.created' && f.message.author.type === 'note')).toBe(false);
    expect(agent.frames.some((f) => f.type === 'message.created' && f.message.author.type === 'note')).toBe(true);
    agent.ws.close();
    visitor.ws.close();
  });

  it('relays typing both ways and answers pings', async () => {
    const agent = await connect(`/v1/ws?token=${token}`);
    const start = await post('/v1/widget/conversations', { locale: 'en' }, { 'x-kefu-widget-key': widgetKey });
    const visitor = await connect(`/v1/widget/ws?token=${start.visitorToken}`);
    visitor.ws.send(JSON.stringify({ type: 'typing', on: true }));
    const t1 = await agent.waitFor<Extract<ServerFrame, { type: 'typing' }>>((f) => f.type === 'typing');
    expect(t1).toMatchObject({ conversationId: start.conversation.id, author: { type: 'contact' }, on: true });
    agent.ws.send(JSON.stringify({ type: 'typing', conversationId: start.conversation.id, on: true }));
    expect((await visitor.waitFor((f) => f.type === 'typing')) as unknown).toMatchObject({ author: { type: 'agent' } });
    visitor.ws.send(JSON.stringify({ type: 'ping' }));
    await visitor.waitFor((f) => f.type === 'pong');
    agent.ws.close();
    visitor.ws.close();
  });

  it('answers malformed frames with an error frame and stays connected', async () => {
    const agent = await connect(`/v1/ws?token=${token}`);
    agent.ws.send('not json');
    agent.ws.send(JSON.stringify({ type: 'launch-missiles' }));
    agent.ws.send(JSON.stringify({ type: 'typing', on: true }));
    agent.ws.send('x'.repeat(5000));
    await new Promise((r) => setTimeout(r, 200));
    expect(agent.frames.filter((f) => f.type === 'error').map((f) => (f as { code: string }).code)).toEqual([
      'WS_FRAME_INVALID',
      'WS_FRAME_INVALID',
      'WS_FRAME_INVALID',
      'WS_FRAME_INVALID',
    ]);
    agent.ws.send(JSON.stringify({ type: 'ping' }));
    await agent.waitFor((f) => f.type === 'pong');
    agent.ws.close();
  });

  it('closes with 4401 for a missing or bad token', async () => {
    for (const path of ['/v1/ws?token=kfs_wrong', '/v1/widget/ws?token=kfv1.bad.token', '/v1/ws']) {
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}${path}`);
      const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
      expect(code).toBe(4401);
    }
  });

  it('closes an agent socket when its session logs out', async () => {
    const session = (await post('/v1/auth/login', { email: s.demo!.adminEmail, password: s.demo!.adminPassword })).token;
    const agent = await connect(`/v1/ws?token=${session}`);
    const closed = new Promise<number>((resolve) => agent.ws.on('close', (code) => resolve(code)));
    await fetch(`${s.url}/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${session}` } });
    expect(await closed).toBe(4401);
  });

  it('never sends one workspace’s events to another workspace’s agents', async () => {
    const { createWorkspace } = await import('../../usecases/create-workspace.js');
    await createWorkspace(s.deps.ctx, { slug: 'ws-iso', name: 'Iso', owner: { email: 'iso@iso.test', name: 'Iso', password: 'iso-password-1' } });
    const otherToken = (await post('/v1/auth/login', { email: 'iso@iso.test', password: 'iso-password-1' })).token;
    const outsider = await connect(`/v1/ws?token=${otherToken}`);
    const insider = await connect(`/v1/ws?token=${token}`);
    const start = await post('/v1/widget/conversations', { locale: 'zh-CN' }, { 'x-kefu-widget-key': widgetKey });
    await post(`/v1/widget/conversations/${start.conversation.id}/messages`, { text: '运费' }, { authorization: `Bearer ${start.visitorToken}` });
    await insider.waitFor((f) => f.type === 'message.created' && f.message.author.type === 'bot' && f.message.metadata.kind === 'answer');
    expect(outsider.frames.map((f) => f.type)).toEqual(['ready']);
    outsider.ws.close();
    insider.ws.close();
  });
});
