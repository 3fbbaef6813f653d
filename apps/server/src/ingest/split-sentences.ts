export interface TextRange {
  start: number;
  end: number;
}

// Words whose trailing dot does not end an English sentence.
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'mt',
  'vs',
  'inc',
  'ltd',
  'co',
  'corp',
  'dept',
  'est',
  'fig',
  'figs',
  'approx',
  'vol',
  'pp',
  'ca',
  'cf',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'e.g',
  'i.e',
  'a.k.a',
  'u.s',
  'u.k',
  'no',
  'nos',
  'ref',
  'tel',
  'ext',
]);

// Ideographic terminators end a sentence without a following space; so do ASCII ! and ? in CJK text.
const CJK_END = new Set(['。', '！', '？', '；', '…', '!', '?', '．']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', '》', '】', '"', "'", ')', ']']);
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;

/**
 * Sentence ranges of a text, for Chinese and English alike: after 。！？；… (and the closing
 * quotes or brackets that follow them), after . ! ? followed by a space and a capital, digit or
 * CJK character unless the dot ends an abbreviation (Mr., e.g., No. 5) or an initial (J. Smith),
 * and at line breaks. Ranges exclude surrounding whitespace and cover all other text.
 */
export function splitSentences(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  let start = 0;
  const cut = (end: number) => {
    const range = trimRange(text, start, end);
    if (range) ranges.push(range);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      cut(i);
      continue;
    }
    if (!CJK_END.has(ch) && ch !== '.') continue;
    // Take the whole run of terminators ("？！", "……", "...") and any closing quotes or brackets.
    let end = i + 1;
    while (end < text.length && (CJK_END.has(text[end]!) || text[end] === '.')) end++;
    while (end < text.length && CLOSERS.has(text[end]!)) end++;
    const next = text[end];
    const isIdeographic = ch !== '.' && ch !== '!' && ch !== '?';
    if (isIdeographic) {
      cut(end);
      i = end - 1;
      continue;
    }
    // ASCII terminator: needs the end of text, or whitespace then something that can start a sentence.
    if (next === undefined) {
      cut(end);
      break;
    }
    if (!/\s/.test(next)) {
      // "退款成功!请查收" — ASCII punctuation inside CJK text still ends the sentence.
      if (ch !== '.' && WIDE.test(next)) {
        cut(end);
        i = end - 1;
      }
      continue;
    }
    let after = end;
    while (after < text.length && /[ \t\u00A0\u3000]/.test(text[after]!)) after++;
    const following = text[after];
    if (following === undefined || following === '\n') {
      cut(end);
      i = end - 1;
      continue;
    }
    if (!/[\p{Lu}\p{N}"'“‘(（[]/u.test(following) && !WIDE.test(following)) continue;
    if (ch === '.' && end === i + 1 && isAbbreviation(text, i, following)) continue;
    cut(end);
    i = end - 1;
  }
  cut(text.length);
  return ranges;
}

function isAbbreviation(text: string, dot: number, following: string): boolean {
  let from = dot;
  while (from > 0 && /[\p{L}.]/u.test(text[from - 1]!)) from--;
  const word = text.slice(from, dot);
  if (!word) return false;
  // "No. 5" is a number sign; "I said no. Then…" is a sentence end.
  if (/^nos?$/i.test(word)) return /\d/.test(following);
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  // An initial ("J. Smith") or a dotted acronym ("U.S.A.").
  return /^\p{Lu}$/u.test(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word);
}

function trimRange(text: string, start: number, end: number): TextRange | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : null;
}
