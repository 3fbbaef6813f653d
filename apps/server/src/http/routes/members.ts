import { CreateMemberBody, IdParams, Member, PresenceBody, UpdateMemberBody } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { createMember, listMembers, setPresence, updateMember } from '../../usecases/manage-members.js';
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
    app.put(
      '/v1/me/presence',
      {
        schema: {
          tags: ['members'],
          summary: 'Online: the routing gives me queued conversations up to my capacity; away: no new ones; offline: mine go back to the queue',
          security,
          body: PresenceBody,
          response: { 200: Member },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => memberDto(await setPresence(ctx, req.principal!, req.body.presence)),
    );
    app.patch(
      '/v1/members/:id',
      { schema: { tags: ['members'], security, params: IdParams, body: UpdateMemberBody, response: { 200: Member } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => memberDto(await updateMember(ctx, req.principal!, req.params.id, req.body)),
    );
  };
