/** A chat model behind any OpenAI-compatible endpoint (LLM_BASE_URL / LLM_MODEL). Optional everywhere. */
export interface LanguageModel {
  readonly model: string;
  /** One completion. Rejects on timeout, network or protocol errors; callers fall back to offline paths. */
  complete(
    request: { system: string; prompt: string; maxOutputTokens?: number; temperature?: number },
    opts?: LanguageModelCallOptions,
  ): Promise<{ text: string; inputTokens?: number; outputTokens?: number }>;
  /**
   * One streamed answer, which may call tools. Tools are never run here: a `tool-call` event is the
   * model asking, and the caller decides what to run and sends the result back as a `tool` turn.
   * Ends with one `finish` event. A failure (HTTP, network, a stream broken mid-way, the signal) is
   * thrown from the iteration; breaking out of the loop cancels the request.
   */
  stream(request: ChatRequest, opts?: LanguageModelCallOptions): AsyncIterable<ChatEvent>;
}

export interface LanguageModelCallOptions {
  signal?: AbortSignal;
  /** Retries the adapter may make by itself; wrappers that retry set 0 so that attempts are counted once. */
  maxRetries?: number;
}

export type ChatTurn =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  /** The result of a tool call the caller ran; `output` is sent as JSON unless it is a string. */
  | { role: 'tool'; toolCallId: string; name: string; output: unknown };

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** A JSON Schema object describing the arguments. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  system: string;
  messages: ChatTurn[];
  tools?: ToolSpec[];
  /** Default `auto` when tools are given. */
  toolChoice?: 'auto' | 'none' | 'required';
  maxOutputTokens?: number;
  temperature?: number;
}

export type ChatFinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other';

export type ChatEvent =
  | { type: 'text-delta'; text: string }
  | ({ type: 'tool-call' } & ToolCall)
  /** The model asked for a tool that does not exist, or with arguments that are not a JSON object. */
  | { type: 'tool-call-invalid'; id: string; name: string; raw: string; reason: string }
  | { type: 'finish'; finishReason: ChatFinishReason; inputTokens?: number; outputTokens?: number };

/**
 * How a call to the model endpoint failed, as adapters report it, so that wrappers can decide on
 * retries without knowing the adapter's library. `retryable`: network errors, 408, 409, 429, 5xx.
 */
export class LanguageModelCallError extends Error {
  override name = 'LanguageModelCallError';
  readonly code = 'LLM_CALL_FAILED';
  constructor(
    message: string,
    readonly details: {
      kind: 'http' | 'network' | 'protocol';
      retryable: boolean;
      status?: number;
      /** From `retry-after-ms` / `retry-after`, uncapped. */
      retryAfterMs?: number;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type LlmUnavailableReason = 'circuit_open' | 'timeout' | 'error' | 'rate_limited';

/**
 * The model could not answer this call (thrown by `ResilientLanguageModel`): the circuit is open after
 * repeated failures, the call ran out of time, or the endpoint failed or kept rate-limiting after retries.
 */
export class LlmUnavailableError extends Error {
  override name = 'LlmUnavailableError';
  readonly code = 'LLM_UNAVAILABLE';
  constructor(
    readonly reason: LlmUnavailableReason,
    message: string,
    readonly details: { attempts: number; status?: number } = { attempts: 0 },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
