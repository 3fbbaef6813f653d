import { z } from 'zod';
import { Cursor, commaList, Id, Language, Locale, WellFormedText } from './common.js';
import { Message } from './messages.js';
import { Sla } from './sla.js';

export const ConversationStatus = z.enum(['bot', 'queued', 'assigned', 'resolved', 'closed']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** Where the conversation happens: the widget, kefu's own API, the CLI, or a system speaking another product's protocol. */
export const Channel = z.enum(['web', 'api', 'cli', 'openai', 'dify', 'rasa', 'chatwoot', 'custom']);
export type Channel = z.infer<typeof Channel>;

/**
 * What an agent needs when a conversation is handed to people, captured at the hand-off: why, what the
 * customer wants, how they feel, what the bot tried and with which sources, what a flow collected.
 */
export const HandoffContext = z.object({
  at: z.string(),
  /** What triggered it: customer_request, negative_sentiment, low_confidence, flow, intent, agent, api… */
  trigger: z.string(),
  /** Who asked: the bot's policy, an agent, or an external system through the API. */
  by: z.enum(['bot', 'agent', 'api']),
  note: z.string().nullable(),
  /** The rolling summary, or the customer's last messages when there is none. */
  summary: z.string().nullable(),
  customerMessages: z.array(z.string()),
  intents: z.array(z.object({ name: z.string(), probability: z.number() })),
  sentiment: z
    .object({
      label: z.string(),
      polarity: z.number(),
      primary: z.string().nullable(),
      /** Average polarity of the last messages, unhappy messages in a row, the strongest anger. */
      average: z.number(),
      negativeStreak: z.number().int(),
      angerPeak: z.number(),
    })
    .nullable(),
  /** The bot's last replies: what it decided and from which knowledge. */
  tried: z.array(
    z.object({
      text: z.string(),
      kind: z.string(),
      reason: z.string().nullable(),
      confidence: z.number().nullable(),
      sources: z.array(z.object({ id: z.string(), title: z.string() })),
    }),
  ),
  flow: z.object({ key: z.string(), step: z.string(), slots: z.record(z.string(), z.unknown()) }).nullable(),
  language: Language.nullable(),
});
export type HandoffContext = z.infer<typeof HandoffContext>;

export const Conversation = z.object({
  id: Id,
  workspaceId: Id,
  contact: z.object({ id: Id, name: z.string().nullable() }),
  channel: Channel,
  status: ConversationStatus,
  assignee: z.object({ id: Id, name: z.string() }).nullable(),
  language: Language.nullable(),
  lastMessageAt: z.string().nullable(),
  lastMessagePreview: z.string().nullable(),
  handoffReason: z.string().nullable(),
  /** Labels set by agents and flows. */
  tags: z.array(z.string()),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  /** The flow the bot is walking the customer through, and the step waiting for an answer. */
  flow: z.object({ key: z.string(), step: z.string(), slots: z.record(z.string(), z.unknown()) }).nullable(),
  /** Agents only: the context captured when the conversation was handed to people. */
  handoff: HandoffContext.nullable().optional(),
  /** When it joined the queue (null unless queued or assigned). */
  queuedAt: z.string().nullable().optional(),
  /** Agents only: the team whose queue it is in. */
  team: z.object({ id: Id, name: z.string() }).nullable().optional(),
  /** Agents only: out of the inbox until then (the customer writing wakes it). */
  snoozedUntil: z.string().nullable().optional(),
  /** Agents only: the SLA clocks of its current stay with people (absent when none ran). */
  sla: Sla.nullable().optional(),
  /** The customer's satisfaction rating (CSAT), once given. */
  rating: z
    .object({ score: z.number().int().min(1).max(5), comment: z.string().nullable(), ratedAt: z.string() })
    .nullable()
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Conversation = z.infer<typeof Conversation>;

/** Hand a conversation to people (agents, or an external system with an API key). */
export const HandoffBody = z.object({
  reason: WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')),
  note: WellFormedText.pipe(z.string().trim().max(2000, 'must be at most 2000 characters')).optional(),
  priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
  /** The team whose queue it joins (default: the workspace's shared queue). */
  team: Id.optional(),
});
export type HandoffBody = z.infer<typeof HandoffBody>;

/**
 * Inbox views: `mine` (assigned to me), `unassigned` (waiting in a queue I can take from), `team`
 * (open in my teams, or in `team`), `all` (open ones I may see), `snoozed` (mine, snoozed).
 */
export const InboxView = z.enum(['mine', 'unassigned', 'team', 'all', 'snoozed']);
export type InboxView = z.infer<typeof InboxView>;

export const ListConversationsQuery = z.object({
  /** One status or several separated by commas: `queued,assigned`. */
  status: commaList(ConversationStatus).optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), Id]).optional(),
  view: InboxView.optional(),
  /** Conversations of this team (agents must belong to it). */
  team: Id.optional(),
  /** `breached`: a clock is past due and still open; `at_risk`: a clock passed its warning point. */
  sla: z.enum(['breached', 'at_risk']).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListConversationsQuery = z.infer<typeof ListConversationsQuery>;

export const ConversationPage = z.object({ items: z.array(Conversation), nextCursor: z.string().nullable() });
export type ConversationPage = z.infer<typeof ConversationPage>;

/** How many conversations each inbox view holds for the caller, and per team of theirs. */
export const InboxCounts = z.object({
  mine: z.number().int(),
  unassigned: z.number().int(),
  team: z.number().int(),
  all: z.number().int(),
  snoozed: z.number().int(),
  teams: z.array(z.object({ id: Id, name: z.string(), open: z.number().int(), waiting: z.number().int() })),
});
export type InboxCounts = z.infer<typeof InboxCounts>;

/** Give the conversation to another agent, or to a team's queue (exactly one of the two). */
export const TransferBody = z
  .object({
    agentId: Id.optional(),
    teamId: Id.optional(),
    note: WellFormedText.pipe(z.string().trim().max(2000, 'must be at most 2000 characters')).optional(),
  })
  .strict()
  .refine((b) => (b.agentId === undefined) !== (b.teamId === undefined), { message: 'send exactly one of agentId or teamId', path: ['agentId'] });
export type TransferBody = z.infer<typeof TransferBody>;

/** Snooze until a time (ISO 8601, within 90 days), or for a number of minutes. */
export const SnoozeBody = z
  .object({
    until: z.iso.datetime({ offset: true }).optional(),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(90 * 24 * 60)
      .optional(),
  })
  .strict()
  .refine((b) => (b.until === undefined) !== (b.minutes === undefined), { message: 'send exactly one of until or minutes', path: ['until'] });
export type SnoozeBody = z.infer<typeof SnoozeBody>;

/** One entry of a conversation's ownership history. */
export const ConversationEvent = z.object({
  id: Id,
  conversationId: Id,
  /** handoff.requested, conversation.assigned, conversation.transferred, conversation.released, conversation.snoozed, conversation.woke, sla.breached… */
  type: z.string(),
  actor: z.object({ type: z.enum(['member', 'api_key', 'bot', 'system']), id: z.string().nullable(), name: z.string().nullable() }),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});
export type ConversationEvent = z.infer<typeof ConversationEvent>;

export const ListConversationEventsQuery = z.object({
  /** One type or several separated by commas. */
  type: z
    .string()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListConversationEventsQuery = z.infer<typeof ListConversationEventsQuery>;

export const ConversationEventPage = z.object({ items: z.array(ConversationEvent), nextCursor: z.string().nullable() });
export type ConversationEventPage = z.infer<typeof ConversationEventPage>;

export const UpdateConversationBody = z.object({ status: ConversationStatus });
export type UpdateConversationBody = z.infer<typeof UpdateConversationBody>;

const ShortText = WellFormedText.pipe(z.string().max(200));

/** Public visitor API: start a conversation with a widget key. */
export const StartConversationBody = z.object({
  contact: z
    .object({
      externalId: ShortText.optional(),
      name: ShortText.optional(),
      email: z.email().max(254).optional(),
      /** From the pre-chat form: digits, spaces and + - ( ) only. */
      phone: z
        .string()
        .trim()
        .regex(/^\+?[\d\s()-]{3,32}$/, 'must be a phone number')
        .optional(),
      /** Unverified details the site knows about the customer (plan, order count…); short strings only. */
      attributes: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
      /**
       * Identity verification (docs/widget.md): hex HMAC-SHA256 of `externalId` with the workspace's identity
       * secret. With a valid hash the contact `externalId` is used and their open conversation resumed; a
       * wrong one is refused (IDENTITY_INVALID); without one, `externalId` is not trusted and not linked.
       */
      hash: z.string().max(128).optional(),
    })
    .optional(),
  locale: Locale.optional(),
  channel: z.enum(['web', 'api']).default('web'),
});
export type StartConversationBody = z.infer<typeof StartConversationBody>;

export const StartConversationResponse = z.object({
  conversation: Conversation,
  /** Bearer token scoped to this one conversation. */
  visitorToken: z.string(),
  messages: z.array(Message),
});
export type StartConversationResponse = z.infer<typeof StartConversationResponse>;

export const SendMessageResponse = z.object({
  message: Message,
  replies: z.array(Message),
  conversation: Conversation,
});
export type SendMessageResponse = z.infer<typeof SendMessageResponse>;

/** What the demo page and the widget need to know about a workspace before starting. */
export const WidgetConfig = z.object({
  workspace: z.object({ name: z.string(), slug: z.string() }),
  greeting: z.record(z.string(), z.string()),
  suggestions: z.record(z.string(), z.array(z.string())),
  /** So clients can count characters instead of discovering the limit through a 413. */
  limits: z.object({
    messageMaxChars: z.number().int(),
    /** Files customers may send: the largest size in bytes and the accepted MIME types. */
    attachments: z.object({ maxBytes: z.number().int(), types: z.array(z.string()) }).optional(),
  }),
  /** The launcher's look (settings.widget.theme with defaults filled in). */
  theme: z.object({ color: z.string(), position: z.enum(['left', 'right']), logoUrl: z.string().nullable() }).optional(),
  /** The form before the first message, when the workspace asks for one. */
  preChat: z
    .object({
      fields: z.array(z.object({ key: z.enum(['name', 'email', 'phone']), required: z.boolean() })),
      intro: z.record(z.string(), z.string()),
    })
    .nullable()
    .optional(),
  /** The greeting bubble beside the launcher, when the workspace wants one. */
  proactive: z
    .object({ delaySeconds: z.number().int(), message: z.record(z.string(), z.string()) })
    .nullable()
    .optional(),
  /** The satisfaction survey at the end of a conversation. */
  csat: z.object({ enabled: z.boolean(), question: z.record(z.string(), z.string()) }).optional(),
});
export type WidgetConfig = z.infer<typeof WidgetConfig>;

/** A reply an agent may insert (and edit) before sending: a knowledge entry's answer, or a draft by the language model. */
export const ReplySuggestion = z.object({
  id: z.string(),
  kind: z.enum(['knowledge', 'generated']),
  text: z.string(),
  /** The knowledge entry it comes from (generated drafts: the first one they cite). */
  source: z.object({ id: z.string(), title: z.string() }).nullable(),
  confidence: z.number().nullable(),
});
export type ReplySuggestion = z.infer<typeof ReplySuggestion>;

export const ReplySuggestions = z.object({
  /** The customer's message(s) the suggestions answer. */
  query: z.string(),
  items: z.array(ReplySuggestion),
  /** Whether the language model drafted one: `off` without a model, `failed` when it could not. */
  generated: z.enum(['ok', 'off', 'failed', 'no_answer']),
});
export type ReplySuggestions = z.infer<typeof ReplySuggestions>;

/** The customer's satisfaction rating of a conversation (CSAT): 1 (very unhappy) to 5 (very happy). Rating again replaces it. */
export const RateConversationBody = z.object({
  score: z.number().int('must be a whole number from 1 to 5').min(1, 'must be from 1 to 5').max(5, 'must be from 1 to 5'),
  comment: WellFormedText.pipe(z.string().trim().max(1000, 'must be at most 1000 characters')).optional(),
});
export type RateConversationBody = z.infer<typeof RateConversationBody>;

export const ConversationRating = z.object({ score: z.number().int(), comment: z.string().nullable(), ratedAt: z.string() });
export type ConversationRating = z.infer<typeof ConversationRating>;
