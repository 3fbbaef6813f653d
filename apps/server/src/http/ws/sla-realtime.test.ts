import type { ServerFrame } from '@kefu/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { connectWs } from '../../test-support/ws-client.js';

// Agents hear about an SLA breach the moment the sweep sees it, with the conversation's new clocks;
// the customer's socket hears nothing of it.

let s: TestServer;
let token: string;
let t = Date.parse('2026-04-27T02:00:00Z');
const clock = { now: () => new Date(t) };

beforeAll(async () => {
  s = await startTestServer({ listen: true, clock });
  const login = await fetch(`${s.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: s.demo!.adminEmail, password: s.demo!.adminPassword }),
  });
  token = (await login.json()).token;
});
afterAll(async () => {
  await s.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return r.json();
}

describe('SLA over WebSocket', () => {
  it('sends sla.warning then sla.breached to agents once, and the breached clock in conversation.updated', async () => {
    const agent = await connectWs(s.url, `/v1/ws?token=${token}`);
    const start = await post('/v1/widget/conversations', { locale: 'en' }, { 'x-kefu-widget-key': s.demo!.workspace.widgetKey });
    const id = start.conversation.id as string;
    const visitor = await connectWs(s.url, `/v1/widget/ws?token=${start.visitorToken}`);
    await post(`/v1/conversations/${id}/handoff`, { reason: 'customer_request', priority: 'urgent' }, { authorization: `Bearer ${token}` });
    const started = await agent.waitFor<Extract<ServerFrame, { type: 'conversation.updated' }>>(
      (f) => f.type === 'conversation.updated' && f.conversation.id === id && f.conversation.sla?.firstResponse.state === 'running',
    );
    expect(started.conversation.sla?.firstResponse.dueAt).toBe(new Date(t + 5 * 60_000).toISOString());

    t += 4 * 60_000;
    await s.deps.sla.sweep();
    const warning = await agent.waitFor<Extract<ServerFrame, { type: 'sla.warning' }>>((f) => f.type === 'sla.warning' && f.event.conversationId === id);
    expect(warning.event.metric).toBe('first_response');

    t += 2 * 60_000;
    await s.deps.sla.sweep();
    await s.deps.sla.sweep();
    const breach = await agent.waitFor<Extract<ServerFrame, { type: 'sla.breached' }>>((f) => f.type === 'sla.breached' && f.event.conversationId === id);
    expect(breach.event).toMatchObject({ metric: 'first_response', kind: 'breach', priority: 'urgent' });
    await agent.waitFor((f) => f.type === 'conversation.updated' && f.conversation.id === id && f.conversation.sla?.firstResponse.state === 'breached');
    await new Promise((r) => setTimeout(r, 100));
    expect(agent.frames.filter((f) => f.type === 'sla.breached' && f.event.conversationId === id)).toHaveLength(1);
    expect(visitor.frames.some((f) => f.type === 'sla.breached' || f.type === 'sla.warning')).toBe(false);
    expect(visitor.frames.some((f) => f.type === 'conversation.updated' && f.conversation.sla)).toBe(false);
    agent.ws.close();
    visitor.ws.close();
  });
});
