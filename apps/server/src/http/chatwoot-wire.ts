import { z } from 'zod';
import type { ChatwootMessageEvent, ChatwootSelectionEvent } from '../usecases/chatwoot-bot.js';

// Chatwoot's agent-bot deliveries (AgentBotListener → Message#webhook_data / Conversation#webhook_data).
// They live here rather than in @kefu/protocol: no kefu app speaks them. Unknown fields are ignored.

/** Chatwoot ids are integers; some proxies and older versions send them as strings. */
const NumericId = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d{1,18}$/, 'must be a numeric id')
    .transform(Number),
]);

/** What every delivery has: the event's name. Anything else is read per event. */
export const ChatwootDelivery = z.looseObject({ event: z.string().min(1).max(100) });

const Sender = z.looseObject({
  id: NumericId.nullish(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  type: z.string().nullish(),
});

/** `message_created`: the message at the top level, with its conversation, account, inbox and sender. */
export const ChatwootMessageCreated = z.looseObject({
  event: z.literal('message_created'),
  id: NumericId,
  content: z.string().max(100_000).nullish(),
  // `incoming` / `outgoing` / `activity` / `template`; the integer enum (0 = incoming) in some versions.
  message_type: z.union([z.string().max(30), z.number().int()]),
  private: z.boolean().nullish(),
  sender: Sender.nullish(),
  account: z.looseObject({ id: NumericId }),
  conversation: z.looseObject({ id: NumericId, status: z.string().max(30).nullish(), inbox_id: NumericId.nullish() }),
  inbox: z.looseObject({ id: NumericId }).nullish(),
});

/** Some versions and proxies send `content_attributes` as a JSON string. */
const jsonObject = (v: unknown) => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** An options message's picks (`input_select`): `[{title, value}]`, the picked items. */
const SubmittedValues = z
  .array(
    z.looseObject({
      title: z.string().max(10_000).nullish(),
      value: z.union([z.string().max(10_000), z.number()]).nullish(),
    }),
  )
  .max(100);

/**
 * `message_updated`: the message after a change, in the `message_created` shape. For kefu it matters
 * when the customer picked an option of an `input_select` (`content_attributes.submitted_values`); the
 * picks are checked only then (forms and CSAT surveys have picks of other shapes).
 */
export const ChatwootMessageUpdated = z
  .looseObject({
    event: z.literal('message_updated'),
    id: NumericId,
    content_type: z.string().max(50).nullish(),
    content_attributes: z.preprocess(jsonObject, z.looseObject({ submitted_values: z.unknown().optional() }).nullish()),
    message_type: z.union([z.string().max(30), z.number().int()]).nullish(),
    private: z.boolean().nullish(),
    account: z.looseObject({ id: NumericId }),
    conversation: z.looseObject({
      id: NumericId,
      status: z.string().max(30).nullish(),
      inbox_id: NumericId.nullish(),
      meta: z.looseObject({ sender: Sender.nullish() }).nullish(),
    }),
    inbox: z.looseObject({ id: NumericId }).nullish(),
  })
  .superRefine((m, c) => {
    const submitted = m.content_attributes?.submitted_values;
    if (m.content_type !== 'input_select' || submitted === undefined || submitted === null) return;
    const r = SubmittedValues.safeParse(submitted);
    if (!r.success)
      for (const issue of r.error.issues)
        c.addIssue({ code: 'custom', message: issue.message, path: ['content_attributes', 'submitted_values', ...issue.path] });
  });

export function toSelectionEvent(m: z.infer<typeof ChatwootMessageUpdated>): ChatwootSelectionEvent {
  const picks = m.content_type === 'input_select' ? (SubmittedValues.safeParse(m.content_attributes?.submitted_values).data ?? []) : [];
  const contact = m.conversation.meta?.sender;
  return {
    messageId: String(m.id),
    contentType: m.content_type ?? null,
    private: m.private === true,
    accountId: m.account.id,
    conversationId: m.conversation.id,
    conversationStatus: m.conversation.status ?? null,
    inboxId: m.conversation.inbox_id ?? m.inbox?.id ?? null,
    submitted: picks.map((p) => String(p.value ?? p.title ?? '')).filter((v) => v.trim() !== ''),
    contact: {
      id: contact?.id === undefined || contact?.id === null ? null : String(contact.id),
      name: contact?.name ?? null,
      email: contact?.email ?? null,
    },
  };
}

const MESSAGE_TYPES = ['incoming', 'outgoing', 'activity', 'template'];

export function toMessageEvent(m: z.infer<typeof ChatwootMessageCreated>): ChatwootMessageEvent {
  return {
    messageId: String(m.id),
    content: m.content ?? '',
    messageType: typeof m.message_type === 'number' ? (MESSAGE_TYPES[m.message_type] ?? String(m.message_type)) : m.message_type,
    private: m.private === true,
    accountId: m.account.id,
    conversationId: m.conversation.id,
    conversationStatus: m.conversation.status ?? null,
    inboxId: m.conversation.inbox_id ?? m.inbox?.id ?? null,
    sender: {
      id: m.sender?.id === undefined || m.sender?.id === null ? null : String(m.sender.id),
      name: m.sender?.name ?? null,
      email: m.sender?.email ?? null,
      type: m.sender?.type ?? null,
    },
  };
}
