import { ListMentionsQuery, MentionList, ReadMentionsBody, ReadMentionsResponse } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import { listMyMentions, readMyMentions } from '../../usecases/manage-mentions.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['mentions'];

export const mentionRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/me/mentions',
      {
        schema: {
          tags,
          security,
          summary: 'Notes that @mentioned me, newest first (`unread=true`: only unread), with the unread count',
          querystring: ListMentionsQuery,
          response: { 200: MentionList },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => listMyMentions(ctx, req.principal!, { unreadOnly: req.query.unread === 'true', limit: req.query.limit }),
    );
    app.post(
      '/v1/me/mentions/read',
      {
        schema: {
          tags,
          security,
          summary: 'Marks my mentions read: `{ids}`, or every one in a conversation `{conversationId}`',
          body: ReadMentionsBody,
          response: { 200: ReadMentionsResponse },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => readMyMentions(ctx, req.principal!, req.body),
    );
  };
