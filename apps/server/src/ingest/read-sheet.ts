import Papa from 'papaparse';
import readExcelFile from 'read-excel-file/universal';
import { decodeText } from './decode-text.js';
import { type ParseFailure, parseFailure } from './parse-failure.js';
import { storeZip } from './read-zip.js';

export interface SheetRow {
  /** 1-based line in the CSV file, or row number in the spreadsheet, as the user sees it. */
  line: number;
  cells: string[];
}

export interface Sheet {
  name: string;
  /** Non-empty rows only, in order. */
  rows: SheetRow[];
}

export interface ReadSheetsResult {
  sheets: Sheet[];
  encoding?: string;
}

/** CSV/TSV bytes → one sheet. The encoding is detected (GBK and Big5 exports from Excel are common). */
export function readCsv(bytes: Uint8Array, options: { delimiter?: string; name?: string } = {}): ReadSheetsResult | ParseFailure {
  const decoded = decodeText(bytes);
  if ('kind' in decoded) return decoded;
  const text = decoded.text;
  const rows: SheetRow[] = [];
  let line = 1;
  let consumed = 0;
  let failed: string | null = null;
  Papa.parse<string[]>(text, {
    delimiter: options.delimiter ?? '',
    // Not "|": FAQ sheets use it between similar questions inside a cell.
    delimitersToGuess: [',', '\t', ';'],
    skipEmptyLines: false,
    step(result) {
      if (failed) return;
      const cells = result.data.map((cell) => String(cell ?? '').trim());
      if (cells.some((cell) => cell !== '')) rows.push({ line, cells });
      // meta.cursor is the offset just past this record: count the lines it took, quoted newlines included.
      const cursor = result.meta.cursor;
      // An unclosed quote swallows every following row into one cell: better refused than imported.
      const unclosed = result.errors.find((e) => e.code === 'MissingQuotes');
      if (unclosed) failed = `${unclosed.message} (line ${line})`;
      line += countNewlines(text, consumed, cursor);
      consumed = cursor;
    },
  });
  if (failed) return parseFailure('PARSE_FAILED', `This CSV file is malformed: ${failed}.`);
  return { sheets: [{ name: options.name ?? 'Sheet1', rows }], encoding: decoded.encoding };
}

/** XLSX entries (already inflated within limits by readZip) → every sheet. */
export async function readXlsx(files: Map<string, Uint8Array>): Promise<ReadSheetsResult | ParseFailure> {
  try {
    const zip = storeZip(files);
    const buffer = zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.byteLength) as ArrayBuffer;
    const sheets = await readExcelFile(buffer);
    return {
      sheets: sheets.map((sheet) => ({
        name: sheet.sheet,
        rows: sheet.data.map((row, i) => ({ line: i + 1, cells: row.map(cellText) })).filter((row) => row.cells.some((cell) => cell !== '')),
      })),
    };
  } catch (error) {
    return parseFailure('PARSE_FAILED', 'This XLSX file is damaged: its sheets could not be read.', { cause: String(error) });
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value).trim();
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
