import { expect } from 'vitest';
import { createWorkspace } from '../usecases/create-workspace.js';
import type { TestServer } from './test-server.js';

/** Logs in as the demo owner and returns auth headers. */
export async function loginDemo(s: TestServer): Promise<{ authorization: string }> {
  const r = await s.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: s.demo!.adminEmail, password: s.demo!.adminPassword, workspace: 'demo' },
  });
  if (r.statusCode !== 200) throw new Error(`login failed: ${r.body}`);
  return { authorization: `Bearer ${r.json().token}` };
}

/** Starts a visitor conversation in the demo workspace. */
export async function startVisitor(s: TestServer, body: Record<string, unknown> = { locale: 'zh-CN' }) {
  const r = await s.app.inject({
    method: 'POST',
    url: '/v1/widget/conversations',
    headers: { 'x-kefu-widget-key': s.demo!.workspace.widgetKey },
    payload: body,
  });
  if (r.statusCode !== 201) throw new Error(`start failed: ${r.body}`);
  const json = r.json();
  return { id: json.conversation.id as string, token: json.visitorToken as string, headers: { authorization: `Bearer ${json.visitorToken}` }, body: json };
}

export async function say(s: TestServer, v: { id: string; headers: Record<string, string> }, text: string, clientMessageId?: string) {
  return s.app.inject({
    method: 'POST',
    url: `/v1/widget/conversations/${v.id}/messages`,
    headers: v.headers,
    payload: { text, ...(clientMessageId ? { clientMessageId } : {}) },
  });
}

/** Creates a second workspace (`slug`) and returns its owner's auth headers: for "another workspace's data answers 404". */
export async function loginOtherWorkspace(s: TestServer, slug: string): Promise<{ authorization: string }> {
  const email = `${slug}@other.test`;
  await createWorkspace(s.deps.ctx, { slug, name: 'Other', owner: { email, name: 'O', password: 'other-password-1' } });
  const r = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: 'other-password-1' } });
  if (r.statusCode !== 200) throw new Error(`login failed: ${r.body}`);
  return { authorization: `Bearer ${r.json().token}` };
}

/** Adds a member to the demo workspace (as `owner`) and logs them in. */
export async function addMember(s: TestServer, owner: { authorization: string }, role: string, email: string) {
  const r = await s.app.inject({
    method: 'POST',
    url: '/v1/members',
    headers: owner,
    payload: { email, name: email.split('@')[0], role, password: 'correct-horse-1' },
  });
  expect(r.statusCode).toBe(201);
  const login = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: 'correct-horse-1' } });
  return { member: r.json(), headers: { authorization: `Bearer ${login.json().token}` } };
}

/** A visitor chatting in `locale`: `say` returns the bot's replies joined and the conversation; `trace` the last turn's trace (read as `admin`). */
export async function demoChat(s: TestServer, admin: { authorization: string }, locale: 'zh-CN' | 'zh-TW' | 'en') {
  const v = await startVisitor(s, { locale });
  return {
    v,
    async say(text: string) {
      const r = await say(s, v, text);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      return { text: body.replies.map((m: { text: string }) => m.text).join('\n'), replies: body.replies, conversation: body.conversation };
    },
    async trace() {
      const items = (await s.app.inject({ url: `/v1/conversations/${v.id}/messages`, headers: admin })).json().items;
      return items.filter((m: { metadata: { trace?: unknown } }) => m.metadata.trace).at(-1).metadata.trace;
    },
  };
}
