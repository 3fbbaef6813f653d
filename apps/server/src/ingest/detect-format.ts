import { decodeText } from './decode-text.js';
import { type ParseFailure, parseFailure } from './parse-failure.js';

export type TextFormat = 'markdown' | 'html' | 'txt' | 'csv';

export type DetectedFormat =
  | { container: 'pdf' }
  /** DOCX or XLSX; which one is decided from the entries. */
  | { container: 'zip'; expected?: 'docx' | 'xlsx' }
  | { container: 'text'; format: TextFormat; delimiter?: string };

const TEXT_EXTENSIONS: Record<string, { format: TextFormat; delimiter?: string }> = {
  md: { format: 'markdown' },
  markdown: { format: 'markdown' },
  mdown: { format: 'markdown' },
  mkd: { format: 'markdown' },
  mdx: { format: 'markdown' },
  html: { format: 'html' },
  htm: { format: 'html' },
  xhtml: { format: 'html' },
  shtml: { format: 'html' },
  txt: { format: 'txt' },
  text: { format: 'txt' },
  csv: { format: 'csv' },
  tsv: { format: 'csv', delimiter: '\t' },
};

const TEXT_MIME_TYPES: Record<string, { format: TextFormat; delimiter?: string }> = {
  'text/markdown': { format: 'markdown' },
  'text/x-markdown': { format: 'markdown' },
  'text/html': { format: 'html' },
  'application/xhtml+xml': { format: 'html' },
  'text/plain': { format: 'txt' },
  'text/csv': { format: 'csv' },
  'text/tab-separated-values': { format: 'csv', delimiter: '\t' },
};

// Formats people do try to upload, with what to do instead.
const KNOWN_UNSUPPORTED: [Uint8Array | string, string][] = [
  [Uint8Array.of(0x89, 0x50, 0x4e, 0x47), 'a PNG image'],
  [Uint8Array.of(0xff, 0xd8, 0xff), 'a JPEG image'],
  ['GIF8', 'a GIF image'],
  [Uint8Array.of(0x1f, 0x8b), 'a gzip archive'],
  ['Rar!', 'a RAR archive'],
  [Uint8Array.of(0x37, 0x7a, 0xbc, 0xaf), 'a 7-Zip archive'],
  ['{\\rtf', 'an RTF document (save it as DOCX)'],
  [Uint8Array.of(0x7f, 0x45, 0x4c, 0x46), 'a program'],
  ['MZ', 'a program'],
];
const OLE2 = Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);

/** Decides how to read a file: magic bytes first, then the extension, then the MIME type, then the text itself. */
export function detectFormat(input: { name: string; bytes: Uint8Array; mimeType?: string }): DetectedFormat | ParseFailure {
  const { bytes } = input;
  const ext = extensionOf(input.name);
  const mime = input.mimeType?.split(';')[0]?.trim().toLowerCase();

  if (indexOfAscii(bytes, '%PDF-', 1024) !== -1) return { container: 'pdf' };
  if (startsWith(bytes, 'PK\u0003\u0004') || startsWith(bytes, 'PK\u0005\u0006')) {
    return ext === 'docx' || ext === 'xlsx' ? { container: 'zip', expected: ext } : { container: 'zip' };
  }
  if (startsWith(bytes, OLE2)) {
    return parseFailure(
      'FORMAT_UNSUPPORTED',
      ext === 'docx' || ext === 'xlsx'
        ? 'This Office file is password-protected. Remove the password and import it again.'
        : 'This is a Word/Excel 97-2003 file (.doc/.xls), which is not supported. Save it as .docx or .xlsx and import it again.',
    );
  }
  for (const [magic, what] of KNOWN_UNSUPPORTED) {
    if (startsWith(bytes, magic)) return parseFailure('FORMAT_UNSUPPORTED', `This file is ${what}, which cannot be imported as knowledge.`);
  }

  if (ext === 'pdf' || (!ext && mime === 'application/pdf')) {
    return parseFailure('PDF_CORRUPT', 'This file is named as a PDF but does not contain one; it is damaged or mislabelled.');
  }
  if (ext === 'docx' || ext === 'xlsx') {
    return parseFailure('PARSE_FAILED', `This file is named .${ext} but is not a valid ${ext.toUpperCase()} (zip) file; it is damaged or mislabelled.`);
  }
  const byExtension = TEXT_EXTENSIONS[ext];
  if (byExtension) return { container: 'text', ...byExtension };
  if (ext) {
    return parseFailure('FORMAT_UNSUPPORTED', `Files of type .${ext} cannot be imported. Supported: Markdown, HTML, PDF, DOCX, TXT, CSV and XLSX.`, {
      extension: ext,
    });
  }
  const byMime = mime ? TEXT_MIME_TYPES[mime] : undefined;
  if (byMime) return { container: 'text', ...byMime };

  // No extension and no useful MIME type: look at the text itself.
  const decoded = decodeText(bytes.subarray(0, 64 * 1024));
  if ('kind' in decoded) {
    return parseFailure('FORMAT_UNSUPPORTED', 'The format of this file could not be recognised. Supported: Markdown, HTML, PDF, DOCX, TXT, CSV and XLSX.');
  }
  const head = decoded.text.trimStart();
  if (/^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(head)) return { container: 'text', format: 'html' };
  if (/^#{1,6}\s+\S/m.test(head) || /^```/m.test(head) || /^\|.*\|\s*\n\|\s*:?-{3,}/m.test(head)) return { container: 'text', format: 'markdown' };
  return { container: 'text', format: 'txt' };
}

export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, magic: Uint8Array | string): boolean {
  if (typeof magic === 'string') return [...magic].every((ch, i) => bytes[i] === ch.charCodeAt(0));
  return magic.every((b, i) => bytes[i] === b);
}

function indexOfAscii(bytes: Uint8Array, needle: string, within: number): number {
  const end = Math.min(bytes.length - needle.length, within);
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}
