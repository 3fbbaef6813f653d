import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemo, loginOtherWorkspace } from '../test-support/http-helpers.js';
import { type OpenAIStub, startOpenAIStub } from '../test-support/openai-stub.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// The OpenAI-compatible API, driven by the official `openai` SDK over real HTTP, as integrators will.
type Kefu = {
  conversation_id: string;
  status: string;
  decision: string | null;
  confidence: number | null;
  sources: { id: string; title: string }[];
  handoff: { reason: string } | null;
  message_ids: string[];
  replaced?: { text: string };
};
const kefuOf = (x: unknown) => (x as { kefu: Kefu }).kefu;

async function apiKey(s: TestServer, headers: { authorization: string }, role = 'agent') {
  const r = await s.app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'OpenAI client', role } });
  expect(r.statusCode).toBe(201);
  return r.json().secret as string;
}

const client = (s: TestServer, key: string) => new OpenAI({ baseURL: `${s.url}/v1`, apiKey: key, maxRetries: 0 });

async function messagesOf(s: TestServer, admin: { authorization: string }, id: string) {
  const r = await s.app.inject({ url: `/v1/conversations/${id}/messages`, headers: admin });
  expect(r.statusCode).toBe(200);
  return r.json().items as { author: { type: string }; text: string }[];
}

describe('OpenAI-compatible API (offline bot)', () => {
  let s: TestServer;
  let admin: { authorization: string };
  let openai: OpenAI;

  beforeAll(async () => {
    s = await startTestServer({ listen: true });
    admin = await loginDemo(s);
    openai = client(s, await apiKey(s, admin));
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers from the knowledge base, with its sources and the conversation id in the kefu field and header', async () => {
    const { data, response } = await openai.chat.completions
      .create({
        model: 'kefu',
        messages: [
          { role: 'system', content: 'ignored' },
          { role: 'user', content: '运费多少钱' },
        ],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]!.message.role).toBe('assistant');
    expect(data.choices[0]!.message.content).toContain('99元');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage!.total_tokens).toBeGreaterThan(0);
    const kefu = kefuOf(data);
    expect(kefu.decision).toBe('answer');
    expect(kefu.sources.length).toBeGreaterThan(0);
    expect(kefu.handoff).toBeNull();
    expect(response.headers.get('x-conversation-id')).toBe(kefu.conversation_id);
    const stored = await messagesOf(s, admin, kefu.conversation_id);
    expect(stored.find((m) => m.author.type === 'contact')!.text).toBe('运费多少钱');
  });

  it('reads text content parts and answers to the workspace alias model', async () => {
    const r = await openai.chat.completions.create({ model: 'kefu-demo', messages: [{ role: 'user', content: [{ type: 'text', text: '运费多少钱' }] }] });
    expect(r.choices[0]!.message.content).toContain('99元');
  });

  it('streams the answer as chat.completion.chunk events ending with finish_reason stop, the kefu field and [DONE]', async () => {
    const stream = await openai.chat.completions.create({ model: 'kefu', stream: true, messages: [{ role: 'user', content: '运费多少钱' }] });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0]!.id)).toBe(true);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toContain('99元');
    const last = chunks.at(-1)!;
    expect(last.choices[0]!.finish_reason).toBe('stop');
    expect(kefuOf(last).sources.length).toBeGreaterThan(0);
    // The SDK stops at `data: [DONE]`: the loop ended without an error, and the reply was stored whole.
    const stored = await messagesOf(s, admin, kefuOf(last).conversation_id);
    expect(stored.filter((m) => m.author.type === 'bot').at(-1)!.text).toBe(text);
  });

  it('sends usage in a last chunk when stream_options.include_usage is set', async () => {
    const stream = await openai.chat.completions.create({
      model: 'kefu',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: '运费多少钱' }],
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('continues one conversation per `user`', async () => {
    const user = `shopper-${Date.now()}`;
    const first = await openai.chat.completions.create({ model: 'kefu', user, messages: [{ role: 'user', content: '运费多少钱' }] });
    const second = await openai.chat.completions.create({ model: 'kefu', user, messages: [{ role: 'user', content: '退款多久到账' }] });
    const id = kefuOf(first).conversation_id;
    expect(kefuOf(second).conversation_id).toBe(id);
    const customer = (await messagesOf(s, admin, id)).filter((m) => m.author.type === 'contact').map((m) => m.text);
    expect(customer).toEqual(['运费多少钱', '退款多久到账']);
    // Another user is another conversation.
    const other = await openai.chat.completions.create({ model: 'kefu', user: `${user}-2`, messages: [{ role: 'user', content: '运费多少钱' }] });
    expect(kefuOf(other).conversation_id).not.toBe(id);
  });

  it('continues the conversation named by conversation_id, chatId or the X-Conversation-Id header; without a key each request is new', async () => {
    const first = await openai.chat.completions.create({ model: 'kefu', messages: [{ role: 'user', content: '运费多少钱' }] });
    const id = kefuOf(first).conversation_id;
    const byBody = await openai.chat.completions.create({
      model: 'kefu',
      messages: [{ role: 'user', content: '退款多久到账' }],
      // @ts-expect-error kefu's extension of the request body
      conversation_id: id,
    });
    expect(kefuOf(byBody).conversation_id).toBe(id);
    // @ts-expect-error kefu's extension of the request body (FastGPT's name)
    const byChatId = await openai.chat.completions.create({ model: 'kefu', messages: [{ role: 'user', content: '谢谢' }], chatId: id });
    expect(kefuOf(byChatId).conversation_id).toBe(id);
    const byHeader = await openai.chat.completions.create(
      { model: 'kefu', messages: [{ role: 'user', content: '运费多少钱' }] },
      { headers: { 'X-Conversation-Id': id } },
    );
    expect(kefuOf(byHeader).conversation_id).toBe(id);
    expect((await messagesOf(s, admin, id)).filter((m) => m.author.type === 'contact').map((m) => m.text)).toEqual([
      '运费多少钱',
      '退款多久到账',
      '谢谢',
      '运费多少钱',
    ]);
    const fresh = await openai.chat.completions.create({
      model: 'kefu',
      messages: [
        { role: 'user', content: '运费多少钱' },
        { role: 'assistant', content: '满99元包邮' },
        { role: 'user', content: '退款多久到账' },
      ],
    });
    expect(kefuOf(fresh).conversation_id).not.toBe(id);
    // Earlier messages of the array are not replayed: kefu keeps its own history.
    expect((await messagesOf(s, admin, kefuOf(fresh).conversation_id)).filter((m) => m.author.type === 'contact').map((m) => m.text)).toEqual(['退款多久到账']);
  });

  it('hands off on request: kefu.handoff is set and the conversation is queued for people', async () => {
    const r = await openai.chat.completions.create({ model: 'kefu', user: 'wants-a-person', messages: [{ role: 'user', content: '我要转人工' }] });
    const kefu = kefuOf(r);
    expect(kefu.handoff).not.toBeNull();
    expect(kefu.status).toBe('queued');
    expect(r.choices[0]!.message.content).toBeTruthy();
    const conv = (await s.app.inject({ url: `/v1/conversations/${kefu.conversation_id}`, headers: admin })).json();
    expect(conv.status).toBe('queued');
    expect(conv.channel).toBe('openai');
    // While people own it, the bot stays silent; the message still reaches them.
    const next = await openai.chat.completions.create({ model: 'kefu', user: 'wants-a-person', messages: [{ role: 'user', content: '还在吗' }] });
    expect(kefuOf(next).handoff).not.toBeNull();
    expect(next.choices[0]!.message.content).toBe('');
    expect((await messagesOf(s, admin, kefu.conversation_id)).at(-1)!.text).toBe('还在吗');
  });

  it('lists the workspace bot as models, and retrieves one', async () => {
    const ids = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids).toEqual(['kefu', 'kefu-demo']);
    expect((await openai.models.retrieve('kefu')).owned_by).toBe('demo');
    await expect(openai.models.retrieve('gpt-4o')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('refuses a missing or wrong API key with 401 invalid_api_key', async () => {
    const bad = client(s, 'kfk_not-a-real-key');
    const err = await bad.chat.completions.create({ model: 'kefu', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    await expect(bad.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('answers malformed requests with an OpenAI error object and the right status', async () => {
    const fail = (body: Record<string, unknown>) =>
      openai.chat.completions.create(body as never).then(
        () => {
          throw new Error('expected an error');
        },
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );
    const cases: [Record<string, unknown>, number, string | null, string | null][] = [
      [{ model: 'kefu' }, 400, 'invalid_value', 'messages'],
      [{ model: 'kefu', messages: [] }, 400, 'invalid_value', 'messages'],
      [{ model: 'kefu', messages: [{ role: 'robot', content: 'hi' }] }, 400, 'invalid_value', 'messages[0].role'],
      [{ model: 'kefu', messages: [{ role: 'user', content: 42 }] }, 400, 'invalid_value', 'messages[0].content'],
      [{ model: 'kefu', messages: [{ role: 'system', content: 'only a system prompt' }] }, 400, 'invalid_value', 'messages'],
      [
        { model: 'kefu', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] }] },
        400,
        'invalid_value',
        'messages[0].content[0]',
      ],
      [{ model: 'kefu', messages: [{ role: 'user', content: '   ' }] }, 400, 'invalid_value', 'messages[0].content'],
      [{ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, 404, 'model_not_found', 'model'],
      [
        { model: 'kefu', messages: [{ role: 'user', content: 'x'.repeat(s.deps.config.MESSAGE_MAX_CHARS + 1) }] },
        400,
        'context_length_exceeded',
        'messages[0].content',
      ],
      [{ model: 'kefu', messages: [{ role: 'user', content: 'bad \ud800 text' }] }, 400, 'invalid_unicode', 'messages[0].content'],
      [{ model: 'kefu', stream: 'yes', messages: [{ role: 'user', content: 'hi' }] }, 400, 'invalid_value', 'stream'],
      [{ model: 'kefu', user: 'u\ud800', messages: [{ role: 'user', content: 'hi' }] }, 400, 'invalid_unicode', 'user'],
    ];
    for (const [body, status, code, param] of cases) {
      const err = await fail(body);
      expect(err, JSON.stringify(body).slice(0, 80)).toBeInstanceOf(OpenAI.APIError);
      expect({ status: err.status, code: err.code, param: err.param }, JSON.stringify(body).slice(0, 80)).toEqual({ status, code, param });
      expect(err.type).toBe('invalid_request_error');
      expect(typeof (err.error as { message: string }).message).toBe('string');
    }
  });

  it('answers invalid JSON and an oversized body with OpenAI error objects too', async () => {
    const key = (await apiKey(s, admin)) as string;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const json = await s.app.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload: '{"model": "kefu", "messages": [' });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_json' } });
    const big = await s.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers,
      payload: JSON.stringify({ model: 'kefu', messages: [{ role: 'user', content: 'x'.repeat(2_000_000) }] }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ type: 'invalid_request_error', code: 'request_too_large' });
  });

  it('limits each API key to its requests a minute with OpenAI’s 429, retry-after and x-ratelimit headers; other keys carry on', async () => {
    const OPENAI_REQUESTS_PER_MINUTE = s.deps.config.OPENAI_RATE_LIMIT_PER_MINUTE;
    const key = await apiKey(s, admin);
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    // Refused requests count too (the limit is checked before the body is): these are the cheapest.
    const cheap = { model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] };
    const first = await s.app.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload: cheap });
    expect(first.statusCode).toBe(404);
    expect(String(first.headers['x-ratelimit-limit-requests'])).toBe(String(OPENAI_REQUESTS_PER_MINUTE));
    expect(String(first.headers['x-ratelimit-remaining-requests'])).toBe(String(OPENAI_REQUESTS_PER_MINUTE - 1));
    expect(String(first.headers['x-ratelimit-reset-requests'])).toMatch(/^\d+s$/);
    for (let i = 1; i < OPENAI_REQUESTS_PER_MINUTE; i++) {
      const r = await s.app.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload: cheap });
      expect(r.statusCode).toBe(404);
    }

    const user = `limited-${randomUUID()}`;
    const err = await client(s, key)
      .chat.completions.create({ model: 'kefu', user, messages: [{ role: 'user', content: '运费多少钱' }] })
      .catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.status).toBe(429);
    expect(err.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', param: null, message: expect.stringContaining('Limit 600') });
    expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(err.headers?.get('x-ratelimit-limit')).toBe(String(OPENAI_REQUESTS_PER_MINUTE));
    // Nothing ran: no conversation for that user.
    expect(await s.deps.ctx.store.channelThreads.find(s.demo!.workspace.id, 'openai', user)).toBeNull();
    // The limit is the key's: another key is answered, streaming included, with its own headers.
    const { data, response } = await openai.chat.completions
      .create({ model: 'kefu', stream: true, messages: [{ role: 'user', content: '运费多少钱' }] })
      .withResponse();
    for await (const _ of data) {
      // drain
    }
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe(String(OPENAI_REQUESTS_PER_MINUTE));
    expect(Number(response.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(OPENAI_REQUESTS_PER_MINUTE);
  });

  it('runs a message once per Idempotency-Key: a retry gets the stored answer, blocking or streaming, and stores no second turn', async () => {
    const user = `idem-${randomUUID()}`;
    const key = randomUUID();
    const ask = (content: string, k = key) =>
      openai.chat.completions.create({ model: 'kefu', user, messages: [{ role: 'user', content }] }, { headers: { 'Idempotency-Key': k } }).withResponse();
    const first = await ask('运费多少钱');
    const again = await ask('运费多少钱');
    expect(first.response.headers.get('idempotent-replayed')).toBeNull();
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data.choices[0]!.message.content).toBe(first.data.choices[0]!.message.content);
    expect(first.data.choices[0]!.message.content).toContain('99元');
    const id = kefuOf(first.data).conversation_id;
    expect(kefuOf(again.data)).toMatchObject({ conversation_id: id, message_ids: kefuOf(first.data).message_ids, decision: 'answer', handoff: null });

    const stream = await openai.chat.completions.create(
      { model: 'kefu', user, stream: true, messages: [{ role: 'user', content: '运费多少钱' }] },
      { headers: { 'Idempotency-Key': key } },
    );
    let streamed = '';
    for await (const c of stream) streamed += c.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(first.data.choices[0]!.message.content);

    const stored = await messagesOf(s, admin, id);
    expect(stored.filter((m) => m.author.type === 'contact').map((m) => m.text)).toEqual(['运费多少钱']);
    expect(stored.filter((m) => m.author.type === 'bot')).toHaveLength(kefuOf(first.data).message_ids.length);
    // A new key is a new message, in the same conversation.
    await ask('运费多少钱', randomUUID());
    expect((await messagesOf(s, admin, id)).filter((m) => m.author.type === 'contact')).toHaveLength(2);
  });

  it('keeps a keyed request without user or conversation_id in one conversation, so its retry finds the answer', async () => {
    const key = randomUUID();
    const ask = () =>
      openai.chat.completions.create({ model: 'kefu', messages: [{ role: 'user', content: '退款多久到账' }] }, { headers: { 'Idempotency-Key': key } });
    const first = await ask();
    const again = await ask();
    expect(kefuOf(again).conversation_id).toBe(kefuOf(first).conversation_id);
    expect(again.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
    expect((await messagesOf(s, admin, kefuOf(first).conversation_id)).filter((m) => m.author.type === 'contact')).toHaveLength(1);
    // Without a key, each such request is still a conversation of its own.
    const plain = await openai.chat.completions.create({ model: 'kefu', messages: [{ role: 'user', content: '退款多久到账' }] });
    expect(kefuOf(plain).conversation_id).not.toBe(kefuOf(first).conversation_id);
  });

  it('refuses an Idempotency-Key reused for another message (422) and a malformed one (400), storing nothing', async () => {
    const user = `idem-bad-${randomUUID()}`;
    const key = randomUUID();
    const ask = (content: string, k: string) =>
      openai.chat.completions.create({ model: 'kefu', user, messages: [{ role: 'user', content }] }, { headers: { 'Idempotency-Key': k } }).then(
        (r) => r,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      );
    const first = (await ask('运费多少钱', key)) as OpenAI.Chat.Completions.ChatCompletion;
    const reused = (await ask('退款多久到账', key)) as InstanceType<typeof OpenAI.APIError>;
    expect(reused).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect(reused.error).toMatchObject({ type: 'invalid_request_error', code: 'idempotency_key_reused' });
    for (const bad of ['has space', 'x'.repeat(256), 'clé-1']) {
      const err = (await ask('运费多少钱', bad)) as InstanceType<typeof OpenAI.APIError>;
      expect(err, bad).toBeInstanceOf(OpenAI.BadRequestError);
      expect({ code: err.code, param: err.param }, bad).toEqual({ code: 'invalid_value', param: 'Idempotency-Key' });
    }
    const stored = await messagesOf(s, admin, kefuOf(first).conversation_id);
    expect(stored.filter((m) => m.author.type === 'contact').map((m) => m.text)).toEqual(['运费多少钱']);
  });

  it("answers 404 for another workspace's conversation_id, and for an unknown one", async () => {
    const theirs = client(s, await apiKey(s, await loginOtherWorkspace(s, 'openai-other')));
    const mine = await openai.chat.completions.create({ model: 'kefu', messages: [{ role: 'user', content: '运费多少钱' }] });
    for (const id of [kefuOf(mine).conversation_id, 'no-such-conversation']) {
      const err = await theirs.chat.completions
        // @ts-expect-error kefu's extension of the request body
        .create({ model: 'kefu', messages: [{ role: 'user', content: 'hi' }], conversation_id: id })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.NotFoundError);
      expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('conversation_not_found');
    }
    // In a stream request too: the error comes before any event.
    const err = await theirs.chat.completions
      .create({ model: 'kefu', stream: true, messages: [{ role: 'user', content: 'hi' }], ...{ conversation_id: kefuOf(mine).conversation_id } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('OpenAI-compatible API (with a language model)', () => {
  let stub: OpenAIStub;
  let s: TestServer;
  let admin: { authorization: string };
  let openai: OpenAI;
  let key: string;

  beforeAll(async () => {
    stub = await startOpenAIStub();
    s = await startTestServer({ listen: true, env: { LLM_BASE_URL: stub.baseURL, LLM_MODEL: 'stub-chat', LLM_TIMEOUT_MS: '400' } });
    admin = await loginDemo(s);
    const r = await s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload: { assistant: { answers: 'always' } } });
    expect(r.statusCode).toBe(200);
    key = await apiKey(s, admin);
    openai = client(s, key);
  });
  afterAll(async () => {
    await s.close();
    await stub.close();
  });

  it("streams the bot's generated answer through as it is written, several deltas, and stores it whole", async () => {
    const pieces = ['订单满99元', '即可包邮', '，不满99元收取运费10元[1]。'];
    // Only the streamed answer request is scripted; classification calls (not streamed) answer "none".
    stub.chatScript = (body) => (body.stream === true ? { text: pieces, chunkDelayMs: 20 } : { text: '{"intent":"none","confidence":0.1}' });
    const stream = await openai.chat.completions.create({ model: 'kefu', stream: true, messages: [{ role: 'user', content: '满多少包邮？' }] });
    const deltas: string[] = [];
    let last: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    for await (const c of stream) {
      if (c.choices[0]?.delta.content) deltas.push(c.choices[0].delta.content);
      last = c;
    }
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(deltas.join('')).toBe(pieces.join(''));
    expect(last!.choices[0]!.finish_reason).toBe('stop');
    const kefu = kefuOf(last);
    expect(kefu.sources[0]!.title).toContain('包邮');
    const stored = await messagesOf(s, admin, kefu.conversation_id);
    expect(stored.at(-1)).toMatchObject({ author: { type: 'bot' }, text: pieces.join('') });
  });

  it('tells the client to swap in the replacement when the model fails mid-answer (kefu.replaced)', async () => {
    stub.chatScript = (body) =>
      body.stream === true ? { text: ['订单满', '99元包邮[1]。'], malformed: 'cut' } : { text: '{"intent":"none","confidence":0.1}' };
    const stream = await openai.chat.completions.create({ model: 'kefu', stream: true, messages: [{ role: 'user', content: '满多少包邮？' }] });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    const replaced = chunks.map((c) => (c as { kefu?: Kefu }).kefu?.replaced).filter(Boolean);
    expect(replaced.length).toBeGreaterThanOrEqual(1);
    const kefu = kefuOf(chunks.at(-1));
    const stored = await messagesOf(s, admin, kefu.conversation_id);
    expect(replaced.at(-1)!.text).toBe(stored.at(-1)!.text);
    expect(stored.at(-1)!.text).toContain('99');
  });

  it('a client that leaves mid-stream does not stop the turn: the answer is stored, and the server carries on', async () => {
    stub.chatScript = (body) =>
      body.stream === true ? { text: ['订单满99元', '即可包邮', '[1]。'], chunkDelayMs: 80 } : { text: '{"intent":"none","confidence":0.1}' };
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'kefu', stream: true, messages: [{ role: 'user', content: '满多少包邮？' }] })
      .withResponse();
    const id = response.headers.get('x-conversation-id')!;
    for await (const c of stream) if (c.choices[0]?.delta.content) break; // leaves after the first piece
    await expect.poll(async () => (await messagesOf(s, admin, id)).at(-1)?.text, { timeout: 5000 }).toBe('订单满99元即可包邮[1]。');
    const next = await openai.chat.completions.create({ model: 'kefu', messages: [{ role: 'user', content: '满多少包邮？' }] });
    expect(next.choices[0]!.message.content).toContain('99');
  });

  it('answers a request the SDK retried after timing out once: same Idempotency-Key, one stored turn, one generated answer', async () => {
    const pieces = ['订单满99元', '即可包邮', '，不满99元收取运费10元', '[1]。'];
    stub.chatScript = (body) => (body.stream === true ? { text: pieces, chunkDelayMs: 300 } : { text: '{"intent":"none","confidence":0.1}' });
    const generated = () => stub.requests.filter((r) => r.path.endsWith('/chat/completions') && r.body.stream === true).length;
    const before = generated();
    // Gives up on the first attempt before the answer is written, then retries with the same headers.
    const patient = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: key, maxRetries: 1, timeout: 700 });
    const { data, response } = await patient.chat.completions
      .create(
        { model: 'kefu', user: 'retrying-client', messages: [{ role: 'user', content: '满多少包邮？' }] },
        { headers: { 'Idempotency-Key': randomUUID() } },
      )
      .withResponse();
    expect(response.headers.get('idempotent-replayed')).toBe('true');
    expect(data.choices[0]!.message.content).toBe(pieces.join(''));
    const stored = await messagesOf(s, admin, kefuOf(data).conversation_id);
    expect(stored.filter((m) => m.author.type === 'contact').map((m) => m.text)).toEqual(['满多少包邮？']);
    expect(stored.filter((m) => m.author.type === 'bot').map((m) => m.text)).toEqual([pieces.join('')]);
    expect(generated() - before).toBe(1);
  });

  it('ends the event stream with data: [DONE]', async () => {
    stub.chatScript = (body) => (body.stream === true ? { text: ['满99元', '包邮[1]。'] } : { text: '{"intent":"none","confidence":0.1}' });
    const res = await openai.chat.completions.create({ model: 'kefu', stream: true, messages: [{ role: 'user', content: '满多少包邮？' }] }).asResponse();
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('x-conversation-id')).toBeTruthy();
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events.slice(0, -1).every((e) => e.startsWith('data: {'))).toBe(true);
  });
});
