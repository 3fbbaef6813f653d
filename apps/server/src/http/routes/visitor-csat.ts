import { Conversation, ConversationRating, IdParams, RateConversationBody } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import { conversationForVisitor, describeConversation } from '../../usecases/describe-conversations.js';
import { endConversation } from '../../usecases/end-conversation.js';
import { rateConversation } from '../../usecases/rate-conversation.js';
import { requireVisitor } from '../plugins/auth.js';

const visitor = [{ visitor: [] }];

/** The end of a chat, from the customer's side: ending it, and rating it (CSAT). */
export const visitorCsatRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;

    app.post(
      '/v1/widget/conversations/:id/end',
      {
        schema: {
          tags: ['visitor'],
          summary: 'The customer ends the chat: the conversation is resolved (writing again reopens it)',
          security: visitor,
          params: IdParams,
          response: { 200: Conversation },
        },
        onRequest: requireVisitor(ctx),
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (req) => conversationForVisitor(await describeConversation(ctx.store, await endConversation(ctx, req.visitor!.workspaceId, req.params.id))),
    );

    app.post(
      '/v1/widget/conversations/:id/rating',
      {
        schema: {
          tags: ['visitor'],
          summary: 'Rate a resolved conversation from 1 to 5 with an optional comment (CSAT); rating again replaces it',
          security: visitor,
          params: IdParams,
          body: RateConversationBody,
          response: { 200: ConversationRating },
        },
        onRequest: requireVisitor(ctx),
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (req) => {
        const r = await rateConversation(ctx, { workspaceId: req.visitor!.workspaceId, conversationId: req.params.id, ...req.body });
        return { score: r.score, comment: r.comment, ratedAt: r.updatedAt };
      },
    );
  };
