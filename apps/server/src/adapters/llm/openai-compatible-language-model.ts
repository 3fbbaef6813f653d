import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, jsonSchema, type ModelMessage, RetryError, streamText, type Tool, tool } from 'ai';
import {
  type ChatEvent,
  type ChatRequest,
  type ChatTurn,
  type LanguageModel,
  LanguageModelCallError,
  type LanguageModelCallOptions,
} from '../../ports/language-model.js';

/**
 * Chat completions through the Vercel AI SDK's OpenAI-compatible provider. Failures reject (or are
 * thrown from the stream) as `LanguageModelCallError`, except an aborted call, which throws the
 * signal's reason.
 */
export class OpenAICompatibleLanguageModel implements LanguageModel {
  readonly model: string;
  private readonly chat;
  private readonly maxRetries: number;

  constructor(opts: {
    baseURL: string;
    model: string;
    apiKey?: string;
    /** Retries inside the SDK (default 1); a call's `maxRetries` overrides it. */
    maxRetries?: number;
    /** Ask for token usage at the end of streams (`stream_options.include_usage`, default true); some older servers reject it. */
    includeUsage?: boolean;
  }) {
    this.model = opts.model;
    this.chat = createOpenAICompatible({
      name: 'kefu',
      baseURL: opts.baseURL,
      includeUsage: opts.includeUsage ?? true,
      ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
    }).chatModel(opts.model);
    this.maxRetries = opts.maxRetries ?? 1;
  }

  async complete(request: { system: string; prompt: string; maxOutputTokens?: number; temperature?: number }, opts: LanguageModelCallOptions = {}) {
    try {
      const r = await generateText({
        model: this.chat,
        system: request.system,
        prompt: request.prompt,
        maxRetries: opts.maxRetries ?? this.maxRetries,
        ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(opts.signal ? { abortSignal: opts.signal } : {}),
      });
      return {
        text: r.text,
        ...(r.usage.inputTokens !== undefined ? { inputTokens: r.usage.inputTokens } : {}),
        ...(r.usage.outputTokens !== undefined ? { outputTokens: r.usage.outputTokens } : {}),
      };
    } catch (err) {
      throw toCallError(err, opts.signal);
    }
  }

  async *stream(request: ChatRequest, opts: LanguageModelCallOptions = {}): AsyncGenerator<ChatEvent> {
    // Our own controller, so that a caller leaving the loop early also ends the HTTP request.
    const controller = new AbortController();
    const onAbort = () => controller.abort(opts.signal?.reason);
    if (opts.signal?.aborted) throw opts.signal.reason;
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const tools = request.tools?.length ? toSdkTools(request.tools) : undefined;
    const result = streamText({
      model: this.chat,
      system: request.system,
      messages: request.messages.map(toModelMessage),
      maxRetries: opts.maxRetries ?? this.maxRetries,
      abortSignal: controller.signal,
      ...(tools ? { tools, toolChoice: request.toolChoice ?? 'auto' } : {}),
      ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      // Errors arrive as `error` parts, thrown below; the default handler would only log them again.
      onError: () => {},
    });
    let finished = false;
    try {
      for await (const part of result.fullStream) {
        switch (part.type) {
          case 'text-delta':
            if (part.text) yield { type: 'text-delta', text: part.text };
            break;
          case 'tool-call':
            // The SDK reports an unknown tool or arguments that do not parse or validate as a tool call
            // marked invalid (followed by a `tool-error` part, ignored: tools never run here).
            if (part.invalid) {
              yield {
                type: 'tool-call-invalid',
                id: part.toolCallId,
                name: part.toolName,
                raw: typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? null),
                reason: errorMessage(part.error),
              };
            } else {
              yield { type: 'tool-call', id: part.toolCallId, name: part.toolName, input: part.input };
            }
            break;
          case 'error':
            throw part.error;
          case 'abort':
            throw controller.signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
          case 'finish':
            finished = true;
            yield {
              type: 'finish',
              finishReason: part.finishReason,
              ...(part.totalUsage.inputTokens !== undefined ? { inputTokens: part.totalUsage.inputTokens } : {}),
              ...(part.totalUsage.outputTokens !== undefined ? { outputTokens: part.totalUsage.outputTokens } : {}),
            };
            break;
        }
      }
      if (!finished) throw new LanguageModelCallError('the stream ended without finishing', { kind: 'protocol', retryable: false });
    } catch (err) {
      throw toCallError(err, controller.signal);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      if (!finished) controller.abort(new DOMException('The stream was left before it finished.', 'AbortError'));
    }
  }
}

function toSdkTools(specs: NonNullable<ChatRequest['tools']>): Record<string, Tool> {
  return Object.fromEntries(
    specs.map((spec) => [
      spec.name,
      tool({
        description: spec.description,
        // No `execute`: the SDK only parses the call. The parameters are the model's instructions,
        // not a contract we enforce beyond "a JSON object"; the caller validates what it runs.
        inputSchema: jsonSchema<Record<string, unknown>>(spec.parameters as Parameters<typeof jsonSchema>[0], {
          validate: (value) =>
            value !== null && typeof value === 'object' && !Array.isArray(value)
              ? { success: true, value: value as Record<string, unknown> }
              : { success: false, error: new Error('the arguments are not a JSON object') },
        }),
      }),
    ]),
  );
}

function toModelMessage(turn: ChatTurn): ModelMessage {
  switch (turn.role) {
    case 'user':
      return { role: 'user', content: turn.content };
    case 'assistant':
      if (!turn.toolCalls?.length) return { role: 'assistant', content: turn.content };
      return {
        role: 'assistant',
        content: [
          ...(turn.content ? [{ type: 'text' as const, text: turn.content }] : []),
          ...turn.toolCalls.map((c) => ({ type: 'tool-call' as const, toolCallId: c.id, toolName: c.name, input: c.input })),
        ],
      };
    case 'tool':
      return {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: turn.toolCallId,
            toolName: turn.name,
            output: typeof turn.output === 'string' ? { type: 'text', value: turn.output } : { type: 'json', value: (turn.output ?? null) as never },
          },
        ],
      };
  }
}

/** The SDK's errors as the port's: HTTP status and Retry-After kept, a broken connection retryable, anything else a protocol error. */
function toCallError(err: unknown, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (err instanceof LanguageModelCallError) return err;
  if (RetryError.isInstance(err)) return toCallError(err.lastError, signal);
  if (APICallError.isInstance(err)) {
    const retryAfterMs = parseRetryAfter(err.responseHeaders);
    return new LanguageModelCallError(
      err.message,
      {
        // A 2xx whose body broke off is the connection failing, not the server answering an error.
        kind: err.statusCode !== undefined && (err.statusCode < 200 || err.statusCode > 299) ? 'http' : 'network',
        retryable: err.isRetryable,
        ...(err.statusCode !== undefined ? { status: err.statusCode } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
      { cause: err },
    );
  }
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (isConnectionError(err))
    return new LanguageModelCallError(`the connection failed: ${errorMessage(err)}`, { kind: 'network', retryable: true }, { cause: err });
  return new LanguageModelCallError(`the answer does not follow the protocol: ${errorMessage(err)}`, { kind: 'protocol', retryable: false }, { cause: err });
}

/** undici reports a body cut short as `TypeError: terminated` with the socket error as the cause. */
function isConnectionError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('UND_ERR') || code.startsWith('ECONN') || code === 'EPIPE' || code === 'ETIMEDOUT')) return true;
    if (e instanceof TypeError && (e.message === 'terminated' || e.message === 'fetch failed')) return true;
  }
  return false;
}

function parseRetryAfter(headers: Record<string, string> | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value.trim());
  if (value.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err));
