/**
 * Why a file could not be read. Codes are stable (the console translates them, the CLI prints
 * them, import jobs store them per file); the message is English for logs and operators.
 */
export type ParseFailureCode =
  | 'FILE_EMPTY'
  | 'FILE_TOO_LARGE'
  | 'FORMAT_UNSUPPORTED'
  | 'PDF_ENCRYPTED'
  | 'PDF_CORRUPT'
  | 'ARCHIVE_TOO_LARGE'
  | 'ENCODING_UNKNOWN'
  | 'PARSE_FAILED'
  // The file is readable but holds no text: a scanned PDF, an HTML page of scripts, an empty sheet.
  | 'NO_TEXT_FOUND'
  // An FAQ sheet whose header names no question or no answer column (and no mapping said which).
  | 'SHEET_COLUMNS_MISSING';

export interface ParseFailure {
  kind: 'failure';
  code: ParseFailureCode;
  message: string;
  details?: Record<string, unknown>;
}

export function parseFailure(code: ParseFailureCode, message: string, details?: Record<string, unknown>): ParseFailure {
  return details === undefined ? { kind: 'failure', code, message } : { kind: 'failure', code, message, details };
}

export function isParseFailure(value: unknown): value is ParseFailure {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'failure';
}

/** `20971520` → `"20 MB"`: limits are shown to people in the units they configured. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
