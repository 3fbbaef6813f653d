import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChatEvent, type ChatRequest, LanguageModelCallError, type ToolSpec } from '../../ports/language-model.js';
import { chatSequence, type OpenAIStub, startOpenAIStub } from '../../test-support/openai-stub.js';
import { OpenAICompatibleLanguageModel } from './openai-compatible-language-model.js';

// The real adapter against a local server speaking the OpenAI chat-completions protocol.
let stub: OpenAIStub;
let llm: OpenAICompatibleLanguageModel;
beforeAll(async () => {
  stub = await startOpenAIStub();
  llm = new OpenAICompatibleLanguageModel({ baseURL: stub.baseURL, model: 'stub-chat', maxRetries: 0 });
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.mode = 'ok';
  stub.chatScript = null;
  stub.requests.length = 0;
});

const LOOKUP_ORDER: ToolSpec = {
  name: 'lookup_order',
  description: 'Finds an order by its number',
  parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
};
const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  system: 'You are a shop assistant.',
  messages: [{ role: 'user', content }],
  ...extra,
});

async function collect(events: AsyncIterable<ChatEvent>) {
  const seen: ChatEvent[] = [];
  try {
    for await (const e of events) seen.push(e);
    return { seen, error: undefined };
  } catch (error) {
    return { seen, error };
  }
}

describe('OpenAICompatibleLanguageModel.stream', () => {
  it('passes streamed text on as deltas, in order, then finishes with the token usage', async () => {
    stub.chatScript = () => ({ text: ['您好', '，订单', '已发货。'], usage: { promptTokens: 42, completionTokens: 7 } });
    const { seen, error } = await collect(llm.stream(ask('我的订单到哪了？')));
    expect(error).toBeUndefined();
    expect(seen).toEqual([
      { type: 'text-delta', text: '您好' },
      { type: 'text-delta', text: '，订单' },
      { type: 'text-delta', text: '已发货。' },
      { type: 'finish', finishReason: 'stop', inputTokens: 42, outputTokens: 7 },
    ]);
    const body = stub.requests[0]!.body;
    expect(body).toMatchObject({ model: 'stub-chat', stream: true, stream_options: { include_usage: true } });
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are a shop assistant.' },
      { role: 'user', content: '我的订单到哪了？' },
    ]);
  });

  it('offers the tools and returns the tool calls the model makes, arguments parsed, without running anything', async () => {
    stub.chatScript = () => ({ toolCalls: [{ name: 'lookup_order', arguments: ['{"order', 'Id": "A-', '1001"}'] }] });
    const { seen, error } = await collect(llm.stream(ask('where is A-1001?', { tools: [LOOKUP_ORDER] })));
    expect(error).toBeUndefined();
    expect(seen).toEqual([
      { type: 'tool-call', id: 'call_0_0', name: 'lookup_order', input: { orderId: 'A-1001' } },
      { type: 'finish', finishReason: 'tool-calls', inputTokens: 50, outputTokens: 10 },
    ]);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.body.tools).toEqual([
      { type: 'function', function: { name: 'lookup_order', description: LOOKUP_ORDER.description, parameters: LOOKUP_ORDER.parameters } },
    ]);
  });

  it('reports a tool call whose arguments are not valid JSON as invalid, with the raw text', async () => {
    stub.chatScript = () => ({ toolCalls: [{ name: 'lookup_order', arguments: '{"orderId": "A-10' }] });
    const { seen, error } = await collect(llm.stream(ask('where is A-1001?', { tools: [LOOKUP_ORDER] })));
    expect(error).toBeUndefined();
    expect(seen[0]).toMatchObject({ type: 'tool-call-invalid', name: 'lookup_order', raw: '{"orderId": "A-10', reason: expect.stringContaining('JSON') });
    expect(seen.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('reports a call to a tool that was not offered, or with arguments that are not an object, as invalid', async () => {
    stub.chatScript = () => ({
      toolCalls: [
        { name: 'refund_everything', arguments: '{"all": true}' },
        { name: 'lookup_order', arguments: '["A-1001"]' },
      ],
    });
    const { seen } = await collect(llm.stream(ask('refund!', { tools: [LOOKUP_ORDER] })));
    expect(seen.slice(0, 2)).toEqual([
      { type: 'tool-call-invalid', id: 'call_0_0', name: 'refund_everything', raw: '{"all":true}', reason: expect.stringContaining('refund_everything') },
      { type: 'tool-call-invalid', id: 'call_0_1', name: 'lookup_order', raw: '["A-1001"]', reason: expect.stringContaining('not a JSON object') },
    ]);
  });

  it('sends earlier tool calls and their results back in the conversation', async () => {
    stub.chatScript = () => ({ text: 'Your order A-1001 shipped yesterday.' });
    const request: ChatRequest = {
      system: 's',
      tools: [LOOKUP_ORDER],
      messages: [
        { role: 'user', content: 'where is A-1001?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup_order', input: { orderId: 'A-1001' } }] },
        { role: 'tool', toolCallId: 'call_1', name: 'lookup_order', output: { status: 'shipped' } },
      ],
    };
    const { seen } = await collect(llm.stream(request));
    expect(seen[0]).toEqual({ type: 'text-delta', text: 'Your order A-1001 shipped yesterday.' });
    expect(stub.requests[0]!.body.messages).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: 'where is A-1001?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":"A-1001"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
    ]);
  });

  it('throws a rate limit from the iteration with its status and Retry-After', async () => {
    stub.chatScript = () => ({ status: 429, retryAfter: 3 });
    const { seen, error } = await collect(llm.stream(ask('hi')));
    expect(seen).toEqual([]);
    expect(error).toBeInstanceOf(LanguageModelCallError);
    expect((error as LanguageModelCallError).details).toEqual({ kind: 'http', status: 429, retryable: true, retryAfterMs: 3000 });
  });

  it('throws a server error as retryable and a client error as not', async () => {
    stub.chatScript = chatSequence({ status: 503 }, { status: 400 });
    const first = await collect(llm.stream(ask('hi')));
    const second = await collect(llm.stream(ask('hi')));
    expect((first.error as LanguageModelCallError).details).toMatchObject({ status: 503, retryable: true });
    expect((second.error as LanguageModelCallError).details).toMatchObject({ status: 400, retryable: false });
  });

  it('throws from the iteration when a chunk is not JSON, after the text that came before it', async () => {
    stub.chatScript = () => ({ text: ['Hello', ' there'], malformed: 'bad-json' });
    const { seen, error } = await collect(llm.stream(ask('hi')));
    expect(seen).toEqual([{ type: 'text-delta', text: 'Hello' }]);
    expect((error as LanguageModelCallError).details).toMatchObject({ kind: 'protocol' });
  });

  it('throws from the iteration, rather than hanging, when the connection drops mid-stream', async () => {
    stub.chatScript = () => ({ text: ['Hello', ' there'], malformed: 'cut' });
    const { seen, error } = await collect(llm.stream(ask('hi')));
    expect(seen).toEqual([{ type: 'text-delta', text: 'Hello' }]);
    expect((error as LanguageModelCallError).details).toMatchObject({ kind: 'network', retryable: true });
  });

  it('throws when the answer is not the protocol at all', async () => {
    stub.mode = 'garbage';
    const { error } = await collect(llm.stream(ask('hi')));
    expect((error as LanguageModelCallError).details).toMatchObject({ kind: 'protocol' });
  });

  it("throws the signal's reason when the caller aborts", async () => {
    stub.chatScript = () => ({ hang: true });
    const reason = new Error('the customer left');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    const { error } = await collect(llm.stream(ask('hi'), { signal: controller.signal }));
    expect(error).toBe(reason);
  });

  it('can be left early, and still answers the next call', async () => {
    stub.chatScript = () => ({ text: ['one', ' two', ' three'], chunkDelayMs: 50 });
    for await (const e of llm.stream(ask('hi'))) {
      expect(e).toEqual({ type: 'text-delta', text: 'one' });
      break;
    }
    stub.chatScript = null;
    const { seen } = await collect(llm.stream(ask('hi')));
    expect(seen[0]).toEqual({ type: 'text-delta', text: 'ok' });
  });
});

describe('OpenAICompatibleLanguageModel.complete', () => {
  it('answers with the text and token usage', async () => {
    stub.chatScript = () => ({ text: 'pong', usage: { promptTokens: 12, completionTokens: 1 } });
    expect(await llm.complete({ system: 's', prompt: 'ping' })).toEqual({ text: 'pong', inputTokens: 12, outputTokens: 1 });
    expect(stub.requests[0]!.body.stream).toBeUndefined();
  });

  it('rejects with the status and Retry-After of a rate limit', async () => {
    stub.chatScript = () => ({ status: 429, retryAfter: 1 });
    const error = await llm.complete({ system: 's', prompt: 'ping' }).catch((e: unknown) => e);
    expect((error as LanguageModelCallError).details).toEqual({ kind: 'http', status: 429, retryable: true, retryAfterMs: 1000 });
  });
});
