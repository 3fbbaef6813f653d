import { decodeText } from './decode-text.js';
import { type DetectedFormat, detectFormat, extensionOf } from './detect-format.js';
import { docxToBlocks } from './docx-to-blocks.js';
import { htmlToBlocks } from './html-to-blocks.js';
import { markdownToBlocks } from './markdown-to-blocks.js';
import { formatBytes, type ParseFailure, parseFailure } from './parse-failure.js';
import { type ParseLimits, resolveLimits } from './parse-limits.js';
import type { Block, DocumentFormat, ParsedDocument } from './parsed-document.js';
import { pdfToBlocks } from './pdf-to-blocks.js';
import { readCsv, readXlsx, type Sheet } from './read-sheet.js';
import { readZip } from './read-zip.js';
import { textToBlocks } from './text-to-blocks.js';

export interface DocumentInput {
  /** File name as uploaded (its extension is a hint; the bytes decide). */
  name: string;
  bytes: Uint8Array;
  mimeType?: string;
}

/**
 * Reads one file of knowledge (Markdown, HTML, PDF, DOCX, TXT, and CSV/XLSX as tables) into
 * blocks. Bad input is a value, never an exception: an empty, oversized, encrypted, damaged or
 * unknown file comes back as a `ParseFailure` with a stable code, so one bad file in an import
 * is reported and the others go on.
 */
export async function parseDocument(input: DocumentInput, limits?: Partial<ParseLimits>): Promise<ParsedDocument | ParseFailure> {
  const resolved = resolveLimits(limits);
  const { bytes } = input;
  if (bytes.length === 0) return parseFailure('FILE_EMPTY', 'The file is empty.');
  if (bytes.length > resolved.maxBytes) {
    return parseFailure('FILE_TOO_LARGE', `The file is ${formatBytes(bytes.length)}; files over ${formatBytes(resolved.maxBytes)} cannot be imported.`, {
      bytes: bytes.length,
      maxBytes: resolved.maxBytes,
    });
  }
  try {
    const detected = detectFormat(input);
    if ('kind' in detected) return detected;
    return await parseDetected(input, detected, resolved);
  } catch (error) {
    // The libraries below are meant to report bad input, not throw; anything that escapes is still one bad file.
    return parseFailure('PARSE_FAILED', 'The file could not be read.', { cause: String(error) });
  }
}

async function parseDetected(input: DocumentInput, detected: DetectedFormat, limits: ParseLimits): Promise<ParsedDocument | ParseFailure> {
  const fallbackTitle = titleFromName(input.name);
  if (detected.container === 'pdf') {
    const parsed = await pdfToBlocks(input.bytes, limits.maxPdfPages);
    if ('kind' in parsed) return parsed;
    return finish('pdf', parsed.title || firstHeading(parsed.blocks) || fallbackTitle, parsed.blocks, {
      noText: 'This PDF contains no extractable text; it is probably a scanned image. OCR is not supported: import a text PDF or a DOCX.',
    });
  }

  if (detected.container === 'zip') {
    const label = detected.expected?.toUpperCase() ?? 'DOCX/XLSX';
    const zip = readZip(input.bytes, {
      maxEntries: limits.maxArchiveEntries,
      maxUncompressedBytes: limits.maxUncompressedBytes,
      extract: (name) => /\.(xml|rels)$/i.test(name),
      label,
    });
    if ('kind' in zip) return zip;
    // The main part is found through the package relationships; its folder tells the kind.
    if (zip.names.some((n) => n.startsWith('word/'))) {
      const parsed = await docxToBlocks(zip.files);
      if ('kind' in parsed) return parsed;
      return finish('docx', parsed.title || fallbackTitle, parsed.blocks, { warnings: parsed.warnings });
    }
    if (zip.names.some((n) => n.startsWith('xl/'))) {
      const sheets = await readXlsx(zip.files);
      if ('kind' in sheets) return sheets;
      return finish('xlsx', fallbackTitle, sheetBlocks(sheets.sheets));
    }
    return parseFailure(
      'FORMAT_UNSUPPORTED',
      'This zip file is neither a DOCX nor an XLSX document (PPTX, ODT, EPUB and plain zip archives are not supported).',
    );
  }

  if (detected.format === 'csv') {
    const read = readCsv(input.bytes, detected.delimiter ? { delimiter: detected.delimiter } : {});
    if ('kind' in read) return read;
    if (read.sheets.every((s) => s.rows.length === 0)) return parseFailure('FILE_EMPTY', 'The file contains no rows.');
    return finish('csv', fallbackTitle, sheetBlocks(read.sheets), read.encoding ? { encoding: read.encoding } : {});
  }

  const decoded = decodeText(input.bytes);
  if ('kind' in decoded) return decoded;
  if (decoded.text.trim() === '') return parseFailure('FILE_EMPTY', 'The file contains only whitespace.');
  const encoding = { encoding: decoded.encoding };
  switch (detected.format) {
    case 'markdown': {
      const parsed = markdownToBlocks(decoded.text);
      return finish('markdown', parsed.title || fallbackTitle, parsed.blocks, encoding);
    }
    case 'html': {
      const parsed = htmlToBlocks(decoded.text, { mainContent: true });
      return finish('html', parsed.title || fallbackTitle, parsed.blocks, encoding);
    }
    case 'txt':
      return finish('txt', fallbackTitle, textToBlocks(decoded.text), encoding);
  }
}

interface FinishOptions {
  encoding?: string;
  warnings?: string[];
  noText?: string;
}

function finish(format: DocumentFormat, title: string, blocks: Block[], options: FinishOptions = {}): ParsedDocument | ParseFailure {
  const clean = blocks.map(sanitizeBlock).filter((b): b is Block => b !== null);
  if (clean.length === 0) {
    return parseFailure('NO_TEXT_FOUND', options.noText ?? 'The file contains no text that could be imported.');
  }
  const doc: ParsedDocument = { kind: 'document', title: sanitize(title).replace(/\s+/g, ' ').trim(), format, blocks: clean };
  if (options.encoding) doc.encoding = options.encoding;
  if (options.warnings && options.warnings.length > 0) doc.warnings = options.warnings;
  return doc;
}

function sheetBlocks(sheets: Sheet[]): Block[] {
  const nonEmpty = sheets.filter((s) => s.rows.length > 0);
  return nonEmpty.flatMap((sheet): Block[] => {
    const table: Block = { type: 'table', rows: sheet.rows.map((r) => r.cells) };
    return nonEmpty.length > 1 ? [{ type: 'heading', level: 1, text: sheet.name }, table] : [table];
  });
}

// C0 controls (other than tab and newline) come from broken exports and confuse everything downstream.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

function sanitize(text: string): string {
  return text.replace(CONTROL, '');
}

function sanitizeBlock(block: Block): Block | null {
  switch (block.type) {
    case 'heading':
    case 'paragraph': {
      const text = sanitize(block.text).trim();
      return text ? { ...block, text } : null;
    }
    case 'code': {
      const text = sanitize(block.text).replace(/\s+$/, '');
      return text.trim() ? { ...block, text } : null;
    }
    case 'list': {
      const items = block.items.map((i) => sanitize(i).trim()).filter(Boolean);
      return items.length > 0 ? { ...block, items } : null;
    }
    case 'table': {
      const rows = block.rows.map((r) => r.map((c) => sanitize(c).replace(/\s+/g, ' ').trim())).filter((r) => r.some(Boolean));
      return rows.length > 0 ? { ...block, rows } : null;
    }
  }
}

function firstHeading(blocks: Block[]): string {
  const heading = blocks.find((b) => b.type === 'heading');
  return heading?.type === 'heading' ? heading.text : '';
}

function titleFromName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const ext = extensionOf(base);
  return ext ? base.slice(0, -(ext.length + 1)) : base;
}
