import {
  CannedReply,
  CannedReplyList,
  CreateCannedReplyBody,
  IdParams,
  ListCannedRepliesQuery,
  RenderCannedReplyBody,
  RenderedCannedReply,
  UpdateCannedReplyBody,
} from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import type { CannedReply as CannedReplyEntity } from '../../domain/entities.js';
import { createCannedReply, deleteCannedReply, listCannedReplies, renderCannedReply, updateCannedReply } from '../../usecases/manage-canned-replies.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['canned replies'];

export const cannedReplyDto = (r: CannedReplyEntity): CannedReply => ({
  id: r.id,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  language: r.language,
  scope: r.ownerId === null ? 'shared' : 'personal',
  ownerId: r.ownerId,
  useCount: r.useCount,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

export const cannedReplyRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/canned-replies',
      {
        schema: {
          tags,
          security,
          summary: 'Shared canned replies and the caller’s own, most used first; `q` searches shortcut, title and body',
          querystring: ListCannedRepliesQuery,
          response: { 200: CannedReplyList },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => ({ items: (await listCannedReplies(ctx, req.principal!, req.query)).map(cannedReplyDto) }),
    );
    app.post(
      '/v1/canned-replies',
      {
        schema: {
          tags,
          security,
          summary: 'Creates a personal canned reply, or a shared one (`shared: true`, admins); unknown {{variables}} are refused',
          body: CreateCannedReplyBody,
          response: { 201: CannedReply },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req, reply) => reply.status(201).send(cannedReplyDto(await createCannedReply(ctx, req.principal!, req.body))),
    );
    app.patch(
      '/v1/canned-replies/:id',
      {
        schema: {
          tags,
          security,
          summary: 'Changes one of the caller’s canned replies (shared ones: admins)',
          params: IdParams,
          body: UpdateCannedReplyBody,
          response: { 200: CannedReply },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => cannedReplyDto(await updateCannedReply(ctx, req.principal!, req.params.id, req.body)),
    );
    app.delete(
      '/v1/canned-replies/:id',
      {
        schema: { tags, security, summary: 'Deletes one of the caller’s canned replies (shared ones: admins)', params: IdParams },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req, reply) => {
        await deleteCannedReply(ctx, req.principal!, req.params.id);
        return reply.status(204).send();
      },
    );
    app.post(
      '/v1/canned-replies/:id/render',
      {
        schema: {
          tags,
          security,
          summary: 'Fills the reply’s variables for a conversation (nothing is sent); `missing` lists variables without a value, left as {{…}} in the text',
          params: IdParams,
          body: RenderCannedReplyBody,
          response: { 200: RenderedCannedReply },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => renderCannedReply(ctx, req.principal!, req.params.id, req.body.conversationId),
    );
  };
