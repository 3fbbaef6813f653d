import { describe, expect, it } from 'vitest';
import { faqEntry } from '../../test-support/fixtures.js';
import { Bm25KnowledgeIndex, type Bm25Options, DEFAULT_BM25 } from './bm25-knowledge-index.js';

const entry = (externalId: string, question: string, similar: string[], answer: string) => faqEntry('w1', externalId, question, answer, similar);

const FAQS = [
  entry('ship-fee', '运费怎么收？', ['邮费多少', '包邮吗'], '实付满99元免运费，不满收取8元。'),
  entry('return', '怎么申请退货？', ['退货流程是什么', '东西不想要了怎么退'], '在「我的 > 订单 > 申请售后」提交退货申请，7天无理由退货。'),
  entry('invoice', '如何开发票？', ['能开增值税专用发票吗'], '确认收货后在订单详情申请电子发票，24小时内开具。'),
  entry('gx199', 'GX199耳机支持降噪吗？', ['GX199有什么功能'], 'GX199支持主动降噪，续航30小时。'),
  entry('en-ship', 'How long does delivery take?', ['When will my order arrive?'], 'Orders ship within 48 hours and arrive in 2-5 days.'),
];

function index() {
  const idx = new Bm25KnowledgeIndex();
  idx.load('w1', FAQS);
  return idx;
}

describe('Bm25KnowledgeIndex', () => {
  it('finds the entry for a paraphrase and explains the match', () => {
    const r = index().search('w1', '退货要怎么弄', 3);
    expect(r.hits[0]?.entry.externalId).toBe('return');
    expect(r.hits[0]?.matched).toEqual(expect.arrayContaining([expect.objectContaining({ term: '退货', lane: 'word', field: 'question' })]));
  });

  it('matches Traditional Chinese queries against Simplified knowledge', () => {
    expect(index().search('w1', '運費怎麼收', 3).hits[0]?.entry.externalId).toBe('ship-fee');
  });

  it('finds product codes exactly', () => {
    const r = index().search('w1', 'gx199续航多久', 3);
    expect(r.hits[0]?.entry.externalId).toBe('gx199');
    expect(r.hits[0]?.matched.some((m) => m.lane === 'exact' && m.term === 'gx199')).toBe(true);
  });

  it('finds English entries with stemming', () => {
    expect(index().search('w1', 'when do orders get delivered', 3).hits[0]?.entry.externalId).toBe('en-ship');
  });

  it('is confident on a close question and not on an unrelated one', () => {
    const idx = index();
    expect(idx.search('w1', '运费怎么收', 3).confidence).toBeGreaterThan(0.6);
    expect(idx.search('w1', '今天天气怎么样', 3).confidence).toBeLessThan(0.3);
  });

  it('returns nothing for empty, emoji-only or unknown workspaces', () => {
    const idx = index();
    expect(idx.search('w1', '', 3).hits).toEqual([]);
    expect(idx.search('w1', '🙂🙂', 3).hits).toEqual([]);
    expect(idx.search('other', '运费', 3)).toEqual({ hits: [], confidence: 0, queryTerms: expect.any(Array) });
  });

  it('keeps workspaces apart and replaces a workspace on reload', () => {
    const idx = index();
    idx.load('w2', [entry('w2-only', '会员积分怎么用', [], '100积分抵1元')]);
    expect(idx.search('w1', '积分怎么用', 3).hits.map((h) => h.entry.externalId)).not.toContain('w2-only');
    idx.load('w1', [FAQS[0]!]);
    expect(idx.search('w1', '怎么申请退货', 3).hits.map((h) => h.entry.externalId)).not.toContain('return');
    expect(idx.stats()).toMatchObject({ workspaces: 2, entries: 2 });
  });

  it('handles a very long message without error', () => {
    const long = '我想问一下运费的问题，'.repeat(400);
    expect(index().search('w1', long, 3).hits[0]?.entry.externalId).toBe('ship-fee');
  });

  it('still ranks by the rare terms when a large base skips its commonest terms', () => {
    const idx = new Bm25KnowledgeIndex();
    const big = Array.from({ length: 5000 }, (_, i) =>
      entry(`p${i}`, `订单问题 型号 KX${1000 + i} 怎么退货`, [`KX${1000 + i} 订单怎么查`], `型号 KX${1000 + i} 的订单说明`),
    );
    idx.load('big', big);
    const r = idx.search('big', 'KX4321 订单怎么查', 3);
    expect(r.hits[0]?.entry.externalId).toBe('p3321');
    expect(r.hits[0]?.matched.map((m) => m.term)).toEqual(expect.arrayContaining(['kx4321', '订单']));
    // Only common terms: nothing rarer to rank by, so they are scored as usual.
    expect(idx.search('big', '订单', 3).hits).toHaveLength(3);
  });

  it("counts an entry's questions together: words of two different similar questions both count", () => {
    const top = (opts: Partial<Bm25Options>) => {
      const idx = new Bm25KnowledgeIndex({ ...DEFAULT_BM25, ...opts });
      // The same best question and answer; only the second entry has a similar question about 会员.
      idx.load('w1', [
        ...FAQS,
        entry('one', '积分怎么兑换礼品', ['礼品卡怎么用'], '在积分商城兑换。'),
        entry('two', '积分怎么兑换礼品', ['会员日有什么活动'], '在积分商城兑换。'),
      ]);
      return idx.search('w1', '积分兑换 会员', 2).hits.map((h): [string, number] => [h.entry.externalId ?? '', h.score]);
    };
    const [one, two] = top({ questionsWeight: 0 });
    expect(one?.[1]).toBeCloseTo(two?.[1] ?? 0, 5); // best question only: a tie
    expect(top({})[0]?.[0]).toBe('two');
  });

  it('does not match question words (什么, 谁, when) against answers', () => {
    const idx = new Bm25KnowledgeIndex();
    idx.load('w1', [
      entry('unions', '威尔士的教师工会有哪些？', [], '威尔士的教师可以是ATL、NUT或NASUWT等工会的注册会员。'),
      entry('sleep', '睡眠时为何会发炎？', [], '有两种理论可以解释为什么炎症通常在睡眠时发生。'),
    ]);
    const r = idx.search('w1', 'NASUWT是什么？', 3);
    expect(r.hits.map((h) => h.entry.externalId)).toEqual(['unions']);
  });

  it('ranks English words that stand next to each other as in the query above the same words apart', () => {
    const top = (opts: Partial<Bm25Options>) => {
      const idx = new Bm25KnowledgeIndex({ ...DEFAULT_BM25, ...opts });
      idx.load('w1', [
        entry('apart', 'Is there a limit on the card for credit?', [], 'See the terms.'),
        entry('together', 'Is there a credit card limit?', [], 'See the terms.'),
      ]);
      return idx.search('w1', 'credit card limit', 2).hits;
    };
    expect(top({ wordPairWeight: 0 })[0]?.entry.externalId).toBe('apart');
    const hits = top({});
    expect(hits[0]?.entry.externalId).toBe('together');
    expect(hits[0]?.matched).toEqual(expect.arrayContaining([{ term: 'credit card', lane: 'bigram', field: 'question' }]));
    // A pair is evidence of order, not more content: both entries cover the query's words alike.
    expect(hits[0]?.coverage).toBeCloseTo(hits[1]!.coverage, 5);
  });

  it('scales a score by the share of the query the entry matches', () => {
    const score = (opts: Partial<Bm25Options>, query: string) => {
      const idx = new Bm25KnowledgeIndex({ ...DEFAULT_BM25, ...opts });
      idx.load('w1', FAQS);
      return idx.search('w1', query, 1).hits[0]!.score;
    };
    // Every term matched: no change.
    expect(score({}, 'GX199降噪')).toBeCloseTo(score({ coverageExponent: 0 }, 'GX199降噪'), 5);
    // An unknown word makes the match partial.
    expect(score({}, 'GX199降噪 zebra')).toBeLessThan(score({ coverageExponent: 0 }, 'GX199降噪 zebra'));
  });

  it('keeps serving the old index while a rebuild runs in slices, then switches', async () => {
    const idx = index();
    const many = Array.from({ length: 400 }, (_, i) => entry(`n${i}`, `新问题${i} 会员日是哪天`, [], `每月${(i % 28) + 1}日`));
    const pending = idx.rebuild('w1', many);
    let yielded = false;
    setImmediate(() => {
      yielded = true;
    });
    expect(idx.search('w1', '运费怎么收', 1).hits[0]?.entry.externalId).toBe('ship-fee');
    await pending;
    expect(yielded).toBe(true);
    expect(idx.search('w1', '运费怎么收', 1).hits[0]?.entry.externalId).not.toBe('ship-fee');
    expect(idx.stats().entries).toBe(400);
  });
});
