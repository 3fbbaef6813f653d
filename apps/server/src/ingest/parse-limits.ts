/** Bounds on what one file may cost to read. Everything is checked before the expensive step. */
export interface ParseLimits {
  /** Size of the file as uploaded. */
  maxBytes: number;
  /** Entries in a DOCX/XLSX zip (a zip with thousands of entries is a bomb, not a document). */
  maxArchiveEntries: number;
  /** Uncompressed size of a DOCX/XLSX: declared in the central directory, and enforced while inflating. */
  maxUncompressedBytes: number;
  /** Pages of a PDF. */
  maxPdfPages: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxArchiveEntries: 2000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxPdfPages: 2000,
});

export function resolveLimits(limits: Partial<ParseLimits> | undefined): ParseLimits {
  const resolved = { ...DEFAULT_PARSE_LIMITS, ...limits };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`parse limit ${key} must be a positive number`);
  }
  return resolved;
}
