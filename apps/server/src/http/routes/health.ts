import { Problem } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { sendProblem } from '../problem.js';

export const healthRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/healthz', { schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

    app.get(
      '/readyz',
      { schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), 503: Problem } } },
      async (req, reply) => {
        if (deps.shuttingDown()) return sendProblem(reply, req, 503, 'SERVICE_UNAVAILABLE', 'shutting down');
        try {
          await deps.ctx.store.ping();
        } catch (err) {
          req.log.warn({ err }, 'readiness check failed');
          return sendProblem(reply, req, 503, 'SERVICE_UNAVAILABLE', 'database unreachable');
        }
        return { status: 'ready' as const, database: deps.ctx.store.dialect };
      },
    );

    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      reply.type(deps.metrics.contentType);
      return deps.metrics.render();
    });
  };
