import { describe, expect, it } from 'vitest';
import { needsContext } from './rewrite-query.js';

describe('needsContext', () => {
  it.each(['那香港呢？', '这款有货吗', '它多少钱', '那如果是周末呢', 'what about Hong Kong?', 'is that one in stock?', 'and the fees?'])(
    '%s points back',
    (t) => expect(needsContext(t)).toBe(true),
  );
  it.each(['满多少包邮？', '电子发票在哪里下载？', 'How long does shipping take?', '我想问一下国际运费怎么计算，寄到美国大概要多少钱，多久能到？'])(
    '%s stands alone',
    (t) => expect(needsContext(t)).toBe(false),
  );
});
