import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.js';

describe('detectLanguage', () => {
  it.each([
    ['运费多少钱', 'zh-Hans'],
    ['退货', 'zh-Hans'],
    ['退貨運費誰出？', 'zh-Hant'],
    ['發票', 'zh-Hant'],
    ['我張卡唔見咗', 'zh-Hant'],
    ['訂單', 'zh-Hant'],
    ['How long does shipping take?', 'en'],
    ['refund', 'en'],
    ['我的order在哪里', 'zh-Hans'],
    ['Where is my 订单 now please', 'en'],
    ['注文はどこですか', 'other'],
    ['배송은 얼마나 걸려요', 'other'],
    ['Где мой заказ', 'other'],
    ['👍👍', 'other'],
    ['12345', 'other'],
  ])('%s → %s', (text, expected) => {
    expect(detectLanguage(text).language).toBe(expected);
  });

  it('flags Chinese and English in one message as mixed, but not a product code', () => {
    expect(detectLanguage('这个 dashboard 怎么 export 数据').mixed).toBe(true);
    expect(detectLanguage('refund 到底什么时候到？').mixed).toBe(true);
    expect(detectLanguage('GX199多少钱').mixed).toBe(false);
    expect(detectLanguage('运费多少钱').mixed).toBe(false);
    expect(detectLanguage('How long does shipping take?').mixed).toBe(false);
  });

  it('is less sure of a message with no script-specific character', () => {
    expect(detectLanguage('你好').confidence).toBeLessThan(detectLanguage('请问运费怎么算').confidence);
  });
});
