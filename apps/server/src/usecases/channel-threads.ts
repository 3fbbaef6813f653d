import type { Locale, MessagePart } from '@kefu/protocol';
import type { Conversation, Message, Workspace } from '../domain/entities.js';
import { notFound } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';
import { type InboundMessageResult, postInboundMessage } from './post-inbound-message.js';
import { startConversation } from './start-conversation.js';

/** Channels that speak another product's protocol; each names its conversations its own way. */
export type ExternalChannel = 'openai' | 'dify' | 'rasa' | 'chatwoot' | 'custom';

export interface ThreadInput {
  workspace: Workspace;
  channel: ExternalChannel;
  /** A kefu conversation id the caller was given before (OpenAI `conversation_id`, Dify `conversation_id`). */
  conversationId?: string | null | undefined;
  /** The caller's own key for the conversation (a Rasa `sender`, an OpenAI `user`, a Chatwoot conversation id). */
  externalId?: string | null | undefined;
  /** Who the customer is, as the caller knows them (becomes the contact; `externalId` finds them again). */
  contact?: { externalId?: string | undefined; name?: string | undefined; email?: string | undefined } | undefined;
  locale?: Locale | undefined;
}

/**
 * The conversation a message from another system belongs to: the one it names by kefu id (404 when it
 * is not this workspace's), else the one its own key maps to, else a new one (mapped to that key, so
 * the next message continues it). Creation is serialised per key, so two first messages at once make
 * one conversation.
 */
export async function openThread(ctx: UseCaseContext, input: ThreadInput): Promise<{ conversation: Conversation; created: boolean }> {
  const { workspace, channel } = input;
  if (input.conversationId) {
    const conv = await ctx.store.conversations.findById(workspace.id, input.conversationId);
    if (!conv) throw notFound('conversation', input.conversationId);
    return { conversation: conv, created: false };
  }
  const key = input.externalId;
  const open = async () => {
    if (key) {
      const id = await ctx.store.channelThreads.find(workspace.id, channel, key);
      const conv = id ? await ctx.store.conversations.findById(workspace.id, id) : null;
      if (conv) return { conversation: conv, created: false };
    }
    const { conversation } = await startConversation(ctx, {
      workspace,
      channel,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(input.contact ? { contact: input.contact, trustContact: true } : {}),
    });
    if (key) await ctx.store.channelThreads.save(workspace.id, channel, key, conversation.id, ctx.clock.now().toISOString());
    return { conversation, created: true };
  };
  return key ? ctx.lock.run(`thread:${workspace.id}:${channel}:${key}`, open) : open();
}

export interface ThreadTurnOptions {
  clientMessageId?: string | undefined;
  /** Each piece of a generated answer as the model writes it (nothing arrives for offline answers). */
  onDelta?: ((text: string, answerId: string) => void) | undefined;
  /**
   * What was streamed broke an output rule or the model failed mid-way: `text` replaces all of it (the
   * stored reply is `text`). Protocols that cannot take text back say so in their own way.
   */
  onReplaced?: ((text: string, answerId: string) => void) | undefined;
}

/**
 * The customer's message through the same turn as every channel (understanding, knowledge, flows,
 * hand-off, the language model, guardrails), with the generated answer's pieces passed on as they are
 * written. Only this instance's events are listened to, so with Redis nothing arrives twice.
 */
export async function runThreadTurn(
  ctx: UseCaseContext,
  workspace: Workspace,
  conversationId: string,
  text: string,
  opts: ThreadTurnOptions = {},
): Promise<InboundMessageResult> {
  const unsubscribe =
    opts.onDelta || opts.onReplaced
      ? ctx.bus.subscribeOwn((e) => {
          if (e.type !== 'answer.streamed' || e.conversationId !== conversationId) return;
          if (e.phase === 'delta') opts.onDelta?.(e.text, e.answerId);
          else if (e.phase === 'end' && e.status === 'replaced') opts.onReplaced?.(e.text, e.answerId);
        })
      : () => undefined;
  try {
    return await postInboundMessage(ctx, { workspace, conversationId, text, ...(opts.clientMessageId ? { clientMessageId: opts.clientMessageId } : {}) });
  } finally {
    unsubscribe();
  }
}

export interface TurnSummary {
  conversationId: string;
  /** The conversation's status after the turn: `queued` / `assigned` once people have it. */
  status: Conversation['status'];
  replies: { id: string; text: string; parts: MessagePart[]; createdAt: string }[];
  /** The knowledge the answer came from (every reply's `sources` part, in order, without repeats). */
  sources: { id: string; externalId: string | null; title: string; kind?: 'faq' | 'chunk' | undefined }[];
  /** Set when this turn handed the conversation to people (or people already have it: the bot stays silent). */
  handoff: { reason: string } | null;
  /** The bot's decision (`answer`, `clarify`, `flow`, `handoff`, `fallback`), null when people own the conversation. */
  decision: string | null;
  confidence: number | null;
}

/** What a protocol adapter needs from a turn, in one shape: replies, sources, and whether people took over. */
export function summarizeTurn(result: InboundMessageResult): TurnSummary {
  const sources = new Map<string, TurnSummary['sources'][number]>();
  for (const r of result.replies)
    for (const p of r.parts)
      if (p.type === 'sources')
        for (const s of p.sources) if (!sources.has(s.id)) sources.set(s.id, { id: s.id, externalId: s.externalId, title: s.title, kind: s.kind });
  const decision = result.turn?.decision ?? null;
  const withPeople = result.conversation.status === 'queued' || result.conversation.status === 'assigned';
  return {
    conversationId: result.conversation.id,
    status: result.conversation.status,
    replies: result.replies.map((m: Message) => ({ id: m.id, text: m.text, parts: m.parts, createdAt: m.createdAt })),
    sources: [...sources.values()],
    handoff: decision?.kind === 'handoff' ? { reason: decision.reason } : withPeople ? { reason: result.conversation.handoffReason ?? 'agent' } : null,
    decision: decision?.kind ?? null,
    confidence: decision?.confidence ?? null,
  };
}
