import { z } from 'zod';
import { Id } from './common.js';

/**
 * Flows: procedures the bot walks a customer through (order status, refund request…), written in
 * YAML. The schema below is the definition after parsing; `docs/flows.md` explains every step.
 */

/** Text in the customer's language: one string for all, or per locale (zh-TW falls back to zh-CN converted, en to zh-CN). */
export const LocalizedText = z.union([
  z.string().min(1).max(4000),
  z
    .object({ 'zh-CN': z.string().max(4000).optional(), 'zh-TW': z.string().max(4000).optional(), en: z.string().max(4000).optional() })
    .strict()
    .refine((o) => Object.values(o).some((v) => v?.trim()), { message: 'needs at least one of zh-CN, zh-TW, en' }),
]);
export type LocalizedText = z.infer<typeof LocalizedText>;

export const FlowKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ , starting with a letter');
const StepId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'letters, digits, _ and -, starting with a letter');
const SlotName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ , starting with a letter');
/** Where to go: a step id, or `handoff` / `end`. */
const Target = z.string().min(1).max(64);

export const SLOT_TYPES = ['text', 'entity', 'regex', 'choice', 'number', 'yes_no'] as const;

export const FlowChoice = z
  .object({
    value: z.string().min(1).max(100),
    label: LocalizedText,
    /** Other ways a customer may say it (any language). */
    synonyms: z.array(z.string().min(1).max(100)).max(50).optional(),
  })
  .strict();

export const AskStep = z
  .object({
    slot: SlotName,
    type: z.enum(SLOT_TYPES).default('text'),
    /** For `entity`: an entity type found by the understanding stage (order_number, phone, email, amount, datetime, id_card, bank_card, lookup). */
    entity: z.string().min(1).max(40).optional(),
    /** For `regex`: the whole (trimmed) answer must match. */
    pattern: z.string().min(1).max(500).optional(),
    choices: z.array(FlowChoice).min(2).max(20).optional(),
    /** For `number`: bounds. */
    min: z.number().optional(),
    max: z.number().optional(),
    /** For `text`: length bounds. */
    minLength: z.number().int().min(1).max(2000).optional(),
    maxLength: z.number().int().min(1).max(2000).optional(),
    prompt: LocalizedText,
    /** Said before asking again when the answer does not fit. */
    invalid: LocalizedText.optional(),
    /** Answers that do not fit before giving up (default 3). */
    attempts: z.number().int().min(1).max(10).default(3),
    /** Where to go after the last failed attempt (default handoff). */
    onFail: Target.default('handoff'),
    /** Ask even when the slot already holds a value (by default a filled slot skips the question). */
    always: z.boolean().default(false),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.type === 'entity' && !a.entity) ctx.addIssue({ code: 'custom', path: ['entity'], message: 'required for type entity' });
    if (a.type === 'regex') {
      if (!a.pattern) ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'required for type regex' });
      else
        try {
          new RegExp(a.pattern, 'u');
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${(err as Error).message}` });
        }
    }
    if (a.type === 'choice' && !a.choices) ctx.addIssue({ code: 'custom', path: ['choices'], message: 'required for type choice' });
  });

export const CallStep = z
  .object({
    /** A workspace action's key, or a built-in: add_tag, set_priority, set_contact_attribute. */
    action: z.string().min(1).max(64),
    /** Arguments; strings may hold {{slots.x}} placeholders. */
    with: z.record(z.string(), z.unknown()).optional(),
    /** Keep the result's data under slots.<save>; an HTTP action's response mapping fills slots too. */
    save: SlotName.optional(),
    /** Where to go when the action fails (time-out, error, bad response); default handoff. */
    onError: Target.default('handoff'),
  })
  .strict();

export const BranchCase = z.union([z.object({ when: z.string().min(1).max(500), goto: Target }).strict(), z.object({ else: Target }).strict()]);

export const HandoffStep = z
  .object({
    reason: z.string().min(1).max(64).default('flow'),
    /** Shown to the agent with the hand-off. */
    note: z.string().max(1000).optional(),
    message: LocalizedText.optional(),
  })
  .strict();

const StepBase = { id: StepId.optional(), next: Target.optional() };

export const FlowStep = z.union([
  z.object({ ...StepBase, say: LocalizedText }).strict(),
  z.object({ ...StepBase, ask: AskStep }).strict(),
  z.object({ ...StepBase, call: CallStep }).strict(),
  z.object({ ...StepBase, branch: z.array(BranchCase).min(1).max(30) }).strict(),
  z.object({ ...StepBase, set: z.record(SlotName, z.unknown()) }).strict(),
  z.object({ ...StepBase, handoff: HandoffStep }).strict(),
  z.object({ ...StepBase, end: LocalizedText.nullable() }).strict(),
]);
export type FlowStep = z.infer<typeof FlowStep>;

export const FlowDefinition = z
  .object({
    key: FlowKey,
    name: LocalizedText,
    description: z.string().max(1000).optional(),
    triggers: z
      .object({
        /** Intent names that start the flow. */
        intents: z.array(z.string().min(1).max(80)).max(50).default([]),
        /** Phrases that start it when the message contains them (Simplified/Traditional folded, case-insensitive). */
        keywords: z.array(z.string().min(1).max(100)).max(100).default([]),
      })
      .strict()
      .default({ intents: [], keywords: [] }),
    /** Said when the customer cancels. */
    cancelled: LocalizedText.optional(),
    steps: z.array(FlowStep).min(1).max(200),
  })
  .strict();
export type FlowDefinition = z.infer<typeof FlowDefinition>;

export const FlowBody = z.object({
  /** The flow's YAML. */
  source: z.string().min(1, 'must not be empty').max(200_000, 'must be at most 200 KB'),
  enabled: z.boolean().optional(),
});

export const FlowProblem = z.object({ message: z.string(), line: z.number().nullable(), path: z.string() });
export type FlowProblem = z.infer<typeof FlowProblem>;

export const Flow = z.object({
  id: Id,
  key: z.string(),
  name: LocalizedText,
  description: z.string(),
  enabled: z.boolean(),
  version: z.number().int(),
  source: z.string(),
  definition: z.unknown(),
  triggers: z.object({ intents: z.array(z.string()), keywords: z.array(z.string()) }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Flow = z.infer<typeof Flow>;

export const FlowVersion = z.object({ version: z.number().int(), source: z.string(), createdAt: z.string(), authorId: z.string().nullable() });

export const ActionBody = z.object({
  key: FlowKey,
  description: z.string().max(500).optional(),
  kind: z.literal('http'),
  /** An HTTP connector's settings: method, url, headers, body, response, timeoutMs, retries, idempotency, maxResponseBytes (docs/flows.md). */
  config: z.record(z.string(), z.unknown()),
  /** Secret values by name, referred to as {{secrets.NAME}}; null removes one; names not given keep their value. */
  secrets: z.record(z.string(), z.string().max(4096).nullable()).optional(),
  /** The language model may run it as a tool (its arguments are the `{{args.*}}` its templates use). Default false. */
  llmTool: z.boolean().optional(),
});

export const Action = z.object({
  id: Id,
  key: z.string(),
  description: z.string(),
  kind: z.literal('http'),
  config: z.record(z.string(), z.unknown()),
  /** The names of its secrets; values are never returned. */
  secretNames: z.array(z.string()),
  llmTool: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Action = z.infer<typeof Action>;

export const ActionTestBody = z.object({ args: z.record(z.string(), z.unknown()).default({}) });
export const ActionTestResult = z.object({
  ok: z.boolean(),
  status: z.number().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
  data: z.unknown().optional(),
  slots: z.record(z.string(), z.unknown()).optional(),
  ms: z.number(),
  attempts: z.number(),
});
