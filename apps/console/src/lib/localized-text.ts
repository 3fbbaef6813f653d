import type { Locale, LocalizedText } from '@kefu/protocol';

/**
 * A flow's text in the UI locale. Per-locale text falls back as the bot does (zh-TW to zh-CN, en to
 * zh-CN), then to whatever is there; the console shows zh-CN unconverted where the bot would convert it.
 */
export function localizedText(text: LocalizedText | null | undefined, locale: Locale): string {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  const order: readonly (keyof Exclude<LocalizedText, string>)[] =
    locale === 'en' ? ['en', 'zh-CN', 'zh-TW'] : locale === 'zh-TW' ? ['zh-TW', 'zh-CN', 'en'] : ['zh-CN', 'zh-TW', 'en'];
  for (const l of order) {
    const v = text[l]?.trim();
    if (v) return v;
  }
  return '';
}
