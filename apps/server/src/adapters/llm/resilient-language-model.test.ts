import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChatEvent, type ChatRequest, LlmUnavailableError } from '../../ports/language-model.js';
import { type ChatScript, chatSequence, type OpenAIStub, startOpenAIStub } from '../../test-support/openai-stub.js';
import { OpenAICompatibleLanguageModel } from './openai-compatible-language-model.js';
import { ResilientLanguageModel, type ResilientLanguageModelOptions } from './resilient-language-model.js';

// The wrapper around the real adapter, against a local server speaking the OpenAI protocol. Waits
// between retries and the circuit's clock are fake unless a test says otherwise; budgets use real timers.
let stub: OpenAIStub;
let inner: OpenAICompatibleLanguageModel;
let clock: number;
let slept: number[];
beforeAll(async () => {
  stub = await startOpenAIStub();
  // Retries of its own, which the wrapper must switch off.
  inner = new OpenAICompatibleLanguageModel({ baseURL: stub.baseURL, model: 'stub-chat', maxRetries: 3 });
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.mode = 'ok';
  stub.chatScript = null;
  stub.requests.length = 0;
  clock = 1_000_000;
  slept = [];
});

const resilient = (opts: ResilientLanguageModelOptions = {}) =>
  new ResilientLanguageModel(inner, {
    now: () => clock,
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    random: () => 0.5,
    ...opts,
  });
const ask: ChatRequest = { system: 'You are a shop assistant.', messages: [{ role: 'user', content: 'where is my parcel?' }] };
const script = (...scripts: ChatScript[]) => {
  stub.chatScript = chatSequence(...scripts);
};
const chatRequests = () => stub.requests.filter((r) => r.path === '/v1/chat/completions').length;

async function collect(events: AsyncIterable<ChatEvent>) {
  const seen: ChatEvent[] = [];
  try {
    for await (const e of events) seen.push(e);
    return { seen, error: undefined };
  } catch (error) {
    return { seen, error };
  }
}
const texts = (seen: ChatEvent[]) => seen.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
const unavailable = (error: unknown) => {
  expect(error).toBeInstanceOf(LlmUnavailableError);
  return error as LlmUnavailableError;
};

describe('ResilientLanguageModel retries', () => {
  it('retries a rate-limited stream once, after the Retry-After, then streams the answer', async () => {
    script({ status: 429, retryAfter: 2 }, { text: ['It left ', 'the warehouse today.'] });
    const { seen, error } = await collect(resilient().stream(ask));
    expect(error).toBeUndefined();
    expect(texts(seen)).toEqual(['It left ', 'the warehouse today.']);
    expect(chatRequests()).toBe(2);
    expect(slept).toEqual([2000]);
  });

  it('waits a real Retry-After before asking again', async () => {
    const arrivals: number[] = [];
    stub.chatScript = (_body, call) => {
      arrivals.push(Date.now());
      return call === 0 ? { status: 429, retryAfter: 1 } : { text: 'Here it is.' };
    };
    const llm = new ResilientLanguageModel(inner, { timeoutMs: 10_000 });
    const { seen, error } = await collect(llm.stream(ask));
    expect(error).toBeUndefined();
    expect(texts(seen)).toEqual(['Here it is.']);
    expect(arrivals).toHaveLength(2);
    // It waited (a lower bound, not a speed target): asking again at once would defeat the header.
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(900);
  });

  it('caps a long Retry-After', async () => {
    script({ status: 429, retryAfter: 120 }, { text: 'ok' });
    const { error } = await collect(resilient({ maxRetryAfterMs: 5000 }).stream(ask));
    expect(error).toBeUndefined();
    expect(slept).toEqual([5000]);
  });

  it('gives up at once, as rate limited, when the Retry-After would outlast the call budget', async () => {
    script({ status: 429, retryAfter: 4 }, { text: 'ok' });
    const { error } = await collect(resilient({ timeoutMs: 3000 }).stream(ask));
    expect(unavailable(error)).toMatchObject({ reason: 'rate_limited', details: { attempts: 1, status: 429 } });
    expect(slept).toEqual([]);
    expect(chatRequests()).toBe(1);
  });

  it('retries server errors with growing, jittered waits, one request per attempt', async () => {
    script({ status: 500 }, { status: 502 }, { text: 'ok' });
    const { seen, error } = await collect(resilient({ maxRetries: 2, retryBaseDelayMs: 100 }).stream(ask));
    expect(error).toBeUndefined();
    expect(texts(seen)).toEqual(['ok']);
    expect(chatRequests()).toBe(3);
    expect(slept).toEqual([75, 150]);
  });

  it('fails with the last error once the retries are used up', async () => {
    script({ status: 500 });
    const { error } = await collect(resilient({ maxRetries: 2 }).stream(ask));
    expect(unavailable(error)).toMatchObject({ reason: 'error', details: { attempts: 3, status: 500 } });
    expect(chatRequests()).toBe(3);
  });

  it('does not retry a client error', async () => {
    script({ status: 400 }, { text: 'ok' });
    const { error } = await collect(resilient().stream(ask));
    expect(unavailable(error)).toMatchObject({ reason: 'error', details: { status: 400 } });
    expect(chatRequests()).toBe(1);
  });

  it('never retries once text was passed on, so nobody sees it twice', async () => {
    script({ text: ['Your parcel ', 'is on its way.'], malformed: 'cut' }, { text: 'A second answer.' });
    const { seen, error } = await collect(resilient().stream(ask));
    expect(texts(seen)).toEqual(['Your parcel ']);
    expect(unavailable(error).reason).toBe('error');
    expect(chatRequests()).toBe(1);
  });

  it('throws from the iteration when the stream turns into garbage', async () => {
    script({ text: ['Your parcel ', 'is on its way.'], malformed: 'bad-json' });
    const { seen, error } = await collect(resilient().stream(ask));
    expect(texts(seen)).toEqual(['Your parcel ']);
    expect(unavailable(error).reason).toBe('error');
  });

  it('retries completions too', async () => {
    script({ status: 503 }, { text: 'pong' });
    expect((await resilient().complete({ system: 's', prompt: 'ping' })).text).toBe('pong');
    expect(chatRequests()).toBe(2);
  });
});

describe('ResilientLanguageModel budgets', () => {
  it('times out a call that never answers', { timeout: 5000 }, async () => {
    script({ hang: true });
    const { error } = await collect(resilient({ timeoutMs: 200 }).stream(ask));
    expect(unavailable(error)).toMatchObject({ reason: 'timeout' });
    expect(chatRequests()).toBe(1);
    const completion = await resilient({ timeoutMs: 200 })
      .complete({ system: 's', prompt: 'ping' })
      .catch((e: unknown) => e);
    expect(unavailable(completion).reason).toBe('timeout');
  });

  it('times out, and retries, a stream whose first token is too slow', { timeout: 5000 }, async () => {
    script({ text: 'late', firstTokenDelayMs: 3000 });
    const { seen, error } = await collect(resilient({ firstTokenTimeoutMs: 100, maxRetries: 1 }).stream(ask));
    expect(seen).toEqual([]);
    expect(unavailable(error)).toMatchObject({ reason: 'timeout', details: { attempts: 2 } });
    expect(chatRequests()).toBe(2);
  });

  it('lets a stream that started in time take longer between chunks', async () => {
    script({ text: ['one', ' two', ' three'], chunkDelayMs: 120 });
    const { seen, error } = await collect(resilient({ firstTokenTimeoutMs: 100 }).stream(ask));
    expect(error).toBeUndefined();
    expect(texts(seen)).toEqual(['one', ' two', ' three']);
  });

  it('times out a stream that stalls after its first token, without retrying', { timeout: 5000 }, async () => {
    script({ text: ['one', ' two'], chunkDelayMs: 3000 });
    const { seen, error } = await collect(resilient({ timeoutMs: 300 }).stream(ask));
    expect(texts(seen)).toEqual(['one']);
    expect(unavailable(error).reason).toBe('timeout');
    expect(chatRequests()).toBe(1);
  });

  it("rethrows the caller's abort, which says nothing about the endpoint", async () => {
    script({ hang: true });
    const llm = resilient({ failureThreshold: 1 });
    const reason = new Error('the customer left');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    const { error } = await collect(llm.stream(ask, { signal: controller.signal }));
    expect(error).toBe(reason);
    expect(llm.state()).toEqual({ circuit: 'closed', consecutiveFailures: 0 });
  });
});

describe('ResilientLanguageModel circuit breaker', () => {
  it('opens after repeated failures, then fails fast without reaching the endpoint', async () => {
    script({ status: 500 });
    const llm = resilient({ failureThreshold: 3, maxRetries: 0, cooldownMs: 30_000 });
    for (let i = 0; i < 3; i++) expect(unavailable((await collect(llm.stream(ask))).error).reason).toBe('error');
    expect(llm.state()).toEqual({ circuit: 'open', consecutiveFailures: 3, openedAt: clock });
    expect(chatRequests()).toBe(3);

    const fast = await collect(llm.stream(ask));
    expect(unavailable(fast.error)).toMatchObject({ reason: 'circuit_open', details: { attempts: 0 } });
    const completion = await llm.complete({ system: 's', prompt: 'ping' }).catch((e: unknown) => e);
    expect(unavailable(completion).reason).toBe('circuit_open');
    expect(chatRequests()).toBe(3);
  });

  it('lets one probe through after the cool-down, and closes when it succeeds', async () => {
    script({ status: 500 });
    const llm = resilient({ failureThreshold: 2, maxRetries: 0, cooldownMs: 30_000 });
    await collect(llm.stream(ask));
    await collect(llm.stream(ask));
    clock += 29_999;
    expect(llm.state().circuit).toBe('open');
    clock += 1;
    expect(llm.state().circuit).toBe('half_open');

    script({ text: ['Back', ' again.'], chunkDelayMs: 30 });
    const probe = llm.stream(ask)[Symbol.asyncIterator]();
    expect(await probe.next()).toEqual({ done: false, value: { type: 'text-delta', text: 'Back' } });
    // While the probe is out, everyone else still fails fast.
    expect(unavailable((await collect(llm.stream(ask))).error).reason).toBe('circuit_open');
    const rest: ChatEvent[] = [];
    for (let r = await probe.next(); !r.done; r = await probe.next()) rest.push(r.value);
    expect(texts(rest)).toEqual([' again.']);

    expect(llm.state()).toEqual({ circuit: 'closed', consecutiveFailures: 0 });
    expect(texts((await collect(llm.stream(ask))).seen)).toEqual(['Back', ' again.']);
    expect(chatRequests()).toBe(4);
  });

  it('opens again when the probe fails, with a single attempt', async () => {
    script({ status: 500 });
    const llm = resilient({ failureThreshold: 1, maxRetries: 2, cooldownMs: 10_000 });
    await collect(llm.stream(ask));
    expect(chatRequests()).toBe(3);
    const firstOpened = llm.state().openedAt!;
    clock += 10_000;
    expect(unavailable((await collect(llm.stream(ask))).error).reason).toBe('error');
    expect(chatRequests()).toBe(4);
    expect(llm.state()).toMatchObject({ circuit: 'open', openedAt: firstOpened + 10_000 });
    expect(unavailable((await collect(llm.stream(ask))).error).reason).toBe('circuit_open');
  });

  it('does not count client errors, which show the endpoint is up', async () => {
    script({ status: 400 });
    const llm = resilient({ failureThreshold: 1 });
    await collect(llm.stream(ask));
    expect(llm.state()).toEqual({ circuit: 'closed', consecutiveFailures: 0 });
  });

  it('can also open on failures within a window, successes in between', async () => {
    const llm = resilient({ maxRetries: 0, failureThreshold: 100, failureWindow: { failures: 3, ms: 60_000 } });
    for (let i = 0; i < 3; i++) {
      script({ status: 500 });
      await collect(llm.stream(ask));
      script({ text: 'ok' });
      if (i < 2) expect((await collect(llm.stream(ask))).error).toBeUndefined();
      clock += 10_000;
    }
    expect(llm.state().circuit).toBe('open');
  });
});

describe('ResilientLanguageModel usage', () => {
  it('reports the tokens of each successful call, and nothing for failures', async () => {
    const usage: unknown[] = [];
    const llm = resilient({ maxRetries: 0, onUsage: (u) => usage.push(u) });
    script({ text: 'Hello!', usage: { promptTokens: 42, completionTokens: 7 } });
    await collect(llm.stream(ask));
    script({ text: 'pong', usage: { promptTokens: 12, completionTokens: 1 } });
    await llm.complete({ system: 's', prompt: 'ping' });
    script({ status: 500 });
    await collect(llm.stream(ask));
    expect(usage).toEqual([
      { model: 'stub-chat', inputTokens: 42, outputTokens: 7 },
      { model: 'stub-chat', inputTokens: 12, outputTokens: 1 },
    ]);
  });

  it('passes tool calls through untouched', async () => {
    script({ toolCalls: [{ name: 'lookup_order', arguments: '{"orderId":"A-1"}' }] });
    const tools = [{ name: 'lookup_order', description: 'Finds an order', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } }];
    const { seen } = await collect(resilient().stream({ ...ask, tools }));
    expect(seen[0]).toMatchObject({ type: 'tool-call', name: 'lookup_order', input: { orderId: 'A-1' } });
  });
});
