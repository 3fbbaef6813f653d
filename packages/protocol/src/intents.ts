import { z } from 'zod';
import { Id, WellFormedText } from './common.js';

const Text = (max: number) => WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

/** Intent names are identifiers: letters, digits, _ - . / and CJK, up to 80 characters. `oos` marks out-of-scope examples. */
export const IntentName = WellFormedText.pipe(
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(80, 'must be at most 80 characters')
    .regex(/^[\p{L}\p{N}_\-./]+$/u, 'may contain letters, digits, _ - . / only'),
);

export const IntentAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('faq'), faqId: Id }),
  z.object({ kind: z.literal('flow'), flowId: Id }),
  z.object({ kind: z.literal('handoff') }),
  z.object({ kind: z.literal('tag'), tag: Text(50) }),
]);
export type IntentAction = z.infer<typeof IntentAction>;

export const IntentBody = z.object({
  name: IntentName,
  description: z.string().trim().max(500, 'must be at most 500 characters').optional(),
  examples: z.array(Text(500)).max(2000, 'at most 2000 examples per intent'),
  action: IntentAction.nullable().optional(),
});
export type IntentBody = z.infer<typeof IntentBody>;

export const Intent = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  examples: z.array(z.string()),
  action: IntentAction.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Intent = z.infer<typeof Intent>;

export const IntentImportBody = z.object({
  format: z.enum(['csv', 'jsonl', 'yaml']),
  /** The file's text. CSV: `intent,example` rows (header optional); JSONL: `{ "intent", "text" }` or `{ "name", "examples" }`; YAML: kefu's or Rasa NLU's `nlu:` format. */
  content: z.string().min(1, 'must not be empty').max(5_000_000, 'must be at most 5 MB'),
});

export const IntentModelRun = z.object({
  id: z.string(),
  version: z.number().int(),
  status: z.enum(['training', 'ready', 'failed']),
  progress: z.number(),
  report: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** True for the run whose model answers now. */
  serving: z.boolean(),
});
export type IntentModelRun = z.infer<typeof IntentModelRun>;

export const AnalyzeBody = z.object({ text: Text(4000) });

export const Analysis = z.object({
  language: z.string(),
  /** Chinese and English mixed in one message. */
  mixed: z.boolean(),
  intents: z.array(z.object({ name: z.string(), probability: z.number() })),
  intent: z.object({ name: z.string(), probability: z.number(), action: IntentAction.nullable() }).nullable(),
  outOfScope: z.boolean(),
  threshold: z.number(),
  modelVersion: z.number().nullable(),
  entities: z.array(
    z.object({
      type: z.string(),
      text: z.string(),
      start: z.number(),
      end: z.number(),
      value: z.unknown(),
      confidence: z.number(),
      name: z.string().optional(),
    }),
  ),
  sentiment: z.object({
    label: z.enum(['negative', 'neutral', 'positive']),
    polarity: z.number(),
    intensity: z.number(),
    primary: z.string(),
    emotions: z.record(z.string(), z.number()),
    regulatorThreat: z.boolean(),
    repeatedComplaint: z.boolean(),
    cues: z.array(z.object({ text: z.string(), kind: z.string(), weight: z.number() })),
  }),
});
export type Analysis = z.infer<typeof Analysis>;
