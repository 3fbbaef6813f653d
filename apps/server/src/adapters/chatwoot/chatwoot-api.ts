// Chatwoot's application API as the agent bot uses it: post a message into a conversation and change
// its status. https://developers.chatwoot.com/api-reference/messages/create-new-message and
// .../conversations/toggle-status. Authentication is the `api_access_token` header (an agent bot's or
// an agent's access token).

export interface ChatwootTarget {
  baseUrl: string;
  accountId: number;
  apiAccessToken: string;
}

export interface ChatwootMessage {
  content: string;
  message_type: 'outgoing';
  private: boolean;
  content_type?: 'text' | 'input_select';
  content_attributes?: { items: { title: string; value: string }[] };
}

export type ChatwootCallOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string; attempts: number };

export interface ChatwootApiOptions {
  fetch?: typeof fetch;
  /** Extra attempts after a 5xx, a 429 or a network error (default 2). */
  retries?: number;
  /** Wait before the first retry, doubled for each next one (default 500 ms). */
  retryDelayMs?: number;
  timeoutMs?: number;
}

export class ChatwootApi {
  constructor(
    private readonly target: ChatwootTarget,
    private readonly opts: ChatwootApiOptions = {},
  ) {}

  postMessage(conversationId: number, message: ChatwootMessage): Promise<ChatwootCallOutcome> {
    return this.call(`conversations/${conversationId}/messages`, message);
  }

  /** `open` hands the conversation to the inbox's agents (the bot had it `pending`). */
  toggleStatus(conversationId: number, status: 'open' | 'resolved' | 'pending'): Promise<ChatwootCallOutcome> {
    return this.call(`conversations/${conversationId}/toggle_status`, { status });
  }

  private async call(path: string, body: unknown): Promise<ChatwootCallOutcome> {
    const url = `${this.target.baseUrl.replace(/\/+$/, '')}/api/v1/accounts/${this.target.accountId}/${path}`;
    const doFetch = this.opts.fetch ?? fetch;
    const retries = this.opts.retries ?? 2;
    let delay = this.opts.retryDelayMs ?? 500;
    let last: ChatwootCallOutcome = { ok: false, status: null, error: 'not_sent', attempts: 0 };
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', api_access_token: this.target.apiAccessToken },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return { ok: true, status: res.status };
        last = { ok: false, status: res.status, error: 'http_error', attempts: attempt };
        // 4xx other than 429 will fail the same way again (bad token, unknown conversation).
        if (res.status < 500 && res.status !== 429) return last;
      } catch (err) {
        // Codes only: messages may quote the URL.
        const code = (err as { name?: string; cause?: { code?: string } }).cause?.code ?? (err as { name?: string }).name ?? 'network';
        last = { ok: false, status: null, error: code === 'TimeoutError' ? 'timeout' : `network:${code}`, attempts: attempt };
      }
      if (attempt <= retries) {
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
      }
    }
    return last;
  }
}
