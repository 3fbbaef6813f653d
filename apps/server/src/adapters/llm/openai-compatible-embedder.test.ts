import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OpenAIStub, startOpenAIStub } from '../../test-support/openai-stub.js';
import { HttpReranker } from './http-reranker.js';
import { OpenAICompatibleEmbedder } from './openai-compatible-embedder.js';
import { EmbedderUnavailable, ResilientEmbedder } from './resilient-embedder.js';

let stub: OpenAIStub;
beforeAll(async () => {
  stub = await startOpenAIStub({ concepts: [['退货', '寄回', 'return']], dims: 16 });
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.mode = 'ok';
  stub.delayMs = 0;
  stub.requests.length = 0;
});

describe('OpenAICompatibleEmbedder', () => {
  it('embeds over the OpenAI wire protocol, with the key, model and requested dimensions', async () => {
    const e = new OpenAICompatibleEmbedder({ baseURL: stub.baseURL, model: 'bge-m3', apiKey: 'sk-test', dimensions: 12 });
    const [a, b] = await e.embed(['怎么退货', 'how do I return this']);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a?.length).toBe(12);
    expect(b?.[0]).toBe(1);
    expect(stub.requests[0]?.body).toMatchObject({ model: 'bge-m3', input: ['怎么退货', 'how do I return this'], dimensions: 12 });
    // Vectors of different sizes must never be compared: the size is part of the model's name.
    expect(e.model).toBe('bge-m3@12');
  });

  it('sends large inputs in batches and keeps their order', async () => {
    const e = new OpenAICompatibleEmbedder({ baseURL: stub.baseURL, model: 'm' });
    const texts = Array.from({ length: 150 }, (_, i) => (i === 149 ? '退货' : `text ${i}`));
    const vectors = await e.embed(texts);
    expect(vectors).toHaveLength(150);
    expect(vectors[149]?.[0]).toBe(1);
    expect(stub.requests.length).toBe(3);
  });

  it('rejects when the endpoint fails, answers garbage or returns unusable vectors', async () => {
    const e = new OpenAICompatibleEmbedder({ baseURL: stub.baseURL, model: 'm', maxRetries: 0 });
    stub.mode = 'error';
    await expect(e.embed(['x'])).rejects.toThrow(/overloaded/);
    stub.mode = 'garbage';
    await expect(e.embed(['x'])).rejects.toThrow();
    stub.mode = 'nan';
    await expect(e.embed(['x'])).rejects.toThrow();
    stub.mode = 'zeros';
    await expect(e.embed(['x'])).rejects.toThrow(/zero vector/);
  });

  it('gives up when its signal times out', async () => {
    const e = new OpenAICompatibleEmbedder({ baseURL: stub.baseURL, model: 'm', maxRetries: 0 });
    stub.mode = 'hang';
    const signal = AbortSignal.timeout(100);
    await expect(e.embed(['x'], { signal })).rejects.toThrow();
    expect(signal.aborted).toBe(true);
  });

  it('rejects when the endpoint cannot be reached', async () => {
    const e = new OpenAICompatibleEmbedder({ baseURL: 'http://127.0.0.1:9/v1', model: 'm', maxRetries: 0 });
    await expect(e.embed(['x'])).rejects.toThrow();
  });
});

describe('ResilientEmbedder', () => {
  it('remembers query vectors and stops calling a failing endpoint for a cool-down', async () => {
    let now = 0;
    const e = new ResilientEmbedder(new OpenAICompatibleEmbedder({ baseURL: stub.baseURL, model: 'm', maxRetries: 0 }), { cooldownMs: 1000, now: () => now });
    await e.embed(['怎么退货']);
    await e.embed(['怎么退货']);
    expect(stub.requests.length).toBe(1);

    stub.mode = 'error';
    await expect(e.embed(['新问题'])).rejects.toThrow();
    expect(e.coolingDown).toBe(true);
    await expect(e.embed(['另一个问题'])).rejects.toBeInstanceOf(EmbedderUnavailable);
    expect(stub.requests.length).toBe(2);
    // Cached vectors still serve while cooling down.
    expect((await e.embed(['怎么退货']))[0]?.[0]).toBe(1);

    stub.mode = 'ok';
    now = 1001;
    await expect(e.embed(['另一个问题'])).resolves.toHaveLength(1);
  });
});

describe('HttpReranker', () => {
  it('scores documents in their original order from a Cohere/Jina-format answer', async () => {
    const r = new HttpReranker({ baseURL: stub.baseURL, model: 'bge-reranker', apiKey: 'k' });
    const scores = await r.rerank('我想退货', ['运费说明', '退货流程', 'return policy']);
    expect(scores).toEqual([0, 1, 1]);
    expect(stub.requests[0]).toMatchObject({
      path: '/v1/rerank',
      body: { model: 'bge-reranker', query: '我想退货', documents: ['运费说明', '退货流程', 'return policy'] },
    });
  });

  it('rejects on HTTP errors and unknown formats', async () => {
    const r = new HttpReranker({ baseURL: stub.baseURL, model: 'm' });
    stub.mode = 'error';
    await expect(r.rerank('q', ['a', 'b'])).rejects.toThrow(/HTTP 500/);
    stub.mode = 'garbage';
    await expect(r.rerank('q', ['a', 'b'])).rejects.toThrow(/unknown format/);
  });
});
