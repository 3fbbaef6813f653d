import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let s: TestServer;
let admin: { authorization: string };
let other: { authorization: string };
beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
  other = await loginOtherWorkspace(s, 'flows-other');
});
afterAll(() => s.close());

const post = (url: string, payload: unknown, headers = admin) => s.app.inject({ method: 'POST', url, headers, payload: payload as object });
const get = (url: string, headers = admin) => s.app.inject({ url, headers });

const GREETING = (word: string) => `key: opening_hours
name: { zh-CN: 营业时间, en: Opening hours }
triggers:
  keywords: [营业时间, opening hours]
steps:
  - say: { zh-CN: "我们${word}9:00-21:00 营业。", en: "We are open 9:00-21:00." }
  - end: null
`;

describe('flows API', () => {
  it('lists the demo flows with their triggers and definitions', async () => {
    const items = (await get('/v1/flows')).json().items;
    expect(items.map((f: { key: string }) => f.key).sort()).toEqual(['change_address', 'invoice_request', 'order_status', 'refund_request']);
    const refund = items.find((f: { key: string }) => f.key === 'refund_request');
    expect(refund).toMatchObject({ version: 1, enabled: true, triggers: { intents: ['refund'] }, name: { 'zh-CN': '申请退款' } });
    expect(refund.definition.steps.length).toBeGreaterThan(10);
  });

  it('refuses invalid YAML with every problem and its line, and the previous version keeps serving', async () => {
    const created = await post('/v1/flows', { source: GREETING('每天') });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const bad = `key: opening_hours
name: Opening hours
steps:
  - say: hi
    next: nowhere
  - ask: { slot: Bad Name, prompt: x }
  - call: { action: no_such_action }
  - branch:
      - { when: "slots.x ==", goto: step-1 }
`;
    const r = await s.app.inject({ method: 'PUT', url: `/v1/flows/${id}`, headers: admin, payload: { source: bad } });
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body.code).toBe('FLOW_INVALID');
    expect(body.problems.map((p: { line: number }) => p.line)).toEqual(expect.arrayContaining([6]));
    expect(body.detail).toMatch(/line 6: steps\.1\.ask\.slot/);
    const syntax = await s.app.inject({ method: 'PUT', url: `/v1/flows/${id}`, headers: admin, payload: { source: 'key: [unclosed\nsteps: x' } });
    expect(syntax.json()).toMatchObject({ code: 'FLOW_INVALID', problems: [expect.objectContaining({ line: expect.any(Number) })] });
    const semantic = await s.app.inject({
      method: 'PUT',
      url: `/v1/flows/${id}`,
      headers: admin,
      payload: { source: `${GREETING('每天')}  - say: x\n    next: nowhere\n  - call: { action: no_such_action }\n` },
    });
    expect(semantic.json().problems.map((p: { message: string; line: number }) => `${p.line} ${p.message}`)).toEqual([
      '9 steps.2.next: no step with id "nowhere"',
      '10 steps.3.call.action: no action "no_such_action" in this workspace',
    ]);
    // Still version 1, still answering.
    expect((await get(`/v1/flows/${id}`)).json().version).toBe(1);
    const v = await startVisitor(s);
    expect((await say(s, v, '你们营业时间是？')).json().replies[0].text).toContain('每天9:00-21:00');
  });

  it('versions every change, restores an old one, exports the YAML, and imports by key', async () => {
    const id = (await get('/v1/flows')).json().items.find((f: { key: string }) => f.key === 'opening_hours').id;
    const v2 = await s.app.inject({ method: 'PUT', url: `/v1/flows/${id}`, headers: admin, payload: { source: GREETING('周一至周五') } });
    expect(v2.json().version).toBe(2);
    const v = await startVisitor(s);
    expect((await say(s, v, '营业时间')).json().replies[0].text).toContain('周一至周五');
    // Importing the same key again makes a new version of the same flow.
    const imported = await post('/v1/flows', { source: GREETING('周末也') });
    expect(imported.json()).toMatchObject({ id, version: 3 });
    expect((await get(`/v1/flows/${id}/versions`)).json().items.map((x: { version: number }) => x.version)).toEqual([3, 2, 1]);
    const restored = await post(`/v1/flows/${id}/versions/1/restore`, {});
    expect(restored.json()).toMatchObject({ version: 4 });
    const exported = await get(`/v1/flows/${id}/export`);
    expect(exported.headers['content-type']).toContain('application/yaml');
    expect(exported.body).toBe(GREETING('每天'));
  });

  it('keeps workspaces apart and lets only admins change flows and see actions', async () => {
    const id = (await get('/v1/flows')).json().items[0].id;
    expect((await get(`/v1/flows/${id}`, other)).statusCode).toBe(404);
    expect((await get('/v1/flows', other)).json().items).toEqual([]);
    expect((await s.app.inject({ method: 'DELETE', url: `/v1/flows/${id}`, headers: other })).statusCode).toBe(404);
    expect((await get('/v1/flows', { authorization: 'Bearer nope' })).statusCode).toBe(401);
  });
});

describe('actions API', () => {
  it('stores secrets encrypted, shows only their names, validates the settings by field and tests a call', async () => {
    const orderApi = s.shop!.url;
    const created = await post('/v1/actions', {
      key: 'crm_lookup',
      kind: 'http',
      config: { method: 'GET', url: `${orderApi}/orders/{{args.order_no}}`, headers: { 'X-Api-Key': '{{secrets.CRM_KEY}}' }, response: { status: 'status' } },
      secrets: { CRM_KEY: 'sk-very-secret-value' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key: 'crm_lookup', secretNames: ['CRM_KEY'] });
    expect(created.body).not.toContain('sk-very-secret-value');
    const row = await s.deps.ctx.store.actions.findByKey(s.demo!.workspace.id, 'crm_lookup');
    expect(JSON.stringify(row)).not.toContain('sk-very-secret-value');

    const tested = await post(`/v1/actions/${created.json().id}/test`, { args: { order_no: 'YD2026111800456' } });
    expect(tested.json()).toMatchObject({ ok: true, status: 200, slots: { status: 'shipped' } });

    const bad = await post('/v1/actions', { key: 'bad', kind: 'http', config: { method: 'FETCH', url: 'ftp://x' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['body.config.method', 'body.config.url']));
  });

  it('refuses to delete an action a flow calls', async () => {
    const getOrder = (await get('/v1/actions')).json().items.find((a: { key: string }) => a.key === 'get_order');
    const r = await s.app.inject({ method: 'DELETE', url: `/v1/actions/${getOrder.id}`, headers: admin });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'ACTION_IN_USE' });
    expect(r.json().detail).toContain('order_status');
  });
});
