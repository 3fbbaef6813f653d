import type { Locale, MessagePart } from '@kefu/protocol';
import type { Workspace } from '../domain/entities.js';
import { openThread, runThreadTurn, summarizeTurn, type TurnSummary } from './channel-threads.js';
import type { UseCaseContext } from './context.js';

export interface RasaTurnInput {
  workspace: Workspace;
  /** The Rasa `sender` (REST) or `session_id` (socket.io): one kefu conversation per value. */
  sender: string;
  message: string;
}

/**
 * A message from a Rasa client (REST or socket.io) through the ordinary turn: the sender's conversation
 * is found or started, a button payload is turned back into what the bot understands, and the turn's
 * replies are returned for the caller to put in Rasa's shape.
 */
export async function rasaTurn(ctx: UseCaseContext, input: RasaTurnInput): Promise<TurnSummary> {
  const { workspace, sender } = input;
  const { conversation } = await openThread(ctx, { workspace, channel: 'rasa', externalId: sender, contact: { externalId: sender } });
  const text = input.message.startsWith('/') ? ((await buttonTitle(ctx, workspace.id, conversation.id, input.message)) ?? input.message) : input.message;
  return summarizeTurn(await runThreadTurn(ctx, workspace, conversation.id, text));
}

export interface RasaSessionInput {
  workspace: Workspace;
  /** The socket.io `session_id`. */
  sessionId: string;
  /** The client's language, for the greeting and the conversation. */
  locale: Locale;
}

/**
 * A socket.io session starting (`session_request`). A session that already has a conversation (a
 * reload, a second tab, a reconnect) just continues it: nothing is said again. A new session is greeted
 * as the widget greets: when the workspace has a greeting in the client's locale, its conversation starts
 * now with the greeting (and the suggested questions) as its first message, returned for the socket to
 * send. Without a greeting nothing is created until the customer speaks. Sessions starting at once with
 * the same id are greeted once (thread creation is serialised per id).
 */
export async function startRasaSession(
  ctx: UseCaseContext,
  input: RasaSessionInput,
): Promise<{ conversationId: string | null; greeting: TurnSummary['replies'] }> {
  const { workspace, sessionId, locale } = input;
  const existing = await findRasaThread(ctx, workspace.id, sessionId);
  if (existing) return { conversationId: existing, greeting: [] };
  if (!workspace.settings.greeting?.[locale]?.trim()) return { conversationId: null, greeting: [] };
  const { conversation, created } = await openThread(ctx, { workspace, channel: 'rasa', externalId: sessionId, contact: { externalId: sessionId }, locale });
  if (!created) return { conversationId: conversation.id, greeting: [] };
  const greeting = (await ctx.store.messages.recent(workspace.id, conversation.id, 5))
    .filter((m) => m.authorType === 'bot' && m.metadata.kind === 'greeting')
    .map((m) => ({ id: m.id, text: m.text, parts: m.parts, createdAt: m.createdAt }));
  return { conversationId: conversation.id, greeting };
}

/** The kefu conversation a Rasa sender already has, if any (a socket joins its room before it speaks). */
export function findRasaThread(ctx: UseCaseContext, workspaceId: string, sender: string): Promise<string | null> {
  return ctx.store.channelThreads.find(workspaceId, 'rasa', sender);
}

const RECENT_FOR_BUTTONS = 20;

/**
 * Rasa widgets send a clicked button's payload, and Rasa payloads are intents (`/greet`). kefu
 * understands words, so a payload that one of the bot's recent buttons carried is sent as that
 * button's title; anything else goes to the bot unchanged.
 */
async function buttonTitle(ctx: UseCaseContext, workspaceId: string, conversationId: string, payload: string): Promise<string | null> {
  const recent = await ctx.store.messages.recent(workspaceId, conversationId, RECENT_FOR_BUTTONS);
  for (const m of recent) {
    if (m.authorType === 'contact' || m.authorType === 'note') continue;
    for (const [label, value] of choices(m.parts)) if (value === payload) return label;
  }
  return null;
}

function* choices(parts: readonly MessagePart[]): Generator<[label: string, value: string]> {
  for (const p of parts) {
    if (p.type === 'quick_replies') for (const o of p.options) yield [o.label, o.value || o.label];
    else if (p.type === 'buttons' || (p.type === 'card' && p.buttons)) for (const b of p.buttons ?? []) if (b.value) yield [b.label, b.value];
  }
}
