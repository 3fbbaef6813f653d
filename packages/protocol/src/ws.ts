import { z } from 'zod';
import { Language } from './common.js';
import { Conversation } from './conversations.js';
import { IntentModelRun } from './intents.js';
import { ImportJob } from './knowledge.js';
import { Mention } from './mentions.js';
import { Message } from './messages.js';
import { SlaEvent } from './sla.js';

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
  /** A generated answer begins: `answerId` is the id its message will have in `message.created`. */
  z.object({ type: z.literal('answer-start'), conversationId: z.string(), answerId: z.string(), language: Language }),
  /** The next piece of the answer's text, in order (`seq` counts from 0). */
  z.object({ type: z.literal('answer-delta'), conversationId: z.string(), answerId: z.string(), seq: z.number().int(), text: z.string() }),
  /**
   * The answer is complete. `done`: `text` is what was streamed. `replaced`: what was streamed broke an
   * output rule or the model failed mid-way; `text` replaces it. The stored message follows as `message.created`.
   */
  z.object({
    type: z.literal('answer-end'),
    conversationId: z.string(),
    answerId: z.string(),
    status: z.enum(['done', 'replaced']),
    text: z.string(),
  }),
  /** Sent only to the members a note @mentions. */
  z.object({ type: z.literal('mention'), mention: Mention }),
  /** The agent may no longer see this conversation (it went to a team of which they are not a member). */
  z.object({ type: z.literal('conversation.removed'), conversationId: z.string() }),
  /** The bot (or an agent, or the API) handed the conversation to people; it joins a queue. */
  z.object({ type: z.literal('handoff.requested'), conversationId: z.string(), reason: z.string(), teamId: z.string().nullable() }),
  /** The conversation has a new owner (`by`: routing, claim, transfer, api). */
  z.object({
    type: z.literal('conversation.assigned'),
    conversationId: z.string(),
    assignee: z.object({ id: z.string(), name: z.string() }),
    by: z.enum(['routing', 'claim', 'transfer']),
  }),
  /** Moved to another agent or team by someone. */
  z.object({
    type: z.literal('conversation.transferred'),
    conversationId: z.string(),
    from: z.object({ agentId: z.string().nullable(), teamId: z.string().nullable() }),
    to: z.object({ agentId: z.string().nullable(), teamId: z.string().nullable() }),
    by: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
    note: z.string().nullable(),
  }),
  /** An SLA clock passed its warning point (`sla.warning`) or its due time (`sla.breached`); agents of the workspace. */
  z.object({ type: z.literal('sla.warning'), event: SlaEvent }),
  z.object({ type: z.literal('sla.breached'), event: SlaEvent }),
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
