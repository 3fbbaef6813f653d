import type { Language } from '@kefu/protocol';
import { Converter } from 'opencc-js';

const toSimplified = Converter({ from: 't', to: 'cn' });
const toTraditional = Converter({ from: 'cn', to: 't' });

const HAN = /\p{Script=Han}/gu;
const KANA_HANGUL = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LATIN_WORD = /[A-Za-z]+(?:'[A-Za-z]+)?/g;
const OTHER_LETTERS = /[\p{Script=Cyrillic}\p{Script=Arabic}\p{Script=Thai}\p{Script=Devanagari}\p{Script=Greek}\p{Script=Hebrew}]/u;
// Cantonese written forms appear only in Traditional-script messages from Hong Kong and Macao.
const CANTONESE = /[嘅咗唔係喺冇佢哋嚟囉咁啲]/u;

export interface LanguageGuess {
  language: Language;
  /** 0..1; short messages without script-specific characters are less certain. */
  confidence: number;
  hanChars: number;
  latinWords: number;
  /** Chinese and English words in one message ("这个 dashboard 怎么 export"); codes like GX199 do not count. */
  mixed: boolean;
  /** Chinese with no character that tells Simplified from Traditional (我要退款): either reading fits. */
  scriptNeutral?: boolean;
}

/**
 * zh-Hans vs zh-Hant vs en vs other, reliable on short messages: Traditional is told from Simplified
 * by the characters that exist in only one of the two scripts, not by a word model.
 */
export function detectLanguage(text: string): LanguageGuess {
  const guess = guessLanguage(text);
  const words = text.match(LATIN_WORD) ?? [];
  const mixed = guess.hanChars >= 2 && words.some((w) => w.length >= 3 && /[a-z]/.test(w));
  return { ...guess, mixed };
}

function guessLanguage(text: string): Omit<LanguageGuess, 'mixed'> {
  const han = text.match(HAN) ?? [];
  const latinWords = (text.match(LATIN_WORD) ?? []).length;
  if (KANA_HANGUL.test(text)) return { language: 'other', confidence: 0.9, hanChars: han.length, latinWords };
  if (han.length === 0) {
    if (latinWords === 0 || OTHER_LETTERS.test(text)) return { language: 'other', confidence: latinWords === 0 ? 0.5 : 0.8, hanChars: 0, latinWords };
    return { language: 'en', confidence: Math.min(1, 0.6 + latinWords * 0.1), hanChars: 0, latinWords };
  }
  if (latinWords > han.length) return { language: 'en', confidence: 0.6, hanChars: han.length, latinWords };

  const hanText = han.join('');
  const simplifiedForm = toSimplified(hanText);
  const traditionalForm = toTraditional(hanText);
  let traditionalOnly = 0;
  let simplifiedOnly = 0;
  const a = [...hanText];
  const s = [...simplifiedForm];
  const t = [...traditionalForm];
  for (let i = 0; i < a.length; i++) {
    if (s.length === a.length && s[i] !== a[i]) traditionalOnly++;
    if (t.length === a.length && t[i] !== a[i]) simplifiedOnly++;
  }
  if (CANTONESE.test(hanText)) traditionalOnly += 2;
  if (traditionalOnly > simplifiedOnly) {
    return { language: 'zh-Hant', confidence: Math.min(1, 0.6 + 0.1 * (traditionalOnly - simplifiedOnly)), hanChars: han.length, latinWords };
  }
  const margin = simplifiedOnly - traditionalOnly;
  return {
    language: 'zh-Hans',
    confidence: margin > 0 ? Math.min(1, 0.6 + 0.1 * margin) : 0.55,
    hanChars: han.length,
    latinWords,
    ...(simplifiedOnly === 0 && traditionalOnly === 0 ? { scriptNeutral: true } : {}),
  };
}
