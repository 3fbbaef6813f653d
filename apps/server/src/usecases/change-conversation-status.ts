import type { ConversationStatus } from '@kefu/protocol';
import { transitionTo } from '../domain/conversation-status.js';
import type { Conversation } from '../domain/entities.js';
import { notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';
import { principalMemberId } from './context.js';

/**
 * Moves a conversation to the status an agent chose, through the transition table. `assigned`
 * assigns the caller; back to `bot` or `queued` clears the owner; resolve and close keep it for
 * reporting.
 */
export async function changeConversationStatus(
  ctx: UseCaseContext,
  principal: Principal,
  conversationId: string,
  to: ConversationStatus,
): Promise<Conversation> {
  return ctx.lock.run(conversationId, async () => {
    const conv = await ctx.store.conversations.findById(principal.workspaceId, conversationId);
    if (!conv) throw notFound('conversation', conversationId);
    if (conv.status === to && to !== 'assigned') return conv;
    const transition = transitionTo(conv.status, to);
    const memberId = principalMemberId(principal);
    let assigneeId = conv.assigneeId;
    if (to === 'assigned') assigneeId = memberId ?? conv.assigneeId;
    if (to === 'bot' || to === 'queued') assigneeId = null;
    const updated: Conversation = {
      ...conv,
      status: to,
      assigneeId,
      handoffReason: transition === 'handoff' ? 'agent' : conv.handoffReason,
      updatedAt: ctx.clock.now().toISOString(),
    };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([{ type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status }]);
    return updated;
  });
}
