import type { Block } from './parsed-document.js';

const NUM = '[一二三四五六七八九十百千零〇两\\d]+';
// Heading conventions of Chinese documents and plain-text manuals, most to least significant.
const HEADING_PATTERNS: [RegExp, number][] = [
  [new RegExp(`^第${NUM}[章篇部卷](?:\\s|$|[：:、.．])`), 1],
  [/^(?:chapter|part)\s+[\dIVXLC]+\b/i, 1],
  [new RegExp(`^第${NUM}[节節](?:\\s|$|[：:、.．])`), 2],
  [/^section\s+\d+(?:\.\d+)*\b/i, 2],
  [/^[一二三四五六七八九十]+[、．.]\s*\S/, 3],
  [/^[（(][一二三四五六七八九十]+[)）]\s*\S/, 4],
  [new RegExp(`^第${NUM}[条條](?:\\s|$)`), 5],
];
const HEADING_MAX_CHARS = 40;
// A line ending like a sentence is body text, however it starts ("第一条 本规定适用于……。").
const SENTENCE_END = /[。；;！!？?，,.…]$/;

/** The heading level a plain-text line's own wording implies (`第一章 总则` → 1), or null. */
export function textHeadingLevel(line: string): number | null {
  const text = line.trim();
  if (!text || text.length > HEADING_MAX_CHARS || SENTENCE_END.test(text)) return null;
  for (const [pattern, level] of HEADING_PATTERNS) if (pattern.test(text)) return level;
  return null;
}

const BULLET = /^(?:[•●○◦▪▫■□‣∙·]|[-*+]\s|\d{1,3}[.)]\s|\d{1,3}、|[①-⑳]|[（(]\d{1,3}[)）]|[a-zA-Z][.)]\s)/;
const BULLET_SYMBOL = /^(?:[•●○◦▪▫■□‣∙·]|[-*+]\s)\s*/;
const PARAGRAPH_END = /[。！？!?…”」』"]$|[^.]\.$/;
const INDENTED = /^(?:\u3000|\t| {2,})/;

/**
 * Plain text → blocks. Paragraphs are separated by blank lines, by lines that end a sentence
 * (Chinese text is usually one paragraph per line) or by an indented first line; wrapped lines are
 * joined; runs of bulleted or numbered lines become lists; `第一章`, `一、` and underlined lines
 * become headings.
 */
export function textToBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  let ordered = false;

  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', text: joinLines(paragraph) });
    paragraph = [];
  };
  const flushList = () => {
    if (list.length > 0) blocks.push(ordered ? { type: 'list', items: list, ordered } : { type: 'list', items: list });
    list = [];
  };
  const flush = () => {
    flushParagraph();
    flushList();
  };

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    const next = lines[i + 1]?.trim() ?? '';
    if (!line) {
      flush();
      continue;
    }
    // Setext-style underline: "Returns\n=======".
    if (paragraph.length === 0 && list.length === 0 && /^(=+|-{3,})$/.test(next) && line.length <= 80) {
      blocks.push({ type: 'heading', level: next.startsWith('=') ? 1 : 2, text: line });
      i++;
      continue;
    }
    const level = textHeadingLevel(line);
    if (level !== null) {
      flush();
      blocks.push({ type: 'heading', level, text: line });
      continue;
    }
    if (BULLET.test(line)) {
      flushParagraph();
      if (list.length === 0) ordered = !BULLET_SYMBOL.test(line);
      list.push(BULLET_SYMBOL.test(line) ? line.replace(BULLET_SYMBOL, '') : line);
      continue;
    }
    if (list.length > 0 && INDENTED.test(raw)) {
      list[list.length - 1] = joinLines([list[list.length - 1]!, line]);
      continue;
    }
    flushList();
    if (paragraph.length > 0 && INDENTED.test(raw)) flushParagraph();
    paragraph.push(line);
    if (PARAGRAPH_END.test(line)) flushParagraph();
  }
  flush();
  return blocks;
}

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;

/** Joins wrapped lines: no space where either side is CJK, a hyphenated English word mended. */
export function joinLines(lines: string[]): string {
  let out = '';
  for (const line of lines) {
    if (!out) {
      out = line;
    } else if (/[a-z]-$/.test(out) && /^[a-z]/.test(line)) {
      out = out.slice(0, -1) + line;
    } else if (WIDE.test(out.at(-1) ?? '') || WIDE.test(line[0] ?? '')) {
      out += line;
    } else {
      out += ` ${line}`;
    }
  }
  return out;
}
