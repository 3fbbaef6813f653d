import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences.js';

const sentences = (text: string) => splitSentences(text).map((r) => text.slice(r.start, r.end));

describe('splitSentences', () => {
  it('ends Chinese sentences at 。！？；… without needing a space, keeping closing quotes', () => {
    expect(sentences('退货需要在7天内申请。运费谁承担？质量问题由商家承担！他说：“可以退。”然后呢……好的；明白')).toEqual([
      '退货需要在7天内申请。',
      '运费谁承担？',
      '质量问题由商家承担！',
      '他说：“可以退。”',
      '然后呢……',
      '好的；',
      '明白',
    ]);
  });

  it('does not end English sentences at abbreviations, initials, decimals or "No." before a number', () => {
    expect(sentences('Mr. Smith paid $3.50 for item No. 5 on Jan. 3. J. R. Smith agreed, e.g. with the U.S. office. Call us!')).toEqual([
      'Mr. Smith paid $3.50 for item No. 5 on Jan. 3.',
      'J. R. Smith agreed, e.g. with the U.S. office.',
      'Call us!',
    ]);
  });

  it('ends a sentence at a dot followed by a capital, a digit or Chinese, and at line breaks', () => {
    expect(sentences('It ships today. 2 days later it arrives. 然后签收。\nLine two')).toEqual([
      'It ships today.',
      '2 days later it arrives.',
      '然后签收。',
      'Line two',
    ]);
  });

  it('keeps a lowercase continuation in the same sentence and treats "no." at a sentence end as an end', () => {
    expect(sentences('See fig. 4 for details. The answer is no. Then we stop.')).toEqual(['See fig. 4 for details.', 'The answer is no.', 'Then we stop.']);
  });

  it('covers every character of any text in order, with no range starting or ending in whitespace', () => {
    const pieces = fc.constantFrom('退货', '。', '！', '？', '；', '…', '”', 'Mr', 'No', 'e.g', '.', ' ', '\n', 'A', 'b', '3', '!', '?', '"', 'U.S');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const ranges = splitSentences(text);
        let last = 0;
        for (const r of ranges) {
          expect(r.start).toBeGreaterThanOrEqual(last);
          expect(r.end).toBeGreaterThan(r.start);
          expect(text.slice(r.start, r.end)).toBe(text.slice(r.start, r.end).trim());
          expect(text.slice(last, r.start).trim()).toBe('');
          last = r.end;
        }
        expect(text.slice(last).trim()).toBe('');
      }),
    );
  });
});
