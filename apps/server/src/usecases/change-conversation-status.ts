import type { ConversationStatus } from '@kefu/protocol';
import { transitionTo } from '../domain/conversation-status.js';
import type { Conversation } from '../domain/entities.js';
import type { DomainEvent } from '../domain/events.js';
import type { Principal, UseCaseContext } from './context.js';
import { actorOf, principalMemberId } from './context.js';
import { findVisibleConversation } from './conversation-access.js';
import { assertMayActAsync } from './handoff.js';
import { buildHandoffContext } from './handoff-context.js';

/**
 * Moves a conversation to the status an agent chose, through the transition table. `assigned`
 * assigns the caller; back to `bot` or `queued` clears the owner; resolve and close keep it for
 * reporting. An agent may only change conversations that nobody or they themselves own; admins and
 * owners may take over or close anyone's.
 */
export async function changeConversationStatus(
  ctx: UseCaseContext,
  principal: Principal,
  conversationId: string,
  to: ConversationStatus,
): Promise<Conversation> {
  return ctx.lock.run(conversationId, async () => {
    const conv = await findVisibleConversation(ctx, principal, conversationId);
    const memberId = principalMemberId(principal);
    const ownedByOther = conv.status === 'assigned' && conv.assigneeId !== null && conv.assigneeId !== memberId;
    await assertMayActAsync(ctx, principal, conv);
    if (conv.status === to && (to !== 'assigned' || !ownedByOther || memberId === null)) return conv;
    const transition = conv.status === to ? 'assign' : transitionTo(conv.status, to);
    let assigneeId = conv.assigneeId;
    if (to === 'assigned') assigneeId = memberId ?? conv.assigneeId;
    if (to === 'bot' || to === 'queued') assigneeId = null;
    const now = ctx.clock.now();
    const queued = to === 'queued' || to === 'assigned';
    const updated: Conversation = {
      ...conv,
      status: to,
      assigneeId,
      handoffReason: transition === 'handoff' ? 'agent' : conv.handoffReason,
      // Joining the queue starts its clock; leaving people (bot, resolved, closed) ends it.
      queuedAt: queued ? (conv.queuedAt ?? now.toISOString()) : null,
      // A snooze ends with any change of status; the bot serves everyone, so a team's hold ends with people's part.
      snoozedUntil: null,
      ...(to === 'bot' ? { teamId: null } : {}),
      ...(transition === 'handoff'
        ? {
            handoff: buildHandoffContext({
              trigger: 'agent',
              by: 'agent',
              note: null,
              conversation: conv,
              recent: await ctx.store.messages.recent(conv.workspaceId, conv.id, 30),
              now,
            }),
          }
        : {}),
      updatedAt: now.toISOString(),
    };
    await ctx.store.conversations.update(updated);
    const events: DomainEvent[] = [{ type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status }];
    if (updated.status === 'assigned' && updated.assigneeId && updated.assigneeId !== conv.assigneeId) {
      events.push({
        type: 'conversation.assigned',
        workspaceId: conv.workspaceId,
        conversationId: conv.id,
        assigneeId: updated.assigneeId,
        by: 'claim',
        actor: actorOf(principal),
      });
    }
    await ctx.bus.publish(events);
    return updated;
  });
}
