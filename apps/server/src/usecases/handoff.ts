import type { HandoffBody } from '@kefu/protocol';
import { nextStatus } from '../domain/conversation-status.js';
import type { Conversation, ConversationPriority } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import type { Principal, UseCaseContext } from './context.js';
import { principalMemberId } from './context.js';
import { buildHandoffContext } from './handoff-context.js';

const RECENT = 30;

/**
 * Hands a conversation to people on behalf of an agent or an external system (`POST …/handoff`): the
 * bot stops speaking, the conversation joins the queue with the context an agent needs. A conversation
 * already queued takes the new reason and priority; one a person owns, or one that is over, is refused.
 */
export async function requestHandoff(ctx: UseCaseContext, principal: Principal, conversationId: string, body: HandoffBody): Promise<Conversation> {
  return ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    if (conv.status !== 'bot' && conv.status !== 'queued') {
      throw new DomainError('CONVERSATION_INVALID_TRANSITION', `cannot hand off a conversation that is ${conv.status}`, {
        from: conv.status,
        transition: 'handoff',
      });
    }
    const now = ctx.clock.now();
    const recent = await ctx.store.messages.recent(conv.workspaceId, conv.id, RECENT);
    const handoff = buildHandoffContext({
      trigger: body.reason,
      by: principal.kind === 'api_key' ? 'api' : 'agent',
      note: body.note ?? null,
      conversation: conv,
      recent,
      now,
    });
    const updated: Conversation = {
      ...conv,
      status: conv.status === 'bot' ? nextStatus(conv.status, 'handoff') : conv.status,
      handoffReason: body.reason,
      handoff,
      priority: (body.priority as ConversationPriority | undefined) ?? conv.priority,
      queuedAt: conv.queuedAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await ctx.store.conversations.update(updated);
    const events: DomainEvent[] = [{ type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status }];
    if (conv.status === 'bot') events.unshift({ type: 'handoff.requested', workspaceId: conv.workspaceId, conversationId: conv.id, reason: body.reason });
    await ctx.bus.publish(events);
    return updated;
  });
}

/** Hands the conversation back to the bot (explicitly): it answers the customer's next message again. */
export async function releaseToBot(ctx: UseCaseContext, principal: Principal, conversationId: string): Promise<Conversation> {
  return ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    assertMayAct(principal, conv);
    const updated: Conversation = {
      ...conv,
      status: nextStatus(conv.status, 'release'),
      assigneeId: null,
      queuedAt: null,
      updatedAt: ctx.clock.now().toISOString(),
    };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([{ type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status }]);
    return updated;
  });
}

/**
 * Takes a conversation: the caller becomes its one owner. Another agent's conversation is refused
 * with 409 naming the holder (admins and owners take over); claiming one's own is a no-op.
 */
export async function claimConversation(ctx: UseCaseContext, principal: Principal, conversationId: string): Promise<Conversation> {
  const memberId = principalMemberId(principal);
  if (!memberId) throw new DomainError('AUTH_FORBIDDEN', 'only members can own conversations (not API keys)', {});
  return ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    if (conv.status === 'assigned' && conv.assigneeId === memberId) return conv;
    await assertMayActAsync(ctx, principal, conv);
    const updated: Conversation = {
      ...conv,
      status: nextStatus(conv.status, 'assign'),
      assigneeId: memberId,
      queuedAt: conv.queuedAt ?? ctx.clock.now().toISOString(),
      updatedAt: ctx.clock.now().toISOString(),
    };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([{ type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status }]);
    return updated;
  });
}

async function find(ctx: UseCaseContext, principal: Principal, id: string) {
  const conv = await ctx.store.conversations.findById(principal.workspaceId, id);
  if (!conv) throw notFound('conversation', id);
  return conv;
}

const supervisor = (p: Principal) => p.role === 'admin' || p.role === 'owner';

function assertMayAct(principal: Principal, conv: Conversation) {
  const memberId = principalMemberId(principal);
  if (conv.status === 'assigned' && conv.assigneeId && conv.assigneeId !== memberId && !supervisor(principal)) {
    throw new DomainError('CONVERSATION_ASSIGNED_TO_OTHER', 'another agent owns this conversation', { assigneeId: conv.assigneeId });
  }
}

/**
 * Refuses to let an agent act on a conversation another agent owns (admins and owners may), with 409
 * naming the holder.
 */
export async function assertMayActAsync(ctx: UseCaseContext, principal: Principal, conv: Conversation) {
  try {
    assertMayAct(principal, conv);
  } catch (err) {
    const holder = conv.assigneeId ? await ctx.store.members.findById(conv.workspaceId, conv.assigneeId) : null;
    if (err instanceof DomainError && holder)
      throw new DomainError(err.code, `${holder.name} owns this conversation`, { holder: { id: holder.id, name: holder.name } });
    throw err;
  }
}
