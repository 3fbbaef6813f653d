import { SlaEventPage, SlaEventsQuery, SlaSummary, SlaSummaryQuery } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import { listSlaEvents, slaSummary } from '../../usecases/sla-clocks.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['sla'];

export const slaRoutes =
  ({ ctx }: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/sla/events',
      {
        schema: {
          tags,
          summary: 'SLA warnings, breaches and targets met, newest first',
          security,
          querystring: SlaEventsQuery,
          response: { 200: SlaEventPage },
        },
        onRequest: requireRole(ctx, 'viewer'),
      },
      async (req) => listSlaEvents(ctx, req.principal!, req.query),
    );
    app.get(
      '/v1/sla/summary',
      {
        schema: {
          tags,
          summary: 'For managers: clocks running, at risk and breached now; targets met in the period',
          security,
          querystring: SlaSummaryQuery,
          response: { 200: SlaSummary },
        },
        onRequest: requireRole(ctx, 'admin'),
      },
      async (req) => slaSummary(ctx, req.principal!, req.query),
    );
  };
