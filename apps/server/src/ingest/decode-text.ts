import chardet from 'chardet';
import iconv from 'iconv-lite';
import { type ParseFailure, parseFailure } from './parse-failure.js';

export interface DecodedText {
  text: string;
  /** Name of the encoding the bytes were read as: `utf-8`, `utf-16le`, `utf-16be`, `gb18030`, `big5`, `windows-1252`. */
  encoding: string;
}

// chardet's names for the legacy encodings we accept, in the order a tie is broken: mainland
// spreadsheets saved by Excel (GBK, read as its superset GB18030) are the common case, then
// Taiwan/Hong Kong (Big5), then Western Windows files. chardet tells the Latin single-byte
// code pages apart poorly on short English text, so all of them are read as Windows-1252.
// Japanese and Korean legacy encodings are left out on purpose: short GBK text scores well as
// EUC-JP/EUC-KR and would be garbled.
const LEGACY: Record<string, string> = {
  GB18030: 'gb18030',
  Big5: 'big5',
  'windows-1252': 'windows-1252',
  'windows-1250': 'windows-1252',
  'windows-1254': 'windows-1252',
  'windows-1257': 'windows-1252',
  'ISO-8859-1': 'windows-1252',
  'ISO-8859-2': 'windows-1252',
  'ISO-8859-9': 'windows-1252',
  'ISO-8859-15': 'windows-1252',
};
const TIE_ORDER = ['gb18030', 'big5', 'windows-1252'];

// Characters that do not occur in text people write: C0 controls other than tab, newline, form
// feed and carriage return, DEL, and the replacement character a decoder emits for bad bytes.
const NOT_TEXT = /[\u0000-\u0008\u000B\u000E-\u001F\u007F\uFFFD]/g;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes the bytes of a text file whose encoding nobody told us: BOM first, then strict UTF-8,
 * then UTF-16 without BOM, then the statistically likeliest of GB18030/GBK, Big5 and Windows-1252
 * whose decoding is clean. Line endings become `\n`; a BOM is dropped.
 */
export function decodeText(bytes: Uint8Array): DecodedText | ParseFailure {
  const decoded = decodeRaw(bytes);
  if (!decoded) {
    return parseFailure(
      'ENCODING_UNKNOWN',
      'The text encoding of this file could not be recognised (tried UTF-8, UTF-16, GB18030/GBK, Big5 and Windows-1252). Save it as UTF-8 and import it again.',
    );
  }
  return { text: decoded.text.replace(/\r\n?/g, '\n'), encoding: decoded.encoding };
}

function decodeRaw(bytes: Uint8Array): DecodedText | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return clean(iconv.decode(Buffer.from(bytes.subarray(3)), 'utf-8'), 'utf-8');
  if (startsWith(bytes, [0xff, 0xfe])) return clean(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return clean(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), 'utf-16be');

  const utf16 = guessUtf16(bytes);
  if (utf16) return clean(iconv.decode(Buffer.from(bytes), utf16), utf16);
  if (bytes.includes(0)) return null;

  try {
    return clean(utf8.decode(bytes), 'utf-8');
  } catch {
    // Not UTF-8: fall through to the legacy encodings.
  }

  // The statistics settle within the first 64 KB; the whole file is then checked by decoding it.
  const candidates = (chardet.analyse(bytes.subarray(0, 64 * 1024)) ?? [])
    .map((m) => ({ encoding: LEGACY[m.name], confidence: m.confidence }))
    .filter((m): m is { encoding: string; confidence: number } => m.encoding !== undefined)
    .sort((a, b) => b.confidence - a.confidence || TIE_ORDER.indexOf(a.encoding) - TIE_ORDER.indexOf(b.encoding));
  // When chardet has no opinion, the likeliest legacy encodings are tried in order.
  for (const encoding of new Set([...candidates.map((c) => c.encoding), ...TIE_ORDER])) {
    const result = clean(iconv.decode(Buffer.from(bytes), encoding), encoding);
    if (result) return result;
  }
  return null;
}

function clean(text: string, encoding: string): DecodedText | null {
  const bad = text.match(NOT_TEXT)?.length ?? 0;
  // A stray control character in a long export is tolerated; binary data has them everywhere.
  if (bad > text.length * 0.001) return null;
  return { text, encoding };
}

// ASCII-heavy UTF-16 without a BOM (some Windows exports): every other byte is zero.
function guessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}
