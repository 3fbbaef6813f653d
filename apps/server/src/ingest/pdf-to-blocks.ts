import { getDocumentProxy } from 'unpdf';
import { type ParseFailure, parseFailure } from './parse-failure.js';
import type { Block } from './parsed-document.js';
import { joinLines, textHeadingLevel } from './text-to-blocks.js';

interface Line {
  text: string;
  size: number;
  x: number;
  y: number;
  right: number;
  page: number;
}

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;
const SENTENCE_END = /[。！？!?.…；;:：”」』"]$/;
const PAGE_NUMBER = /^(?:page\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$|^第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$/i;
const BULLET = /^(?:[•●○◦▪▫■□‣∙·]|[-*+]\s|\d{1,3}[.)]\s|\d{1,3}、|[①-⑳]|[（(]\d{1,3}[)）])/;
const BULLET_SYMBOL = /^(?:[•●○◦▪▫■□‣∙·]|[-*+]\s)\s*/;

/**
 * PDF → title and blocks with pdf.js (through unpdf's Node build, no canvas, no eval). Text items are
 * grouped into lines by baseline, lines into paragraphs by the spacing the document itself uses;
 * lines set larger than the body text become headings; running headers, footers and page numbers
 * are dropped. A PDF that needs a password to open is reported as such; one readable with the
 * empty password (only editing restricted) is read.
 */
export async function pdfToBlocks(bytes: Uint8Array, maxPages: number): Promise<{ title: string; blocks: Block[] } | ParseFailure> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given.
    pdf = await getDocumentProxy(bytes.slice(), {
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      stopAtErrors: false,
    });
  } catch (error) {
    return openFailure(error);
  }
  try {
    if (pdf.numPages > maxPages) {
      return parseFailure('FILE_TOO_LARGE', `This PDF has ${pdf.numPages} pages; at most ${maxPages} can be imported from one file.`, {
        pages: pdf.numPages,
        maxPages,
      });
    }
    const meta = await pdf.getMetadata().catch(() => null);
    const info = (meta?.info ?? {}) as { Title?: unknown };
    const lines: Line[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      lines.push(...pageLines(content.items as unknown[], n));
      page.cleanup();
    }
    const title = typeof info.Title === 'string' ? cleanTitle(info.Title) : '';
    return { title, blocks: linesToBlocks(dropRunningLines(lines, pdf.numPages)) };
  } catch (error) {
    return parseFailure('PDF_CORRUPT', 'This PDF is damaged: its pages could not be read.', { cause: String(error) });
  } finally {
    await pdf.destroy().catch(() => {});
  }
}

/** Metadata titles are often what the converter saw, not what the author meant. */
function cleanTitle(raw: string): string {
  const title = raw
    .replace(/^Microsoft (?:Word|PowerPoint|Excel) - /i, '')
    .replace(/\.(?:docx?|pptx?|xlsx?|wps|pdf)$/i, '')
    .trim();
  return /^(?:untitled(?: document)?|无标题|未命名|無標題)$/i.test(title) ? '' : title;
}

function openFailure(error: unknown): ParseFailure {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = String((error as { message?: unknown } | null)?.message ?? error);
  if (name === 'PasswordException' || /encrypt|password|security handler/i.test(message)) {
    return parseFailure('PDF_ENCRYPTED', 'This PDF is protected by a password and cannot be read. Remove the password and import it again.');
  }
  return parseFailure('PDF_CORRUPT', 'This PDF is damaged or truncated and cannot be read.', { cause: message });
}

function pageLines(items: unknown[], page: number): Line[] {
  const lines: Line[] = [];
  let line: Line | null = null;
  for (const raw of items) {
    if (typeof (raw as TextItemLike).str !== 'string') continue;
    const item = raw as TextItemLike;
    const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = item.transform;
    // The vertical scale of the text matrix is the font size as set (the horizontal one may be stretched).
    const size = Math.hypot(c, d) || item.height || Math.hypot(a, b) || 1;
    if (item.str) {
      if (line !== null && Math.abs(line.y - y) > 0.5 * Math.max(line.size, size)) {
        pushLine(lines, line);
        line = null;
      }
      if (line === null) {
        line = { text: item.str, size, x, y, right: x + item.width, page };
      } else {
        const gap = x - line.right;
        const bothWide = WIDE.test(line.text.at(-1) ?? '') && WIDE.test(item.str[0] ?? '');
        const needsSpace = gap > 0.15 * size && !/\s$/.test(line.text) && !/^\s/.test(item.str) && !bothWide;
        line.text += (needsSpace ? ' ' : '') + item.str;
        line.right = Math.max(line.right, x + item.width);
        line.size = Math.max(line.size, size);
      }
    }
    if (item.hasEOL && line !== null) {
      pushLine(lines, line);
      line = null;
    }
  }
  if (line !== null) pushLine(lines, line);
  return lines;
}

function pushLine(lines: Line[], line: Line): void {
  const text = line.text.replace(/\s+/g, ' ').trim();
  if (text) lines.push({ ...line, text });
}

/** Drops page numbers and lines repeated at the top or bottom of most pages (running headers, footers). */
function dropRunningLines(lines: Line[], pages: number): Line[] {
  const byPage = new Map<number, Line[]>();
  for (const line of lines) byPage.set(line.page, [...(byPage.get(line.page) ?? []), line]);
  const edges = (pageLines: Line[]) => [...pageLines.slice(0, 2), ...pageLines.slice(-2)];
  const key = (text: string) => text.replace(/\d+/g, '#').toLowerCase();
  const seen = new Map<string, number>();
  for (const pageLines of byPage.values()) {
    for (const k of new Set(edges(pageLines).map((l) => key(l.text)))) seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const running = (text: string) => pages >= 3 && (seen.get(key(text)) ?? 0) >= Math.max(3, pages * 0.5);
  const out: Line[] = [];
  for (const pageLines of byPage.values()) {
    const edge = new Set(edges(pageLines));
    for (const line of pageLines) {
      if (edge.has(line) && (PAGE_NUMBER.test(line.text) || running(line.text))) continue;
      out.push(line);
    }
  }
  return out;
}

function linesToBlocks(lines: Line[]): Block[] {
  if (lines.length === 0) return [];
  const round = (n: number) => Math.round(n * 2) / 2;
  const body = weightedMode(lines.map((l) => [round(l.size), l.text.length]));
  const isLarge = (l: Line) => l.size >= body * 1.15 && l.text.length <= 120 && !/[。.，,；;]$/.test(l.text);
  const headingSizes = [...new Set(lines.filter(isLarge).map((l) => round(l.size)))].sort((a, b) => b - a);
  // Baseline-to-baseline distance of ordinary wrapped lines, so 1.5-spaced documents are read right.
  const gaps: [number, number][] = [];
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1]!;
    const line = lines[i]!;
    if (prev.page === line.page && !isLarge(prev) && !isLarge(line) && prev.y > line.y) gaps.push([round((prev.y - line.y) / line.size), 1]);
  }
  const lineGap = gaps.length > 0 ? weightedMode(gaps) : 1.2;
  const pageWidth = Math.max(...lines.map((l) => l.right)) - Math.min(...lines.map((l) => l.x));

  const blocks: Block[] = [];
  let paragraph: Line[] = [];
  let list: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length === 0) return;
    const text = joinLines(paragraph.map((l) => l.text));
    if (BULLET.test(text)) list.push(BULLET_SYMBOL.test(text) ? text.replace(BULLET_SYMBOL, '') : text);
    else {
      flushList();
      blocks.push({ type: 'paragraph', text });
    }
    paragraph = [];
  };
  const flushList = () => {
    if (list.length > 0) blocks.push({ type: 'list', items: list });
    list = [];
  };

  for (const line of lines) {
    if (isLarge(line)) {
      flushParagraph();
      flushList();
      const level = Math.min(6, headingSizes.indexOf(round(line.size)) + 1);
      const last = blocks.at(-1);
      // A heading wrapped over two lines arrives as two lines of the same size.
      if (last?.type === 'heading' && last.level === level && paragraph.length === 0 && !SENTENCE_END.test(last.text))
        last.text = joinLines([last.text, line.text]);
      else blocks.push({ type: 'heading', level, text: line.text });
      continue;
    }
    const patternLevel = textHeadingLevel(line.text);
    if (patternLevel !== null) {
      flushParagraph();
      flushList();
      blocks.push({ type: 'heading', level: Math.min(6, headingSizes.length + patternLevel), text: line.text });
      continue;
    }
    const prev = paragraph.at(-1);
    if (prev) {
      const samePage = prev.page === line.page;
      const spaced = samePage && (prev.y - line.y) / line.size > lineGap * 1.35;
      const resized = Math.abs(prev.size - line.size) > body * 0.1;
      const endedShort = SENTENCE_END.test(prev.text) && prev.right - prev.x < pageWidth * 0.8;
      const pageBreakAfterSentence = !samePage && SENTENCE_END.test(prev.text);
      if (spaced || resized || endedShort || pageBreakAfterSentence || BULLET.test(line.text) || (samePage && line.y > prev.y)) flushParagraph();
    }
    paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return blocks;
}

function weightedMode(values: [number, number][]): number {
  const weights = new Map<number, number>();
  for (const [value, weight] of values) weights.set(value, (weights.get(value) ?? 0) + weight);
  let best = values[0]![0];
  let bestWeight = -1;
  for (const [value, weight] of weights) {
    if (weight > bestWeight) {
      best = value;
      bestWeight = weight;
    }
  }
  return best;
}
