import {
  type ChatEvent,
  type ChatRequest,
  type LanguageModel,
  LanguageModelCallError,
  type LanguageModelCallOptions,
  LlmUnavailableError,
  type LlmUnavailableReason,
} from '../../ports/language-model.js';

export interface ResilientLanguageModelOptions {
  /** Budget for a whole call: every attempt, the waits between them, and the full stream. Default 30 s. */
  timeoutMs?: number;
  /** Streams: from the start of an attempt to its first event. Default 10 s. */
  firstTokenTimeoutMs?: number;
  /** Retries after a network error, 408/409/429/5xx or a first-token timeout; never once a streamed event was passed on. Default 2. */
  maxRetries?: number;
  /** Backoff before retry n (from 1): `min(retryMaxDelayMs, retryBaseDelayMs · 2^(n-1))`, jittered down to half. Defaults 250 ms and 2 s. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** A server's `Retry-After` is waited, but at most this long (default 5 s), and never past the call's budget. */
  maxRetryAfterMs?: number;
  /** Failed calls in a row (after their retries) that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Also open when this many calls failed within `ms`, successes in between or not. Off by default. */
  failureWindow?: { failures: number; ms: number };
  /** How long an open circuit refuses calls before letting one probe through. Default 30 s. */
  cooldownMs?: number;
  /** Tokens of each successful call, for per-workspace accounting. */
  onUsage?: (usage: { model: string; inputTokens?: number; outputTokens?: number }) => void;
  now?: () => number;
  /** Waits between attempts; rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1), for the jitter. */
  random?: () => number;
}

export type CircuitState = { circuit: 'closed' | 'open' | 'half_open'; consecutiveFailures: number; openedAt?: number };

/**
 * Wraps a language model with time budgets, retries and a circuit breaker, so that a slow or failing
 * endpoint costs a turn a bounded wait and, once it is clearly down, nothing at all: calls fail at once
 * with `LlmUnavailableError` and the caller takes its offline path. Retries happen here only (the inner
 * model is called with `maxRetries: 0`), and a stream is retried only before its first event was passed
 * on, so a customer never sees text twice. An abort by the caller's signal is rethrown as its reason and
 * says nothing about the endpoint's health.
 */
export class ResilientLanguageModel implements LanguageModel {
  private readonly timeoutMs: number;
  private readonly firstTokenTimeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly failureThreshold: number;
  private readonly failureWindow: { failures: number; ms: number } | undefined;
  private readonly cooldownMs: number;
  private readonly onUsage: ResilientLanguageModelOptions['onUsage'];
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  private consecutiveFailures = 0;
  private recentFailures: number[] = [];
  private openedAt: number | undefined;
  private probeInFlight = false;

  constructor(
    private readonly inner: LanguageModel,
    opts: ResilientLanguageModelOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.firstTokenTimeoutMs = opts.firstTokenTimeoutMs ?? 10_000;
    this.maxRetries = opts.maxRetries ?? 2;
    this.retryBaseDelayMs = opts.retryBaseDelayMs ?? 250;
    this.retryMaxDelayMs = opts.retryMaxDelayMs ?? 2_000;
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? 5_000;
    this.failureThreshold = opts.failureThreshold ?? 5;
    this.failureWindow = opts.failureWindow;
    this.cooldownMs = opts.cooldownMs ?? 30_000;
    this.onUsage = opts.onUsage;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? abortableSleep;
    this.random = opts.random ?? Math.random;
  }

  get model() {
    return this.inner.model;
  }

  /** For traces and metrics. */
  state(): CircuitState {
    if (this.openedAt === undefined) return { circuit: 'closed', consecutiveFailures: this.consecutiveFailures };
    const circuit = this.now() < this.openedAt + this.cooldownMs ? 'open' : 'half_open';
    return { circuit, consecutiveFailures: this.consecutiveFailures, openedAt: this.openedAt };
  }

  async complete(request: Parameters<LanguageModel['complete']>[0], opts: LanguageModelCallOptions = {}) {
    const call = this.begin(opts);
    try {
      for (;;) {
        const attempt = call.startAttempt(undefined);
        try {
          const result = await untilAborted(this.inner.complete(request, { signal: attempt.signal, maxRetries: 0 }), attempt.signal);
          this.succeeded(call);
          this.reportUsage(result);
          return result;
        } catch (err) {
          await this.failedAttempt(call, attempt, err, false);
        } finally {
          attempt.dispose();
        }
      }
    } finally {
      call.dispose();
    }
  }

  async *stream(request: ChatRequest, opts: LanguageModelCallOptions = {}): AsyncGenerator<ChatEvent> {
    const call = this.begin(opts);
    let passedOn = false;
    try {
      for (;;) {
        const attempt = call.startAttempt(this.firstTokenTimeoutMs);
        let events: AsyncIterator<ChatEvent> | undefined;
        let ended = false;
        try {
          events = this.inner.stream(request, { signal: attempt.signal, maxRetries: 0 })[Symbol.asyncIterator]();
          for (;;) {
            const next = await untilAborted(events.next(), attempt.signal);
            if (next.done) {
              ended = true;
              break;
            }
            attempt.firstEventArrived();
            const event = next.value;
            if (event.type === 'finish') {
              // Settled before passing it on: a caller may stop iterating at `finish`.
              this.succeeded(call);
              this.reportUsage(event);
            }
            passedOn = true;
            yield event;
          }
          this.succeeded(call);
          return;
        } catch (err) {
          ended = true;
          await this.failedAttempt(call, attempt, err, passedOn);
        } finally {
          attempt.dispose();
          // The caller left early, or the attempt was given up while the inner stream still ran.
          if (!ended || !attempt.settledInner) void events?.return?.()?.catch(() => {});
          if (!call.settled && passedOn) this.succeeded(call);
        }
      }
    } finally {
      call.dispose();
    }
  }

  private begin(opts: LanguageModelCallOptions): Call {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const { circuit } = this.state();
    if (circuit === 'open' || (circuit === 'half_open' && this.probeInFlight)) {
      throw new LlmUnavailableError('circuit_open', 'the language model failed repeatedly; calls are refused until the cool-down ends', { attempts: 0 });
    }
    const probe = circuit === 'half_open';
    if (probe) this.probeInFlight = true;
    // One probe, one attempt: its outcome alone decides whether the circuit closes.
    return new Call(opts.signal, this.timeoutMs, this.now, probe, probe ? 0 : (opts.maxRetries ?? this.maxRetries), () => {
      if (probe) this.probeInFlight = false;
    });
  }

  /** Returns when the call should be attempted again; otherwise throws what the caller should see. */
  private async failedAttempt(call: Call, attempt: Attempt, err: unknown, passedOn: boolean): Promise<void> {
    if (call.callerSignal?.aborted) {
      call.settle();
      throw call.callerSignal.reason;
    }
    const failure = classify(err, call, attempt);
    const retryAt = call.attempts <= call.maxRetries && failure.retryable && !passedOn ? this.retryDelay(call.attempts, failure.retryAfterMs) : undefined;
    if (retryAt !== undefined && this.now() + retryAt < call.deadline) {
      try {
        await this.sleep(retryAt, call.signal);
      } catch {
        // The budget ran out or the caller left during the wait.
      }
      if (call.callerSignal?.aborted) {
        call.settle();
        throw call.callerSignal.reason;
      }
      if (!call.signal.aborted && this.now() < call.deadline) return;
      return this.fail(call, { ...failure, reason: 'timeout', counts: true }, err);
    }
    return this.fail(call, failure, err);
  }

  private fail(call: Call, failure: Failure, cause: unknown): never {
    if (!call.settled) {
      call.settle();
      if (failure.counts) this.recordFailure(call.probe);
    }
    throw new LlmUnavailableError(
      failure.reason,
      failure.message,
      { attempts: call.attempts, ...(failure.status ? { status: failure.status } : {}) },
      { cause },
    );
  }

  private retryDelay(retry: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.maxRetryAfterMs);
    const ceiling = Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** (retry - 1));
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }

  private succeeded(call: Call) {
    if (call.settled) return;
    call.settle();
    this.consecutiveFailures = 0;
    // Failures in the window count across successes; a closing circuit starts afresh.
    if (this.openedAt !== undefined) this.recentFailures = [];
    this.openedAt = undefined;
  }

  private recordFailure(probe: boolean) {
    const now = this.now();
    this.consecutiveFailures++;
    if (this.failureWindow) {
      const since = now - this.failureWindow.ms;
      this.recentFailures = [...this.recentFailures.filter((t) => t > since), now];
    }
    const tripped =
      probe ||
      this.consecutiveFailures >= this.failureThreshold ||
      (this.failureWindow !== undefined && this.recentFailures.length >= this.failureWindow.failures);
    // Calls that were already under way when the circuit opened do not push the cool-down further out.
    if (tripped && (probe || this.openedAt === undefined)) {
      this.openedAt = now;
      this.recentFailures = [];
    }
  }

  private reportUsage(usage: { inputTokens?: number; outputTokens?: number }) {
    try {
      this.onUsage?.({
        model: this.inner.model,
        ...(usage.inputTokens !== undefined ? { inputTokens: usage.inputTokens } : {}),
        ...(usage.outputTokens !== undefined ? { outputTokens: usage.outputTokens } : {}),
      });
    } catch {
      // Accounting must not fail the answer.
    }
  }
}

interface Failure {
  reason: LlmUnavailableReason;
  message: string;
  retryable: boolean;
  /** Whether it says the endpoint is unwell (a 400 or 401 answers that it is up). */
  counts: boolean;
  status?: number;
  retryAfterMs?: number;
}

function classify(err: unknown, call: Call, attempt: Attempt): Failure {
  if (call.timedOut) return { reason: 'timeout', message: `the language model did not finish within ${call.timeoutMs} ms`, retryable: false, counts: true };
  if (attempt.firstEventTimedOut) {
    return { reason: 'timeout', message: `the language model sent nothing within ${attempt.firstEventTimeoutMs} ms`, retryable: true, counts: true };
  }
  if (err instanceof LanguageModelCallError) {
    const { status, retryable, kind, retryAfterMs } = err.details;
    const rateLimited = status === 429;
    return {
      reason: rateLimited ? 'rate_limited' : 'error',
      message: rateLimited ? 'the language model endpoint is rate-limiting' : `the language model call failed: ${err.message}`,
      retryable,
      counts: retryable || kind !== 'http',
      ...(status !== undefined ? { status } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { reason: 'error', message: `the language model call failed: ${err instanceof Error ? err.message : String(err)}`, retryable: false, counts: true };
}

/** One call's budget and state; its signal aborts on the caller's signal or at the deadline. */
class Call {
  readonly controller = new AbortController();
  readonly deadline: number;
  timedOut = false;
  settled = false;
  attempts = 0;
  private disposed = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort = () => this.controller.abort(this.callerSignal?.reason);

  constructor(
    readonly callerSignal: AbortSignal | undefined,
    readonly timeoutMs: number,
    now: () => number,
    readonly probe: boolean,
    readonly maxRetries: number,
    private readonly release: () => void,
  ) {
    this.deadline = now() + timeoutMs;
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException(`the call took longer than ${timeoutMs} ms`, 'TimeoutError'));
      // Also here, not only in dispose(): a caller that drops a stream without finishing or returning
      // it must not keep the half-open probe slot forever.
      this.dispose();
    }, timeoutMs);
  }

  get signal() {
    return this.controller.signal;
  }

  startAttempt(firstEventTimeoutMs: number | undefined) {
    this.attempts++;
    return new Attempt(this.signal, firstEventTimeoutMs);
  }

  settle() {
    this.settled = true;
  }

  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.release();
  }
}

/** One request to the inner model; its signal aborts with the call's, or when the first event is late. */
class Attempt {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  firstEventTimedOut = false;
  /** False while the inner model may still be working on this attempt (it was given up, not finished). */
  settledInner = true;
  private readonly onCallAbort = () => {
    this.settledInner = false;
    this.controller.abort(this.callSignal.reason);
  };

  constructor(
    private readonly callSignal: AbortSignal,
    readonly firstEventTimeoutMs: number | undefined,
  ) {
    if (callSignal.aborted) this.controller.abort(callSignal.reason);
    else callSignal.addEventListener('abort', this.onCallAbort, { once: true });
    if (firstEventTimeoutMs !== undefined) {
      this.timer = setTimeout(() => {
        this.firstEventTimedOut = true;
        this.settledInner = false;
        this.controller.abort(new DOMException(`nothing arrived within ${firstEventTimeoutMs} ms`, 'TimeoutError'));
      }, firstEventTimeoutMs);
    }
  }

  get signal() {
    return this.controller.signal;
  }

  firstEventArrived() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose() {
    clearTimeout(this.timer);
    this.callSignal.removeEventListener('abort', this.onCallAbort);
  }
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts, for inner models that would not stop. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
