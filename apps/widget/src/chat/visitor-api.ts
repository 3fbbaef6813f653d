import type {
  Conversation,
  ConversationRating,
  Locale,
  Message,
  MessagePage,
  RateConversationBody,
  SendMessageBody,
  SendMessageResponse,
  StartConversationBody,
  StartConversationResponse,
  WidgetConfig,
} from '@kefu/protocol';
import { ProblemError } from './problem-error.js';

export interface VisitorApiOptions {
  /** Origin of the kefu server, e.g. `https://support.example.com`. */
  baseUrl: string;
  widgetKey: string;
  /** Who the visitor is, as the embedding site said (identify()); verified by the server when it has a hash. */
  contact?: StartConversationBody['contact'];
  fetch?: typeof fetch;
  /** How long one request may take before it counts as a network failure. */
  timeoutMs?: number;
  /** How long a send may take: the bot answers within the same request. */
  sendTimeoutMs?: number;
  /** How long a file upload may take, sending included. */
  uploadTimeoutMs?: number;
  /** Uploads use XMLHttpRequest: fetch() cannot report upload progress. */
  xhr?: () => XMLHttpRequest;
}

/** Details from the pre-chat form. */
export interface PreChatDetails {
  name?: string;
  email?: string;
  phone?: string;
}

export interface UploadBody {
  file: Blob;
  name: string;
  clientMessageId: string;
  /** A caption, answered by the bot like a message. */
  text?: string;
}

export interface UploadOptions {
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** An upload the visitor cancelled (not a failure to report). */
export class UploadCancelled extends Error {
  override readonly name = 'UploadCancelled';
}

/** One config request per page: the frame reads it for the theme, the chat for its limits. */
const configs = new Map<string, Promise<WidgetConfig>>();

/**
 * The public visitor API (`/v1/widget/…`) as the demo page and, later, the widget frame call it.
 * Every failure is a ProblemError; sends retry once after a network failure with the same
 * clientMessageId, which the server uses to store the message only once.
 */
export class VisitorApi {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly sendTimeoutMs: number;
  private readonly uploadTimeoutMs: number;

  constructor(private readonly options: VisitorApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Bound so a bare `fetch` does not lose its `this` (Illegal invocation in browsers).
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 90_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 600_000;
  }

  getConfig(): Promise<WidgetConfig> {
    const key = `${this.baseUrl}|${this.options.widgetKey}`;
    let config = configs.get(key);
    if (!config) {
      config = this.request<WidgetConfig>('GET', '/v1/widget/config', { widgetKey: true });
      configs.set(key, config);
      // A failure is not remembered: the next call asks again.
      config.catch(() => configs.delete(key));
    }
    return config;
  }

  /** `details`: what the visitor typed in the pre-chat form (the site's identify() wins where both say). */
  startConversation(locale: Locale, details?: PreChatDetails): Promise<StartConversationResponse> {
    const contact = details ? { ...details, ...(this.options.contact ?? {}) } : this.options.contact;
    return this.request<StartConversationResponse>('POST', '/v1/widget/conversations', {
      widgetKey: true,
      body: { locale, channel: 'web', ...(contact ? { contact } : {}) },
    });
  }

  /** The visitor ends the chat: the conversation is resolved (writing again reopens it). */
  endConversation(conversationId: string, token: string): Promise<Conversation> {
    return this.request<Conversation>('POST', `/v1/widget/conversations/${encodeURIComponent(conversationId)}/end`, { token, body: {} });
  }

  /** The satisfaction rating (1–5) of a resolved conversation; rating again replaces it. */
  rateConversation(conversationId: string, token: string, body: RateConversationBody): Promise<ConversationRating> {
    return this.request<ConversationRating>('POST', `/v1/widget/conversations/${encodeURIComponent(conversationId)}/rating`, { token, body });
  }

  getConversation(conversationId: string, token: string): Promise<Conversation> {
    return this.request<Conversation>('GET', `/v1/widget/conversations/${encodeURIComponent(conversationId)}`, { token });
  }

  /** The whole history, oldest first, following cursors page by page. */
  async listMessages(conversationId: string, token: string): Promise<Message[]> {
    const all: Message[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '200' });
      if (cursor) query.set('cursor', cursor);
      const page: MessagePage = await this.request<MessagePage>('GET', `/v1/widget/conversations/${encodeURIComponent(conversationId)}/messages?${query}`, {
        token,
      });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  async sendMessage(conversationId: string, token: string, body: Required<SendMessageBody>): Promise<SendMessageResponse> {
    const path = `/v1/widget/conversations/${encodeURIComponent(conversationId)}/messages`;
    const send = () => this.request<SendMessageResponse>('POST', path, { token, body, timeoutMs: this.sendTimeoutMs });
    try {
      return await send();
    } catch (err) {
      // The first attempt may have reached the server before the connection dropped; the same
      // clientMessageId makes the retry return that stored message instead of a duplicate.
      if (err instanceof ProblemError && err.isNetworkFailure) return send();
      throw err;
    }
  }

  /**
   * Sends a file as the visitor's message, reporting upload progress. Not retried automatically (that
   * would send the whole file again); the same clientMessageId makes a manual retry store it once.
   */
  uploadAttachment(conversationId: string, token: string, body: UploadBody, options: UploadOptions = {}): Promise<SendMessageResponse> {
    const xhr = this.options.xhr?.() ?? new XMLHttpRequest();
    return new Promise<SendMessageResponse>((resolve, reject) => {
      const onAbort = () => xhr.abort();
      const settle = (fn: () => void) => {
        options.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      xhr.open('POST', `${this.baseUrl}/v1/widget/conversations/${encodeURIComponent(conversationId)}/attachments`);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.timeout = this.uploadTimeoutMs;
      xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.lengthComputable ? e.total : body.file.size);
      xhr.onload = () =>
        settle(() => {
          if (xhr.status < 200 || xhr.status >= 300) return reject(ProblemError.fromBody(xhr.status, xhr.responseText));
          try {
            resolve(JSON.parse(xhr.responseText) as SendMessageResponse);
          } catch (err) {
            reject(ProblemError.network(err));
          }
        });
      xhr.onerror = () => settle(() => reject(ProblemError.network(new Error('upload failed'))));
      xhr.ontimeout = () => settle(() => reject(ProblemError.network(new Error('upload timed out'))));
      xhr.onabort = () => settle(() => reject(new UploadCancelled('upload cancelled')));
      if (options.signal?.aborted) return reject(new UploadCancelled('upload cancelled'));
      options.signal?.addEventListener('abort', onAbort);
      const form = new FormData();
      form.append('clientMessageId', body.clientMessageId);
      if (body.text) form.append('text', body.text);
      form.append('file', body.file, body.name);
      xhr.send(form);
    });
  }

  /** Browsers cannot set headers on a WebSocket, so the visitor token goes in the query string. */
  socketUrl(token: string): string {
    const url = new URL(`${this.baseUrl}/v1/widget/ws`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    return url.toString();
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    opts: { widgetKey?: boolean; token?: string; body?: unknown; timeoutMs?: number },
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.widgetKey) headers['x-kefu-widget-key'] = this.options.widgetKey;
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs),
      });
    } catch (err) {
      throw ProblemError.network(err);
    }
    if (!res.ok) throw await ProblemError.fromResponse(res);
    try {
      return (await res.json()) as T;
    } catch (err) {
      // The connection dropped mid-body: as far as the caller knows, no answer came.
      throw ProblemError.network(err);
    }
  }
}
