import type { Conversation, Message } from '../domain/entities.js';
import type { DomainEvent } from '../domain/events.js';
import type { UseCaseContext } from './context.js';

const PREVIEW_CHARS = 120;

/** Records a message on the conversation row (last activity and preview) and the matching event. */
export function touchConversation(conv: Conversation, m: Message): Conversation {
  if (m.authorType === 'note') return { ...conv, updatedAt: m.createdAt };
  return { ...conv, lastMessageAt: m.createdAt, lastMessagePreview: previewOf(m).slice(0, PREVIEW_CHARS), updatedAt: m.createdAt };
}

/** The text, or for a file sent without a caption its name, so the inbox does not show an empty line. */
function previewOf(m: Message): string {
  if (m.text.trim()) return m.text;
  const files = m.parts.flatMap((p) => (p.type === 'attachment' ? [p.name] : []));
  return files.length ? `📎 ${files.join(', ')}` : m.text;
}

export const messageCreated = (m: Message): DomainEvent => ({ type: 'message.created', workspaceId: m.workspaceId, message: m });

/**
 * Adds a system message (ticket news, a place in the queue, who joined) to a conversation under its
 * lock. `build` sees the conversation as it is now and returns the text, and optionally the
 * conversation changed along with it; null adds nothing. Returns the stored conversation, or null.
 */
export async function appendSystemMessage(
  ctx: UseCaseContext,
  workspaceId: string,
  conversationId: string,
  kind: string,
  build: (conv: Conversation) => { text: string; conversation?: Conversation } | null,
): Promise<Conversation | null> {
  return ctx.lock.run(conversationId, async () => {
    const conv = await ctx.store.conversations.findById(workspaceId, conversationId);
    const built = conv ? build(conv) : null;
    if (!conv || !built) return null;
    const message: Message = {
      id: ctx.ids.next(),
      workspaceId,
      conversationId,
      authorType: 'system',
      authorId: null,
      text: built.text,
      parts: [],
      metadata: { kind },
      clientMessageId: null,
      replyToId: null,
      createdAt: ctx.clock.now().toISOString(),
    };
    const updated = touchConversation(built.conversation ?? conv, message);
    await ctx.store.appendToConversation(updated, [message]);
    await ctx.bus.publish([
      messageCreated(message),
      { type: 'conversation.updated', workspaceId, conversation: updated, from: updated.status !== conv.status ? conv.status : null },
    ]);
    return updated;
  });
}
