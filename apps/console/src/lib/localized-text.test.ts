import { describe, expect, it } from 'vitest';
import { localizedText } from './localized-text';

describe('localizedText', () => {
  const text = { 'zh-CN': '申请退款', en: 'Refund request' };

  it('picks the UI locale when the text has it', () => {
    expect(localizedText(text, 'zh-CN')).toBe('申请退款');
    expect(localizedText(text, 'en')).toBe('Refund request');
  });

  it('falls back from Traditional to Simplified, and from English to Simplified', () => {
    expect(localizedText(text, 'zh-TW')).toBe('申请退款');
    expect(localizedText({ 'zh-CN': '你好', 'zh-TW': '  ' }, 'en')).toBe('你好');
  });

  it('uses one string for every locale, and nothing for no text', () => {
    expect(localizedText('Hello', 'zh-TW')).toBe('Hello');
    expect(localizedText(null, 'en')).toBe('');
  });
});
