import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';
import { detectFormat } from './detect-format.js';
import { formatBytes, type ParseFailure, parseFailure } from './parse-failure.js';
import { type ParseLimits, resolveLimits } from './parse-limits.js';
import { readCsv, readXlsx, type Sheet, type SheetRow } from './read-sheet.js';
import { readZip } from './read-zip.js';

/** Which header holds which field. Header names are matched ignoring case, width, spaces and 简/繁. */
export interface FaqColumnMapping {
  question: string;
  answer: string;
  similar?: string;
  category?: string;
  id?: string;
}

export interface FaqSheetRow {
  /** Line of the CSV file or row of the sheet, as the user sees it in their editor. */
  line: number;
  /** Every cell of the row by its header. */
  values: Record<string, string>;
  question: string;
  answer: string;
  /** Similar questions (相似问), split on new lines, `|`, `｜`, `;` and `；`. */
  similar: string[];
  category?: string;
  id?: string;
}

export type FaqSheetIssueCode = 'FAQ_QUESTION_MISSING' | 'FAQ_ANSWER_MISSING' | 'FAQ_QUESTION_DUPLICATE';

export interface FaqSheetIssue {
  line: number;
  code: FaqSheetIssueCode;
  message: string;
  /** For duplicates: the line that asked the same question first. */
  firstLine?: number;
}

export interface ParsedFaqSheet {
  kind: 'faq-sheet';
  format: 'csv' | 'xlsx';
  /** CSV only: the encoding the file was decoded from. */
  encoding?: string;
  sheet: string;
  headers: string[];
  /** The mapping in effect, with the sheet's own header names. */
  mapping: FaqColumnMapping;
  /** Rows with a question and an answer. Duplicates are kept and flagged in `issues`. */
  rows: FaqSheetRow[];
  /** Rows left out (no question, no answer) and duplicate questions, for the import report. */
  issues: FaqSheetIssue[];
}

export interface ParseFaqSheetOptions {
  mapping?: Partial<FaqColumnMapping>;
  /** XLSX: sheet name or 1-based index. By default the first sheet whose header names a question and an answer column. */
  sheet?: string | number;
  limits?: Partial<ParseLimits>;
}

type Field = keyof FaqColumnMapping;
const FIELDS: Field[] = ['question', 'answer', 'similar', 'category', 'id'];

// Header names seen in FAQ templates of Chinese and English help desks, already folded (see headerKey).
const HEADER_ALIASES: Record<Field, string[]> = {
  question: ['问题', '标准问', '标准问题', '问', '问法', '用户问题', '常见问题', 'faq', 'question', 'questions', 'q', 'standardquestion', 'faqquestion'],
  answer: ['答案', '回答', '标准答案', '答复', '回复', '答', '解答', 'answer', 'answers', 'a', 'reply', 'response', 'standardanswer'],
  similar: [
    '相似问',
    '相似问题',
    '相似问法',
    '相似',
    '扩展问',
    '扩展问题',
    '扩展问法',
    '近义问',
    '同义问',
    'similar',
    'similarquestion',
    'similarquestions',
    'alternatives',
    'alternativequestions',
    'variants',
    'paraphrases',
  ],
  category: ['分类', '类别', '类目', '目录', 'category', 'categories', 'group', 'topic'],
  id: ['id', '编号', 'faqid', 'entryid', 'externalid', '外部id'],
};

// How many leading rows may sit above the header (a title row, an instructions row).
const HEADER_SEARCH_ROWS = 10;

/**
 * Reads an FAQ spreadsheet (CSV/TSV in any common encoding, or XLSX) into question/answer rows.
 * Columns are found by header name in Chinese or English unless a mapping names them; rows
 * without a question or answer are reported, not imported; repeated questions are flagged.
 */
export async function parseFaqSheet(
  input: { name: string; bytes: Uint8Array; mimeType?: string },
  options: ParseFaqSheetOptions = {},
): Promise<ParsedFaqSheet | ParseFailure> {
  const limits = resolveLimits(options.limits);
  const { bytes } = input;
  if (bytes.length === 0) return parseFailure('FILE_EMPTY', 'The file is empty.');
  if (bytes.length > limits.maxBytes) {
    return parseFailure('FILE_TOO_LARGE', `The file is ${formatBytes(bytes.length)}; files over ${formatBytes(limits.maxBytes)} cannot be imported.`, {
      bytes: bytes.length,
      maxBytes: limits.maxBytes,
    });
  }
  try {
    const read = await readFaqSheets(input, limits);
    if ('kind' in read) return read;
    const sheet = pickSheet(read.sheets, options);
    if ('kind' in sheet) return sheet;
    const result = mapRows(sheet.sheet, sheet.headerIndex, sheet.mapping);
    return {
      kind: 'faq-sheet',
      format: read.format,
      ...(read.encoding ? { encoding: read.encoding } : {}),
      sheet: sheet.sheet.name,
      headers: sheet.headers,
      mapping: sheet.mapping,
      ...result,
    };
  } catch (error) {
    return parseFailure('PARSE_FAILED', 'The spreadsheet could not be read.', { cause: String(error) });
  }
}

async function readFaqSheets(
  input: { name: string; bytes: Uint8Array; mimeType?: string },
  limits: ParseLimits,
): Promise<{ format: 'csv' | 'xlsx'; sheets: Sheet[]; encoding?: string } | ParseFailure> {
  const detected = detectFormat(input);
  if ('kind' in detected) return detected;
  if (detected.container === 'zip') {
    const zip = readZip(input.bytes, {
      maxEntries: limits.maxArchiveEntries,
      maxUncompressedBytes: limits.maxUncompressedBytes,
      extract: (name) => /\.(xml|rels)$/i.test(name),
      label: 'XLSX',
    });
    if ('kind' in zip) return zip;
    if (!zip.names.some((n) => n.startsWith('xl/')))
      return parseFailure('FORMAT_UNSUPPORTED', 'This zip file is not an XLSX workbook. FAQ sheets are read from CSV or XLSX.');
    const read = await readXlsx(zip.files);
    return 'kind' in read ? read : { format: 'xlsx', sheets: read.sheets };
  }
  if (detected.container === 'text' && (detected.format === 'csv' || detected.format === 'txt')) {
    const read = readCsv(input.bytes, detected.delimiter ? { delimiter: detected.delimiter } : {});
    return 'kind' in read ? read : { format: 'csv', sheets: read.sheets, ...(read.encoding ? { encoding: read.encoding } : {}) };
  }
  return parseFailure('FORMAT_UNSUPPORTED', 'FAQ sheets are read from CSV or XLSX files.');
}

interface PickedSheet {
  sheet: Sheet;
  headerIndex: number;
  headers: string[];
  mapping: FaqColumnMapping;
}

function pickSheet(sheets: Sheet[], options: ParseFaqSheetOptions): PickedSheet | ParseFailure {
  let candidates = sheets;
  if (options.sheet !== undefined) {
    const wanted = typeof options.sheet === 'number' ? sheets[options.sheet - 1] : sheets.find((s) => s.name === options.sheet);
    if (!wanted) {
      return parseFailure(
        'SHEET_COLUMNS_MISSING',
        `The workbook has no sheet ${JSON.stringify(options.sheet)}; its sheets are ${sheets.map((s) => s.name).join(', ')}.`,
        {
          sheets: sheets.map((s) => s.name),
        },
      );
    }
    candidates = [wanted];
  }
  const withRows = candidates.filter((s) => s.rows.length > 0);
  if (withRows.length === 0) return parseFailure('FILE_EMPTY', 'The sheet contains no rows.');
  for (const sheet of withRows) {
    for (let i = 0; i < Math.min(HEADER_SEARCH_ROWS, sheet.rows.length); i++) {
      const headers = uniqueHeaders(sheet.rows[i]!.cells);
      const mapping = resolveMapping(headers, options.mapping);
      if (mapping) return { sheet, headerIndex: i, headers, mapping };
    }
  }
  const headers = uniqueHeaders(withRows[0]!.rows[0]!.cells);
  const asked = options.mapping ? Object.values(options.mapping).filter(Boolean) : [];
  return parseFailure(
    'SHEET_COLUMNS_MISSING',
    asked.length > 0
      ? `The sheet has no column named ${asked.map((h) => `"${h}"`).join(' / ')}; its header is: ${headers.join(', ')}.`
      : `The sheet needs a question column (问题, 标准问, question) and an answer column (答案, 回答, answer); its header is: ${headers.join(', ')}.`,
    { headers },
  );
}

/** Mapping with the sheet's own header names, or null when question or answer has no column. */
function resolveMapping(headers: string[], asked: Partial<FaqColumnMapping> | undefined): FaqColumnMapping | null {
  const keys = headers.map(headerKey);
  const found: Partial<FaqColumnMapping> = {};
  for (const field of FIELDS) {
    const wanted = asked?.[field];
    const index = wanted ? keys.indexOf(headerKey(wanted)) : keys.findIndex((k) => HEADER_ALIASES[field].includes(k));
    if (wanted && index === -1) return null;
    if (index !== -1) found[field] = headers[index]!;
  }
  if (!found.question || !found.answer || found.question === found.answer) return null;
  return found as FaqColumnMapping;
}

/** `" 問題（必填）* "` → `问题`: case, width, spacing, 简/繁 and "required" markers do not matter. */
function headerKey(header: string): string {
  const folded = foldForAnalysis(normalizeText(header));
  return folded.replace(/[(（][^)）]*[)）]/g, '').replace(/[\s_\-*:：#.]/g, '');
}

function uniqueHeaders(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const name = cell.trim() || `column ${i + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

function mapRows(sheet: Sheet, headerIndex: number, mapping: FaqColumnMapping): { rows: FaqSheetRow[]; issues: FaqSheetIssue[] } {
  const headers = uniqueHeaders(sheet.rows[headerIndex]!.cells);
  const column = (name: string | undefined) => (name === undefined ? -1 : headers.indexOf(name));
  const at = (row: SheetRow, name: string | undefined) => {
    const i = column(name);
    return i === -1 ? '' : (row.cells[i] ?? '').trim();
  };
  const rows: FaqSheetRow[] = [];
  const issues: FaqSheetIssue[] = [];
  const firstLineOf = new Map<string, number>();
  for (const row of sheet.rows.slice(headerIndex + 1)) {
    const question = at(row, mapping.question);
    const answer = at(row, mapping.answer);
    if (!question) {
      issues.push({ line: row.line, code: 'FAQ_QUESTION_MISSING', message: `Line ${row.line} has no question; it was skipped.` });
      continue;
    }
    if (!answer) {
      issues.push({ line: row.line, code: 'FAQ_ANSWER_MISSING', message: `Line ${row.line} ("${question}") has no answer; it was skipped.` });
      continue;
    }
    const values: Record<string, string> = {};
    headers.forEach((h, i) => {
      values[h] = row.cells[i] ?? '';
    });
    const similar = splitSimilar(at(row, mapping.similar)).filter((s) => questionKey(s) !== questionKey(question));
    const category = at(row, mapping.category);
    const id = at(row, mapping.id);
    rows.push({ line: row.line, values, question, answer, similar, ...(category ? { category } : {}), ...(id ? { id } : {}) });

    const key = questionKey(question);
    const first = firstLineOf.get(key);
    if (first === undefined) firstLineOf.set(key, row.line);
    else {
      issues.push({
        line: row.line,
        code: 'FAQ_QUESTION_DUPLICATE',
        message: `Line ${row.line} asks the same question as line ${first} ("${question}").`,
        firstLine: first,
      });
    }
  }
  return { rows, issues };
}

/** Similar questions in one cell: a JSON array (as `kefu import-faq` documents), or split on separators. */
function splitSimilar(cell: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const trimmed = cell.trim();
  let parts: string[] | null = null;
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) parts = parsed.map(String);
    } catch {
      // not JSON: split it like any other cell
    }
  }
  for (const part of parts ?? cell.split(/\r?\n|[|｜;；]/)) {
    const text = part.trim();
    const key = questionKey(text);
    if (text && !seen.has(key)) {
      seen.add(key);
      out.push(text);
    }
  }
  return out;
}

/** Two questions are the same when they differ only in case, width, 简/繁, spacing or punctuation. */
function questionKey(question: string): string {
  return foldForAnalysis(normalizeText(question)).replace(/[\s\p{P}\p{S}]/gu, '');
}
