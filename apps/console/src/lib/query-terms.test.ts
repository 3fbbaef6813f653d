import { describe, expect, it } from 'vitest';
import { groupsContaining, parseQueryTerm } from './query-terms';

describe('query terms', () => {
  it('splits the lane prefix off index keys', () => {
    expect(parseQueryTerm('w:退货')).toEqual({ key: 'w:退货', term: '退货', lane: 'word' });
    expect(parseQueryTerm('b:退货')).toMatchObject({ lane: 'bigram' });
    expect(parseQueryTerm('x:gx199')).toMatchObject({ term: 'gx199', lane: 'exact' });
    expect(parseQueryTerm('e:refund')).toMatchObject({ lane: 'english' });
  });

  it('shows a key in an unknown form whole', () => {
    expect(parseQueryTerm('退货')).toEqual({ key: '退货', term: '退货', lane: null });
    expect(parseQueryTerm('q:x')).toEqual({ key: 'q:x', term: 'q:x', lane: null });
  });

  it('finds the synonym groups a term belongs to, ignoring case', () => {
    const groups = [
      { id: '1', terms: ['Refund', '退款'] },
      { id: '2', terms: ['尘盒', '垃圾仓'] },
    ];
    expect(groupsContaining('refund', groups).map((g) => g.id)).toEqual(['1']);
    expect(groupsContaining('运费', groups)).toEqual([]);
  });
});
