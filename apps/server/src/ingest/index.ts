// Document ingestion: files → blocks → chunks, and FAQ spreadsheets → rows. Pure: no database, no HTTP.
export { type Chunk, type ChunkOptions, chunkDocument, hashChunk, hashSource, renderDocumentText } from './chunk-document.js';
export { type DocumentInput, parseDocument } from './parse-document.js';
export { isParseFailure, type ParseFailure, type ParseFailureCode } from './parse-failure.js';
export {
  type FaqColumnMapping,
  type FaqSheetIssue,
  type FaqSheetIssueCode,
  type FaqSheetRow,
  type ParsedFaqSheet,
  type ParseFaqSheetOptions,
  parseFaqSheet,
} from './parse-faq-sheet.js';
export { DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse-limits.js';
export type { Block, DocumentFormat, ParsedDocument } from './parsed-document.js';
