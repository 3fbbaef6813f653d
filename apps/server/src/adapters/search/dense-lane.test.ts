import { describe, expect, it } from 'vitest';
import { faqEntry } from '../../test-support/fixtures.js';
import { Bm25KnowledgeIndex } from './bm25-knowledge-index.js';

// Hand-made 4-d vectors: axis 0 "returns", 1 "shipping", 2 "invoice", 3 "membership".
const v = (...xs: number[]) => Float32Array.from(xs);
const FAQS = [
  faqEntry('w', 'return', '怎么申请退货？', '在订单页申请售后。', ['退货流程是什么']),
  faqEntry('w', 'ship', '运费怎么收？', '满99元包邮。'),
  faqEntry('w', 'invoice', '如何开发票？', '在订单详情申请电子发票。'),
  { ...faqEntry('w', 'vip', '会员有什么权益？', '内部：VIP 专线。'), audience: 'internal' as const },
  { ...faqEntry('w', 'old', '双十一活动规则', '已结束。'), validUntil: '2020-01-01T00:00:00.000Z' },
];

function index() {
  const idx = new Bm25KnowledgeIndex();
  idx.load('w', FAQS);
  idx.setVectors('w', 'stub', [
    { id: 'id-return', vector: v(1, 0, 0, 0) },
    { id: 'id-return', vector: v(0.9, 0.1, 0, 0) },
    { id: 'id-ship', vector: v(0, 1, 0, 0) },
    { id: 'id-invoice', vector: v(0, 0, 1, 0) },
    { id: 'id-vip', vector: v(0, 0, 0, 1) },
    { id: 'id-old', vector: v(0.1, 0, 0, 0.9) },
    // A vector whose entry no longer exists, and one of the wrong size: both ignored.
    { id: 'id-gone', vector: v(0, 0.7, 0.7, 0) },
    { id: 'id-ship', vector: v(1, 1) },
  ]);
  return idx;
}

describe('dense lane', () => {
  it('finds a paraphrase that shares no words with the question, and is confident about it', () => {
    // "东西不想要了能寄回去吗" shares no indexed word with 怎么申请退货 / 退货流程是什么.
    const lexicalOnly = index().search('w', '东西不想要了能寄回去吗', 3);
    expect(lexicalOnly.hits[0]?.entry.externalId).not.toBe('return');
    const r = index().search('w', '东西不想要了能寄回去吗', 3, { queryVector: v(0.95, 0.05, 0, 0) });
    expect(r.hits[0]?.entry.externalId).toBe('return');
    expect(r.hits[0]?.similarity).toBeGreaterThan(0.99);
    expect(r.hits[0]?.ranks?.dense).toBe(1);
    expect(r.confidence).toBeGreaterThan(0.9);
  });

  it('fuses both lanes: an entry ranked well by both beats one ranked first by only one', () => {
    const r = index().search('w', '运费怎么收', 3, { queryVector: v(0.2, 0.8, 0.6, 0) });
    expect(r.hits[0]?.entry.externalId).toBe('ship');
    expect(r.hits[0]?.ranks).toEqual({ lexical: 1, dense: 1 });
  });

  it('applies audience and validity to dense hits too', () => {
    const idx = index();
    const pub = idx.search('w', '会员', 5, { queryVector: v(0, 0, 0, 1) });
    expect(pub.hits.map((h) => h.entry.externalId)).not.toContain('vip');
    expect(pub.hits.map((h) => h.entry.externalId)).not.toContain('old');
    const agents = idx.search('w', '会员', 5, { queryVector: v(0, 0, 0, 1), audience: 'all' });
    expect(agents.hits[0]?.entry.externalId).toBe('vip');
  });

  it('gives no dense confidence below the similarity floor', () => {
    const r = index().search('w', '🙂', 3, { queryVector: v(0.3, 0.3, 0.3, 0.3), similarityFloor: 0.9 });
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.confidence).toBe(0);
  });

  it('ignores a query vector of the wrong size and answers from BM25', () => {
    const r = index().search('w', '运费怎么收', 3, { queryVector: v(1, 0) });
    expect(r.hits[0]?.entry.externalId).toBe('ship');
    expect(r.hits[0]?.similarity).toBeUndefined();
  });

  it('reports the vectors in stats and can be switched off', () => {
    const idx = index();
    expect(idx.vectorModel('w')).toBe('stub');
    expect(idx.stats().vectors).toBe(7);
    idx.setVectors('w', 'stub', []);
    expect(idx.vectorModel('w')).toBeNull();
    expect(idx.stats().vectors).toBe(0);
  });
});
