import type { MessageFeedback } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';

export interface RateAnswerInput {
  workspaceId: string;
  conversationId: string;
  messageId: string;
  helpful: boolean;
  comment?: string | undefined;
}

/**
 * Helpful / not helpful on a bot reply. One rating per message: rating again replaces the first, and
 * the FAQ entry's counters move with it, so a change of mind is never counted twice.
 */
export async function rateAnswer(ctx: UseCaseContext, input: RateAnswerInput): Promise<MessageFeedback> {
  const message = await ctx.store.messages.findById(input.workspaceId, input.messageId);
  if (!message || message.conversationId !== input.conversationId) throw notFound('message', input.messageId);
  if (message.authorType !== 'bot') throw new DomainError('FEEDBACK_NOT_RATABLE', 'only the bot’s replies can be rated', { field: 'params.messageId' });
  const source = message.parts.find((p) => p.type === 'sources');
  const cited = source?.type === 'sources' ? source.sources[0] : undefined;
  const entryId = cited && cited.kind !== 'chunk' ? cited.id : null;
  const now = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const previous = await tx.quality.findFeedback(input.workspaceId, message.id);
    const feedback: MessageFeedback = {
      messageId: message.id,
      workspaceId: input.workspaceId,
      conversationId: input.conversationId,
      entryId,
      helpful: input.helpful,
      comment: input.comment ?? null,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
    };
    await tx.quality.saveFeedback(feedback);
    if (entryId && previous?.helpful !== input.helpful) {
      const delta = (b: boolean) => (b ? 1 : 0);
      const undo = previous ? -1 : 0;
      await tx.quality.addCounts(
        input.workspaceId,
        new Map([
          [
            entryId,
            {
              hits: 0,
              helpful: delta(input.helpful) + (previous?.helpful ? undo : 0),
              notHelpful: delta(!input.helpful) + (previous && !previous.helpful ? undo : 0),
              lastHitAt: null,
            },
          ],
        ]),
      );
    }
    return feedback;
  });
}
