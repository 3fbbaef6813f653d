import { Jieba } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';
import { stemmer } from 'stemmer';
import { eng as englishStopwords } from 'stopword';

/**
 * Lanes keep kinds of evidence apart so each can be weighted: jieba words, character bigrams (the
 * recall net for words jieba splits differently, and evidence that two characters are adjacent),
 * exact codes and numbers, stemmed English words. English has its own adjacency evidence in the
 * bigram lane: pairs of neighbouring content words (`b:super bowl`), see `isWordPair`.
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

let general: { ceiling: number; idf: Map<string, number> } | undefined;
/**
 * A word's IDF in general Chinese (jieba's idf.txt, computed on a large corpus), when below `ceiling`;
 * undefined for rarer or unknown words. Only words below the largest ceiling asked for are kept, loaded
 * on first use (below 10: 44,000 of the table's 270,000 words, ~4 MB; reading the table takes ~0.2 s).
 */
export function generalIdf(word: string, ceiling: number): number | undefined {
  if (!general || general.ceiling < ceiling) {
    const table = new Map<string, number>();
    for (const line of new TextDecoder().decode(idf).split('\n')) {
      const space = line.indexOf(' ');
      const value = Number(line.slice(space + 1));
      if (space > 0 && value < ceiling) table.set(line.slice(0, space), value);
    }
    general = { ceiling, idf: table };
  }
  const value = general.idf.get(word);
  return value !== undefined && value < ceiling ? value : undefined;
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

/**
 * Words that give a question its form rather than its topic (什么, 哪个, 谁, 多少, 如何, when, why…).
 * Questions share them, so they still match questions; a text that answers rarely repeats them, so
 * they are not matched against answers and document text (where, being rare, they would weigh a lot).
 * The English ones not listed here (what, which, who, how, where) are stop words already.
 */
const QUESTION_WORDS = new Set([
  '什么',
  '什么样',
  '啥',
  '谁',
  '哪',
  '哪里',
  '哪儿',
  '哪个',
  '哪些',
  '哪位',
  '哪一',
  '哪一位',
  '哪年',
  '多少',
  '几',
  '如何',
  '怎么',
  '怎样',
  '怎么样',
  '为什么',
  '为何',
  '何时',
  '何',
  '是否',
  '能否',
  '多久',
  'when',
  'why',
  'whom',
  'whose',
]);
/** Characters that make a character bigram part of a question word (是什, 与谁, 哪位). */
const QUESTION_CHARS = /[什谁哪啥]/u;

/** Whether a term key gives the question its form (see QUESTION_WORDS): not matched against answers. */
export function isQuestionWord(key: string): boolean {
  const text = key.slice(2);
  if (key.startsWith('b:')) return !text.includes(' ') && (QUESTION_WORDS.has(text) || QUESTION_CHARS.test(text));
  return (key.startsWith('w:') || key.startsWith('e:')) && QUESTION_WORDS.has(text);
}

/** Whether a term key is a pair of neighbouring English words (bigram lane, `b:super bowl`). */
export const isWordPair = (key: string): boolean => key.startsWith('b:') && key.includes(' ');

// Han runs, and ASCII alphanumeric runs that may carry inner hyphens, ampersands, dots or apostrophes
// (HBC-PLAT, AT&T, 2.5, don't).
const TOKEN_RE = /(\p{Script=Han}+)|([a-z0-9]+(?:[-&.'][a-z0-9]+)*)/gu;
/** What follows an apostrophe and carries no topic: it's, we're, I've, they'll, she'd, I'm. */
const CLITICS = new Set(['s', 're', 've', 'll', 'd', 'm']);

/** The words of a non-code token: abbreviations split at dots; don't → not, it's → it. */
function englishWords(tok: string): string[] {
  if (!tok.includes('.') && !tok.includes("'")) return [tok];
  const words: string[] = [];
  for (const piece of tok.split('.')) {
    const [head = '', ...tails] = piece.split("'");
    // A negated auxiliary (don't, isn't, can't, won't) says "not"; the auxiliary is a stop word.
    if (tails[0] === 't' && head.endsWith('n')) words.push('not');
    else words.push(head, ...tails.filter((t) => !CLITICS.has(t)));
  }
  return words;
}

const onlySpaces = (text: string, from: number, to: number) => {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
};

/** Analyses text already passed through `foldForAnalysis` (lower-cased, Simplified). */
export function analyzeText(folded: string): Term[] {
  const terms: Term[] = [];
  const push = (lane: Lane, text: string) => terms.push({ key: PREFIX[lane] + text, lane, text });
  // The previous English content word, while only spaces and stop words separate it from the next one.
  let previous: string | null = null;
  let previousEnd = 0;
  for (const m of folded.matchAll(TOKEN_RE)) {
    if (previous !== null && !onlySpaces(folded, previousEnd, m.index)) previous = null;
    previousEnd = m.index + m[0].length;
    if (m[1]) {
      previous = null;
      const run = m[1];
      for (const w of getJieba().cutForSearch(run, true)) if (!ZH_STOP.has(w)) push('word', w);
      const chars = [...run];
      for (let i = 0; i + 1 < chars.length; i++) push('bigram', chars[i]! + chars[i + 1]!);
    } else if (m[2]) {
      const tok = m[2];
      const isCode = /\d/.test(tok) || tok.includes('-') || tok.includes('&');
      if (isCode) {
        previous = null;
        push('exact', tok.replace(/[-&.']/g, ''));
        // The parts of a code still help when the customer types only one of them (HBC-PLAT → plat).
        if (/[-&]/.test(tok))
          for (const part of tok.split(/[-&]/)) if (part.length > 1 && !/^\d+$/.test(part) && !EN_STOP.has(part)) push('english', stemmer(part));
      } else {
        for (const part of englishWords(tok)) {
          if (part.length < 2 && !/\d/.test(part)) continue;
          if (EN_STOP.has(part)) continue;
          const stem = stemmer(part);
          push('english', stem);
          if (previous !== null && previous !== stem) push('bigram', `${previous} ${stem}`);
          previous = stem;
        }
      }
    }
  }
  return terms;
}
