import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loginDemo, say, startVisitor } from '../test-support/http-helpers.js';
import { type OpenAIStub, startOpenAIStub } from '../test-support/openai-stub.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Hybrid retrieval end to end: a real server whose EMBEDDING_* and RERANK_* point at a local server
// speaking the OpenAI and Cohere wire protocols. Its stub model maps each concept's surface forms
// (which share no words) to the same direction, like a semantic model would.
const CONCEPTS = [
  ['寄养', '照看', '帮忙看', 'pet sitting', 'look after'],
  ['猫', '狗', '宠物', 'pet'],
];

let stub: OpenAIStub;
let s: TestServer;
let admin: { authorization: string };
let ws: string;

beforeAll(async () => {
  stub = await startOpenAIStub({ concepts: CONCEPTS, dims: 48 });
  s = await startTestServer({
    env: {
      EMBEDDING_BASE_URL: stub.baseURL,
      EMBEDDING_MODEL: 'stub-embed',
      EMBEDDING_API_KEY: 'sk-embed-secret',
      EMBEDDING_TIMEOUT_MS: '300',
      RERANK_BASE_URL: stub.baseURL,
      RERANK_MODEL: 'stub-rerank',
      RERANK_TIMEOUT_MS: '300',
    },
    vectorRetryMs: 200,
  });
  admin = await loginDemo(s);
  ws = s.demo!.workspace.id;
  await vi.waitFor(() => expect(s.deps.ctx.knowledge.vectorModel(ws)).toBe('stub-embed'), { timeout: 10_000 });
});
afterAll(async () => {
  await s.close();
  await stub.close();
});
beforeEach(() => {
  stub.mode = 'ok';
  stub.delayMs = 0;
});

const post = (url: string, payload: unknown) => s.app.inject({ method: 'POST', url, headers: admin, payload: payload as object });
const search = async (query: string) => (await post('/v1/knowledge/search', { query, k: 5 })).json();
/** The retrieve stage of the conversation's last bot turn, as agents see it. */
async function retrieveStage(conversationId: string) {
  const items = (await s.app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: admin })).json().items;
  const bot = items.at(-1);
  return bot.metadata.trace.stages.find((x: { stage: string }) => x.stage === 'retrieve');
}
const embeddedSince = (n: number) => stub.embeddedTexts().slice(n);

describe('dense retrieval with an embeddings endpoint', () => {
  it('embeds the demo knowledge at start and reports the vectors in /metrics', async () => {
    const questions = stub.embeddedTexts();
    expect(questions).toContain('如何在云朵商城下单购买商品？');
    expect(stub.requests.find((r) => r.path === '/v1/embeddings')?.body.model).toBe('stub-embed');
    const metrics = (await s.app.inject({ url: '/metrics' })).body;
    expect(Number(/kefu_knowledge_index_vectors (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(300);
  });

  it('answers a question that shares no words with the entry, and says why in the trace', async () => {
    const created = await post('/v1/knowledge/faqs', {
      externalId: 'kb-pet',
      question: '门店提供宠物寄养吗？',
      answer: '提供。门店可寄养猫狗，每晚 50 元，需提前一天预约。',
    });
    expect(created.statusCode).toBe(201);
    const r = await search('出差的时候谁能帮忙看一下我家主子');
    expect(r.dense).toMatchObject({ status: 'used', model: 'stub-embed' });
    expect(r.hits[0].entry.externalId).toBe('kb-pet');
    expect(r.hits[0].ranks.dense).toBe(1);
    expect(r.hits[0].similarity).toBeGreaterThan(0.5);
    expect(r.answerable).toBe(true);

    const v = await startVisitor(s);
    const reply = (await say(s, v, '出差的时候谁能帮忙看一下我家主子')).json().replies[0];
    expect(reply.text).toContain('寄养');
    const retrieve = await retrieveStage(v.id);
    expect(retrieve.output.dense).toMatchObject({ status: 'used' });
    expect(retrieve.output.hits[0]).toMatchObject({ externalId: 'kb-pet', ranks: { dense: 1 } });
  });

  it('embeds only texts that changed when an entry is edited', async () => {
    const created = (await post('/v1/knowledge/faqs', { question: '可以寄存行李吗？', similar: ['行李能放门店吗'], answer: '可以寄存。' })).json().entry;
    const before = stub.embeddedTexts().length;
    const patch = (payload: object) => s.app.inject({ method: 'PATCH', url: `/v1/knowledge/faqs/${created.id}`, headers: admin, payload });
    expect((await patch({ version: 1, answer: '可以，免费寄存 24 小时。' })).statusCode).toBe(200);
    expect(embeddedSince(before)).toEqual([]);
    expect((await patch({ version: 2, similar: ['行李能放门店吗', '能存包吗'] })).statusCode).toBe(200);
    expect(embeddedSince(before)).toEqual(['能存包吗']);
  });

  it('reranks the fused candidates and records it', async () => {
    const r = await search('宠物寄养多少钱');
    expect(r.rerank).toMatchObject({ status: 'used', model: 'stub-rerank' });
    expect(r.hits[0].entry.externalId).toBe('kb-pet');
    expect(r.hits[0].rerankScore).toBe(1);
  });

  it('answers from BM25 when the endpoints fail, time out or answer garbage, and says so', async () => {
    for (const mode of ['error', 'garbage', 'hang'] as const) {
      stub.mode = mode;
      // A query never seen before, so no cached vector can serve it.
      const r = await search(`运费怎么收 ${mode}`);
      expect(r.dense.status).toBe('failed');
      expect(['error', 'timeout', 'unavailable']).toContain(r.dense.reason);
      expect(r.rerank.status).toBe('failed');
      expect(r.hits.length).toBeGreaterThan(0);
      expect(r.hits[0].score).toBeGreaterThan(0);
    }
    const v = await startVisitor(s);
    const reply = (await say(s, v, '满多少包邮？运费怎么算')).json().replies[0];
    const retrieve = await retrieveStage(v.id);
    expect(retrieve.output.dense.status).toBe('failed');
    expect(retrieve.output.hits[0].externalId).toBe('zh-shipping-001');
    expect(reply.text).not.toMatch(/抱歉/);
  });

  it('keeps a new entry searchable while the endpoint is down and embeds it once the endpoint is back', async () => {
    stub.mode = 'error';
    const created = await post('/v1/knowledge/faqs', { externalId: 'kb-locker', question: '有自提柜吗？', answer: '小区门口有云朵自提柜。' });
    expect(created.statusCode).toBe(201);
    expect((await search('有自提柜吗')).hits[0].entry.externalId).toBe('kb-locker');
    const before = stub.embeddedTexts().length;
    stub.mode = 'ok';
    // The failed rebuild scheduled a retry (200 ms here, 30 s by default).
    await vi.waitFor(() => expect(embeddedSince(before)).toContain('有自提柜吗？'), { timeout: 10_000 });
  });

  it('authenticates to the endpoint with its API key', () => {
    expect(stub.requests.find((r) => r.path === '/v1/embeddings')?.authorization).toBe('Bearer sk-embed-secret');
  });
});
