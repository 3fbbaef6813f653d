import type { Conversation, ConversationStatus, HandoffBody, Message, ReplySuggestions, SnoozeBody, TransferBody, WidgetConfig } from '@kefu/protocol';
import { type ApiClient, ApiError } from './client';

/** Ownership and hand-off calls on one conversation (docs/people.md), typed. Every call throws ApiError on non-2xx. */

const path = (id: string) => `/v1/conversations/${encodeURIComponent(id)}`;

export const conversationsApi = {
  /** The caller owns it; 409 CONVERSATION_ASSIGNED_TO_OTHER with `holder` when a colleague does (admins take over). */
  claim: (api: ApiClient, id: string) => api.post<Conversation>(`${path(id)}/claim`),
  /** Back to the bot, explicitly (queued or assigned only). */
  release: (api: ApiClient, id: string) => api.post<Conversation>(`${path(id)}/release`),
  /** Queue it for people with a reason (from the bot; on a queued one, a new reason and priority). */
  handoff: (api: ApiClient, id: string, body: HandoffBody) => api.post<Conversation>(`${path(id)}/handoff`, body),
  /** To a colleague (online or away: 409 AGENT_OFFLINE otherwise) or a team's queue. */
  transfer: (api: ApiClient, id: string, body: TransferBody) => api.post<Conversation>(`${path(id)}/transfer`, body),
  /** Out of the inbox until then (or until the customer writes). */
  snooze: (api: ApiClient, id: string, body: SnoozeBody) => api.post<Conversation>(`${path(id)}/snooze`, body),
  unsnooze: (api: ApiClient, id: string) => api.delete<Conversation>(`${path(id)}/snooze`),
  /** The status menu: queue, resolve, close, reopen to the bot. */
  setStatus: (api: ApiClient, id: string, status: ConversationStatus) => api.patch<Conversation>(path(id), { status }),
  /** Replies for what the customer asked since anyone last answered; nothing is sent. */
  suggestions: (api: ApiClient, id: string, signal?: AbortSignal) => api.get<ReplySuggestions>(`${path(id)}/suggestions`, undefined, signal),
  /**
   * Sends a file as a reply (takes ownership like a typed one), with the caption and a clientMessageId
   * (a retry with the same id is stored once). Reports upload progress (0–1); aborting the signal stops it.
   */
  uploadAttachment: (api: ApiClient, id: string, body: AttachmentUpload, opts: UploadOptions = {}) =>
    upload<{ message: Message; conversation: Conversation }>(api, `${path(id)}/attachments`, body, opts),
  /**
   * The largest file and the accepted types. No agent call tells them: the widget's public config does,
   * read with the workspace's widget key (the same limits apply to agents' uploads).
   */
  attachmentLimits: async (api: ApiClient, widgetKey: string, signal?: AbortSignal) =>
    (await api.get<WidgetConfig>('/v1/widget/config', { key: widgetKey }, signal)).limits.attachments ?? null,
};

export interface AttachmentUpload {
  file: File;
  /** The caption ('' for none). */
  text: string;
  clientMessageId: string;
}

export interface UploadOptions {
  /** Called as the bytes leave, with the share sent so far (0–1). */
  onProgress?(sent: number): void;
  signal?: AbortSignal;
}

/**
 * multipart/form-data through XMLHttpRequest, the only browser API that reports upload progress. Errors
 * are ApiErrors as the client's (problem+json, `NETWORK` for a failed connection); an abort rejects with
 * the signal's reason.
 */
function upload<T>(api: ApiClient, url: string, body: AttachmentUpload, opts: UploadOptions): Promise<T> {
  const form = new FormData();
  // Text fields first: the server reads the parts in order and may refuse the file early.
  if (body.text) form.append('text', body.text);
  form.append('clientMessageId', body.clientMessageId);
  form.append('file', body.file, body.file.name);
  return new Promise<T>((resolve, reject) => {
    const { signal, onProgress } = opts;
    if (signal?.aborted) return reject(signal.reason);
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.open('POST', url);
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    if (api.token) xhr.setRequestHeader('authorization', `Bearer ${api.token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      done();
      const data = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const error = problem(xhr.status, data);
      // A dead session: a call through the client signs out the way every other call does.
      if (xhr.status === 401 && (error.code === 'AUTH_INVALID_TOKEN' || error.code === 'AUTH_REQUIRED')) void api.get('/v1/me').catch(() => {});
      reject(error);
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError(0, 'NETWORK', 'the upload could not reach the server'));
    };
    xhr.onabort = () => {
      done();
      reject(signal?.reason ?? new DOMException('The upload was cancelled', 'AbortError'));
    };
    xhr.send(form);
  });
}

function problem(status: number, data: unknown): ApiError {
  if (data && typeof data === 'object' && typeof (data as { code?: unknown }).code === 'string') {
    const p = data as { status?: number; code: string; detail?: string; errors?: ApiError['errors']; requestId?: string };
    return new ApiError(p.status ?? status, p.code, p.detail, p.errors ?? [], p.requestId, data);
  }
  return new ApiError(status, `HTTP_${status}`);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
