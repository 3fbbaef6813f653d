import { LoginBody, LoginResponse, MeResponse } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { login, logout } from '../../usecases/authenticate.js';
import { memberDto, workspaceDto } from '../dto.js';
import { requireRole } from '../plugins/auth.js';

export const authRoutes =
  ({ ctx, hub }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/auth/login',
      {
        schema: { tags: ['auth'], summary: 'Log in with e-mail and password', body: LoginBody, response: { 200: LoginResponse } },
        config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      },
      async (req) => {
        const r = await login(ctx, req.body);
        return { token: r.token, expiresAt: r.expiresAt, member: memberDto(r.member), workspace: workspaceDto(r.workspace) };
      },
    );

    app.post(
      '/v1/auth/logout',
      { schema: { tags: ['auth'], security: [{ bearer: [] }], response: { 204: z.null() } }, onRequest: requireRole(ctx, 'viewer') },
      async (req, reply) => {
        await logout(ctx, req.principal!);
        // The session's WebSockets close now rather than at the next periodic check.
        await hub.revalidate();
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/me',
      { schema: { tags: ['auth'], security: [{ bearer: [] }], response: { 200: MeResponse } }, onRequest: requireRole(ctx, 'viewer') },
      async (req) => {
        const p = req.principal!;
        const ws = await ctx.store.workspaces.findById(p.workspaceId);
        return { member: p.kind === 'member' ? memberDto(p.member) : null, workspace: workspaceDto(ws!), principal: p.kind };
      },
    );
  };
