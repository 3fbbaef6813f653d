import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

describe('visitor API', () => {
  it('starts a conversation with a greeting and suggestions in the chosen locale', async () => {
    const v = await startVisitor(s, { locale: 'zh-TW' });
    expect(v.body.conversation.status).toBe('bot');
    expect(v.body.messages[0].author.type).toBe('bot');
    expect(v.body.messages[0].text).toMatch(/您好|歡迎/);
    expect(v.body.messages[0].parts[0].type).toBe('quick_replies');
  });

  it('answers a Chinese question from the right FAQ and cites it', async () => {
    const v = await startVisitor(s);
    const r = await say(s, v, '运费多少钱');
    expect(r.statusCode).toBe(200);
    const reply = r.json().replies[0];
    expect(reply.author.type).toBe('bot');
    expect(reply.text).toContain('99元');
    expect(reply.parts.find((p: { type: string }) => p.type === 'sources').sources[0].externalId).toBe('zh-shipping-001');
    expect(reply.metadata.trace).toBeUndefined();
  });

  it('answers an English question in English and a Traditional one in Traditional', async () => {
    const v = await startVisitor(s, { locale: 'en' });
    const en = (await say(s, v, 'How long does shipping take?')).json();
    expect(en.replies[0].parts[0].sources[0].externalId).toMatch(/^en-shipping/);
    const v2 = await startVisitor(s, { locale: 'zh-TW' });
    const tw = (await say(s, v2, '退貨運費誰出？')).json();
    expect(tw.replies[0].text).toMatch(/運費/);
    expect(tw.conversation.language).toBe('zh-Hant');
  });

  it('offers a person when it has no answer, in the customer’s language', async () => {
    const v = await startVisitor(s);
    const r = (await say(s, v, '今天天气怎么样')).json();
    expect(r.replies[0].text).toContain('转人工');
    expect(r.replies[0].metadata.kind).toBe('fallback');
    const v2 = await startVisitor(s, { locale: 'en' });
    expect((await say(s, v2, 'Who won the football match yesterday?')).json().replies[0].text).toMatch(/colleague/);
  });

  it('hands off after two unanswered turns in a row, with the reason in the trace', async () => {
    const v = await startVisitor(s);
    const first = await say(s, v, '你们公司的股票代码是多少');
    expect(first.json().conversation.status).toBe('bot');
    expect(first.json().replies[0].parts[0]).toMatchObject({ type: 'quick_replies' });
    // An answered question in between resets the count.
    expect((await say(s, v, '运费多少钱')).json().conversation.status).toBe('bot');
    expect((await say(s, v, '你们老板叫什么名字')).json().conversation.status).toBe('bot');
    const third = await say(s, v, 'Tell me a joke about cats');
    expect(third.json().conversation).toMatchObject({ status: 'queued', handoffReason: 'low_confidence' });
    expect(third.json().replies[0].text).toMatch(/not able to answer/);
  });

  it('queues the conversation on 转人工 and then stays silent', async () => {
    const v = await startVisitor(s);
    const r = (await say(s, v, '转人工')).json();
    expect(r.conversation.status).toBe('queued');
    expect(r.replies[0].text).toContain('人工客服');
    const after = (await say(s, v, '运费多少钱')).json();
    expect(after.replies).toEqual([]);
    expect(after.conversation.status).toBe('queued');
    // The bot said nothing more; the customer was told their place in the queue.
    await vi.waitFor(async () => {
      const list = await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers });
      const items = list.json().items as { author: { type: string }; text: string }[];
      expect(items.filter((m) => m.author.type !== 'system').map((m) => m.author.type)).toEqual(['bot', 'contact', 'bot', 'contact']);
      expect(items.find((m) => m.author.type === 'system')?.text).toMatch(/排在第 \d+ 位/);
    });
  });

  it('returns the same result for a retried clientMessageId and stores the message once', async () => {
    const v = await startVisitor(s);
    const a = (await say(s, v, '怎么开发票', 'retry-1')).json();
    const b = (await say(s, v, '怎么开发票', 'retry-1')).json();
    expect(b.message.id).toBe(a.message.id);
    expect(b.replies.map((m: { id: string }) => m.id)).toEqual(a.replies.map((m: { id: string }) => m.id));
    const [c1, c2] = await Promise.all([say(s, v, '积分怎么用', 'race-1'), say(s, v, '积分怎么用', 'race-1')]);
    expect(c1.json().message.id).toBe(c2.json().message.id);
    const list = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json();
    expect(list.items.filter((m: { clientMessageId: string | null }) => m.clientMessageId === 'retry-1')).toHaveLength(1);
    expect(list.items.filter((m: { clientMessageId: string | null }) => m.clientMessageId === 'race-1')).toHaveLength(1);
  });

  it('pages the message history with a cursor', async () => {
    const v = await startVisitor(s);
    for (const q of ['运费', '退货', '发票']) await say(s, v, q);
    const first = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages?limit=3`, headers: v.headers })).json();
    expect(first.items).toHaveLength(3);
    const second = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages?limit=10&cursor=${first.nextCursor}`, headers: v.headers })).json();
    expect(second.items).toHaveLength(4);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((m: { id: string }) => m.id)).size).toBe(7);
  });

  it('reopens a resolved conversation when the customer writes again', async () => {
    const v = await startVisitor(s);
    await say(s, v, '运费');
    const admin = await s.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: s.demo!.adminEmail, password: s.demo!.adminPassword } });
    const auth = { authorization: `Bearer ${admin.json().token}` };
    await s.app.inject({ method: 'PATCH', url: `/v1/conversations/${v.id}`, headers: auth, payload: { status: 'resolved' } });
    const r = (await say(s, v, '退货怎么退')).json();
    expect(r.conversation.status).toBe('bot');
    expect(r.replies).toHaveLength(1);
  });
});

describe('visitor API bad input', () => {
  it('rejects a missing or wrong widget key with 401', async () => {
    const none = await s.app.inject({ method: 'POST', url: '/v1/widget/conversations', payload: {} });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json().code).toBe('WIDGET_KEY_INVALID');
    const wrong = await s.app.inject({ method: 'POST', url: '/v1/widget/conversations', headers: { 'x-kefu-widget-key': 'kfw_nope' }, payload: {} });
    expect(wrong.statusCode).toBe(401);
  });

  it('names every bad field', async () => {
    const r = await s.app.inject({
      method: 'POST',
      url: '/v1/widget/conversations',
      headers: { 'x-kefu-widget-key': s.demo!.workspace.widgetKey },
      payload: { locale: 'fr', contact: { email: 'not-an-email' } },
    });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.contact.email', 'body.locale']);
  });

  it('answers 413 for text over the limit and stores nothing', async () => {
    const v = await startVisitor(s);
    const r = await say(s, v, '长'.repeat(4001));
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: 'MESSAGE_TOO_LONG', errors: [{ field: 'text' }], limit: 4000 });
    const list = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json();
    expect(list.items.filter((m: { author: { type: string } }) => m.author.type === 'contact')).toHaveLength(0);
  });

  it('answers 413 for a body over the size limit', async () => {
    const v = await startVisitor(s);
    const r = await say(s, v, 'x'.repeat(200_000));
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 400 for lone surrogates', async () => {
    const v = await startVisitor(s);
    const r = await s.app.inject({
      method: 'POST',
      url: `/v1/widget/conversations/${v.id}/messages`,
      headers: { ...v.headers, 'content-type': 'application/json' },
      payload: '{"text":"bad \\ud800 text"}',
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'TEXT_MALFORMED_UNICODE', errors: [{ field: 'body.text', code: 'MALFORMED_UNICODE' }] });
  });

  it('answers 400 for empty text, invalid JSON and a bad clientMessageId', async () => {
    const v = await startVisitor(s);
    expect((await say(s, v, '   ')).json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.text' }] });
    const bad = await s.app.inject({
      method: 'POST',
      url: `/v1/widget/conversations/${v.id}/messages`,
      headers: { ...v.headers, 'content-type': 'application/json' },
      payload: '{"text":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BODY_INVALID_JSON');
    expect((await say(s, v, 'hi', 'has spaces in it')).json().errors[0].field).toBe('body.clientMessageId');
  });

  it('answers 401 for a missing, forged or expired visitor token', async () => {
    const v = await startVisitor(s);
    expect((await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages` })).statusCode).toBe(401);
    const forged = `${v.token.slice(0, -4)}AAAA`;
    const r = await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: { authorization: `Bearer ${forged}` } });
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('AUTH_INVALID_TOKEN');
  });

  it('answers 404 when a visitor token is used on another conversation', async () => {
    const a = await startVisitor(s);
    const b = await startVisitor(s);
    const r = await say(s, { id: b.id, headers: a.headers }, '运费');
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('CONVERSATION_NOT_FOUND');
    expect((await s.app.inject({ url: `/v1/widget/conversations/${b.id}/messages`, headers: a.headers })).statusCode).toBe(404);
  });

  it('handles emoji-only, mixed-script and very long messages without error', async () => {
    // Each in a conversation of its own: two unanswered turns in a row would hand the conversation off.
    for (const text of ['👍🙏😡', 'my 订单 YD2026112100123 在哪里 where?', '请问'.repeat(1900), 'ＧＸ１９９　多少钱']) {
      const r = await say(s, await startVisitor(s), text);
      expect(r.statusCode).toBe(200);
      expect(r.json().replies).toHaveLength(1);
    }
  });
});

describe('a failing turn', () => {
  it('answers 500 with a generic body and stores no orphan message', async () => {
    const v = await startVisitor(s);
    const knowledge = s.deps.ctx.knowledge;
    const original = knowledge.search.bind(knowledge);
    knowledge.search = () => {
      throw new Error('index exploded: secret internals');
    };
    try {
      const r = await say(s, v, '运费多少钱');
      expect(r.statusCode).toBe(500);
      expect(r.json()).toMatchObject({ code: 'INTERNAL', requestId: expect.any(String) });
      expect(r.body).not.toContain('secret internals');
    } finally {
      knowledge.search = original;
    }
    const items = (await s.app.inject({ url: `/v1/widget/conversations/${v.id}/messages`, headers: v.headers })).json().items;
    expect(items.map((m: { author: { type: string } }) => m.author.type)).toEqual(['bot']);
    expect((await say(s, v, '运费多少钱')).json().replies[0].metadata.kind).toBe('answer');
  });
});

describe('widget config', () => {
  it('tells the client the message limit', async () => {
    const r = await s.app.inject({ url: '/v1/widget/config', headers: { 'x-kefu-widget-key': s.demo!.workspace.widgetKey } });
    expect(r.json()).toMatchObject({ workspace: { slug: 'demo' }, limits: { messageMaxChars: 4000 } });
    expect(r.json().greeting['zh-CN']).toBeTruthy();
  });
});
