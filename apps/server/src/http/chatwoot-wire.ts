import { z } from 'zod';
import type { ChatwootMessageEvent } from '../usecases/chatwoot-bot.js';

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
