import type { ConversationRating } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

export interface RateConversationInput {
  workspaceId: string;
  conversationId: string;
  score: number;
  comment?: string | undefined;
}

/**
 * The customer's satisfaction rating (CSAT, 1–5, with an optional comment) of a conversation that has
 * ended: resolved or closed. Rating again replaces the earlier rating (a change of mind is one rating,
 * never two). Who had the conversation at the time is kept with it, for reports by agent and team.
 */
export async function rateConversation(ctx: UseCaseContext, input: RateConversationInput): Promise<ConversationRating> {
  const workspace = await ctx.store.workspaces.findById(input.workspaceId);
  if (!workspace) throw notFound('conversation', input.conversationId);
  if (workspace.settings.csat?.enabled === false) {
    throw new DomainError('CSAT_DISABLED', 'this workspace does not ask for satisfaction ratings', { field: 'body.score' });
  }
  return ctx.lock.run(input.conversationId, async () => {
    const conv = await ctx.store.conversations.findById(input.workspaceId, input.conversationId);
    if (!conv) throw notFound('conversation', input.conversationId);
    if (conv.status !== 'resolved' && conv.status !== 'closed') {
      throw new DomainError('CONVERSATION_NOT_ENDED', 'a conversation can be rated once it is resolved', { field: 'body.score', status: conv.status });
    }
    const now = ctx.clock.now().toISOString();
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    const rating = await ctx.store.transaction(async (tx) => {
      const previous = await tx.quality.findRating(input.workspaceId, conv.id);
      const r: ConversationRating = {
        conversationId: conv.id,
        workspaceId: conv.workspaceId,
        score: input.score,
        comment,
        assigneeId: conv.assigneeId,
        teamId: conv.teamId ?? null,
        channel: conv.channel,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      await tx.quality.saveRating(r);
      return r;
    });
    await ctx.bus.publish([
      {
        type: 'conversation.rated',
        workspaceId: conv.workspaceId,
        conversationId: conv.id,
        score: rating.score,
        comment: rating.comment,
        ratedAt: rating.updatedAt,
      },
      // Agents' lists and open panes (and the customer's other tabs) redraw the conversation with its rating.
      { type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: conv, from: conv.status },
    ]);
    return rating;
  });
}
