import type { MessagePart } from '@kefu/protocol';
import { nextStatus } from '../domain/conversation-status.js';
import type { Conversation, Member, Mention, Message } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import { messageCreated, touchConversation } from './append-message.js';
import type { UseCaseContext } from './context.js';
import { canSee, memberScope } from './conversation-access.js';
import { membersMentioned, mentionExcerpt } from './manage-mentions.js';
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
 * admin or owner. Notes never change ownership and never reach the customer; a note's `@Name` mentions
 * are kept with it (`metadata.mentions`) and, for each mentioned colleague, as an unread mention.
 */
export async function postAgentMessage(ctx: UseCaseContext, input: AgentMessageInput): Promise<{ message: Message; conversation: Conversation }> {
  assertTextLength(input.text, ctx.config.MESSAGE_MAX_CHARS);
  const authorType = input.kind === 'note' ? 'note' : 'agent';
  return ctx.lock.run(input.conversationId, async () => {
    const conv = await ctx.store.conversations.findById(input.workspaceId, input.conversationId);
    if (!conv || !canSee(await memberScope(ctx, input.member), conv)) throw notFound('conversation', input.conversationId);
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
    const mentioned = input.kind === 'note' ? await visibleMentions(ctx, conv, input.text) : [];
    const message: Message = {
      id: ctx.ids.next(),
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      authorType,
      authorId: input.member.id,
      text: input.text,
      parts: input.parts ?? [],
      metadata: mentioned.length ? { mentions: mentioned } : {},
      clientMessageId: input.clientMessageId ?? null,
      replyToId: null,
      createdAt: now,
    };
    updated = touchConversation(updated, message);
    // Nobody is told they mentioned themselves.
    const mentions: Mention[] = mentioned
      .filter((id) => id !== input.member.id)
      .map((memberId) => ({
        id: ctx.ids.next(),
        workspaceId: conv.workspaceId,
        memberId,
        conversationId: conv.id,
        messageId: message.id,
        byId: input.member.id,
        createdAt: now,
        readAt: null,
      }));
    const duplicate = () => new DomainError('MESSAGE_DUPLICATE', 'a message with this clientMessageId is being stored', {});
    if (mentions.length) {
      // The note and its mentions land together (not the one-statement fast path of plain messages).
      await ctx.store.transaction(async (tx) => {
        if (!(await tx.messages.insert(message))) throw duplicate();
        await tx.conversations.update(updated);
        await tx.mentions.insert(mentions);
      });
    } else if (!(await ctx.store.appendToConversation(updated, [message]))) {
      throw duplicate();
    }
    const events: DomainEvent[] = [
      messageCreated(message),
      { type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: updated.status !== conv.status ? conv.status : null },
    ];
    if (mentions.length) {
      events.push({
        type: 'mention.created',
        workspaceId: conv.workspaceId,
        conversationId: conv.id,
        messageId: message.id,
        memberIds: mentions.map((m) => m.memberId),
        by: input.member.id,
        mentions: mentions.map((m) => ({ id: m.id, memberId: m.memberId })),
        excerpt: mentionExcerpt(message.text),
        createdAt: now,
      });
    }
    if (updated.assigneeId === input.member.id && conv.assigneeId !== input.member.id) {
      events.push({
        type: 'conversation.assigned',
        workspaceId: conv.workspaceId,
        conversationId: conv.id,
        assigneeId: input.member.id,
        by: 'claim',
        actor: { type: 'member', id: input.member.id },
      });
    }
    await ctx.bus.publish(events);
    return { message, conversation: updated };
  });
}

/**
 * The members a note mentions who may see the conversation: a colleague outside its team would be
 * told of a conversation they cannot open, so their name stays plain text.
 */
async function visibleMentions(ctx: UseCaseContext, conv: Conversation, text: string): Promise<string[]> {
  const members = await ctx.store.members.list(conv.workspaceId);
  const ids = membersMentioned(text, members);
  if (!conv.teamId || ids.length === 0) return ids;
  const byId = new Map(members.map((m) => [m.id, m]));
  const visible = await Promise.all(ids.map(async (id) => byId.has(id) && canSee(await memberScope(ctx, byId.get(id)!), conv)));
  return ids.filter((_, i) => visible[i]);
}
