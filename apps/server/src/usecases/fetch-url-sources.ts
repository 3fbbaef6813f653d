import type { ImportFileError } from '../domain/entities.js';
import type { ImportFile } from './import-documents.js';

export interface UrlLimits {
  maxBytes: number;
  maxPages: number;
  /** For the whole crawl; each request also stops at `requestTimeoutMs`. */
  timeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_URL_LIMITS: UrlLimits = { maxBytes: 20 * 1024 * 1024, maxPages: 200, timeoutMs: 120_000, requestTimeoutMs: 15_000 };

/**
 * Fetches a page, or every page a sitemap lists, within size, count and time limits. What could not be
 * fetched is reported per URL; what could is returned for the import.
 */
export async function fetchUrlSources(url: string, limits: UrlLimits = DEFAULT_URL_LIMITS): Promise<{ files: ImportFile[]; errors: ImportFileError[] }> {
  const deadline = Date.now() + limits.timeoutMs;
  const errors: ImportFileError[] = [];
  const first = await fetchOne(url, limits, deadline);
  if ('error' in first) return { files: [], errors: [first.error] };
  const text = new TextDecoder().decode(first.file.bytes.subarray(0, 4096));
  if (!/<(urlset|sitemapindex)[\s>]/i.test(text)) return { files: [first.file], errors };

  const all = new TextDecoder().decode(first.file.bytes);
  const locs = [...all.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  if (locs.length > limits.maxPages) {
    errors.push({ file: url, code: 'SITEMAP_TOO_LARGE', message: `the sitemap lists ${locs.length} pages; the first ${limits.maxPages} are imported` });
  }
  const files: ImportFile[] = [];
  for (const loc of locs.slice(0, limits.maxPages)) {
    if (Date.now() > deadline) {
      errors.push({ file: loc, code: 'IMPORT_TIMEOUT', message: 'the time limit for this import ran out before this page' });
      continue;
    }
    const r = await fetchOne(loc, limits, deadline);
    if ('error' in r) errors.push(r.error);
    else files.push(r.file);
  }
  return { files, errors };
}

async function fetchOne(url: string, limits: UrlLimits, deadline: number): Promise<{ file: ImportFile } | { error: ImportFileError }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: { file: url, code: 'URL_INVALID', message: 'not a valid URL' } };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { error: { file: url, code: 'URL_INVALID', message: 'only http and https URLs can be imported' } };
  try {
    const res = await fetch(parsed, { signal: AbortSignal.timeout(Math.max(1, Math.min(limits.requestTimeoutMs, deadline - Date.now()))), redirect: 'follow' });
    if (!res.ok) return { error: { file: url, code: 'URL_FETCH_FAILED', message: `the server answered ${res.status}` } };
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > limits.maxBytes) return { error: { file: url, code: 'FILE_TOO_LARGE', message: `the page is larger than ${limits.maxBytes} bytes` } };
    // Read at most maxBytes even when the server does not say how much it sends.
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).length;
      if (size > limits.maxBytes) return { error: { file: url, code: 'FILE_TOO_LARGE', message: `the page is larger than ${limits.maxBytes} bytes` } };
      chunks.push(chunk as Uint8Array);
    }
    const bytes = Buffer.concat(chunks);
    const type = res.headers.get('content-type') ?? '';
    const name = nameFor(parsed, type);
    return { file: { source: url, name, bytes, ...(type ? { mimeType: type.split(';')[0]!.trim() } : {}) } };
  } catch (err) {
    const timeout = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    return {
      error: {
        file: url,
        code: timeout ? 'IMPORT_TIMEOUT' : 'URL_FETCH_FAILED',
        message: timeout ? 'the page took too long to answer' : 'the page could not be fetched',
      },
    };
  }
}

/** A file name whose extension tells the parser what the page is. */
function nameFor(url: URL, contentType: string): string {
  const last = url.pathname.split('/').filter(Boolean).pop() ?? url.hostname;
  if (/\.[a-z0-9]{2,5}$/i.test(last)) return last;
  if (/html/i.test(contentType)) return `${last}.html`;
  if (/pdf/i.test(contentType)) return `${last}.pdf`;
  if (/markdown/i.test(contentType)) return `${last}.md`;
  if (/xml/i.test(contentType)) return `${last}.xml`;
  return `${last}.txt`;
}
