import type { Action, ActionBody } from '../api/automation';

/**
 * The action editor's model: what the form holds (text as typed, rows for headers, response mapping
 * and secrets), the checks made before sending, and the body the API takes. Check paths are the
 * server's field paths without `body.` (`config.url`, `config.headers.X-Api-Key`, `secrets.TOKEN`),
 * so the server's field errors land on the same fields.
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const ACTION_LIMITS = {
  defaultTimeoutMs: 5000,
  minTimeoutMs: 100,
  maxTimeoutMs: 30_000,
  defaultRetries: 1,
  maxRetries: 3,
  minResponseBytes: 1024,
  maxResponseBytes: 10 * 1024 * 1024,
} as const;

export interface Row {
  /** Stable across edits, for React keys; not part of the value. */
  id: number;
  key: string;
  value: string;
}

/** `keep`: stored, unchanged; `replace`: stored, a new value typed; `remove`: stored, to delete; `new`: not stored yet. */
export type SecretState = 'keep' | 'replace' | 'remove' | 'new';
export interface SecretRow {
  id: number;
  name: string;
  state: SecretState;
  value: string;
}

export interface ActionForm {
  key: string;
  description: string;
  method: HttpMethod;
  url: string;
  headers: Row[];
  /** JSON template as typed; empty for no body. */
  body: string;
  /** Slot name (key) ← dotted path into the JSON answer (value). */
  response: Row[];
  timeoutMs: string;
  retries: string;
  idempotency: boolean;
  maxResponseBytes: string;
  secrets: SecretRow[];
  llmTool: boolean;
}

export type ActionCheck =
  | 'required'
  | 'keyFormat'
  | 'json'
  | 'getBody'
  | 'timeout'
  | 'retries'
  | 'maxBytes'
  | 'headerName'
  | 'duplicate'
  | 'slotName'
  | 'secretName'
  | 'secretValue';

let nextRowId = 1;
export const newRow = (key = '', value = ''): Row => ({ id: nextRowId++, key, value });
export const newSecretRow = (name = ''): SecretRow => ({ id: nextRowId++, name, state: 'new', value: '' });

export function emptyActionForm(): ActionForm {
  return {
    key: '',
    description: '',
    method: 'GET',
    url: 'https://',
    headers: [],
    body: '',
    response: [],
    timeoutMs: '',
    retries: '',
    idempotency: false,
    maxResponseBytes: '',
    secrets: [],
    llmTool: false,
  };
}

export function formFromAction(a: Action): ActionForm {
  const c = a.config;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const num = (v: unknown) => (typeof v === 'number' ? String(v) : '');
  const rows = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v).map(([k, x]) => newRow(k, text(x))) : []);
  const method = HTTP_METHODS.find((m) => m === c.method) ?? 'GET';
  return {
    key: a.key,
    description: a.description,
    method,
    url: text(c.url),
    headers: rows(c.headers),
    body: c.body === undefined ? '' : JSON.stringify(c.body, null, 2),
    response: rows(c.response),
    timeoutMs: num(c.timeoutMs),
    retries: num(c.retries),
    idempotency: c.idempotency === true,
    maxResponseBytes: num(c.maxResponseBytes),
    secrets: a.secretNames.map((name) => ({ id: nextRowId++, name, state: 'keep' as const, value: '' })),
    llmTool: a.llmTool === true,
  };
}

/** Compares forms by value (row ids aside): the editor is dirty when this differs from its baseline. */
export function actionFormSignature(f: ActionForm): string {
  const rows = (list: readonly Row[]) => list.map((r) => [r.key, r.value]);
  return JSON.stringify({
    ...f,
    headers: rows(f.headers),
    response: rows(f.response),
    secrets: f.secrets.map((s) => [s.name, s.state, s.value]),
  });
}

const KEY = /^[a-z][a-z0-9_]*$/;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Problems the server would refuse, by field path; empty when the form can be sent. */
export function checkActionForm(f: ActionForm): Map<string, ActionCheck> {
  const out = new Map<string, ActionCheck>();
  const key = f.key.trim();
  if (!key) out.set('key', 'required');
  else if (!KEY.test(key) || key.length > 64) out.set('key', 'keyFormat');
  if (!f.url.trim() || f.url.trim() === 'https://') out.set('config.url', 'required');
  if (f.body.trim()) {
    if (parseJson(f.body) === undefined) out.set('config.body', 'json');
    else if (f.method === 'GET') out.set('config.body', 'getBody');
  }
  const timeout = intOrNull(f.timeoutMs);
  if (f.timeoutMs.trim() && (timeout === null || timeout < ACTION_LIMITS.minTimeoutMs || timeout > ACTION_LIMITS.maxTimeoutMs))
    out.set('config.timeoutMs', 'timeout');
  const retries = intOrNull(f.retries);
  if (f.retries.trim() && (retries === null || retries < 0 || retries > ACTION_LIMITS.maxRetries)) out.set('config.retries', 'retries');
  const bytes = intOrNull(f.maxResponseBytes);
  if (f.maxResponseBytes.trim() && (bytes === null || bytes < ACTION_LIMITS.minResponseBytes || bytes > ACTION_LIMITS.maxResponseBytes))
    out.set('config.maxResponseBytes', 'maxBytes');
  checkRows(f.headers, 'config.headers', (name) => HEADER_NAME.test(name) && name.length <= 100, 'headerName', out, true);
  checkRows(f.response, 'config.response', (slot) => KEY.test(slot) && slot.length <= 64, 'slotName', out, false);
  const names = new Set<string>();
  for (const s of f.secrets) {
    const name = s.name.trim();
    const path = `secrets.${name || s.id}`;
    if (!SECRET_NAME.test(name)) out.set(path, 'secretName');
    else if (names.has(name)) out.set(path, 'duplicate');
    else if ((s.state === 'new' || s.state === 'replace') && !s.value) out.set(path, 'secretValue');
    names.add(name);
  }
  return out;
}

function checkRows(
  rows: readonly Row[],
  base: string,
  validName: (name: string) => boolean,
  nameCheck: ActionCheck,
  out: Map<string, ActionCheck>,
  caseless: boolean,
) {
  const seen = new Set<string>();
  for (const r of rows) {
    const name = r.key.trim();
    if (!name && !r.value.trim()) continue;
    const path = `${base}.${name || r.id}`;
    const folded = caseless ? name.toLowerCase() : name;
    if (!name || !validName(name)) out.set(path, nameCheck);
    else if (seen.has(folded)) out.set(path, 'duplicate');
    else if (!r.value.trim()) out.set(path, 'required');
    seen.add(folded);
  }
}

/** The body the API takes; call only when `checkActionForm` found nothing. */
export function bodyFromActionForm(f: ActionForm): ActionBody {
  const config: Record<string, unknown> = { method: f.method, url: f.url.trim() };
  const headers = rowsToRecord(f.headers);
  if (headers) config.headers = headers;
  if (f.body.trim()) config.body = parseJson(f.body);
  const response = rowsToRecord(f.response);
  if (response) config.response = response;
  const timeout = intOrNull(f.timeoutMs);
  if (timeout !== null) config.timeoutMs = timeout;
  const retries = intOrNull(f.retries);
  if (retries !== null) config.retries = retries;
  if (f.idempotency) config.idempotency = true;
  const bytes = intOrNull(f.maxResponseBytes);
  if (bytes !== null) config.maxResponseBytes = bytes;
  const secrets: Record<string, string | null> = {};
  for (const s of f.secrets) {
    if (s.state === 'new' || s.state === 'replace') secrets[s.name.trim()] = s.value;
    else if (s.state === 'remove') secrets[s.name.trim()] = null;
  }
  return {
    key: f.key.trim(),
    description: f.description.trim(),
    kind: 'http',
    config,
    ...(Object.keys(secrets).length ? { secrets } : {}),
    llmTool: f.llmTool,
  };
}

/** The `{{args.x}}` names the URL, headers and body use: what a flow step's `with` (or a test) must give. */
export function templateArgNames(f: Pick<ActionForm, 'url' | 'headers' | 'body'>): string[] {
  const text = [f.url, ...f.headers.map((h) => h.value), f.body].join('\n');
  const names = new Set<string>();
  for (const m of text.matchAll(/\{\{\s*args\.([A-Za-z0-9_]+)/g)) names.add(m[1]!);
  return [...names];
}

/** Test arguments from rows: numbers, true/false and null as such (as a flow's slots would be), the rest (and `007`) as text. */
export function argsFromRows(rows: readonly Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rows) {
    const name = r.key.trim();
    if (!name) continue;
    const v = r.value.trim();
    out[name] = /^-?(0|[1-9]\d*)(\.\d+)?$/.test(v) && v.length < 16 ? Number(v) : v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : r.value;
  }
  return out;
}

function rowsToRecord(rows: readonly Row[]): Record<string, string> | null {
  const filled = rows.filter((r) => r.key.trim());
  return filled.length ? Object.fromEntries(filled.map((r) => [r.key.trim(), r.value.trim()])) : null;
}

function intOrNull(text: string): number | null {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return null;
  return Number(t);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
