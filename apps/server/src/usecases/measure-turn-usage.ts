import type { UsagePurpose } from '@kefu/protocol';
import type { ChatEvent, ChatRequest, LanguageModel, LanguageModelCallOptions } from '../ports/language-model.js';
import type { UseCaseContext } from './context.js';
import type { UsageMeter } from './usage-meter.js';

/** The language model's work for one turn: every call of the turn (answer, intent, mood, query rewrite). */
export interface TurnUsage {
  promptTokens: number;
  completionTokens: number;
  calls: number;
}

/** What a turn asks the model for; a summary or a suggestion written afterwards belongs to no answer. */
const TURN_PURPOSES: ReadonlySet<UsagePurpose> = new Set(['answer', 'intent', 'sentiment', 'rewrite']);

/**
 * Runs a turn with a context whose language-model calls are also added up for it, for protocols that
 * report tokens per answer (Dify's `metadata.usage`). The workspace's metering (usage-meter.ts) is
 * unchanged: calls are still counted there, once. Calls that finish after `run` resolved are not
 * counted; a turn without the model (an FAQ, a flow, a hand-off) reports zeros.
 */
export async function measureTurnUsage<T>(ctx: UseCaseContext, run: (ctx: UseCaseContext) => Promise<T>): Promise<{ value: T; usage: TurnUsage }> {
  const usage: TurnUsage = { promptTokens: 0, completionTokens: 0, calls: 0 };
  let open = true;
  const add = (r: { inputTokens?: number | undefined; outputTokens?: number | undefined }) => {
    if (!open) return;
    usage.calls++;
    usage.promptTokens += r.inputTokens ?? 0;
    usage.completionTokens += r.outputTokens ?? 0;
  };
  const wrap: UsageMeter['wrap'] = (model, workspaceId, purpose) =>
    ctx.usage.wrap(TURN_PURPOSES.has(purpose) ? tallied(model, add) : model, workspaceId, purpose);
  // The meter itself, but for `wrap`: its tallies and timers stay the one shared meter's.
  const meter = new Proxy(ctx.usage, { get: (target, prop) => (prop === 'wrap' ? wrap : Reflect.get(target, prop, target)) });
  try {
    const value = await run({ ...ctx, usage: meter });
    return { value, usage: { ...usage } };
  } finally {
    open = false;
  }
}

function tallied(model: LanguageModel, add: (r: { inputTokens?: number | undefined; outputTokens?: number | undefined }) => void): LanguageModel {
  return {
    model: model.model,
    async complete(request, opts) {
      const r = await model.complete(request, opts);
      add(r);
      return r;
    },
    async *stream(request: ChatRequest, opts?: LanguageModelCallOptions): AsyncGenerator<ChatEvent> {
      for await (const e of model.stream(request, opts)) {
        if (e.type === 'finish') add(e);
        yield e;
      }
    },
  };
}
