import { DomainError, notFound } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

export interface WithdrawAnswerRatingInput {
  workspaceId: string;
  conversationId: string;
  messageId: string;
}

/**
 * The customer takes back their helpful / not-helpful rating of a bot reply (Dify's `rating: null`):
 * the rating is gone, and the FAQ entry's counters lose what it had added, so the entry's quality
 * reads as if it had never been rated by this customer. Withdrawing a rating that does not exist
 * changes nothing (returns false), so a retried withdrawal is harmless.
 */
export async function withdrawAnswerRating(ctx: UseCaseContext, input: WithdrawAnswerRatingInput): Promise<boolean> {
  const message = await ctx.store.messages.findById(input.workspaceId, input.messageId);
  if (!message || message.conversationId !== input.conversationId) throw notFound('message', input.messageId);
  if (message.authorType !== 'bot') throw new DomainError('FEEDBACK_NOT_RATABLE', 'only the bot’s replies can be rated', { field: 'params.messageId' });
  return ctx.store.transaction(async (tx) => {
    const previous = await tx.quality.findFeedback(input.workspaceId, message.id);
    if (!previous) return false;
    await tx.quality.deleteFeedback(input.workspaceId, message.id);
    if (previous.entryId) {
      await tx.quality.addCounts(
        input.workspaceId,
        new Map([[previous.entryId, { hits: 0, helpful: previous.helpful ? -1 : 0, notHelpful: previous.helpful ? 0 : -1, lastHitAt: null }]]),
      );
    }
    return true;
  });
}
