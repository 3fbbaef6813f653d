import { stemmer } from 'stemmer';
import { getJieba } from '../text/analyze-text.js';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';

/**
 * The features the intent model sees in a message, each with its count. Chinese: characters,
 * character bigrams and jieba words (trigrams lowered held-out accuracy on both Chinese sets); English and other Latin text: words, stems, word
 * bigrams and character 2–5-grams inside word boundaries (sub-words: typos, inflections, compounds).
 * Numbers become a shape (`<num4>`), so "card ending 1234" and "card ending 9876" look alike.
 */
export function intentFeatures(text: string): Map<string, number> {
  const folded = foldForAnalysis(normalizeText(text)).slice(0, MAX_CHARS);
  const out = new Map<string, number>();
  const add = (f: string) => out.set(f, (out.get(f) ?? 0) + 1);
  const words: string[] = [];
  for (const m of folded.matchAll(TOKEN_RE)) {
    const [, han, latin, digits] = m;
    if (han) {
      const chars = [...han];
      for (let i = 0; i < chars.length; i++) {
        add(`c:${chars[i]}`);
        if (i + 1 < chars.length) add(`c2:${chars[i]}${chars[i + 1]}`);
      }
      for (const w of getJieba().cut(han, false)) {
        add(`w:${w}`);
        words.push(w);
      }
    } else if (latin) {
      const w = latin.replace(/'/g, '');
      add(`w:${w}`);
      const stem = stemmer(w);
      if (stem !== w) add(`s:${stem}`);
      words.push(stem);
      const padded = ` ${w} `;
      for (let n = 2; n <= 5; n++) for (let i = 0; i + n <= padded.length; i++) add(`g:${padded.slice(i, i + n)}`);
    } else if (digits) {
      const shape = `<num${Math.min(digits.length, 9)}>`;
      add(`n:${shape}`);
      words.push(shape);
    }
  }
  for (let i = 0; i + 1 < words.length; i++) add(`b:${words[i]} ${words[i + 1]}`);
  if (out.size === 0 && folded.trim()) add(`o:${[...folded.trim()].slice(0, 3).join('')}`);
  return out;
}

/** Longer messages are cut here: intent lives in the first sentences, and features stay bounded. */
const MAX_CHARS = 1000;
const TOKEN_RE = /(\p{Script=Han}+)|([\p{Script=Latin}]+(?:'[\p{Script=Latin}]+)?)|(\d+)/gu;
