import { z } from 'zod';
import { Cursor, Id, Locale, WellFormedText } from './common.js';
import { ClientMessageId, MessagePart, MessageText } from './messages.js';

/**
 * Outbound webhooks (docs/webhooks.md): kefu POSTs its own events to a URL, signed with the webhook's
 * secret. `note.created` (an internal note's text) goes only to webhooks that list it by name: `*`
 * never includes it, so a catch-all subscription cannot leak what agents wrote for each other. The
 * same holds for internal ticket comments: `*` gets the public ones of `ticket.comment_created` only.
 */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'message.created',
  'note.created',
  'handoff.requested',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.rated',
  'sla.warning',
  'sla.breached',
  'ticket.created',
  'ticket.updated',
  'ticket.comment_created',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** What a webhook subscribes to: event types, or `*` for every one except `note.created` (and internal ticket comments). */
export const WebhookEventFilter = z.union([WebhookEventType, z.literal('*')]);

export const WEBHOOK_URL_MAX = 2000;

export const WebhookUrl = WellFormedText.pipe(
  z
    .string()
    .trim()
    .max(WEBHOOK_URL_MAX, `must be at most ${WEBHOOK_URL_MAX} characters`)
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.username && !u.password;
      } catch {
        return false;
      }
    }, 'must be an http:// or https:// URL without credentials'),
);

/** A secret the caller chooses (else kefu generates one): long enough to resist guessing. */
const WebhookSecret = WellFormedText.pipe(
  z
    .string()
    .min(16, 'must be at least 16 characters')
    .max(200, 'must be at most 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII only'),
);
const Description = WellFormedText.pipe(z.string().trim().max(500, 'must be at most 500 characters'));
const EventList = z
  .array(WebhookEventFilter)
  .min(1, 'choose at least one event')
  .max(WEBHOOK_EVENT_TYPES.length + 1);

export const Webhook = z.object({
  id: Id,
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  description: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

export const CreateWebhookBody = z.object({
  url: WebhookUrl,
  events: EventList.default(['*']),
  /** Omitted: kefu generates one. Either way it is shown only in the creation response. */
  secret: WebhookSecret.optional(),
  description: Description.default(''),
  enabled: z.boolean().default(true),
});
export type CreateWebhookBody = z.input<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z
  .object({ url: WebhookUrl, events: EventList, description: Description, enabled: z.boolean(), secret: WebhookSecret })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

/** The secret is in this response only: receivers verify `X-Kefu-Signature` with it. */
export const CreateWebhookResponse = z.object({ webhook: Webhook, secret: z.string() });
export type CreateWebhookResponse = z.infer<typeof CreateWebhookResponse>;

export const WebhookList = z.object({ items: z.array(Webhook) });
export type WebhookList = z.infer<typeof WebhookList>;

export const WebhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookDelivery = z.object({
  /** Also the payload's `id` and the `X-Kefu-Delivery` header; the same on every retry and redelivery. */
  id: Id,
  webhookId: Id,
  eventType: z.string(),
  status: WebhookDeliveryStatus,
  /** Attempts of the current series (a redelivery starts a new one). */
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  /** The body as sent. */
  payload: z.unknown(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryPage = z.object({ items: z.array(WebhookDelivery), nextCursor: z.string().nullable() });
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPage>;

export const ListWebhookDeliveriesQuery = z.object({
  status: WebhookDeliveryStatus.optional(),
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type ListWebhookDeliveriesQuery = z.infer<typeof ListWebhookDeliveriesQuery>;

/** What a receiver gets: `id` is the delivery id (dedupe on it), `data` the event's DTOs. */
export interface WebhookPayload<T = unknown> {
  id: string;
  type: WebhookEventType | 'ping';
  createdAt: string;
  workspaceId: string;
  data: T;
}

/** The generic channel (docs/channel-custom.md): one end user's message from a custom app or gateway. */
export const CustomChannelMessageBody = z.object({
  /** The app's own id for the end user: their messages continue one conversation. */
  userId: WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')),
  text: MessageText,
  name: WellFormedText.pipe(z.string().trim().max(200, 'must be at most 200 characters')).optional(),
  email: z.string().trim().email().max(320).optional(),
  locale: Locale.optional(),
  clientMessageId: ClientMessageId.optional(),
});
export type CustomChannelMessageBody = z.infer<typeof CustomChannelMessageBody>;

export const CustomChannelMessageResponse = z.object({
  conversationId: Id,
  /** `queued` / `assigned`: people have the conversation; their replies arrive as `message.created` webhooks. */
  status: z.string(),
  replies: z.array(z.object({ id: Id, text: z.string(), parts: z.array(MessagePart), createdAt: z.string() })),
  handoff: z.object({ reason: z.string() }).nullable(),
  sources: z.array(z.object({ id: z.string(), externalId: z.string().nullable(), title: z.string(), kind: z.enum(['faq', 'chunk']).optional() })),
});
export type CustomChannelMessageResponse = z.infer<typeof CustomChannelMessageResponse>;
