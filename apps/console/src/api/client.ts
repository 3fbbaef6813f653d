import type { FieldError, Problem } from '@kefu/protocol';

/**
 * An error the API answered with (application/problem+json), or a network failure (`status` 0,
 * code `NETWORK`). Components show `code`-specific text from the catalogue and fall back to `detail`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;
  /** The problem document as sent, for members some codes add (a flow's line-numbered `problems`). */
  readonly body: unknown;

  constructor(status: number, code: string, detail?: string, errors: FieldError[] = [], requestId?: string, body?: unknown) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.requestId = requestId;
    this.body = body;
  }
}

export interface ApiClientOptions {
  /** Origin + path prefix of the API; empty means the console's own origin. */
  baseUrl?: string;
  token?: string | null;
  /** Called when the server says the session is no longer valid, so the app can sign out. */
  onUnauthorized?: () => void;
}

type Query = Record<string, string | number | undefined | null>;

/** A thin fetch wrapper: JSON in, JSON out, every non-2xx turned into an ApiError. */
export class ApiClient {
  private readonly baseUrl: string;
  readonly token: string | null;
  private readonly onUnauthorized: (() => void) | undefined;

  constructor(opts: ApiClientOptions = {}) {
    this.baseUrl = opts.baseUrl ?? '';
    this.token = opts.token ?? null;
    this.onUnauthorized = opts.onUnauthorized;
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal) {
    return this.request<T>('GET', withQuery(path, query), undefined, signal);
  }

  post<T>(path: string, body?: unknown, signal?: AbortSignal) {
    return this.request<T>('POST', path, body, signal);
  }

  patch<T>(path: string, body: unknown, signal?: AbortSignal) {
    return this.request<T>('PATCH', path, body, signal);
  }

  put<T>(path: string, body: unknown, signal?: AbortSignal) {
    return this.request<T>('PUT', path, body, signal);
  }

  delete<T>(path: string, signal?: AbortSignal) {
    return this.request<T>('DELETE', path, undefined, signal);
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.send(method, path, 'application/json, application/problem+json', body, signal);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? safeJson(text) : undefined) as T;
  }

  /** A file the API sends (an export): its bytes and the name from Content-Disposition. */
  async file(path: string, query?: Query, signal?: AbortSignal): Promise<{ blob: Blob; filename: string | null }> {
    const res = await this.send('GET', withQuery(path, query), '*/*', undefined, signal);
    const disposition = res.headers.get('content-disposition') ?? '';
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    return { blob: await res.blob(), filename: name ? decodeURIComponent(name) : null };
  }

  /** Sends a request; a non-2xx answer becomes an ApiError (a dead session also signs out). */
  private async send(method: string, path: string, accept: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
    }
    if (!res.ok) {
      const text = await res.text();
      const error = toApiError(res.status, text ? safeJson(text) : undefined);
      if (res.status === 401 && this.token && (error.code === 'AUTH_INVALID_TOKEN' || error.code === 'AUTH_REQUIRED')) this.onUnauthorized?.();
      throw error;
    }
    return res;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object' && 'code' in data && typeof (data as Problem).code === 'string') {
    const p = data as Problem;
    return new ApiError(p.status ?? status, p.code, p.detail, p.errors ?? [], p.requestId, data);
  }
  return new ApiError(status, `HTTP_${status}`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function withQuery(path: string, query?: Query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
