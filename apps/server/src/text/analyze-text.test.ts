import { describe, expect, it } from 'vitest';
import { analyzeText } from './analyze-text.js';
import { foldForAnalysis, normalizeText } from './normalize-text.js';

const keys = (text: string) => analyzeText(foldForAnalysis(normalizeText(text))).map((t) => t.key);

describe('analyzeText', () => {
  it('segments Chinese in search mode and adds character bigrams', () => {
    const k = keys('上海交通大学');
    expect(k).toEqual(expect.arrayContaining(['w:上海', 'w:大学', 'w:上海交通大学', 'b:上海', 'b:交通']));
  });
  it('keeps product codes, amounts and order numbers whole in the exact lane', () => {
    const k = keys('GX199 多少钱？199元，订单YD2026112100123, HBC-PLAT');
    expect(k).toEqual(expect.arrayContaining(['x:gx199', 'x:199', 'x:yd2026112100123', 'x:hbcplat', 'e:plat']));
  });
  it('stems English words and drops stop words', () => {
    const k = keys('How do I return the shoes I ordered?');
    expect(k).toEqual(expect.arrayContaining(['e:return', 'e:shoe', 'e:order']));
    expect(k).not.toContain('e:the');
  });
  it('drops Chinese function words from the word lane', () => {
    expect(keys('请问我的退货吗').filter((k) => k.startsWith('w:'))).toEqual(['w:退货']);
  });
  it('returns nothing for emoji or punctuation only', () => {
    expect(keys('👍🙏！？…')).toEqual([]);
  });
});
