import type { LocalizedText } from '@kefu/protocol';
import { Converter } from 'opencc-js';
import type { ReplyLocale } from '../engine/reply-catalog.js';

const toTraditional = Converter({ from: 'cn', to: 'twp' });
const toSimplified = Converter({ from: 'tw', to: 'cn' });
const HAN = /\p{Script=Han}/u;

/** Simplified text as Taiwan Traditional (phrases too: 软件 → 軟體). */
export const traditional = (s: string) => (HAN.test(s) ? toTraditional(s) : s);

/**
 * The text for the customer's language: the locale's own text when written, else Simplified
 * converted to Traditional for zh-Hant (and back for zh-Hans), else whatever is there. One string
 * serves every language (Traditional readers get it converted).
 */
export function localizeText(text: LocalizedText, locale: ReplyLocale): string {
  if (typeof text === 'string') return locale === 'zh-Hant' ? traditional(text) : text;
  const cn = text['zh-CN']?.trim() ? text['zh-CN'] : undefined;
  const tw = text['zh-TW']?.trim() ? text['zh-TW'] : undefined;
  const en = text.en?.trim() ? text.en : undefined;
  switch (locale) {
    case 'zh-Hans':
      return cn ?? (tw ? toSimplified(tw) : undefined) ?? en ?? '';
    case 'zh-Hant':
      return tw ?? (cn ? traditional(cn) : undefined) ?? en ?? '';
    case 'en':
      return en ?? cn ?? tw ?? '';
  }
}

/** Every language's text, for matching a customer's answer against choice labels. */
export const allTexts = (text: LocalizedText): string[] => (typeof text === 'string' ? [text] : Object.values(text).filter((v): v is string => Boolean(v)));
