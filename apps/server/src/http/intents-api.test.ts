import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let s: TestServer;
let admin: { authorization: string };
let other: { authorization: string };

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
  other = await loginOtherWorkspace(s, 'nlu-other');
});
afterAll(async () => {
  await s.close();
});

const post = (url: string, payload: unknown, headers = admin) => s.app.inject({ method: 'POST', url, headers, payload: payload as object });
const get = (url: string, headers = admin) => s.app.inject({ url, headers });

const RASA = `version: "3.1"
nlu:
- intent: order_status
  examples: |
    - 我的订单到哪了
    - 快递什么时候到
    - 物流信息怎么查
    - where is my [order](item)
    - track my package
    - 我的快遞到哪了
- intent: complain_manager
  examples: |
    - 叫你们经理出来
    - 我要投诉你们的客服
    - let me talk to your manager
    - I want to file a complaint
- synonym: order
  examples: |
    - purchase
`;

async function trainAndWait() {
  const started = await post('/v1/intents/train', {});
  expect(started.statusCode).toBe(202);
  expect(started.json()).toMatchObject({ status: 'training', serving: false });
  let run = started.json();
  await vi.waitFor(
    async () => {
      run = (await get(`/v1/intents/models/${run.id}`)).json();
      expect(run.status).not.toBe('training');
    },
    { timeout: 20_000, interval: 50 },
  );
  return run;
}

describe('intents', () => {
  it('ships the demo shop with intents linked to flows, FAQ entries and hand-offs', async () => {
    const items = (await get('/v1/intents')).json().items as { name: string; action: { kind: string } | null; examples: string[] }[];
    const byName = Object.fromEntries(items.map((i) => [i.name, i]));
    expect(byName.human_agent?.action).toEqual({ kind: 'handoff' });
    expect(byName.refund?.action).toMatchObject({ kind: 'flow' });
    expect(byName.invoice?.action).toMatchObject({ kind: 'faq' });
    expect(byName.oos?.action).toBeNull();
    for (const i of items) expect(i.examples.length, i.name).toBeGreaterThanOrEqual(10);
  });

  it('imports Rasa NLU YAML, CSV and JSONL, merging examples by intent', async () => {
    // The demo workspace ships order_status and refund; complain_manager is new.
    expect((await post('/v1/intents/import', { format: 'yaml', content: RASA })).json()).toEqual({ created: 1, updated: 1 });
    const csv =
      'intent,example\nrefund,我要退款\nrefund,怎么申请退货\nrefund,退钱什么时候到账\nrefund,I want a refund\nrefund,"how do I return this, it broke"\n';
    expect((await post('/v1/intents/import', { format: 'csv', content: csv })).json()).toEqual({ created: 0, updated: 1 });
    const jsonl = '{"intent":"order_status","text":"查一下我的包裹"}\n{"name":"refund","examples":["退款进度查询"],"description":"退款与退货"}\n';
    expect((await post('/v1/intents/import', { format: 'jsonl', content: jsonl })).json()).toEqual({ created: 0, updated: 2 });
    const items = (await get('/v1/intents')).json().items;
    const byName = Object.fromEntries(items.map((i: { name: string }) => [i.name, i]));
    expect(byName.order_status.examples).toContain('where is my order');
    expect(byName.order_status.examples).toContain('查一下我的包裹');
    expect(byName.refund).toMatchObject({ description: '退款与退货' });
    expect(byName.refund.examples).toEqual(expect.arrayContaining(['I want a refund', 'how do I return this, it broke', '退款进度查询']));
  });

  it('reports a bad file with its line and stores nothing from it', async () => {
    const r = await post('/v1/intents/import', { format: 'jsonl', content: '{"intent":"x","text":"a"}\nnot json\n' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'INTENT_FILE_INVALID', detail: expect.stringContaining('line 2') });
    const bad = await post('/v1/intents/import', { format: 'csv', content: 'bad name!,hello\n' });
    expect(bad.statusCode).toBe(422);
    expect((await get('/v1/intents')).json().items.map((i: { name: string }) => i.name)).not.toContain('x');
  });

  it('validates an intent and names the field', async () => {
    const r = await post('/v1/intents', { name: 'has space', examples: ['x'] });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('body.name');
    const dup = await post('/v1/intents', { name: 'refund', examples: ['x'] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'INTENT_NAME_TAKEN' });
    const badFaq = await post('/v1/intents', { name: 'shipping', examples: ['运费多少'], action: { kind: 'faq', faqId: 'nope' } });
    expect(badFaq.statusCode).toBe(400);
    expect(badFaq.json().errors?.[0]?.field ?? badFaq.json().field).toBeDefined();
  });

  it('exports what it imports', async () => {
    const yaml = await get('/v1/intents/export?format=yaml');
    expect(yaml.headers['content-type']).toContain('application/yaml');
    expect(yaml.body).toContain('name: complain_manager');
    const csv = await get('/v1/intents/export?format=csv');
    expect(csv.body.split('\n')[0]).toBe('intent,example');
    expect(csv.body).toContain('refund,我要退款');
  });

  it('refuses to train with fewer than two intents, with a clear message', async () => {
    const r = await post('/v1/intents/train', {}, other);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'INTENT_TRAINING_INVALID', detail: expect.stringContaining('two intents') });
  });

  it('trains in the background with progress, warns about thin intents, and then serves the model', async () => {
    const run = await trainAndWait();
    expect(run).toMatchObject({ status: 'ready', progress: 1, serving: true, version: 1 });
    expect(run.report.warnings.map((w: { intent: string }) => w.intent)).toContain('complain_manager');
    expect(run.report.heldOut.accuracy).toBeGreaterThan(0);
    expect(run.report.heldOut.perIntent.map((p: { intent: string }) => p.intent)).toEqual(
      expect.arrayContaining(['complain_manager', 'order_status', 'refund', 'oos']),
    );

    const a = (await post('/v1/nlu/analyze', { text: '我的包裹到哪里了？明天能到吗，急！' })).json();
    expect(a.modelVersion).toBe(1);
    expect(a.intents[0].name).toBe('order_status');
    expect(a.entities.map((e: { type: string }) => e.type)).toContain('datetime');
    expect(a.sentiment.emotions.anxiety).toBeGreaterThan(0);
  });

  it('answers through an intent that leads to an FAQ entry and hands off for one that leads to a person', async () => {
    const faqs = (await get('/v1/knowledge/faqs?limit=100&q=退货')).json().items;
    const items = (await get('/v1/intents')).json().items;
    const refund = items.find((i: { name: string }) => i.name === 'refund');
    const manager = items.find((i: { name: string }) => i.name === 'complain_manager');
    await s.app.inject({
      method: 'PUT',
      url: `/v1/intents/${refund.id}`,
      headers: admin,
      payload: { name: 'refund', examples: refund.examples, action: { kind: 'faq', faqId: faqs[0].id } },
    });
    await s.app.inject({
      method: 'PUT',
      url: `/v1/intents/${manager.id}`,
      headers: admin,
      payload: { name: 'complain_manager', examples: manager.examples, action: { kind: 'handoff' } },
    });
    // Actions change without retraining.
    await vi.waitFor(() => expect(s.deps.ctx.intentModels.intents(s.demo!.workspace.id).get('refund')?.action).toMatchObject({ kind: 'faq' }));

    const v = await startVisitor(s);
    const r = (await say(s, v, '我要退款')).json();
    const trace = (await get(`/v1/conversations/${v.id}/messages`)).json().items.at(-1).metadata.trace;
    expect(trace.decision).toMatchObject({ kind: 'answer' });
    expect(trace.stages.find((x: { stage: string }) => x.stage === 'understand').output.intents[0].name).toBe('refund');
    expect(r.replies[0].parts[0].sources[0].id).toBe(faqs[0].id);

    const v2 = await startVisitor(s);
    await say(s, v2, '叫你们经理出来');
    const conv = (await get(`/v1/conversations/${v2.id}`)).json();
    expect(conv).toMatchObject({ status: 'queued', handoffReason: 'intent' });
  });

  it('hands off on a threat to go to a regulator, and on anger', async () => {
    const v = await startVisitor(s);
    await say(s, v, '再不给我处理我就打12315投诉你们');
    expect((await get(`/v1/conversations/${v.id}`)).json()).toMatchObject({ status: 'queued', handoffReason: 'regulator_threat' });
    const v2 = await startVisitor(s);
    await say(s, v2, '气死我了！！什么垃圾服务😡😡');
    expect((await get(`/v1/conversations/${v2.id}`)).json()).toMatchObject({ status: 'queued', handoffReason: 'negative_sentiment' });
  });

  it('hands off when the customer stays unhappy three messages in a row, and starts the count afresh after a person replied', async () => {
    const v = await startVisitor(s);
    const unhappy = ['等了好几天还没发货，很失望', '还是没有消息，太慢了', '你们这效率真让人失望'];
    await say(s, v, unhappy[0]!);
    await say(s, v, unhappy[1]!);
    expect((await get(`/v1/conversations/${v.id}`)).json().status).toBe('bot');
    await say(s, v, unhappy[2]!);
    expect((await get(`/v1/conversations/${v.id}`)).json()).toMatchObject({ status: 'queued', handoffReason: 'negative_trend' });
    const customer = (await get(`/v1/conversations/${v.id}/messages`)).json().items.filter((m: { author: { type: string } }) => m.author.type === 'contact');
    expect(customer.at(-1).metadata.sentiment).toMatchObject({ label: 'negative', regulatorThreat: false });
    const trace = (await get(`/v1/conversations/${v.id}/messages`)).json().items.at(-1).metadata.trace;
    expect(trace.stages.find((x: { stage: string }) => x.stage === 'understand').output.trend).toMatchObject({ messages: 3, negativeStreak: 3 });

    // An agent takes over, answers and hands back: one more unhappy message is not a streak of four.
    await s.app.inject({ method: 'PATCH', url: `/v1/conversations/${v.id}`, headers: admin, payload: { status: 'assigned' } });
    await post(`/v1/conversations/${v.id}/messages`, { text: '抱歉久等了，已为您催促仓库' });
    await s.app.inject({ method: 'PATCH', url: `/v1/conversations/${v.id}`, headers: admin, payload: { status: 'bot' } });
    await say(s, v, '还是很失望');
    expect((await get(`/v1/conversations/${v.id}`)).json().status).toBe('bot');
  });

  it('keeps serving the previous model when a stored model is unreadable', async () => {
    const ws = s.demo!.workspace.id;
    const before = s.deps.ctx.intentModels.serving(ws)!;
    const second = await trainAndWait();
    expect(second.version).toBe(2);
    // Damage the stored model of a third run, then reload: version 2 keeps serving.
    const broken = { ...second, id: s.deps.ctx.ids.next(), version: 3, workspaceId: ws };
    await s.deps.ctx.store.intents.saveRun(
      { ...broken, report: {} },
      '{"version":1,"labels":["a"],"features":[],"idf":"","weights":"AAAA","temperature":1,"c":1,"heldOut":null}',
    );
    await s.deps.ctx.bus.publish([{ type: 'intents.changed', workspaceId: ws }]);
    expect(s.deps.ctx.intentModels.serving(ws)?.run.version).toBe(2);
    expect(before.run.version).toBe(1);
  });

  it('tags the conversation for an intent whose action is a tag, and still answers', async () => {
    const greeting = (await get('/v1/intents')).json().items.find((i: { name: string }) => i.name === 'greeting');
    await s.app.inject({
      method: 'PUT',
      url: `/v1/intents/${greeting.id}`,
      headers: admin,
      payload: { name: 'greeting', examples: greeting.examples, action: { kind: 'tag', tag: '打招呼' } },
    });
    await vi.waitFor(() => expect(s.deps.ctx.intentModels.intents(s.demo!.workspace.id).get('greeting')?.action).toMatchObject({ kind: 'tag' }));
    const v = await startVisitor(s);
    const r = (await say(s, v, greeting.examples[0])).json();
    expect(r.replies).toHaveLength(1);
    expect((await get(`/v1/conversations/${v.id}`)).json().tags).toEqual(['打招呼']);
  });

  it('keeps workspaces apart', async () => {
    const mine = (await get('/v1/intents')).json().items[0];
    expect((await get(`/v1/intents/${mine.id}`, other)).statusCode).toBe(404);
    expect((await get('/v1/intents', other)).json().items).toEqual([]);
    expect((await post('/v1/nlu/analyze', { text: '我的订单到哪了' }, other)).json().modelVersion).toBeNull();
  });

  it('rejects an unauthenticated caller and an empty message', async () => {
    expect((await s.app.inject({ url: '/v1/intents' })).statusCode).toBe(401);
    const r = await post('/v1/nlu/analyze', { text: '   ' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('body.text');
  });
});
