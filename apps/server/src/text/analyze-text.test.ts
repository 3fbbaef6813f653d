import { describe, expect, it } from 'vitest';
import { analyzeText, generalIdf, isQuestionWord, isWordPair } from './analyze-text.js';
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
  it('pairs neighbouring English content words in the bigram lane, across stop words but not punctuation', () => {
    const k = keys('Lady Gaga performed the National Anthem. Super Bowl');
    expect(k).toEqual(expect.arrayContaining(['b:ladi gaga', 'b:gaga perform', 'b:perform nation', 'b:nation anthem', 'b:super bowl']));
    expect(k).not.toContain('b:anthem super');
    expect(k.filter(isWordPair)).toHaveLength(5);
    expect(keys('上海交通大学').some(isWordPair)).toBe(false);
  });
  it('reads contractions and ampersand names', () => {
    expect(keys("I don't want it, they'll see")).toEqual(['e:not', 'e:want', 'b:not want', 'e:see']);
    expect(keys('AT&T')).toEqual(['x:att']);
  });
  it('tells question words, which are not matched against answers', () => {
    for (const key of ['w:什么', 'w:哪个', 'w:谁', 'b:是什', 'b:与谁', 'e:when']) expect(isQuestionWord(key)).toBe(true);
    for (const key of ['w:运费', 'b:运费', 'x:gx199', 'e:refund', 'b:super bowl']) expect(isQuestionWord(key)).toBe(false);
  });
  it('knows how common a Chinese word is in general', () => {
    expect(generalIdf('什么', 12)).toBeLessThan(5);
    expect(generalIdf('退货', 10)).toBeUndefined(); // rarer than the ceiling
    expect(generalIdf('退货', 14)).toBeGreaterThan(10);
  });
  it('returns nothing for emoji or punctuation only', () => {
    expect(keys('👍🙏！？…')).toEqual([]);
  });
});
