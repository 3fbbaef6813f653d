import { z } from 'zod';
import { Conversation } from './conversations.js';
import { IntentModelRun } from './intents.js';
import { ImportJob } from './knowledge.js';
import { Message } from './messages.js';

/** Frames the server sends over `/v1/ws` (agents) and `/v1/widget/ws` (visitors). */
export const ServerFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), workspaceId: z.string() }),
  z.object({ type: z.literal('message.created'), conversationId: z.string(), message: Message }),
  z.object({ type: z.literal('conversation.created'), conversation: Conversation }),
  z.object({ type: z.literal('conversation.updated'), conversation: Conversation }),
  z.object({
    type: z.literal('typing'),
    conversationId: z.string(),
    author: z.object({ type: z.enum(['contact', 'bot', 'agent']), name: z.string().nullable() }),
    on: z.boolean(),
  }),
  z.object({ type: z.literal('import.progressed'), job: ImportJob }),
  z.object({ type: z.literal('intent_model.progressed'), run: IntentModelRun }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/** Frames a client may send. Anything else is answered with an `error` frame, not a disconnect. */
export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('typing'), conversationId: z.string().max(64).optional(), on: z.boolean() }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
