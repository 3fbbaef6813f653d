import { z } from 'zod';

/** One pipeline stage of a bot turn: what it produced, how sure it was, how long it took. */
export const TraceStage = z.object({
  stage: z.string(),
  ms: z.number(),
  score: z.number().nullable().optional(),
  summary: z.string().optional(),
  output: z.unknown(),
});
export type TraceStage = z.infer<typeof TraceStage>;

export const DecisionKind = z.enum(['answer', 'clarify', 'flow', 'handoff', 'fallback', 'silent']);
export type DecisionKind = z.infer<typeof DecisionKind>;

export const TurnTrace = z.object({
  version: z.literal(1),
  stages: z.array(TraceStage),
  decision: z.object({ kind: DecisionKind, reason: z.string(), confidence: z.number().nullable() }),
  totalMs: z.number(),
});
export type TurnTrace = z.infer<typeof TurnTrace>;
