import { z } from 'zod';
import { Cursor, Id } from './common.js';

/**
 * Service-level targets: how soon people first answer (first response) and how soon the matter is
 * done (resolution), per priority, in minutes. Conversations and tickets have their own targets: chat
 * customers wait minutes, ticket customers hours.
 */
export const SlaPriority = z.enum(['low', 'normal', 'high', 'urgent']);
export type SlaPriority = z.infer<typeof SlaPriority>;

/** 30 days: a longer first-response target is not a target. */
const MAX_FIRST_RESPONSE = 43_200;
/** 90 days. */
const MAX_RESOLUTION = 129_600;

const Minutes = (max: number) =>
  z.number().int('must be a whole number of minutes').min(1, 'must be at least 1 minute').max(max, `must be at most ${max} minutes`);

export const SlaTarget = z
  .object({ firstResponse: Minutes(MAX_FIRST_RESPONSE), resolution: Minutes(MAX_RESOLUTION) })
  .strict()
  .superRefine((t, ctx) => {
    if (t.resolution < t.firstResponse)
      ctx.addIssue({ code: 'custom', path: ['resolution'], message: `must not be shorter than the first-response target (${t.firstResponse} minutes)` });
  });
export type SlaTarget = z.infer<typeof SlaTarget>;

/** A target per priority; a priority left out takes its default. */
export const SlaTargets = z.object({ urgent: SlaTarget, high: SlaTarget, normal: SlaTarget, low: SlaTarget }).partial().strict();
export type SlaTargets = z.infer<typeof SlaTargets>;

/** The workspace's SLA policy (`settings.sla`). Every field is optional; a missing one takes its default. */
export const SlaSettings = z
  .object({
    /** Start clocks on hand-offs and new tickets (default true). */
    enabled: z.boolean(),
    /** Conversations handed to people: the clocks start when they join the queue. */
    targets: SlaTargets,
    /** Tickets: the clocks start when the ticket is opened. */
    ticketTargets: SlaTargets,
    /** Warn when this share of the target has passed (default 80). */
    warnAtPercent: z.number().int('must be a whole number').min(1, 'must be between 1 and 99').max(99, 'must be between 1 and 99'),
    /** With business hours configured, count only the hours the business is open, holidays excluded (default true). */
    businessHoursOnly: z.boolean(),
  })
  .partial()
  .strict();
export type SlaSettings = z.infer<typeof SlaSettings>;

/**
 * One clock. `running` → `warning` (warnAt passed) → `breached` (dueAt passed); `met` stopped in time;
 * `cancelled` stopped with nothing owed (handed back to the bot, resolved without a reply). A breached
 * clock stays breached when it stops late; `at` then tells when.
 */
export const SlaState = z.enum(['running', 'warning', 'breached', 'met', 'cancelled']);
export type SlaState = z.infer<typeof SlaState>;

export const SlaClock = z.object({
  dueAt: z.string(),
  /** When it turns amber. */
  warnAt: z.string().optional(),
  /** When it stopped (null while it runs). */
  at: z.string().nullable(),
  state: SlaState,
});
export type SlaClock = z.infer<typeof SlaClock>;

export const Sla = z.object({ firstResponse: SlaClock, resolution: SlaClock });
export type Sla = z.infer<typeof Sla>;

export const SlaMetric = z.enum(['first_response', 'resolution']);
export type SlaMetric = z.infer<typeof SlaMetric>;
export const SlaEventKind = z.enum(['warning', 'breach', 'met']);
export type SlaEventKind = z.infer<typeof SlaEventKind>;

/** What happened to a clock: it passed its warning point, its due time, or stopped in time. */
export const SlaEvent = z.object({
  id: Id,
  conversationId: z.string().nullable(),
  ticketId: z.string().nullable(),
  metric: SlaMetric,
  kind: SlaEventKind,
  dueAt: z.string(),
  at: z.string(),
  assigneeId: z.string().nullable(),
  priority: SlaPriority,
});
export type SlaEvent = z.infer<typeof SlaEvent>;

export const SlaEventsQuery = z.object({
  kind: SlaEventKind.optional(),
  metric: SlaMetric.optional(),
  /** Events at or after this time (ISO 8601). */
  since: z.iso.datetime({ offset: true }).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type SlaEventsQuery = z.infer<typeof SlaEventsQuery>;

export const SlaEventPage = z.object({ items: z.array(SlaEvent), nextCursor: z.string().nullable() });
export type SlaEventPage = z.infer<typeof SlaEventPage>;

export const SlaSummaryQuery = z.object({
  /** Start of the period for met percentages (ISO 8601); default 7 days ago. */
  since: z.iso.datetime({ offset: true }).optional(),
});

const OpenCounts = z.object({
  /** Clocks running within their target. */
  running: z.number().int(),
  /** Past the warning point. */
  atRisk: z.number().int(),
  /** Past due and still open. */
  breached: z.number().int(),
});
const MetRate = z.object({
  met: z.number().int(),
  breached: z.number().int(),
  /** met / (met + breached) × 100, one decimal; null when nothing stopped or breached in the period. */
  metPercent: z.number().nullable(),
});

/** For managers: what is open now, and how often targets were met in the period. */
export const SlaSummary = z.object({
  since: z.string(),
  until: z.string(),
  conversations: OpenCounts,
  tickets: OpenCounts,
  firstResponse: MetRate,
  resolution: MetRate,
});
export type SlaSummary = z.infer<typeof SlaSummary>;
