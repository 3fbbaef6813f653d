import type { WorkspaceSettings } from '../domain/entities.js';
import { DEFAULT_ANSWER_THRESHOLD, DEFAULT_FALLBACK_STREAK } from './run-turn.js';
import { slaSettings } from './sla-policy.js';
import { DEFAULT_ANGER_THRESHOLD, DEFAULT_INTENT_THRESHOLD, DEFAULT_NEGATIVE_STREAK } from './understand.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** Every setting with its default filled in: what the bot works with. */
export function effectiveSettings(s: WorkspaceSettings) {
  return {
    greeting: s.greeting ?? {},
    suggestions: s.suggestions ?? {},
    answerThreshold: s.answerThreshold ?? DEFAULT_ANSWER_THRESHOLD,
    intentThreshold: s.intentThreshold ?? DEFAULT_INTENT_THRESHOLD,
    angerThreshold: s.angerThreshold ?? DEFAULT_ANGER_THRESHOLD,
    fallbackStreakHandoff: s.fallbackStreakHandoff ?? DEFAULT_FALLBACK_STREAK,
    negativeStreakHandoff: s.negativeStreakHandoff ?? DEFAULT_NEGATIVE_STREAK,
    llmSentiment: s.llmSentiment ?? true,
    handoffOnRegulatorThreat: s.handoffOnRegulatorThreat ?? true,
    clarify: s.clarify ?? true,
    timeZone: s.timeZone ?? DEFAULT_TIME_ZONE,
    entities: { orderPatterns: s.entities?.orderPatterns ?? [], lookups: s.entities?.lookups ?? [] },
    businessHours: s.businessHours ?? null,
    afterHours: s.afterHours ?? 'ticket',
    assistant: assistantSettings(s),
    guardrails: guardrailSettings(s),
    sla: slaSettings(s),
  };
}

export function assistantSettings(s: WorkspaceSettings) {
  const a = s.assistant ?? {};
  return {
    answers: a.answers ?? 'auto',
    persona: a.persona ?? '',
    instructions: a.instructions ?? '',
    tools: a.tools ?? true,
    rewriteQueries: a.rewriteQueries ?? true,
    summaries: a.summaries ?? true,
  } as const;
}
export type EffectiveAssistant = ReturnType<typeof assistantSettings>;

export function guardrailSettings(s: WorkspaceSettings) {
  const g = s.guardrails ?? {};
  return {
    redactPii: g.redactPii ?? true,
    forbiddenWords: g.forbiddenWords ?? [],
    forbidPromises: g.forbidPromises ?? true,
    refundLimit: g.refundLimit ?? null,
  };
}
export type EffectiveGuardrails = ReturnType<typeof guardrailSettings>;
