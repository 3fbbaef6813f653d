import type { Channel } from '@kefu/protocol';
import type { Conversation, Message } from '../domain/entities.js';
import { notFound } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

/**
 * A conversation of one end user, as a system that names its users (Dify's `user`) sees it: unknown ids,
 * another workspace's and another user's conversations all answer 404, so ids cannot be probed.
 */
export async function findUserThread(ctx: UseCaseContext, workspaceId: string, conversationId: string, user: string): Promise<Conversation> {
  const [conversation, contact] = await Promise.all([
    ctx.store.conversations.findById(workspaceId, conversationId),
    ctx.store.contacts.findByExternalId(workspaceId, user),
  ]);
  if (!conversation || !contact || conversation.contactId !== contact.id) throw notFound('conversation', conversationId);
  return conversation;
}

/** The user's conversations on `channel`, most recently active first; `lastId` is the last one of the previous page. */
export async function listUserThreads(
  ctx: UseCaseContext,
  workspaceId: string,
  channel: Channel,
  user: string,
  q: { limit: number; lastId?: string | undefined },
): Promise<{ items: Conversation[]; hasMore: boolean }> {
  const contact = await ctx.store.contacts.findByExternalId(workspaceId, user);
  if (!contact) return { items: [], hasMore: false };
  const after = q.lastId ? await findUserThread(ctx, workspaceId, q.lastId, user) : undefined;
  const page = await ctx.store.conversations.list(workspaceId, { contactId: contact.id, channel, limit: q.limit, ...(after ? { after } : {}) });
  return { items: page.items, hasMore: page.nextCursor !== null };
}

/** Longest history read at once: protocols that page by message id need the whole conversation grouped first. */
const HISTORY_MAX = 2000;
const PAGE = 500;

/** What the customer saw of the conversation (no internal notes), oldest first, at most HISTORY_MAX messages. */
export async function readThreadHistory(ctx: UseCaseContext, workspaceId: string, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.store.messages.list(workspaceId, conversationId, { limit: PAGE, includeNotes: false, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && all.length < HISTORY_MAX);
  return all;
}

/** The text an answer's sources hold (an FAQ entry's answer, a document passage), by source id, for citations shown to callers. */
export async function sourceSnippets(
  ctx: UseCaseContext,
  workspaceId: string,
  sources: readonly { id: string; kind?: 'faq' | 'chunk' | undefined; documentId?: string | undefined }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const chunksByDocument = new Map<string, Promise<Map<string, string>>>();
  for (const s of sources) {
    if (s.kind === 'chunk') {
      if (!s.documentId) continue;
      let chunks = chunksByDocument.get(s.documentId);
      if (!chunks) {
        chunks = ctx.store.documents.chunksOf(workspaceId, s.documentId).then((cs) => new Map(cs.map((c) => [c.id, c.text])));
        chunksByDocument.set(s.documentId, chunks);
      }
      const text = (await chunks).get(s.id);
      if (text) out.set(s.id, text);
    } else {
      const entry = await ctx.store.faqs.findById(workspaceId, s.id);
      if (entry) out.set(s.id, entry.answer);
    }
  }
  return out;
}

/** A message of one end user's conversation (404 for unknown ids and other users' messages, as `findUserThread`). */
export async function findUserMessage(ctx: UseCaseContext, workspaceId: string, messageId: string, user: string): Promise<Message> {
  const message = await ctx.store.messages.findById(workspaceId, messageId);
  if (!message || message.authorType === 'note') throw notFound('message', messageId);
  await findUserThread(ctx, workspaceId, message.conversationId, user).catch(() => {
    throw notFound('message', messageId);
  });
  return message;
}

/** The customer's rating of each of these replies (`true` helpful), where they gave one. */
export async function ratingsOf(ctx: UseCaseContext, workspaceId: string, messageIds: readonly string[]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  for (const id of messageIds) {
    const f = await ctx.store.quality.findFeedback(workspaceId, id);
    if (f) out.set(id, f.helpful);
  }
  return out;
}
