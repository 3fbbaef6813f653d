import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { stemmer } from 'stemmer';
import { eng as englishStopwords } from 'stopword';

/**
 * Lanes keep kinds of evidence apart so each can be weighted: jieba words, character bigrams (the
 * recall net for words jieba splits differently), exact codes and numbers, stemmed English words.
 */
export type Lane = 'word' | 'bigram' | 'exact' | 'english';

export interface Term {
  /** Lane-prefixed key, e.g. `w:退货`, `b:退货`, `x:gx199`, `e:refund`. */
  key: string;
  lane: Lane;
  text: string;
}

const PREFIX: Record<Lane, string> = { word: 'w:', bigram: 'b:', exact: 'x:', english: 'e:' };
export const laneOf = (key: string): Lane => (key.startsWith('w:') ? 'word' : key.startsWith('b:') ? 'bigram' : key.startsWith('x:') ? 'exact' : 'english');

let jieba: Jieba | undefined;
/** Loading the dictionary takes ~200 ms, so it happens once, on first use. */
export function getJieba(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

// Function words that carry no topic. Kept small on purpose: IDF discounts the rest.
const ZH_STOP = new Set([
  '的',
  '了',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '嘛',
  '哦',
  '么',
  '请问',
  '请',
  '您好',
  '你好',
  '我',
  '你',
  '您',
  '我们',
  '你们',
  '是',
  '在',
  '有',
  '和',
  '与',
  '及',
  '或',
  '就',
  '都',
  '也',
  '还',
  '要',
  '想',
  '能',
  '会',
  '可以',
  '一下',
  '这个',
  '那个',
  '这',
  '那',
]);
const EN_STOP = new Set(englishStopwords.map((w: string) => w.toLowerCase()));

// Han runs, and ASCII alphanumeric runs that may carry inner hyphens, dots or apostrophes (HBC-PLAT, 2.5, don't).
const TOKEN_RE = /(\p{Script=Han}+)|([a-z0-9]+(?:[-.'][a-z0-9]+)*)/gu;

/** Analyses text already passed through `foldForAnalysis` (lower-cased, Simplified). */
export function analyzeText(folded: string): Term[] {
  const terms: Term[] = [];
  const push = (lane: Lane, text: string) => terms.push({ key: PREFIX[lane] + text, lane, text });
  for (const m of folded.matchAll(TOKEN_RE)) {
    if (m[1]) {
      const run = m[1];
      for (const w of getJieba().cutForSearch(run, true)) if (!ZH_STOP.has(w)) push('word', w);
      const chars = [...run];
      for (let i = 0; i + 1 < chars.length; i++) push('bigram', chars[i]! + chars[i + 1]!);
    } else if (m[2]) {
      const tok = m[2];
      const isCode = /\d/.test(tok) || tok.includes('-');
      if (isCode) {
        push('exact', tok.replace(/[-.']/g, ''));
        // The parts of a code still help when the customer types only one of them (HBC-PLAT → plat).
        if (tok.includes('-')) for (const part of tok.split('-')) if (part.length > 1 && !/^\d+$/.test(part)) push('english', stemmer(part));
      } else {
        for (const part of tok.split(/[.']/)) {
          if (part.length < 2 && !/\d/.test(part)) continue;
          if (EN_STOP.has(part)) continue;
          push('english', stemmer(part));
        }
      }
    }
  }
  return terms;
}
