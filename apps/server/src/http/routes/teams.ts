import { CreateTeamBody, IdParams, Team, TeamList, UpdateTeamBody } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from '../../usecases/manage-teams.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];

/** Teams: every agent sees the list (to transfer to one); admins shape them. */
export const teamRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/v1/teams', { schema: { tags: ['teams'], security, response: { 200: TeamList } }, onRequest: requireRole(ctx, 'viewer') }, async (req) => ({
      items: await listTeams(ctx, req.principal!),
    }));
    app.post(
      '/v1/teams',
      { schema: { tags: ['teams'], security, body: CreateTeamBody, response: { 201: Team } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => reply.status(201).send(await createTeam(ctx, req.principal!, req.body)),
    );
    app.get(
      '/v1/teams/:id',
      { schema: { tags: ['teams'], security, params: IdParams, response: { 200: Team } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => getTeam(ctx, req.principal!, req.params.id),
    );
    app.patch(
      '/v1/teams/:id',
      {
        schema: {
          tags: ['teams'],
          summary: 'Rename, describe, or set the members (the list replaces the old one)',
          security,
          params: IdParams,
          body: UpdateTeamBody,
          response: { 200: Team },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => updateTeam(ctx, req.principal!, req.params.id, req.body),
    );
    app.delete(
      '/v1/teams/:id',
      {
        schema: {
          tags: ['teams'],
          summary: "Delete a team: its conversations and tickets go back to the workspace's shared queue",
          security,
          params: IdParams,
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req, reply) => {
        await deleteTeam(ctx, req.principal!, req.params.id);
        return reply.status(204).send();
      },
    );
  };
