import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import type { Workspace } from '../../domain/entities.js';
import { rasaTurn } from '../../usecases/rasa-turn.js';
import { workspaceFromWidgetKey } from '../plugins/auth.js';
import { RasaRestBody, RasaRestMessage, rasaRestMessages } from '../rasa-messages.js';

/**
 * Rasa's REST channel, so Rasa REST clients talk to kefu unchanged. Rasa's channels carry no
 * credentials, so the workspace is named by its public widget key (header or `?key=`), as for the widget.
 * Only the turn's own replies come back; agents' later replies need the socket.io channel.
 */
export const rasaRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;
    // The key is checked before the body is: a caller with the wrong key learns nothing about the body's shape.
    const workspaces = new WeakMap<FastifyRequest, Workspace>();
    app.post(
      '/webhooks/rest/webhook',
      {
        schema: {
          tags: ['rasa'],
          summary: "Rasa REST channel: the customer's message in, the bot's replies out",
          security: [{ widgetKey: [] }],
          querystring: z.object({ key: z.string().max(200).optional() }),
          body: RasaRestBody,
          response: { 200: z.array(RasaRestMessage) },
        },
        config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
        onRequest: async (req) => {
          workspaces.set(req, await workspaceFromWidgetKey(ctx, req));
        },
      },
      async (req) => {
        const workspace = workspaces.get(req)!;
        const summary = await deps.trackInFlight(() => rasaTurn(ctx, { workspace, sender: req.body.sender, message: req.body.message }));
        return rasaRestMessages(req.body.sender, summary.replies);
      },
    );
  };
