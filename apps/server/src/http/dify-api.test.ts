import type { Readable } from 'node:stream';
import { ChatClient } from 'dify-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginDemo, loginOtherWorkspace } from '../test-support/http-helpers.js';
import { type OpenAIStub, startOpenAIStub } from '../test-support/openai-stub.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Dify's service API spoken by kefu, exercised with Dify's own Node SDK over real HTTP.

type DifyEvent = Record<string, unknown> & { event: string; answer?: string; message_id?: string; conversation_id?: string; metadata?: DifyMetadata };
interface DifyMetadata {
  retriever_resources: { position: number; dataset_name: string; document_name: string; segment_id: string; score: number | null; content: string }[];
  usage: Record<string, unknown>;
  kefu: { handoff: { reason: string } | null; decision: string | null; status: string };
}

async function createKey(s: TestServer, headers: { authorization: string }) {
  const r = await s.app.inject({ method: 'POST', url: '/v1/api-keys', headers, payload: { name: 'Dify bridge', role: 'agent' } });
  expect(r.statusCode).toBe(201);
  return r.json().secret as string;
}

/** Reads a streaming answer to its end: every `data:` event in order. */
async function eventsOf(stream: Readable): Promise<DifyEvent[]> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((l) => l.startsWith('data: ')))
    .filter((l): l is string => !!l)
    .map((l) => JSON.parse(l.slice(6)) as DifyEvent);
}

/** The Dify error an SDK call failed with (the SDK uses axios, which rejects on 4xx/5xx). */
async function difyFailure(call: Promise<unknown>): Promise<{ status: number; body: { code: string; message: string; status: number } }> {
  const err = (await call.then(
    () => null,
    (e: unknown) => e,
  )) as { response?: { status: number; data: { code: string; message: string; status: number } } } | null;
  expect(err?.response, 'the call should have failed').toBeDefined();
  return { status: err!.response!.status, body: err!.response!.data };
}

describe('Dify-compatible API (offline answers)', () => {
  let s: TestServer;
  let client: ChatClient;
  let baseUrl: string;
  let secret: string;

  beforeAll(async () => {
    s = await startTestServer({ listen: true });
    secret = await createKey(s, await loginDemo(s));
    baseUrl = `${s.url}/dify/v1`;
    client = new ChatClient(secret, baseUrl);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('answers a blocking chat message from the knowledge base, citing it as retriever_resources', async () => {
    const r = await client.createChatMessage({}, '运费多少钱', 'user-blocking');
    expect(r.status).toBe(200);
    const body = r.data;
    expect(body).toMatchObject({ event: 'message', mode: 'chat' });
    expect(body.answer).toContain('99元');
    expect(body.message_id).toBe(body.id);
    expect(typeof body.conversation_id).toBe('string');
    expect(Number.isInteger(body.created_at)).toBe(true);
    const resources = (body.metadata as DifyMetadata).retriever_resources;
    expect(resources.length).toBeGreaterThanOrEqual(1);
    expect(resources[0]).toMatchObject({ position: 1, dataset_name: s.demo!.workspace.name });
    expect(resources[0]!.document_name).toBeTruthy();
    expect(resources[0]!.content).toContain('99');
    expect(typeof resources[0]!.score).toBe('number');
    // No language model had a part in this answer: zero tokens, nothing to pay, but a real latency.
    expect(body.metadata.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, total_price: '0', currency: 'USD' });
    expect(body.metadata.usage.latency).toBeGreaterThan(0);
    expect((body.metadata as DifyMetadata).kefu).toMatchObject({ handoff: null, decision: 'answer', status: 'bot' });
  });

  it('streams an offline answer as a message event, then message_end with the citations', async () => {
    const r = await client.createChatMessage({}, '运费多少钱', 'user-stream', true);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/event-stream');
    const events = await eventsOf(r.data);
    expect(events.map((e) => e.event)).toEqual(['message', 'message_end']);
    const [message, end] = events as [DifyEvent, DifyEvent];
    expect(message.answer).toContain('99元');
    expect(end.message_id).toBe(message.message_id);
    expect(end.conversation_id).toBe(message.conversation_id);
    expect(end.metadata!.retriever_resources.length).toBeGreaterThanOrEqual(1);
  });

  it('continues a conversation by conversation_id, lists it for its user, and returns its turns in order', async () => {
    const user = 'user-history';
    const first = (await client.createChatMessage({}, '运费多少钱', user)).data;
    const second = (await client.createChatMessage({}, '怎么退货', user, false, first.conversation_id)).data;
    expect(second.conversation_id).toBe(first.conversation_id);
    const other = (await client.createChatMessage({}, '你好', user)).data;
    expect(other.conversation_id).not.toBe(first.conversation_id);

    const list = (await client.getConversations(user)).data;
    expect(list.data.map((c: { id: string }) => c.id).sort()).toEqual([first.conversation_id, other.conversation_id].sort());
    expect(list.has_more).toBe(false);
    const paged = (await client.getConversations(user, null, 1)).data;
    expect(paged).toMatchObject({ limit: 1, has_more: true });
    const rest = (await client.getConversations(user, paged.data[0].id, 1)).data;
    expect(rest.data).toHaveLength(1);
    expect(rest.data[0].id).not.toBe(paged.data[0].id);
    // Another user of the same workspace sees none of them.
    expect((await client.getConversations('someone-else')).data.data).toEqual([]);

    const history = (await client.getConversationMessages(user, first.conversation_id)).data;
    expect(history.data.map((m: { query: string }) => m.query)).toEqual(['运费多少钱', '怎么退货']);
    expect(history.data[0]).toMatchObject({ id: first.message_id, conversation_id: first.conversation_id, answer: first.answer, feedback: null });
    expect(history.data[0].retriever_resources.length).toBeGreaterThanOrEqual(1);
    expect(history.data[1].id).toBe(second.message_id);
    const older = (await client.getConversationMessages(user, first.conversation_id, second.message_id, 5)).data;
    expect(older.data.map((m: { id: string }) => m.id)).toEqual([first.message_id]);
    expect(older.has_more).toBe(false);
  });

  it('records like and dislike as the answer’s rating in kefu, and withdraws it with rating null', async () => {
    const user = 'user-feedback';
    const answer = (await client.createChatMessage({}, '运费多少钱', user)).data;
    const ws = s.demo!.workspace.id;
    const entryId = (answer.metadata as DifyMetadata).retriever_resources[0]!.segment_id;
    const counts = async () => {
      const st = (await s.deps.ctx.store.quality.stats(ws, [entryId])).get(entryId);
      return { helpful: st?.helpful ?? 0, notHelpful: st?.notHelpful ?? 0 };
    };
    const base = await counts();
    const rate = (rating: string | null, who = user) => client.messageFeedback(answer.message_id, rating as unknown as number, who);

    expect((await rate('like')).data).toEqual({ result: 'success' });
    expect((await s.deps.ctx.store.quality.findFeedback(ws, answer.message_id))?.helpful).toBe(true);
    expect(await counts()).toEqual({ helpful: base.helpful + 1, notHelpful: base.notHelpful });
    await rate('dislike');
    expect((await s.deps.ctx.store.quality.findFeedback(ws, answer.message_id))?.helpful).toBe(false);
    expect(await counts()).toEqual({ helpful: base.helpful, notHelpful: base.notHelpful + 1 });
    const history = (await client.getConversationMessages(user, answer.conversation_id)).data;
    expect(history.data[0].feedback).toEqual({ rating: 'dislike' });

    // Withdrawn: no rating, and the FAQ entry's counters are as before it was rated. Twice is harmless.
    expect((await rate(null)).data).toEqual({ result: 'success' });
    expect(await s.deps.ctx.store.quality.findFeedback(ws, answer.message_id)).toBeNull();
    expect(await counts()).toEqual(base);
    expect((await client.getConversationMessages(user, answer.conversation_id)).data.data[0].feedback).toBeNull();
    expect((await rate(null)).data).toEqual({ result: 'success' });
    expect(await counts()).toEqual(base);
    // Rating again after withdrawing counts once.
    await rate('like');
    expect(await counts()).toEqual({ helpful: base.helpful + 1, notHelpful: base.notHelpful });

    // Another user can neither rate nor withdraw it, an unknown message is not found, a made-up rating is refused.
    for (const rating of ['like', null]) {
      expect(await difyFailure(rate(rating, 'intruder'))).toMatchObject({ status: 404, body: { code: 'not_found' } });
    }
    expect((await s.deps.ctx.store.quality.findFeedback(ws, answer.message_id))?.helpful).toBe(true);
    expect((await difyFailure(client.messageFeedback('no-such-message', 'like' as unknown as number, user))).status).toBe(404);
    expect((await difyFailure(client.messageFeedback('no-such-message', null as unknown as number, user))).status).toBe(404);
    const madeUp = await difyFailure(rate('meh'));
    expect(madeUp).toMatchObject({ status: 400, body: { code: 'invalid_param' } });
    expect(madeUp.body.message).toContain('rating');
  });

  it('surfaces a hand-off to people in metadata.kefu', async () => {
    const r = (await client.createChatMessage({}, '转人工', 'user-handoff')).data;
    expect(r.metadata.kefu.handoff).not.toBeNull();
    expect(r.metadata.kefu.decision).toBe('handoff');
    expect(['queued', 'assigned']).toContain(r.metadata.kefu.status);
  });

  it('refuses an unknown API key with a Dify 401', async () => {
    const bad = new ChatClient('kfk_not-a-real-key', baseUrl);
    const f = await difyFailure(bad.createChatMessage({}, '你好', 'u'));
    expect(f).toMatchObject({ status: 401, body: { code: 'unauthorized', status: 401 } });
    expect(typeof f.body.message).toBe('string');
    expect((await difyFailure(new ChatClient('', baseUrl).getConversations('u'))).status).toBe(401);
  });

  it('answers malformed requests with Dify-style errors, never a crash', async () => {
    const post = (data: unknown) => client.sendRequest('POST', '/chat-messages', data);
    expect(await difyFailure(post({ user: 'u', inputs: {}, response_mode: 'blocking' }))).toMatchObject({
      status: 400,
      body: { code: 'invalid_param', status: 400 },
    });
    const mode = await difyFailure(post({ query: '你好', user: 'u', inputs: {}, response_mode: 'fast' }));
    expect(mode).toMatchObject({ status: 400, body: { code: 'invalid_param' } });
    expect(mode.body.message).toContain('response_mode');
    expect((await difyFailure(post({ query: '你好', inputs: {} }))).body.code).toBe('invalid_param');
    const long = await difyFailure(post({ query: '长'.repeat(4001), user: 'u', inputs: {}, response_mode: 'blocking' }));
    expect(long).toMatchObject({ status: 400, body: { code: 'invalid_param' } });
    expect(long.body.message).toContain('4000');
    expect((await difyFailure(client.sendRequest('POST', '/chat-messages', '{not json', null, false, { 'Content-Type': 'application/json' }))).status).toBe(
      400,
    );
    expect((await difyFailure(client.sendRequest('GET', '/nowhere'))).body).toMatchObject({ code: 'not_found', status: 404 });
    expect((await difyFailure(client.getConversationMessages('u'))).body.code).toBe('invalid_param');
    // Validation fails before any stream begins: a plain HTTP error, as Dify does.
    expect((await difyFailure(client.createChatMessage({}, '', 'u', true))).status).toBe(400);
  });

  it('answers 404 for another workspace’s or another user’s conversation', async () => {
    const otherKey = await createKey(s, await loginOtherWorkspace(s, 'dify-other'));
    const theirs = (await new ChatClient(otherKey, baseUrl).createChatMessage({}, 'hello', 'their-user')).data;
    const foreign = await difyFailure(client.createChatMessage({}, '你好', 'their-user', false, theirs.conversation_id));
    expect(foreign).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Conversation Not Exists.', status: 404 } });
    expect((await difyFailure(client.createChatMessage({}, '你好', 'u', true, theirs.conversation_id))).status).toBe(404);

    const mine = (await client.createChatMessage({}, '你好', 'owner-user')).data;
    expect((await difyFailure(client.createChatMessage({}, '你好', 'not-the-owner', false, mine.conversation_id))).status).toBe(404);
    expect((await difyFailure(client.getConversationMessages('not-the-owner', mine.conversation_id))).status).toBe(404);
  });

  it('reports a failure after the stream began as an error event', async () => {
    const spy = vi.spyOn(s.deps.ctx.store.conversations, 'findById').mockRejectedValueOnce(new Error('disk on fire'));
    try {
      const r = await client.createChatMessage({}, '运费多少钱', 'user-stream-error', true);
      const events = await eventsOf(r.data);
      expect(events.at(-1)).toMatchObject({ event: 'error', status: 500, code: 'internal_server_error' });
      expect(JSON.stringify(events)).not.toContain('disk on fire');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('Dify-compatible API (generated answers)', () => {
  let stub: OpenAIStub;
  let s: TestServer;
  let client: ChatClient;

  beforeAll(async () => {
    stub = await startOpenAIStub();
    s = await startTestServer({
      listen: true,
      env: {
        LLM_BASE_URL: stub.baseURL,
        LLM_MODEL: 'stub-chat',
        LLM_TIMEOUT_MS: '2000',
        LLM_PRICE_INPUT: '2',
        LLM_PRICE_OUTPUT: '8',
        LLM_PRICE_CURRENCY: 'CNY',
      },
    });
    const admin = await loginDemo(s);
    const r = await s.app.inject({ method: 'PATCH', url: '/v1/settings', headers: admin, payload: { assistant: { answers: 'always' } } });
    expect(r.statusCode).toBe(200);
    client = new ChatClient(await createKey(s, admin), `${s.url}/dify/v1`);
  });
  afterAll(async () => {
    await s?.close();
    await stub?.close();
  });

  it('streams a generated answer as several message events, in order, then message_end', async () => {
    stub.chatScript = (body) =>
      body.stream === true
        ? { text: ['订单满99元', '即可包邮', '，不满99元收取运费10元[1]。'], chunkDelayMs: 10 }
        : { text: '{"intent":"none","confidence":0.1}' };
    const r = await client.createChatMessage({}, '满多少包邮？', 'user-llm', true);
    const events = await eventsOf(r.data);
    const messages = events.filter((e) => e.event === 'message');
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.map((e) => e.answer).join('')).toBe('订单满99元即可包邮，不满99元收取运费10元[1]。');
    expect(new Set(messages.map((e) => e.message_id)).size).toBe(1);
    const end = events.at(-1)!;
    expect(end).toMatchObject({ event: 'message_end', message_id: messages[0]!.message_id });
    expect(end.metadata!.retriever_resources.length).toBeGreaterThanOrEqual(1);

    const history = (await client.getConversationMessages('user-llm', end.conversation_id)).data;
    expect(history.data[0]).toMatchObject({ id: end.message_id, answer: '订单满99元即可包邮，不满99元收取运费10元[1]。' });
  });

  it('reports the turn’s language-model tokens and their price in metadata.usage, blocking and streaming', async () => {
    stub.chatScript = (body) =>
      body.stream === true
        ? { text: ['订单满99元', '即可包邮[1]。'], usage: { promptTokens: 120, completionTokens: 30 } }
        : { text: '{"intent":"none","confidence":0.1}', usage: { promptTokens: 40, completionTokens: 5 } };
    for (const streaming of [false, true]) {
      const before = stub.requests.length;
      const r = await client.createChatMessage({}, '满多少包邮？', `user-usage-${streaming}`, streaming);
      const metadata = streaming ? (await eventsOf(r.data)).at(-1)!.metadata! : (r.data.metadata as DifyMetadata);
      // Every call the turn made: the generated answer, and the intent and mood checks beside it.
      const calls = stub.requests.slice(before).filter((x) => x.path.endsWith('/chat/completions'));
      const answers = calls.filter((x) => x.body.stream === true).length;
      expect(answers).toBe(1);
      const prompt = answers * 120 + (calls.length - answers) * 40;
      const completion = answers * 30 + (calls.length - answers) * 5;
      const usage = metadata.usage as Record<string, number | string>;
      expect(usage, `streaming: ${streaming}`).toMatchObject({
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        currency: 'CNY',
      });
      // LLM_PRICE_INPUT / LLM_PRICE_OUTPUT are per million tokens; Dify sends prices as decimal strings.
      expect(usage.total_price).toMatch(/^\d+\.\d+$/);
      expect(Number(usage.total_price)).toBeCloseTo((prompt * 2 + completion * 8) / 1e6, 9);
      expect(Number(usage.prompt_price)).toBeCloseTo((prompt * 2) / 1e6, 9);
      expect(usage.latency).toBeGreaterThan(0);
    }
  });

  it('finishes and stores the answer when the client disconnects mid-stream', async () => {
    stub.chatScript = (body) =>
      body.stream === true
        ? { text: ['订单满99元', '即可包邮', '，不满99元', '收取运费10元[1]。'], chunkDelayMs: 60 }
        : { text: '{"intent":"none","confidence":0.1}' };
    const r = await client.createChatMessage({}, '满多少包邮？', 'user-gone', true);
    const stream = r.data as Readable;
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    stream.destroy();
    await vi.waitFor(
      async () => {
        const [conv] = (await client.getConversations('user-gone')).data.data;
        const history = (await client.getConversationMessages('user-gone', conv.id)).data;
        expect(history.data[0].answer).toBe('订单满99元即可包邮，不满99元收取运费10元[1]。');
      },
      { timeout: 3000, interval: 100 },
    );
    // The server carries on serving.
    expect((await client.createChatMessage({}, '你好', 'user-gone')).status).toBe(200);
  });
});
