import { describe, expect, it } from 'vitest';
import { detectLocale, errorKey, LOCALES, MESSAGE_KEYS, translator } from './i18n.js';

describe('detectLocale', () => {
  it('tells Traditional from Simplified Chinese by script or region', () => {
    expect(detectLocale(['zh-TW'])).toBe('zh-TW');
    expect(detectLocale(['zh-HK'])).toBe('zh-TW');
    expect(detectLocale(['zh-Hant-CN'])).toBe('zh-TW');
    expect(detectLocale(['zh-CN'])).toBe('zh-CN');
    expect(detectLocale(['zh'])).toBe('zh-CN');
    expect(detectLocale(['zh-Hans-HK'])).toBe('zh-CN');
  });

  it('takes the first supported language and falls back to English', () => {
    expect(detectLocale(['fr-FR', 'zh-TW', 'en'])).toBe('zh-TW');
    expect(detectLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(detectLocale(['ja-JP'])).toBe('en');
    expect(detectLocale([])).toBe('en');
  });
});

describe('catalogues', () => {
  it('fill placeholders and leave unknown ones visible', () => {
    expect(translator('zh-CN')('notice.assigned', { name: '小李' })).toBe('客服 小李 已加入对话');
    expect(translator('en')('error.generic', {})).toContain('{status}');
  });

  it('have a text for every key in every language, with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const zh = translator('zh-CN');
    for (const locale of LOCALES) {
      const t = translator(locale);
      for (const key of MESSAGE_KEYS) {
        expect(t(key).trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(t(key)), `${locale} ${key}`).toEqual(placeholders(zh(key)));
      }
    }
  });
});

describe('file errors', () => {
  it('name the file and the limit in every language instead of the generic failure', () => {
    for (const code of ['ATTACHMENT_TOO_LARGE', 'ATTACHMENT_TYPE_NOT_ALLOWED', 'ATTACHMENT_EMPTY', 'ATTACHMENT_NAME_INVALID']) {
      expect(errorKey(code), code).not.toBeNull();
    }
    const vars = { name: '收据.png', max: '10 MB', types: 'PNG, PDF' };
    expect(translator('zh-CN')('error.ATTACHMENT_TOO_LARGE', vars)).toBe('“收据.png”太大了，最大可发送 10 MB 的文件。');
    expect(translator('zh-TW')('error.ATTACHMENT_TYPE_NOT_ALLOWED', vars)).toBe('無法傳送「收据.png」：不支援這種檔案。可以傳送 PNG, PDF。');
    expect(translator('en')('error.ATTACHMENT_TOO_LARGE', vars)).toBe('“收据.png” is too large. Files up to 10 MB can be sent.');
  });
});
