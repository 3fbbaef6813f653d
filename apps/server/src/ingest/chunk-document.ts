import { createHash } from 'node:crypto';
import type { Block, ParsedDocument } from './parsed-document.js';
import { splitSentences, type TextRange } from './split-sentences.js';

export interface ChunkOptions {
  /** Chunks are packed up to about this many characters… */
  targetChars?: number;
  /** …and never beyond this many, unless one table row alone is longer. */
  maxChars?: number;
  /** Characters of the previous chunk of the same section repeated at the start of the next. */
  overlapChars?: number;
}

export interface Chunk {
  /** 0-based position in the document. */
  index: number;
  text: string;
  /** Headings above this chunk, outermost first (`['退货政策', '退款时间']`); empty before the first heading. */
  headingPath: string[];
  /** SHA-256 (hex) of heading path and text: on re-import only chunks whose hash changed are re-indexed. */
  hash: string;
  /** Range of `renderDocumentText(doc)` this chunk adds: `text.slice(overlapChars)` equals that slice. */
  charStart: number;
  charEnd: number;
  /** Leading characters of `text` repeated for context: the overlap with the previous chunk, or a table's header row. */
  overlapChars: number;
}

interface Unit extends TextRange {
  /** Rendered header row of the table this row belongs to (rows after the first only). */
  tableHeader?: string;
}

interface Section {
  headingPath: string[];
  units: Unit[];
}

const BLOCK_SEPARATOR = '\n\n';

/**
 * Splits a document into retrieval chunks. A chunk never spans two sections (headings start
 * sections); inside a section, blocks are packed whole while they fit, long paragraphs are cut at
 * sentence ends (Chinese and English), sentences longer than the maximum at clause punctuation or
 * spaces. Consecutive chunks of a section overlap; a table split over chunks repeats its header row
 * and is never cut inside a row unless one row alone is too long.
 */
export function chunkDocument(doc: Pick<ParsedDocument, 'blocks'>, options: ChunkOptions = {}): Chunk[] {
  const targetChars = options.targetChars ?? 600;
  const maxChars = options.maxChars ?? 1000;
  const overlapChars = options.overlapChars ?? 100;
  if (!(targetChars > 0 && maxChars >= targetChars && overlapChars >= 0 && overlapChars < targetChars)) {
    throw new RangeError('chunk options must satisfy 0 < targetChars <= maxChars and 0 <= overlapChars < targetChars');
  }
  const { text, sections } = layout(doc.blocks, targetChars, maxChars);
  const chunks: Chunk[] = [];
  for (const section of sections) {
    for (const piece of packSection(text, section.units, targetChars, maxChars, overlapChars)) {
      const chunkText = piece.prefix + text.slice(piece.textStart, piece.end);
      chunks.push({
        index: chunks.length,
        text: chunkText,
        headingPath: section.headingPath,
        hash: hashChunk(section.headingPath, chunkText),
        charStart: piece.start,
        charEnd: piece.end,
        overlapChars: chunkText.length - (piece.end - piece.start),
      });
    }
  }
  return chunks;
}

/** The document as one plain text (Markdown-like): the text `Chunk.charStart`/`charEnd` refer to. */
export function renderDocumentText(doc: Pick<ParsedDocument, 'blocks'>): string {
  return doc.blocks.map(renderBlock).join(BLOCK_SEPARATOR);
}

/** SHA-256 (hex) of a source file's bytes: an unchanged file is not parsed again on re-import. */
export function hashSource(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function hashChunk(headingPath: string[], text: string): string {
  return createHash('sha256')
    .update(JSON.stringify([headingPath, text]))
    .digest('hex');
}

// --- layout: blocks → text, sections and units ---------------------------------------------------

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `${'#'.repeat(Math.min(Math.max(block.level, 1), 6))} ${block.text}`;
    case 'paragraph':
    case 'code':
      return block.text;
    case 'list':
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${item}`).join('\n');
    case 'table':
      return block.rows.map(renderRow).join('\n');
  }
}

function renderRow(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function layout(blocks: Block[], targetChars: number, maxChars: number): { text: string; sections: Section[] } {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let section: Section = { headingPath: [], units: [] };
  let offset = 0;
  const parts: string[] = [];
  for (const block of blocks) {
    const rendered = renderBlock(block);
    if (parts.length > 0) offset += BLOCK_SEPARATOR.length;
    const start = offset;
    parts.push(rendered);
    offset += rendered.length;

    if (block.type === 'heading') {
      if (section.units.length > 0) sections.push(section);
      while (stack.length > 0 && stack[stack.length - 1]!.level >= block.level) stack.pop();
      stack.push({ level: block.level, text: block.text });
      section = { headingPath: stack.map((h) => h.text), units: [] };
      continue;
    }
    const text = rendered;
    const fits = (r: TextRange) => r.end - r.start <= targetChars;
    const shift = (r: TextRange): Unit => ({ start: r.start + start, end: r.end + start });
    if (block.type === 'table') {
      let at = 0;
      const header = block.rows.length > 1 ? renderRow(block.rows[0]!) : undefined;
      block.rows.forEach((row, i) => {
        const line = renderRow(row);
        const range = { start: at, end: at + line.length };
        at += line.length + 1;
        const pieces = range.end - range.start <= maxChars ? [range] : splitLong(text, range, targetChars);
        for (const piece of pieces) section.units.push(i > 0 && header ? { ...shift(piece), tableHeader: header } : shift(piece));
      });
    } else if (block.type === 'list' || block.type === 'code') {
      let at = 0;
      for (const line of text.split('\n')) {
        const range = { start: at, end: at + line.length };
        at += line.length + 1;
        if (range.end === range.start) continue;
        const pieces = fits(range) ? [range] : sentencePieces(text, range, targetChars, maxChars);
        section.units.push(...pieces.map(shift));
      }
    } else {
      const whole = { start: 0, end: text.length };
      section.units.push(...(fits(whole) ? [whole] : sentencePieces(text, whole, targetChars, maxChars)).map(shift));
    }
  }
  if (section.units.length > 0) sections.push(section);
  return { text: parts.join(BLOCK_SEPARATOR), sections };
}

/** A range cut at sentence ends; sentences longer than `maxChars` cut again at clause punctuation. */
function sentencePieces(text: string, range: TextRange, targetChars: number, maxChars: number): TextRange[] {
  const slice = text.slice(range.start, range.end);
  return splitSentences(slice).flatMap((s) => {
    const sentence = { start: s.start + range.start, end: s.end + range.start };
    return sentence.end - sentence.start <= maxChars ? [sentence] : splitLong(text, sentence, targetChars);
  });
}

const CLAUSE_END = /[，,、；;：:）)」』”]/;

/** Cuts a range into pieces of at most `limit`, after clause punctuation or at a space where possible. */
function splitLong(text: string, range: TextRange, limit: number): TextRange[] {
  const pieces: TextRange[] = [];
  let start = range.start;
  while (range.end - start > limit) {
    let cut = -1;
    const floor = start + Math.floor(limit / 2);
    for (let i = start + limit; i > floor && cut === -1; i--) if (CLAUSE_END.test(text[i - 1]!)) cut = i;
    for (let i = start + limit; i > floor && cut === -1; i--) if (/\s/.test(text[i]!)) cut = i;
    if (cut === -1) cut = start + limit;
    // Never between the halves of a surrogate pair.
    if (cut - 1 > start && /[\uDC00-\uDFFF]/.test(text[cut] ?? '')) cut--;
    const piece = trim(text, start, cut);
    if (piece) pieces.push(piece);
    start = cut;
  }
  const last = trim(text, start, range.end);
  if (last) pieces.push(last);
  return pieces;
}

function trim(text: string, start: number, end: number): TextRange | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : null;
}

// --- packing: units → chunks ----------------------------------------------------------------------

interface Piece {
  /** Start of the new content. */
  start: number;
  end: number;
  /** Where the chunk's text starts in the document text: before `start` when it overlaps the previous chunk. */
  textStart: number;
  /** Text put before the slice that is not contiguous with it (a repeated table header). */
  prefix: string;
  /** Units of new content, to find the overlap for the next chunk. */
  units: Unit[];
}

function packSection(text: string, units: Unit[], targetChars: number, maxChars: number, overlapChars: number): Piece[] {
  const pieces: Piece[] = [];
  let current: Piece | null = null;
  const length = (p: Piece, end = p.end) => p.prefix.length + end - p.textStart;
  for (const unit of units) {
    if (current) {
      const grown = length(current, unit.end);
      const own = current.end - current.start;
      if (grown <= targetChars || (own < targetChars / 2 && grown <= maxChars)) {
        current.end = unit.end;
        current.units.push(unit);
        continue;
      }
      pieces.push(current);
    }
    current = startPiece(text, unit, current, maxChars, overlapChars);
  }
  if (current) pieces.push(current);
  // A short tail folds back into the chunk before it when both fit in one.
  const last = pieces.at(-1);
  const before = pieces.at(-2);
  if (last && before && last.end - last.start < targetChars / 4 && length(before, last.end) <= maxChars) {
    before.end = last.end;
    before.units.push(...last.units);
    pieces.pop();
  }
  return pieces;
}

function startPiece(text: string, unit: Unit, previous: Piece | null, maxChars: number, overlapChars: number): Piece {
  const piece: Piece = { start: unit.start, end: unit.end, textStart: unit.start, prefix: '', units: [unit] };
  if (unit.tableHeader) {
    // A table continues: its header row says what the columns are, which beats repeating a row.
    if (unit.tableHeader.length + 1 + unit.end - unit.start <= maxChars) piece.prefix = `${unit.tableHeader}\n`;
    return piece;
  }
  if (!previous || overlapChars === 0) return piece;
  const budget = Math.min(overlapChars, maxChars - (unit.end - unit.start));
  if (budget <= 0) return piece;
  piece.textStart = overlapStart(text, previous, budget);
  return piece;
}

/** Where the overlap with the previous chunk starts: whole trailing sentences if they fit, else a clean tail. */
function overlapStart(text: string, previous: Piece, budget: number): number {
  const end = previous.end;
  let start = end;
  for (let i = previous.units.length - 1; i >= 0; i--) {
    const unit = previous.units[i]!;
    if (unit.tableHeader !== undefined || end - unit.start > budget) break;
    start = unit.start;
  }
  if (start < end) return start;
  const last = previous.units.at(-1)!;
  if (last.tableHeader !== undefined) return end;
  let cut = Math.max(last.start, end - budget);
  // Start on a word boundary in Latin text; CJK text can start anywhere but inside a surrogate pair.
  if (/[\p{L}\p{N}]/u.test(text[cut - 1] ?? '') && /[A-Za-z0-9]/.test(text[cut] ?? '')) {
    const space = text.slice(cut, end).search(/\s/);
    cut = space === -1 ? end : cut + space;
  }
  if (/[\uDC00-\uDFFF]/.test(text[cut] ?? '')) cut++;
  while (cut < end && /\s/.test(text[cut]!)) cut++;
  return cut;
}
