import { CustomChannelMessageBody, CustomChannelMessageResponse } from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import { customChannelMessage } from '../../usecases/custom-channel.js';
import { requireRole } from '../plugins/auth.js';

/**
 * The generic channel for custom apps and gateways (docs/channel-custom.md): an end user's message in,
 * the bot's replies out; later messages to that user (an agent's reply) go out as webhooks.
 */
export const customChannelRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;
    app.post(
      '/v1/channels/custom/messages',
      {
        schema: {
          tags: ['channels'],
          summary: "An end user's message from a custom app; the bot's replies come back",
          security: [{ bearer: [] }],
          body: CustomChannelMessageBody,
          response: { 200: CustomChannelMessageResponse },
        },
        onRequest: requireRole(ctx, 'agent'),
      },
      async (req) => deps.trackInFlight(() => customChannelMessage(ctx, req.principal!, req.body)),
    );
  };
