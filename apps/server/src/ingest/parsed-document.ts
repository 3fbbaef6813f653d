/** The structure every format is reduced to; chunking and display work on this only. */
export type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[]; ordered?: boolean }
  | { type: 'table'; rows: string[][] }
  | { type: 'code'; text: string; lang?: string };

export type DocumentFormat = 'markdown' | 'html' | 'pdf' | 'docx' | 'txt' | 'csv' | 'xlsx';

export interface ParsedDocument {
  kind: 'document';
  title: string;
  format: DocumentFormat;
  blocks: Block[];
  /** Text formats only: the encoding the bytes were decoded from (`utf-8`, `gb18030`, `big5`…). */
  encoding?: string;
  /** Things worth telling the importer that did not stop the import (a DOCX style left unmapped). */
  warnings?: string[];
}
