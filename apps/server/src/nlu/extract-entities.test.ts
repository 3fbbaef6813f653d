import { describe, expect, it } from 'vitest';
import { extractEntities, isValidChineseId, luhnValid, parseChineseNumber } from './extract-entities.js';

// Saturday 21 November 2026, 10:00 in Shanghai.
const now = new Date('2026-11-21T10:00:00+08:00');
const of = (text: string, type: string, config = {}) => extractEntities(text, { now, ...config }).filter((e) => e.type === type);
const values = (text: string, type: string, config = {}) => of(text, type, config).map((e) => e.value);

describe('extractEntities', () => {
  it('finds e-mail addresses with their spans', () => {
    const [e] = of('我的邮箱是 Zhang.San@Example.COM，谢谢', 'email');
    expect(e).toMatchObject({ value: 'zhang.san@example.com', text: 'Zhang.San@Example.COM', start: 6 });
  });

  it('normalises mainland, Hong Kong, Taiwan and international phone numbers to E.164', () => {
    expect(values('电话 138 1234 5678', 'phone')).toEqual([{ e164: '+8613812345678', kind: 'mobile' }]);
    expect(values('+86-139-0000-1111', 'phone')).toEqual([{ e164: '+8613900001111', kind: 'mobile' }]);
    expect(values('座机 010-12345678 或 (0755) 8888 6666', 'phone')).toEqual([
      { e164: '+861012345678', kind: 'landline' },
      { e164: '+8675588886666', kind: 'landline' },
    ]);
    expect(values('香港 +852 2345 6789', 'phone')).toEqual([{ e164: '+85223456789', kind: 'hk' }]);
    expect(values('台灣手機 0912-345-678', 'phone')).toEqual([{ e164: '+886912345678', kind: 'tw' }]);
    expect(values('call me at +447911123456', 'phone')).toEqual([{ e164: '+447911123456', kind: 'e164' }]);
    // Full-width digits are typed on Chinese keyboards.
    expect(values('１３８１２３４５６７８', 'phone')).toEqual([{ e164: '+8613812345678', kind: 'mobile' }]);
    expect(of('订单 YD13812345678123', 'phone')).toEqual([]);
  });

  it('accepts mainland ID numbers only with a valid check character and birth date', () => {
    expect(isValidChineseId('11010519491231002X')).toBe(true);
    expect(isValidChineseId('110105194912310021')).toBe(false);
    expect(isValidChineseId('110105194902300025')).toBe(false);
    expect(values('身份证 11010519491231002x', 'id_card')).toEqual(['11010519491231002X']);
    expect(of('身份证 110105194912310021', 'id_card')).toEqual([]);
  });

  it('accepts bank cards only when the Luhn check passes, more surely after a cue', () => {
    expect(luhnValid('6222021234567890123')).toBe(false);
    expect(luhnValid('4111111111111111')).toBe(true);
    const [visa] = of('卡号 4111 1111 1111 1111', 'bank_card');
    expect(visa).toMatchObject({ value: '4111111111111111', confidence: 0.97 });
    expect(of('卡号 4111 1111 1111 1112', 'bank_card')).toEqual([]);
    expect(values('6212-2602-0000-1234-566', 'bank_card').length).toBeLessThanOrEqual(1);
  });

  it('reads amounts with their currency, in digits or Chinese numerals', () => {
    expect(values('退我 199元', 'amount')).toEqual([{ amount: 199, currency: 'CNY' }]);
    expect(values('¥1,299.50 太贵了', 'amount')).toEqual([{ amount: 1299.5, currency: 'CNY' }]);
    expect(values('HK$300 and NT$1500', 'amount')).toEqual([
      { amount: 300, currency: 'HKD' },
      { amount: 1500, currency: 'TWD' },
    ]);
    expect(values('it cost $25.99', 'amount')).toEqual([{ amount: 25.99, currency: 'USD' }]);
    expect(values('三百五十块钱', 'amount')).toEqual([{ amount: 350, currency: 'CNY' }]);
    expect(values('两千零五元', 'amount')).toEqual([{ amount: 2005, currency: 'CNY' }]);
    expect(values('1.5万元', 'amount')).toEqual([{ amount: 15000, currency: 'CNY' }]);
    expect(values('100 美元', 'amount')).toEqual([{ amount: 100, currency: 'USD' }]);
    // A piece of cake is not money.
    expect(of('买了一块蛋糕', 'amount')).toEqual([]);
  });

  it('parses Chinese numerals', () => {
    expect(parseChineseNumber('十五')).toBe(15);
    expect(parseChineseNumber('一百零八')).toBe(108);
    expect(parseChineseNumber('一万二')).toBe(12000);
    expect(parseChineseNumber('三千万')).toBe(30000000);
    expect(parseChineseNumber('abc')).toBeNaN();
  });

  it('resolves relative and absolute dates and times in Chinese and English', () => {
    expect(values('明天下午三点能送到吗', 'datetime')).toEqual([{ date: '2026-11-22', time: '15:00' }]);
    expect(values('后天', 'datetime')).toEqual([{ date: '2026-11-23' }]);
    expect(values('下周三再说', 'datetime')).toEqual([{ date: '2026-11-25' }]);
    expect(values('月底之前', 'datetime')).toEqual([{ date: '2026-11-30' }]);
    expect(values('下个月初', 'datetime')).toEqual([{ date: '2026-12-01' }]);
    expect(values('12月5日', 'datetime')).toEqual([{ date: '2026-12-05' }]);
    expect(values('下個禮拜一', 'datetime')).toEqual([{ date: '2026-11-23' }]);
    expect(values('can it arrive next Friday?', 'datetime')).toEqual([{ date: '2026-11-27' }]);
    expect(values('tomorrow at 3pm', 'datetime')).toEqual([{ date: '2026-11-22', time: '15:00' }]);
    // A weekday on its own means the coming one, not the past one.
    expect(values('星期五', 'datetime')).toEqual([{ date: '2026-11-27' }]);
    expect(values('2026-12-01 14:30', 'datetime')).toEqual([{ date: '2026-12-01', time: '14:30' }]);
  });

  it('matches workspace order-number patterns and lookup lists with synonyms', () => {
    const config = {
      orderPatterns: [{ name: 'order', pattern: 'YD\\d{13}' }],
      lookups: [
        {
          name: 'product',
          entries: [
            { value: 'GX199 降噪耳机', synonyms: ['GX199', '降噪耳机'] },
            { value: 'Pro plan', synonyms: ['pro'] },
          ],
        },
        { name: 'city', entries: [{ value: '上海', synonyms: ['沪', 'shanghai'] }] },
      ],
    };
    const all = extractEntities('订单yd2026112100123的降噪耳機寄到上海了吗', { now, ...config });
    expect(all.map((e) => [e.type, e.name, e.value])).toEqual([
      ['order_number', 'order', 'YD2026112100123'],
      ['lookup', 'product', 'GX199 降噪耳机'],
      ['lookup', 'city', '上海'],
    ]);
    expect(all[1]?.text).toBe('降噪耳機');
    expect(of('I have a problem with my Pro subscription', 'lookup', config).map((e) => e.value)).toEqual(['Pro plan']);
    // A broken pattern never breaks extraction.
    expect(extractEntities('YD2026112100123', { orderPatterns: [{ name: 'bad', pattern: '(' }] })).toBeInstanceOf(Array);
  });

  it('handles empty, emoji-only, very long and adversarial input without errors', () => {
    expect(extractEntities('')).toEqual([]);
    expect(extractEntities('🙂🙂🙂')).toEqual([]);
    expect(extractEntities(`${'1'.repeat(5000)} ${'a@'.repeat(3000)}`)).toBeInstanceOf(Array);
    expect(extractEntities('\uD800 broken surrogate 138 1234 5678')).toHaveLength(1);
  });
});
