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
