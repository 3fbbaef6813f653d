import type { CustomChannelMessageBody, CustomChannelMessageResponse } from '@kefu/protocol';
import { notFound } from '../domain/errors.js';
import { openThread, runThreadTurn, summarizeTurn } from './channel-threads.js';
import type { Principal, UseCaseContext } from './context.js';

/**
 * One end user's message from a custom app: the user's id (`userId`) names their conversation and
 * their contact (its `externalId`), so webhooks of later messages carry it back to the app.
 */
export async function customChannelMessage(ctx: UseCaseContext, p: Principal, input: CustomChannelMessageBody): Promise<CustomChannelMessageResponse> {
  const workspace = await ctx.store.workspaces.findById(p.workspaceId);
  if (!workspace) throw notFound('workspace', p.workspaceId);
  const { conversation } = await openThread(ctx, {
    workspace,
    channel: 'custom',
    externalId: input.userId,
    contact: { externalId: input.userId, name: input.name, email: input.email },
    locale: input.locale,
  });
  const summary = summarizeTurn(await runThreadTurn(ctx, workspace, conversation.id, input.text, { clientMessageId: input.clientMessageId }));
  return { conversationId: summary.conversationId, status: summary.status, replies: summary.replies, handoff: summary.handoff, sources: summary.sources };
}
