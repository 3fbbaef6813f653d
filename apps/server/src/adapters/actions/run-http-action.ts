import { z } from 'zod';
import { lookupPath, renderJson, renderTemplate, templatePaths } from '../../engine/render-template.js';

/** A workspace's HTTP connector: how a flow step calls a business system (order lookup, refund, CRM…). */
export interface HttpActionConfig {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Template; filled values are URL-encoded: `https://erp.example.com/orders/{{slots.order_no}}`. */
  url: string;
  /** Templates; may use `{{secrets.NAME}}`, decrypted by the caller into `scope.secrets`. */
  headers?: Record<string, string>;
  /** JSON template (`renderJson`): a string that is exactly one placeholder keeps the value's type. */
  body?: unknown;
  /** Slot name → dotted path into the JSON response: `{ tracking: 'data.logistics.no' }`. */
  response?: Record<string, string>;
  /** Deadline for the whole call, retries included. Default 5000, at most 30000. */
  timeoutMs?: number;
  /** Extra attempts after network errors, 5xx and 429. Default 1, at most 3. */
  retries?: number;
  /** Send `Idempotency-Key` (given by the caller), which also makes POST and PATCH retryable. */
  idempotency?: boolean;
  /** Default 1 MB, at most 10 MB. */
  maxResponseBytes?: number;
}

export type ActionError = 'timeout' | 'http_error' | 'network' | 'invalid_json' | 'too_large' | 'invalid_request' | 'missing_value';

export type ActionOutcome =
  | { ok: true; status: number; data: unknown; slots: Record<string, unknown>; ms: number; attempts: number }
  | { ok: false; error: ActionError; status?: number; message: string; ms: number; attempts: number };

export const HTTP_ACTION_LIMITS = {
  defaultTimeoutMs: 5000,
  maxTimeoutMs: 30_000,
  defaultRetries: 1,
  maxRetries: 3,
  defaultMaxResponseBytes: 1024 * 1024,
  maxResponseBytes: 10 * 1024 * 1024,
} as const;

/**
 * Calls a configured HTTP endpoint with values from `scope` and maps its JSON answer into slots.
 * Expected failures (bad config, missing values, time-outs, HTTP errors, oversized or malformed
 * answers) are returned as `{ ok: false }`; it never throws for them. Secret values from
 * `scope.secrets` are sent but masked in everything returned, including echoes in the answer.
 */
export async function runHttpAction(
  config: HttpActionConfig,
  scope: Record<string, unknown>,
  opts: { idempotencyKey?: string; signal?: AbortSignal; fetch?: typeof fetch } = {},
): Promise<ActionOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const redact = secretRedactor(scope.secrets);
  let attempts = 0;
  const fail = (error: ActionError, message: string, status?: number): ActionOutcome => ({
    ok: false,
    error,
    ...(status === undefined ? {} : { status }),
    message: redact(message),
    ms: elapsed(),
    attempts,
  });

  const prepared = prepareRequest(config, scope, opts.idempotencyKey);
  if (!prepared.ok) return fail(prepared.error, prepared.message);
  const { url, init } = prepared;
  const host = url.host;

  const timeoutMs = clamp(config.timeoutMs, HTTP_ACTION_LIMITS.defaultTimeoutMs, 1, HTTP_ACTION_LIMITS.maxTimeoutMs);
  const maxBytes = clamp(config.maxResponseBytes, HTTP_ACTION_LIMITS.defaultMaxResponseBytes, 1, HTTP_ACTION_LIMITS.maxResponseBytes);
  // Repeating a POST or PATCH could book a second refund; only an idempotency key makes that safe.
  const idempotent = init.method === 'GET' || init.method === 'PUT' || init.method === 'DELETE' || init.headers.has('idempotency-key');
  const maxAttempts = 1 + (idempotent ? clamp(config.retries, HTTP_ACTION_LIMITS.defaultRetries, 0, HTTP_ACTION_LIMITS.maxRetries) : 0);

  const deadline = started + timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const aborted = () => (opts.signal?.aborted ? fail('timeout', 'the action was cancelled') : fail('timeout', `no answer from ${host} within ${timeoutMs} ms`));
  const doFetch = opts.fetch ?? fetch;

  for (;;) {
    attempts++;
    if (signal.aborted) return aborted();
    const result = await attempt(doFetch, url, { ...init, signal }, maxBytes);
    if (result.kind === 'aborted' || signal.aborted) return aborted();
    if (result.kind === 'too_large') return fail('too_large', `the answer from ${host} is larger than ${maxBytes} bytes`);

    let retryAfterMs: number | undefined;
    let lastFailure: ActionOutcome;
    if (result.kind === 'network') {
      lastFailure = fail('network', `could not reach ${host}: ${result.reason}`);
    } else if (result.status >= 200 && result.status < 300) {
      return succeed(result, config, redact, host, elapsed(), attempts, fail);
    } else {
      const excerpt = result.excerpt ? `: ${result.excerpt}` : '';
      const redirected = result.status >= 300 && result.status < 400 ? ' (redirects are not followed; configure the final URL)' : '';
      lastFailure = fail('http_error', `${host} answered HTTP ${result.status}${redirected}${excerpt}`, result.status);
      if (result.status !== 429 && result.status < 500) return lastFailure;
      retryAfterMs = parseRetryAfter(result.retryAfter, Date.now());
    }

    if (attempts >= maxAttempts) return lastFailure;
    const waitMs = retryAfterMs ?? backoffMs(attempts);
    // A wait that would outlast the deadline only turns a clear error into a time-out.
    if (performance.now() + waitMs >= deadline) return lastFailure;
    if (!(await sleep(waitMs, signal))) return aborted();
  }
}

type Prepared =
  | { ok: true; url: URL; init: { method: string; headers: Headers; body?: string; redirect: 'manual' } }
  | { ok: false; error: 'invalid_request' | 'missing_value'; message: string };

function prepareRequest(config: HttpActionConfig, scope: Record<string, unknown>, idempotencyKey: string | undefined): Prepared {
  const invalid = (message: string): Prepared => ({ ok: false, error: 'invalid_request', message });
  if (!METHODS.includes(config.method)) return invalid(`unsupported method ${String(config.method).slice(0, 10)}`);
  if (typeof config.url !== 'string') return invalid('the URL is missing');

  const missing: string[] = [];
  let dotSegment = false;
  const url = renderTemplate(config.url, scope, {
    encode: (v) => {
      // `..` (even as %2E%2E) is resolved by URL parsing, so a value could climb out of its path.
      if (/^\.{1,2}$/.test(v)) dotSegment = true;
      return encodeURIComponent(v);
    },
  });
  missing.push(...url.missing);
  const headerValues: [string, string][] = [];
  for (const [name, template] of Object.entries(config.headers ?? {})) {
    const r = renderTemplate(String(template), scope);
    missing.push(...r.missing);
    headerValues.push([name, r.text]);
  }
  const body = config.body === undefined ? undefined : renderJson(config.body, scope, missing);
  // A half-filled request (an order number left out, an empty API key) must not reach the system.
  if (missing.length > 0) {
    const names = [...new Set(missing)];
    return { ok: false, error: 'missing_value', message: `missing ${names.length === 1 ? 'value' : 'values'} for ${names.join(', ')}` };
  }
  if (dotSegment) return invalid('a value filled into the URL is "." or ".."');

  let parsed: URL;
  try {
    parsed = new URL(url.text);
  } catch {
    return invalid('the URL is not valid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return invalid('only http and https URLs are allowed');
  if (parsed.username || parsed.password) return invalid('credentials in the URL are not allowed; send them in a header');

  const headers = new Headers();
  for (const [name, value] of headerValues) {
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) return invalid(`the header ${name.slice(0, 40)} cannot be set`);
    try {
      headers.set(name, value);
    } catch {
      // Names only: the value may hold a secret or a customer's text with a line break in it.
      return invalid(`the header ${name.slice(0, 40)} has an invalid name or value`);
    }
  }
  if (config.idempotency) {
    if (!idempotencyKey) return invalid('idempotency is on but no idempotency key was given');
    headers.set('idempotency-key', idempotencyKey);
  }
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  if (!headers.has('user-agent')) headers.set('user-agent', 'kefu-actions');

  const init: { method: string; headers: Headers; body?: string; redirect: 'manual' } = { method: config.method, headers, redirect: 'manual' };
  if (body !== undefined) {
    if (config.method === 'GET') return invalid('a GET request cannot have a body');
    try {
      init.body = JSON.stringify(body);
    } catch {
      return invalid('the body cannot be written as JSON');
    }
    if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  }
  return { ok: true, url: parsed, init };
}

type AttemptResult =
  | { kind: 'response'; status: number; contentType: string; retryAfter: string | null; bytes: Uint8Array; excerpt: string }
  | { kind: 'too_large' }
  | { kind: 'network'; reason: string }
  | { kind: 'aborted' };

async function attempt(doFetch: typeof fetch, url: URL, init: RequestInit & { signal: AbortSignal }, maxBytes: number): Promise<AttemptResult> {
  try {
    const res = await doFetch(url, init);
    const contentType = res.headers.get('content-type') ?? '';
    const success = res.status >= 200 && res.status < 300;
    if (success) {
      const body = await readAtMost(res, maxBytes);
      if (body.truncated) return { kind: 'too_large' };
      return { kind: 'response', status: res.status, contentType, retryAfter: null, bytes: body.bytes, excerpt: '' };
    }
    // An error page only contributes a short excerpt, so only its beginning is read.
    const body = await readAtMost(res, EXCERPT_READ_BYTES);
    return {
      kind: 'response',
      status: res.status,
      contentType,
      retryAfter: res.headers.get('retry-after'),
      bytes: new Uint8Array(0),
      excerpt: excerptOf(body.bytes, contentType, body.truncated),
    };
  } catch (err) {
    if (init.signal.aborted) return { kind: 'aborted' };
    return { kind: 'network', reason: networkReason(err) };
  }
}

/** Reads a body up to `max` bytes (decoded), then stops the transfer instead of buffering the rest. */
async function readAtMost(res: Response, max: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const declared = Number(res.headers.get('content-length'));
  if (!res.headers.has('content-encoding') && Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => {});
    return { bytes: new Uint8Array(0), truncated: true };
  }
  if (!res.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > max) {
      chunks.push(value.subarray(0, max - total));
      total = max;
      await reader.cancel().catch(() => {});
      return { bytes: Buffer.concat(chunks, total), truncated: true };
    }
    chunks.push(value);
    total += value.byteLength;
  }
  return { bytes: Buffer.concat(chunks, total), truncated: false };
}

function succeed(
  result: Extract<AttemptResult, { kind: 'response' }>,
  config: HttpActionConfig,
  redact: (s: string) => string,
  host: string,
  ms: number,
  attempts: number,
  fail: (error: ActionError, message: string, status?: number) => ActionOutcome,
): ActionOutcome {
  const mappings = Object.entries(config.response ?? {});
  let data: unknown = null;
  const text = new TextDecoder('utf-8').decode(result.bytes).replace(/^\uFEFF/, '');
  if (text.trim() !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      // A plain "OK" from a webhook is fine; it is only an error when JSON was promised or needed.
      if (JSON_TYPE.test(result.contentType) || mappings.length > 0) return fail('invalid_json', `the answer from ${host} is not valid JSON`, result.status);
      data = text;
    }
  }
  data = redactDeep(data, redact);
  // Every mapped slot is written, null when absent, so a value from an earlier call cannot linger.
  const slots: Record<string, unknown> = {};
  for (const [slot, path] of mappings) slots[slot] = lookupPath(data, path) ?? null;
  return { ok: true, status: result.status, data, slots, ms, attempts };
}

function excerptOf(bytes: Uint8Array, contentType: string, truncated: boolean): string {
  // HTML error pages are noise; JSON and plain text usually say what went wrong.
  if (contentType && !JSON_TYPE.test(contentType) && !/^text\/plain\b/i.test(contentType)) return '';
  const text = new TextDecoder('utf-8')
    .decode(bytes)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return '';
  return text.length > EXCERPT_CHARS || truncated ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; name?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.name === 'string' ? cause.name : undefined;
  // Codes only: undici's messages may quote the URL, which can carry a secret in its query.
  if (code && /^[A-Z0-9_]{2,40}$/i.test(code)) return NETWORK_REASONS[code] ?? code;
  return 'network error';
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in ms. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const backoffMs = (attempt: number) => Math.round(200 * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function clamp(value: number | undefined, fallback: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

/** Masks every secret value (and its URL- and JSON-escaped forms) in a string. */
function secretRedactor(secrets: unknown): (s: string) => string {
  const values = new Set<string>();
  const collect = (v: unknown, depth: number) => {
    if (typeof v === 'string' || typeof v === 'number') {
      const s = String(v);
      if (s.length === 0) return;
      values.add(s);
      values.add(encodeURIComponent(s));
      values.add(JSON.stringify(s).slice(1, -1));
    } else if (v && typeof v === 'object' && depth < 5) {
      for (const x of Object.values(v)) collect(x, depth + 1);
    }
  };
  collect(secrets, 0);
  // Longest first, so a secret that contains another is masked whole.
  const sorted = [...values].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return (s) => s;
  return (s) => {
    for (const secret of sorted) if (s.includes(secret)) s = s.split(secret).join('***');
    return s;
  };
}

function redactDeep(value: unknown, redact: (s: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactDeep(v, redact)]));
  }
  return value;
}

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const JSON_TYPE = /[/+]json\b/i;
const EXCERPT_CHARS = 200;
const EXCERPT_READ_BYTES = 2048;
// Set by the HTTP client from the request itself; hop-by-hop headers would confuse the connection.
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-connection',
  'proxy-authorization',
]);
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed unexpectedly',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SLOT_NAME = /^[a-z][a-z0-9_]*$/;
const RESPONSE_PATH = /^[\p{L}\p{N}_]+(\.[\p{L}\p{N}_]+)*$/u;
const STRAY_BRACES = /\{\{|\}\}/;
const PLACEHOLDER_ANY = /\{\{\s*[^{}]*?\s*\}\}/g;

/** Checks a URL template: placeholders well formed, and an http(s) URL once they are filled. */
function checkUrlTemplate(url: string, ctx: z.RefinementCtx): void {
  const stripped = url.replace(PLACEHOLDER_ANY, (m) => (templatePaths(m).length === 1 ? 'x' : m));
  if (STRAY_BRACES.test(stripped)) {
    ctx.addIssue({ code: 'custom', message: 'has a malformed {{placeholder}}' });
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(stripped);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://erp.example.com/orders/{{slots.order_no}}' });
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must start with http:// or https://' });
  // Filled values are URL-encoded, and a customer's answer must never choose where a request goes.
  else if (!/^https?:\/\/[^{}/?#]+(?:[/?#]|$)/i.test(url)) ctx.addIssue({ code: 'custom', message: 'the host must be written out, not a {{placeholder}}' });
  if (parsed.username || parsed.password) ctx.addIssue({ code: 'custom', message: 'must not contain credentials; send them in a header' });
}

function checkTemplate(value: string, ctx: z.RefinementCtx): void {
  const stripped = value.replace(PLACEHOLDER_ANY, (m) => (templatePaths(m).length === 1 ? '' : m));
  if (STRAY_BRACES.test(stripped)) ctx.addIssue({ code: 'custom', message: 'has a malformed {{placeholder}}' });
}

/** Admin input for an HTTP action, with a message for every field that is wrong. */
export const HttpActionConfigSchema = z
  .strictObject(
    {
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], { error: 'must be one of GET, POST, PUT, PATCH, DELETE' }),
      url: z
        .string({ error: 'is required' })
        .min(1, 'is required')
        .max(2048, 'must be at most 2048 characters')
        .superRefine((url, ctx) => checkUrlTemplate(url, ctx)),
      headers: z
        .record(
          z.string(),
          z
            .string({ error: 'must be text' })
            .max(4096, 'must be at most 4096 characters')
            .regex(/^[^\r\n\0]*$/, 'must be on one line')
            .superRefine((v, ctx) => checkTemplate(v, ctx)),
        )
        .superRefine((headers, ctx) => {
          // Keys are checked here rather than by a key schema, whose failures carry no field name.
          for (const name of Object.keys(headers)) {
            if (!HEADER_NAME.test(name) || name.length > 100) {
              ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid header name (letters, digits and -, e.g. X-Api-Key)' });
            } else if (FORBIDDEN_HEADERS.has(name.toLowerCase())) {
              ctx.addIssue({ code: 'custom', path: [name], message: 'is set by kefu and cannot be configured' });
            }
          }
          if (Object.keys(headers).length > 30) ctx.addIssue({ code: 'custom', message: 'at most 30 headers' });
        })
        .optional(),
      body: z
        .unknown()
        .superRefine((body, ctx) => {
          let text: string | undefined;
          try {
            text = JSON.stringify(body);
          } catch {
            ctx.addIssue({ code: 'custom', message: 'must be JSON' });
            return;
          }
          if (text !== undefined && text.length > 64 * 1024) ctx.addIssue({ code: 'custom', message: 'must be at most 64 KB' });
        })
        .optional(),
      response: z
        .record(
          z.string(),
          z
            .string({ error: 'must be a dotted path' })
            .max(500, 'must be at most 500 characters')
            .regex(RESPONSE_PATH, 'must be a dotted path into the response, e.g. data.logistics.no'),
        )
        .superRefine((response, ctx) => {
          for (const slot of Object.keys(response)) {
            if (!SLOT_NAME.test(slot) || slot.length > 64) {
              ctx.addIssue({ code: 'custom', path: [slot], message: 'is not a valid slot name (lower-case letters, digits and _, starting with a letter)' });
            }
          }
          if (Object.keys(response).length > 50) ctx.addIssue({ code: 'custom', message: 'at most 50 mapped slots' });
        })
        .optional(),
      timeoutMs: z
        .number({ error: 'must be a number of milliseconds' })
        .int('must be a whole number of milliseconds')
        .min(100, 'must be at least 100 ms')
        .max(HTTP_ACTION_LIMITS.maxTimeoutMs, `must be at most ${HTTP_ACTION_LIMITS.maxTimeoutMs} ms`)
        .optional(),
      retries: z
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(0, 'must be 0 or more')
        .max(HTTP_ACTION_LIMITS.maxRetries, `must be at most ${HTTP_ACTION_LIMITS.maxRetries}`)
        .optional(),
      idempotency: z.boolean({ error: 'must be true or false' }).optional(),
      maxResponseBytes: z
        .number({ error: 'must be a number of bytes' })
        .int('must be a whole number of bytes')
        .min(1024, 'must be at least 1024 bytes')
        .max(HTTP_ACTION_LIMITS.maxResponseBytes, 'must be at most 10 MB')
        .optional(),
    },
    { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown ${iss.keys.length === 1 ? 'field' : 'fields'}: ${iss.keys.join(', ')}` : undefined) },
  )
  .superRefine((c, ctx) => {
    if (c.method === 'GET' && c.body !== undefined) ctx.addIssue({ code: 'custom', path: ['body'], message: 'a GET request cannot have a body' });
    if (c.idempotency && c.headers && Object.keys(c.headers).some((n) => n.toLowerCase() === 'idempotency-key')) {
      ctx.addIssue({ code: 'custom', path: ['headers'], message: 'Idempotency-Key is sent by kefu when idempotency is on' });
    }
  }) satisfies z.ZodType<HttpActionConfig>;
