import { nextStatus } from '../domain/conversation-status.js';
import type { Conversation } from '../domain/entities.js';
import { notFound } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

/**
 * The customer ends the chat (the widget's "end conversation"): it is resolved, whoever owned it, so the
 * satisfaction survey can be offered and agents' queues and capacity are freed. Ending an ended
 * conversation changes nothing; writing again reopens it, as after an agent resolved it.
 */
export async function endConversation(ctx: UseCaseContext, workspaceId: string, conversationId: string): Promise<Conversation> {
  return ctx.lock.run(conversationId, async () => {
    const conv = await ctx.store.conversations.findById(workspaceId, conversationId);
    if (!conv) throw notFound('conversation', conversationId);
    if (conv.status === 'resolved' || conv.status === 'closed') return conv;
    const now = ctx.clock.now().toISOString();
    const updated: Conversation = { ...conv, status: nextStatus(conv.status, 'resolve'), queuedAt: null, snoozedUntil: null, updatedAt: now };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([{ type: 'conversation.updated', workspaceId, conversation: updated, from: conv.status }]);
    return updated;
  });
}
