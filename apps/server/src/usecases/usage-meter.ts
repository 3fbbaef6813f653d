import type { UsagePurpose } from '@kefu/protocol';
import type { ChatEvent, ChatRequest, LanguageModel, LanguageModelCallOptions } from '../ports/language-model.js';
import type { UsageCount } from '../ports/store.js';
import type { UseCaseContext } from './context.js';

const FLUSH_MS = 5_000;

/**
 * Counts language-model calls and tokens per workspace, day, model and purpose, off the hot path:
 * tallied in memory, written every few seconds and at shutdown. `wrap` gives a model whose calls are
 * counted for one workspace and purpose.
 */
export class UsageMeter {
  private pending = new Map<string, UsageCount>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ctx: Pick<UseCaseContext, 'store' | 'log' | 'clock'>) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  record(
    workspaceId: string,
    purpose: UsagePurpose,
    model: string,
    use: { inputTokens?: number | undefined; outputTokens?: number | undefined; failed?: boolean },
  ) {
    const day = this.ctx.clock.now().toISOString().slice(0, 10);
    const key = `${workspaceId}\u0000${day}\u0000${model}\u0000${purpose}`;
    const c = this.pending.get(key) ?? { workspaceId, day, model, purpose, calls: 0, failures: 0, inputTokens: 0, outputTokens: 0 };
    c.calls++;
    if (use.failed) c.failures++;
    c.inputTokens += use.inputTokens ?? 0;
    c.outputTokens += use.outputTokens ?? 0;
    this.pending.set(key, c);
  }

  /** The model, with its calls counted for `workspaceId` and `purpose`. An abort by the caller is not a failure. */
  wrap(model: LanguageModel, workspaceId: string, purpose: UsagePurpose): LanguageModel {
    const meter = this;
    const failed = (err: unknown, signal: AbortSignal | undefined) => {
      if (!signal?.aborted) meter.record(workspaceId, purpose, model.model, { failed: true });
      return err;
    };
    return {
      model: model.model,
      async complete(request, opts) {
        try {
          const r = await model.complete(request, opts);
          meter.record(workspaceId, purpose, model.model, r);
          return r;
        } catch (err) {
          throw failed(err, opts?.signal);
        }
      },
      async *stream(request: ChatRequest, opts?: LanguageModelCallOptions): AsyncGenerator<ChatEvent> {
        let counted = false;
        try {
          for await (const e of model.stream(request, opts)) {
            if (e.type === 'finish' && !counted) {
              counted = true;
              meter.record(workspaceId, purpose, model.model, e);
            }
            yield e;
          }
        } catch (err) {
          if (!counted) throw failed(err, opts?.signal);
          throw err;
        }
      },
    };
  }

  async flush() {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.ctx.store.usage.add(batch);
    } catch (err) {
      // A busy database or a workspace deleted meanwhile: usage is statistics, not a record.
      this.ctx.log.warn({ err }, 'language model usage not saved');
    }
  }

  async stop() {
    clearInterval(this.timer);
    await this.flush();
  }
}
