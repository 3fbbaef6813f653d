import type { MessagePart } from '@kefu/protocol';
import { nextStatus } from '../domain/conversation-status.js';
import type { Conversation, Member, Message } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import { messageCreated, touchConversation } from './append-message.js';
import type { UseCaseContext } from './context.js';
import { assertTextLength } from './post-inbound-message.js';

export interface AgentMessageInput {
  workspaceId: string;
  member: Member;
  conversationId: string;
  text: string;
  kind: 'reply' | 'note';
  parts?: MessagePart[] | undefined;
  clientMessageId?: string | undefined;
}

/**
 * An agent's reply or internal note. Replying takes ownership (the conversation becomes `assigned` to
 * the agent) so the bot falls silent; a conversation another agent owns can be taken over only by an
 * admin or owner. Notes never change ownership and never reach the customer.
 */
export async function postAgentMessage(ctx: UseCaseContext, input: AgentMessageInput): Promise<{ message: Message; conversation: Conversation }> {
  assertTextLength(input.text, ctx.config.MESSAGE_MAX_CHARS);
  const authorType = input.kind === 'note' ? 'note' : 'agent';
  return ctx.lock.run(input.conversationId, async () => {
    const conv = await ctx.store.conversations.findById(input.workspaceId, input.conversationId);
    if (!conv) throw notFound('conversation', input.conversationId);
    if (input.clientMessageId) {
      const existing = await ctx.store.messages.findByClientId(conv.id, authorType, input.clientMessageId);
      if (existing) return { message: existing, conversation: conv };
    }

    let updated: Conversation = conv;
    if (input.kind === 'reply') {
      if (conv.status === 'closed') {
        throw new DomainError('CONVERSATION_CLOSED', 'the conversation is closed; the customer reopens it by writing again', { status: conv.status });
      }
      const ownedByOther = conv.status === 'assigned' && conv.assigneeId !== null && conv.assigneeId !== input.member.id;
      if (ownedByOther && input.member.role !== 'admin' && input.member.role !== 'owner') {
        throw new DomainError('CONVERSATION_ASSIGNED_TO_OTHER', 'another agent owns this conversation', { assigneeId: conv.assigneeId });
      }
      updated = { ...conv, status: nextStatus(conv.status, 'assign'), assigneeId: input.member.id };
    }

    const now = ctx.clock.now().toISOString();
    const message: Message = {
      id: ctx.ids.next(),
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      authorType,
      authorId: input.member.id,
      text: input.text,
      parts: input.parts ?? [],
      metadata: {},
      clientMessageId: input.clientMessageId ?? null,
      replyToId: null,
      createdAt: now,
    };
    updated = touchConversation(updated, message);
    if (!(await ctx.store.appendToConversation(updated, [message]))) {
      throw new DomainError('MESSAGE_DUPLICATE', 'a message with this clientMessageId is being stored', {});
    }
    const events: DomainEvent[] = [
      messageCreated(message),
      { type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: updated.status !== conv.status ? conv.status : null },
    ];
    await ctx.bus.publish(events);
    return { message, conversation: updated };
  });
}
