import type { ListConversationsQuery, ListMessagesQuery } from '@kefu/protocol';
import { notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';
import { principalMemberId } from './context.js';
import { describeConversation, describeConversations, describeMessages } from './describe-conversations.js';

export async function listConversations(ctx: UseCaseContext, p: Principal, q: ListConversationsQuery) {
  const assigneeId = q.assignee === 'me' ? (principalMemberId(p) ?? '') : q.assignee === 'none' ? null : q.assignee;
  const page = await ctx.store.conversations.list(p.workspaceId, {
    limit: q.limit,
    ...(q.status ? { status: q.status } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    ...(assigneeId !== undefined ? { assigneeId } : {}),
  });
  return { items: await describeConversations(ctx.store, p.workspaceId, page.items), nextCursor: page.nextCursor };
}

export async function getConversation(ctx: UseCaseContext, workspaceId: string, id: string) {
  const conv = await ctx.store.conversations.findById(workspaceId, id);
  if (!conv) throw notFound('conversation', id);
  return describeConversation(ctx.store, conv);
}

/** Agents see internal notes; visitors never do. */
export async function listMessages(ctx: UseCaseContext, workspaceId: string, conversationId: string, q: ListMessagesQuery, includeNotes: boolean) {
  const conv = await ctx.store.conversations.findById(workspaceId, conversationId);
  if (!conv) throw notFound('conversation', conversationId);
  const page = await ctx.store.messages.list(workspaceId, conversationId, { limit: q.limit, includeNotes, ...(q.cursor ? { cursor: q.cursor } : {}) });
  return { items: await describeMessages(ctx.store, workspaceId, page.items), nextCursor: page.nextCursor };
}
