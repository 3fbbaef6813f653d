import { CreateMemberBody, IdParams, Member, UpdateMemberBody } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { createMember, listMembers, updateMember } from '../../usecases/manage-members.js';
import { memberDto } from '../dto.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];

export const memberRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/members',
      { schema: { tags: ['members'], security, response: { 200: z.object({ items: z.array(Member) }) } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => ({ items: (await listMembers(ctx, req.principal!)).map(memberDto) }),
    );
    app.post(
      '/v1/members',
      { schema: { tags: ['members'], security, body: CreateMemberBody, response: { 201: Member } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => reply.status(201).send(memberDto(await createMember(ctx, req.principal!, req.body))),
    );
    app.patch(
      '/v1/members/:id',
      { schema: { tags: ['members'], security, params: IdParams, body: UpdateMemberBody, response: { 200: Member } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => memberDto(await updateMember(ctx, req.principal!, req.params.id, req.body)),
    );
  };
