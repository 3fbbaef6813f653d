import { describe, expect, it } from 'vitest';
import { Bm25KnowledgeIndex } from '../adapters/search/bm25-knowledge-index.js';
import type { Embedder, Reranker } from '../ports/embedder.js';
import { faqEntry } from '../test-support/fixtures.js';
import { retrieveKnowledge } from './retrieve-knowledge.js';

const knowledge = new Bm25KnowledgeIndex();
knowledge.load('w', [faqEntry('w', 'ship', '运费怎么收？', '满99元包邮。'), faqEntry('w', 'ret', '怎么退货？', '7天无理由。')]);
knowledge.setVectors('w', 'model-a', [
  { id: 'id-ship', vector: Float32Array.from([1, 0]) },
  { id: 'id-ret', vector: Float32Array.from([0, 1]) },
]);

/** A fake embedder that records its calls and answers a fixed vector. */
const embedder = (model: string, vector = [0, 1]) => {
  const calls: string[][] = [];
  const e: Embedder & { calls: string[][] } = {
    model,
    calls,
    embed: async (texts) => {
      calls.push([...texts]);
      return texts.map(() => Float32Array.from(vector));
    },
  };
  return e;
};

describe('retrieveKnowledge', () => {
  it('uses the dense lane when the embedder made the stored vectors', async () => {
    const r = await retrieveKnowledge({ knowledge, embedder: embedder('model-a') }, 'w', '东西不想要了', 3);
    expect(r.dense).toMatchObject({ status: 'used', model: 'model-a' });
    expect(r.hits[0]?.entry.externalId).toBe('ret');
  });

  it('does not compare vectors of different models: BM25 alone, and the trace says why', async () => {
    const e = embedder('model-b');
    const r = await retrieveKnowledge({ knowledge, embedder: e }, 'w', '运费怎么收', 3);
    expect(r.dense).toMatchObject({ status: 'failed', reason: 'model_mismatch' });
    expect(e.calls).toEqual([]);
    expect(r.hits[0]?.entry.externalId).toBe('ship');
  });

  it('leaves the lanes off without an embedder or reranker, or for a workspace without vectors', async () => {
    expect((await retrieveKnowledge({ knowledge }, 'w', '运费', 3)).dense).toEqual({ status: 'off' });
    expect((await retrieveKnowledge({ knowledge, embedder: embedder('model-a') }, 'none', '运费', 3)).dense).toEqual({ status: 'off' });
  });

  it('orders by the reranker; scores outside 0..1 reorder without counting as confidence', async () => {
    const logits: Reranker = { model: 'r', rerank: async (_q, docs) => docs.map((d) => (d.includes('退货') ? 7.5 : -2)) };
    const r = await retrieveKnowledge({ knowledge, reranker: logits }, 'w', '运费怎么收', 2);
    expect(r.hits[0]?.entry.externalId).toBe('ret');
    expect(r.hits[0]?.rerankScore).toBe(7.5);
    expect(r.confidence).toBeLessThan(0.5);
    const probabilities: Reranker = { model: 'r', rerank: async (_q, docs) => docs.map((d) => (d.includes('退货') ? 0.97 : 0.01)) };
    expect((await retrieveKnowledge({ knowledge, reranker: probabilities }, 'w', '运费怎么收', 2)).confidence).toBe(0.97);
  });

  it('keeps the fused order when the reranker throws', async () => {
    const broken: Reranker = {
      model: 'r',
      rerank: async () => {
        throw new Error('boom');
      },
    };
    const r = await retrieveKnowledge({ knowledge, reranker: broken }, 'w', '运费怎么收', 2);
    expect(r.rerank).toMatchObject({ status: 'failed', reason: 'error', message: 'boom' });
    expect(r.hits[0]?.entry.externalId).toBe('ship');
  });
});
