import { describe, expect, it } from 'vitest';
import { foldForAnalysis, normalizeText } from './normalize-text.js';

describe('normalizeText', () => {
  it('folds full-width letters, digits and spaces to half-width', () => {
    expect(normalizeText('ＧＸ１９９\u3000多少钱')).toBe('GX199 多少钱');
  });
  it('removes zero-width and control characters and collapses whitespace', () => {
    expect(normalizeText(' 退\u200B货\u0007\n\n 运费 ')).toBe('退货 运费');
  });
});

describe('foldForAnalysis', () => {
  it('meets Traditional, Simplified and variant spellings in one form', () => {
    expect(foldForAnalysis('帳單')).toBe(foldForAnalysis('账单'));
    expect(foldForAnalysis('退貨運費')).toBe('退货运费');
    expect(foldForAnalysis('軟體')).toBe('软件');
  });
  it('lower-cases Latin text and leaves it otherwise alone', () => {
    expect(foldForAnalysis('Refund GX199')).toBe('refund gx199');
  });
});
