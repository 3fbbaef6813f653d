import { z } from 'zod';
import { WellFormedText } from './common.js';
import { SlaSettings } from './sla.js';

const Line = (max: number) => WellFormedText.pipe(z.string().trim().max(max, `must be at most ${max} characters`));
const Ratio = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const Streak = z.number().int().min(0, 'must be between 0 and 20').max(20, 'must be between 0 and 20');

/** A text per UI locale. */
export const LocaleTexts = z.object({ 'zh-CN': Line(500).optional(), 'zh-TW': Line(500).optional(), en: Line(500).optional() }).strict();

const LocaleLists = z
  .object({
    'zh-CN': z.array(Line(100)).max(10).optional(),
    'zh-TW': z.array(Line(100)).max(10).optional(),
    en: z.array(Line(100)).max(10).optional(),
  })
  .strict();

export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Asia/Shanghai' },
);

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be a time as HH:MM');
const Range = z.object({ from: Clock, to: Clock }).strict();
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

/** When people answer: weekly hours in a time zone, holidays, and make-up workdays (调休). */
export const BusinessHoursSettings = z
  .object({
    timeZone: TimeZone,
    weekly: z
      .object({
        mon: z.array(Range).max(6),
        tue: z.array(Range).max(6),
        wed: z.array(Range).max(6),
        thu: z.array(Range).max(6),
        fri: z.array(Range).max(6),
        sat: z.array(Range).max(6),
        sun: z.array(Range).max(6),
      })
      .partial()
      .strict(),
    holidays: z.array(Day).max(400).optional(),
    workdays: z.array(Day).max(100).optional(),
    workdayHours: z.array(Range).max(6).optional(),
  })
  .strict();
export type BusinessHoursSettings = z.infer<typeof BusinessHoursSettings>;

/** Contacts whose attribute holds one of the values are VIPs. */
export const VipSettings = z
  .object({
    attribute: Line(64).pipe(z.string().min(1, 'must not be empty')),
    values: z.array(Line(100)).min(1).max(50),
    /** Hand them to people at once (default true). */
    handoff: z.boolean().optional(),
    /** Their queue priority (default high). */
    priority: z.enum(['normal', 'high', 'urgent']).optional(),
  })
  .strict();

/** How queued conversations reach agents. */
export const RoutingSettings = z
  .object({
    /** Give queued conversations to online agents with room (default true). */
    autoAssign: z.boolean().optional(),
    /** Default least_busy. */
    strategy: z.enum(['round_robin', 'least_busy', 'skill_based']).optional(),
  })
  .strict();

/** How the language model takes part in answering (only when LLM_BASE_URL / LLM_MODEL are set). */
export const AssistantSettings = z
  .object({
    /**
     * `auto` (default): the model writes answers from document passages, from several entries, and when
     * the best entry is not a clear match; an FAQ entry that matches well is sent as written. `always`:
     * every answer is written by the model. `off`: answers are the knowledge base's own text.
     */
    answers: z.enum(['off', 'auto', 'always']),
    /** Who the bot is: name, tone, what it may call the company. */
    persona: Line(2000),
    /** House rules for answers ("always give prices in 元", "never discuss competitors"). */
    instructions: Line(4000),
    /** The model may start flows, run actions marked as tools and hand off (default on). */
    tools: z.boolean(),
    /** Follow-ups are rewritten into stand-alone questions before the search (default on). */
    rewriteQueries: z.boolean(),
    /** A rolling summary of long conversations is kept for the model and for agents (default on). */
    summaries: z.boolean(),
  })
  .partial()
  .strict();
export type AssistantSettings = z.infer<typeof AssistantSettings>;

/** What the bot must not say, and what customer text may not leave the process. */
export const GuardrailSettings = z
  .object({
    /** Phones, e-mail, ID, card and passport numbers are replaced by placeholders before text reaches a model (default on). */
    redactPii: z.boolean(),
    /** Words and phrases the bot never says (any script, any case). */
    forbiddenWords: z.array(Line(100).pipe(z.string().min(1, 'must not be empty'))).max(500),
    /** Guarantees of refunds or compensation are not sent (default on). */
    forbidPromises: z.boolean(),
    /** The most a generated answer may commit to refund; null for no limit. */
    refundLimit: z
      .object({ maxAmount: z.number().nonnegative().max(1e9), currency: z.string().trim().max(8).optional() })
      .strict()
      .nullable(),
  })
  .partial()
  .strict();
export type GuardrailSettings = z.infer<typeof GuardrailSettings>;

export const EntitySettings = z
  .object({
    orderPatterns: z.array(z.object({ name: Line(50).pipe(z.string().min(1)), pattern: z.string().min(1).max(300) }).strict()).max(20),
    lookups: z
      .array(
        z
          .object({
            name: Line(50).pipe(z.string().min(1)),
            entries: z.array(z.object({ value: Line(100).pipe(z.string().min(1)), synonyms: z.array(Line(100)).max(50).optional() }).strict()).max(2000),
          })
          .strict(),
      )
      .max(20),
  })
  .partial()
  .strict();

/** The embedded widget's look: launcher colour (#rrggbb), side of the page, and a logo (https URL). */
export const WidgetThemeSettings = z
  .object({
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb'),
    position: z.enum(['left', 'right']),
    logoUrl: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .nullable(),
  })
  .partial()
  .strict();
/** Details asked before the first message (optional): which fields, which of them are required, and a line above them. */
export const WidgetPreChatSettings = z
  .object({
    enabled: z.boolean(),
    fields: z
      .array(z.object({ key: z.enum(['name', 'email', 'phone']), required: z.boolean() }).strict())
      .min(1, 'must list at least one field')
      .max(3)
      .refine((f) => new Set(f.map((x) => x.key)).size === f.length, 'must not repeat a field'),
    intro: LocaleTexts,
  })
  .partial()
  .strict();
/** A greeting bubble beside the launcher after the visitor has been on the page for a while (never once they chatted). */
export const WidgetProactiveSettings = z
  .object({
    enabled: z.boolean(),
    delaySeconds: z.number().int().min(0, 'must be between 0 and 600').max(600, 'must be between 0 and 600'),
    message: LocaleTexts,
  })
  .partial()
  .strict();
export const WidgetSettings = z.object({ theme: WidgetThemeSettings, preChat: WidgetPreChatSettings, proactive: WidgetProactiveSettings }).partial().strict();

/** The satisfaction survey (CSAT) offered when a conversation is resolved: on by default. */
export const CsatSettings = z.object({ enabled: z.boolean(), question: LocaleTexts }).partial().strict();

/** A workspace's identity-verification secret (admins only): `hash = hex(HMAC-SHA256(secret, externalId))`. */
export const IdentitySecretView = z.object({ secret: z.string() });
export type IdentitySecretView = z.infer<typeof IdentitySecretView>;

/** A workspace's bot settings. Every field is optional; a missing one takes its default. */
export const WorkspaceSettings = z
  .object({
    greeting: LocaleTexts,
    suggestions: LocaleLists,
    /** Retrieval confidence the bot needs to answer (default 0.35). */
    answerThreshold: Ratio,
    /** Calibrated probability an intent needs (default 0.7). */
    intentThreshold: Ratio,
    /** Anger in a negative message that hands off (default 0.6; 0 turns it off). */
    angerThreshold: Ratio,
    /** Unanswered turns in a row that hand off (default 2; 0 turns it off). */
    fallbackStreakHandoff: Streak,
    /** Unhappy customer messages in a row that hand off (default 3; 0 turns it off). */
    negativeStreakHandoff: Streak,
    /** Ask the model about messages whose mood the offline reading is unsure of (default on). */
    llmSentiment: z.boolean(),
    /** Hand off on threats to go to a regulator, the police or the media (default on). */
    handoffOnRegulatorThreat: z.boolean(),
    /** Offer buttons when the best knowledge entries are too close to choose (default on). */
    clarify: z.boolean(),
    /** For relative dates (明天, next Friday); default Asia/Shanghai. */
    timeZone: TimeZone,
    entities: EntitySettings,
    assistant: AssistantSettings,
    guardrails: GuardrailSettings,
    /** Contacts whose attribute holds one of the values are VIPs: handed to people at once (default) and queued with a higher priority. */
    vip: VipSettings,
    /** How queued conversations reach agents: automatically to online agents with room (default), by strategy. */
    routing: RoutingSettings,
    /** When people answer; without it, always. */
    businessHours: BusinessHoursSettings,
    /** Out of hours a hand-off opens a ticket (default) or queues anyway; either way the customer hears when people are back. */
    afterHours: z.enum(['ticket', 'queue']),
    /** Service-level targets for first response and resolution, per priority, with warnings and breaches. */
    sla: SlaSettings,
    /** The embedded widget (theme, pre-chat form, proactive greeting). */
    widget: WidgetSettings,
    /** Ask customers to rate a resolved conversation (1–5) with an optional comment. */
    csat: CsatSettings,
  })
  .partial()
  .strict();
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

/**
 * A change to the settings: the fields given replace the stored ones (`assistant`, `guardrails`, `widget`, `csat`,
 * `entities` and `sla` are merged key by key); `null` restores a field's default.
 */
export const WorkspaceSettingsPatch = z
  .object({
    greeting: LocaleTexts.nullable(),
    suggestions: LocaleLists.nullable(),
    answerThreshold: Ratio.nullable(),
    intentThreshold: Ratio.nullable(),
    angerThreshold: Ratio.nullable(),
    fallbackStreakHandoff: Streak.nullable(),
    negativeStreakHandoff: Streak.nullable(),
    llmSentiment: z.boolean().nullable(),
    handoffOnRegulatorThreat: z.boolean().nullable(),
    clarify: z.boolean().nullable(),
    timeZone: TimeZone.nullable(),
    entities: EntitySettings.nullable(),
    assistant: AssistantSettings.nullable(),
    guardrails: GuardrailSettings.nullable(),
    vip: VipSettings.nullable(),
    routing: RoutingSettings.nullable(),
    businessHours: BusinessHoursSettings.nullable(),
    afterHours: z.enum(['ticket', 'queue']).nullable(),
    sla: SlaSettings.nullable(),
    widget: WidgetSettings.nullable(),
    csat: CsatSettings.nullable(),
  })
  .partial()
  .strict();
export type WorkspaceSettingsPatch = z.infer<typeof WorkspaceSettingsPatch>;

export const LlmStatus = z.object({
  /** Whether a language model endpoint is configured (LLM_BASE_URL / LLM_MODEL). */
  configured: z.boolean(),
  model: z.string().nullable(),
  /** The circuit breaker: `closed` healthy, `open` calls are skipped after repeated failures, `half_open` probing. */
  circuit: z.enum(['closed', 'open', 'half_open']).nullable(),
});
export type LlmStatus = z.infer<typeof LlmStatus>;

export const WorkspaceSettingsView = z.object({
  /** What the workspace set. */
  settings: WorkspaceSettings,
  /** Every setting with its default filled in: what the bot uses. */
  effective: z.record(z.string(), z.unknown()),
  llm: LlmStatus,
});
export type WorkspaceSettingsView = z.infer<typeof WorkspaceSettingsView>;

export const UsageQuery = z.object({
  /** First day, YYYY-MM-DD (UTC); default 30 days ago. */
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .optional(),
  /** Last day, YYYY-MM-DD (UTC), included; default today. */
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .optional(),
});

/** What the language model was used for. */
export const UsagePurpose = z.enum(['answer', 'intent', 'sentiment', 'rewrite', 'summary', 'suggestion', 'other']);
export type UsagePurpose = z.infer<typeof UsagePurpose>;

export const UsageRow = z.object({
  day: z.string(),
  model: z.string(),
  purpose: UsagePurpose,
  calls: z.number().int(),
  failures: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  /** In the currency of LLM_PRICE_* (per million tokens); 0 when no price is configured. */
  cost: z.number(),
});
export type UsageRow = z.infer<typeof UsageRow>;

export const UsageReport = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  rows: z.array(UsageRow),
  totals: z.object({ calls: z.number().int(), failures: z.number().int(), inputTokens: z.number().int(), outputTokens: z.number().int(), cost: z.number() }),
});
export type UsageReport = z.infer<typeof UsageReport>;
