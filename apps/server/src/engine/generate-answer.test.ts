import { describe, expect, it } from 'vitest';
import { faqEntry } from '../test-support/fixtures.js';
import { citedSources } from './generate-answer.js';

const hit = (id: string) => ({ entry: faqEntry('w', id, id, id), score: 1, confidence: 1, coverage: 1, questionCoverage: 1, matched: [] });

describe('citedSources', () => {
  const sources = [hit('a'), hit('b'), hit('c')];
  it('reads [n], 【n】, ［n］ and lists [1, 3], in source order, once each', () => {
    expect(citedSources('满99元包邮[3]，退货见【1】和［3］。', sources).map((h) => h.entry.externalId)).toEqual(['a', 'c']);
    expect(citedSources('See [1, 2].', sources).map((h) => h.entry.externalId)).toEqual(['a', 'b']);
  });
  it('ignores numbers that are not sources', () => {
    expect(citedSources('订单[7]和[0]都不是来源，[2024]也不是', sources)).toEqual([]);
  });
});
