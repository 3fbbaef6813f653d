import { Unzip, type UnzipFileInfo, UnzipInflate, unzipSync, zipSync } from 'fflate';
import { formatBytes, type ParseFailure, parseFailure } from './parse-failure.js';

export interface ReadZipOptions {
  maxEntries: number;
  maxUncompressedBytes: number;
  /** Which entries to inflate; the others are only counted. */
  extract: (name: string) => boolean;
  /** For messages: `DOCX`, `XLSX`. */
  label: string;
}

export interface ZipContents {
  /** Every entry name in the central directory. */
  names: string[];
  files: Map<string, Uint8Array>;
}

// Compressed bytes handed to the inflater per step. DEFLATE expands at most ~1032:1, so no single
// step can produce more than ~16 MB before the running total is checked again.
const SLICE = 16 * 1024;

class ArchiveLimitExceeded extends Error {
  constructor(readonly failure: ParseFailure) {
    super(failure.message);
  }
}

/**
 * Reads a zip (DOCX, XLSX) without trusting it. The central directory is checked against the
 * limits before anything is inflated; then only the wanted entries are inflated, streaming, and the
 * inflation stops as soon as an entry outgrows the size it declared or the total outgrows the limit
 * (a zip bomb can lie in its headers).
 */
export function readZip(bytes: Uint8Array, options: ReadZipOptions): ZipContents | ParseFailure {
  const { maxEntries, maxUncompressedBytes, label } = options;
  const declared = new Map<string, number>();
  const names: string[] = [];
  try {
    let declaredTotal = 0;
    unzipSync(bytes, {
      filter(file: UnzipFileInfo) {
        names.push(file.name);
        if (names.length > maxEntries) {
          throw new ArchiveLimitExceeded(
            parseFailure('ARCHIVE_TOO_LARGE', `This ${label} file holds more than ${maxEntries} entries; it looks like a zip bomb and was not opened.`, {
              maxEntries,
            }),
          );
        }
        declaredTotal += file.originalSize;
        if (declaredTotal > maxUncompressedBytes) {
          throw new ArchiveLimitExceeded(tooLarge(label, maxUncompressedBytes));
        }
        declared.set(file.name, file.originalSize);
        return false;
      },
    });
  } catch (error) {
    if (error instanceof ArchiveLimitExceeded) return error.failure;
    return parseFailure('PARSE_FAILED', `This ${label} file is damaged: it is not a readable zip archive.`, { cause: String(error) });
  }

  const files = new Map<string, Uint8Array>();
  let total = 0;
  const unzip = new Unzip((file) => {
    const limit = declared.get(file.name);
    if (limit === undefined || !options.extract(file.name) || files.has(file.name)) return;
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, data, final) => {
      if (error) throw error;
      size += data.length;
      total += data.length;
      if (size > limit || total > maxUncompressedBytes) throw new ArchiveLimitExceeded(tooLarge(label, maxUncompressedBytes));
      parts.push(data);
      if (final) files.set(file.name, concat(parts, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < bytes.length; offset += SLICE) {
      unzip.push(bytes.subarray(offset, offset + SLICE), offset + SLICE >= bytes.length);
    }
  } catch (error) {
    if (error instanceof ArchiveLimitExceeded) return error.failure;
    return parseFailure('PARSE_FAILED', `This ${label} file is damaged: an entry could not be decompressed.`, { cause: String(error) });
  }
  return { names, files };
}

/**
 * Zips already-inflated entries without compression, for libraries that want a whole file:
 * whatever they inflate again is exactly what was checked here.
 */
export function storeZip(files: Map<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(files), { level: 0 });
}

function tooLarge(label: string, max: number): ParseFailure {
  return parseFailure(
    'ARCHIVE_TOO_LARGE',
    `This ${label} file expands to more than ${formatBytes(max)} when decompressed; it looks like a zip bomb and was not opened.`,
    { maxUncompressedBytes: max },
  );
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
