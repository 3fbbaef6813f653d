import { ChatwootIntegrationInput, ChatwootIntegration as ChatwootIntegrationView } from '@kefu/protocol';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import type { ChatwootIntegration } from '../../domain/chatwoot-integration.js';
import { DomainError } from '../../domain/errors.js';
import {
  acceptChatwootMessage,
  acceptChatwootSelection,
  type ChatwootDecision,
  findChatwootByToken,
  verifyChatwootSignature,
} from '../../usecases/chatwoot-bot.js';
import {
  deleteChatwootIntegration,
  getChatwootIntegration,
  openWebhookToken,
  rotateChatwootWebhookToken,
  saveChatwootIntegration,
} from '../../usecases/manage-chatwoot.js';
import { ChatwootDelivery, ChatwootMessageCreated, ChatwootMessageUpdated, toMessageEvent, toSelectionEvent } from '../chatwoot-wire.js';
import { requireRole } from '../plugins/auth.js';
import { sendProblem } from '../problem.js';

const security = [{ bearer: [] }];
const tags = ['integrations'];
const WEBHOOK = '/v1/integrations/chatwoot/webhook';

/**
 * Chatwoot agent bot: its settings for admins, and the URL Chatwoot posts the bot's events to. The token
 * in that URL is what authenticates a delivery (Chatwoot before 4.13 signs nothing); when the admin gives
 * the bot's signing secret, the X-Chatwoot-Signature header is required as well.
 */
export const chatwootRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;
    const view = (req: FastifyRequest, i: ChatwootIntegration): ChatwootIntegrationView => {
      const token = openWebhookToken(ctx, i);
      const origin = (deps.config.PUBLIC_URL ?? `${req.protocol}://${req.host}`).replace(/\/+$/, '');
      return {
        baseUrl: i.baseUrl,
        accountId: i.accountId,
        inboxId: i.inboxId,
        enabled: i.enabled,
        apiAccessTokenSet: true,
        webhookSecretSet: i.webhookSecret !== null,
        // An unreadable token (APP_SECRET changed) shows no URL: rotating makes a new one.
        webhookUrl: token ? `${origin}${WEBHOOK}/${token}` : '',
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
      };
    };

    app.get(
      '/v1/integrations/chatwoot',
      { schema: { tags, security, response: { 200: ChatwootIntegrationView } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => view(req, await getChatwootIntegration(ctx, req.principal!.workspaceId)),
    );
    app.put(
      '/v1/integrations/chatwoot',
      { schema: { tags, security, body: ChatwootIntegrationInput, response: { 200: ChatwootIntegrationView } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => view(req, await saveChatwootIntegration(ctx, req.principal!.workspaceId, req.body)),
    );
    app.delete(
      '/v1/integrations/chatwoot',
      { schema: { tags, security, response: { 204: z.null() } }, onRequest: requireRole(ctx, 'admin') },
      async (req, reply) => {
        await deleteChatwootIntegration(ctx, req.principal!.workspaceId);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/v1/integrations/chatwoot/rotate-token',
      { schema: { tags, security, response: { 200: ChatwootIntegrationView } }, onRequest: requireRole(ctx, 'admin') },
      async (req) => view(req, await rotateChatwootWebhookToken(ctx, req.principal!.workspaceId)),
    );

    // The signature covers the exact bytes Chatwoot sent: keep them next to the parsed body (this
    // parser only applies inside this plugin).
    const raw = new WeakMap<FastifyRequest, string>();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      raw.set(req, body as string);
      try {
        done(null, JSON.parse(body as string));
      } catch (err) {
        (err as { statusCode?: number }).statusCode = 400;
        done(err as Error, undefined);
      }
    });
    // The token is checked before the body is read: a wrong URL learns nothing, not even whether the body was valid.
    const integrations = new WeakMap<FastifyRequest, ChatwootIntegration>();
    app.post(
      `${WEBHOOK}/:token`,
      {
        schema: {
          tags,
          summary: "Chatwoot agent bot's outgoing_url: Chatwoot posts the bot's events here",
          params: z.object({ token: z.string().max(200) }),
        },
        config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
        onRequest: async (req, reply) => {
          const token = (req.params as { token?: string }).token ?? '';
          const i = await findChatwootByToken(ctx, token);
          if (!i) return sendProblem(reply, req, 404, 'CHATWOOT_WEBHOOK_NOT_FOUND', 'no Chatwoot agent bot answers at this URL');
          integrations.set(req, i);
        },
      },
      async (req, reply) => {
        const i = integrations.get(req)!;
        const signed = verifyChatwootSignature(ctx, i, raw.get(req) ?? '', {
          signature: header(req, 'x-chatwoot-signature'),
          timestamp: header(req, 'x-chatwoot-timestamp'),
        });
        if (signed === 'invalid') {
          req.log.warn({ workspaceId: i.workspaceId }, 'chatwoot delivery with a bad signature');
          return sendProblem(reply, req, 401, 'CHATWOOT_SIGNATURE_INVALID', 'the X-Chatwoot-Signature header is missing, stale or wrong');
        }
        const delivery = ChatwootDelivery.safeParse(req.body);
        if (!delivery.success) throw invalid(delivery.error.issues);
        let decision: ChatwootDecision;
        if (delivery.data.event === 'message_created') {
          const parsed = ChatwootMessageCreated.safeParse(req.body);
          if (!parsed.success) throw invalid(parsed.error.issues);
          decision = await acceptChatwootMessage(ctx, i, toMessageEvent(parsed.data));
        } else if (delivery.data.event === 'message_updated') {
          // The customer picked one of kefu's options in Chatwoot's widget (or the message changed otherwise).
          const parsed = ChatwootMessageUpdated.safeParse(req.body);
          if (!parsed.success) throw invalid(parsed.error.issues);
          decision = await acceptChatwootSelection(ctx, i, toSelectionEvent(parsed.data));
        } else {
          // Other events (conversation_opened, webwidget_triggered…) are acknowledged so Chatwoot does not retry them.
          return reply.status(200).send({ status: 'ignored', reason: 'event' });
        }
        if (decision.kind === 'ignored') return reply.status(200).send({ status: 'ignored', reason: decision.reason });
        if (decision.kind === 'duplicate') return reply.status(200).send({ status: 'duplicate' });
        // Chatwoot gives a bot 5 seconds and retries on errors; a turn with a language model can take
        // longer. The answer goes out through Chatwoot's API after this response; shutdown waits for it.
        void deps.trackInFlight(decision.answer);
        return reply.status(202).send({ status: 'accepted' });
      },
    );
  };

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function invalid(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const errors = issues.map((x) => ({
    field: ['body', ...x.path.filter((p) => typeof p !== 'symbol').map(String)].join('.'),
    code: 'CHATWOOT_PAYLOAD_INVALID',
    message: x.message,
  }));
  return new DomainError('CHATWOOT_PAYLOAD_INVALID', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}
