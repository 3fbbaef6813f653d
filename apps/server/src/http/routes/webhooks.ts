import {
  CreateWebhookBody,
  CreateWebhookResponse,
  IdParams,
  ListWebhookDeliveriesQuery,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookList,
} from '@kefu/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../deps.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  pingWebhook,
  redeliverWebhook,
  updateWebhook,
  webhookDeliveryDto,
  webhookDto,
} from '../../usecases/manage-webhooks.js';
import { requireRole } from '../plugins/auth.js';

const security = [{ bearer: [] }];
const tags = ['webhooks'];

/** Outbound webhooks (docs/webhooks.md): admins manage them and read their delivery log. */
export const webhookRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { ctx } = deps;
    const admin = requireRole(ctx, 'admin');
    // Queued deliveries go out now rather than at the next periodic sweep.
    const sendNow = () => void deps.webhooks.sweep();

    app.get('/v1/webhooks', { schema: { tags, security, response: { 200: WebhookList } }, onRequest: admin }, async (req) => ({
      items: (await listWebhooks(ctx, req.principal!)).map(webhookDto),
    }));
    app.post(
      '/v1/webhooks',
      {
        schema: {
          tags,
          summary: 'Add a webhook; the secret is shown only in this response',
          security,
          body: CreateWebhookBody,
          response: { 201: CreateWebhookResponse },
        },
        onRequest: admin,
      },
      async (req, reply) => {
        const r = await createWebhook(ctx, req.principal!, req.body);
        return reply.status(201).send({ webhook: webhookDto(r.webhook), secret: r.secret });
      },
    );
    app.get('/v1/webhooks/:id', { schema: { tags, security, params: IdParams, response: { 200: Webhook } }, onRequest: admin }, async (req) =>
      webhookDto(await getWebhook(ctx, req.principal!, req.params.id)),
    );
    app.patch(
      '/v1/webhooks/:id',
      {
        schema: {
          tags,
          summary: 'Change a webhook (a new `secret` replaces the old one)',
          security,
          params: IdParams,
          body: UpdateWebhookBody,
          response: { 200: Webhook },
        },
        onRequest: admin,
      },
      async (req) => webhookDto(await updateWebhook(ctx, req.principal!, req.params.id, req.body)),
    );
    app.delete(
      '/v1/webhooks/:id',
      { schema: { tags, summary: 'Delete a webhook and its delivery log', security, params: IdParams }, onRequest: admin },
      async (req, reply) => {
        await deleteWebhook(ctx, req.principal!, req.params.id);
        return reply.status(204).send();
      },
    );
    app.post(
      '/v1/webhooks/:id/test',
      { schema: { tags, summary: 'Send a `ping` event', security, params: IdParams, response: { 202: WebhookDelivery } }, onRequest: admin },
      async (req, reply) => {
        const d = await pingWebhook(ctx, req.principal!, req.params.id);
        sendNow();
        return reply.status(202).send(webhookDeliveryDto(d));
      },
    );
    app.get(
      '/v1/webhooks/:id/deliveries',
      {
        schema: {
          tags,
          summary: 'The delivery log, newest first',
          security,
          params: IdParams,
          querystring: ListWebhookDeliveriesQuery,
          response: { 200: WebhookDeliveryPage },
        },
        onRequest: admin,
      },
      async (req) => {
        const page = await listWebhookDeliveries(ctx, req.principal!, req.params.id, req.query);
        return { items: page.items.map(webhookDeliveryDto), nextCursor: page.nextCursor };
      },
    );
    app.post(
      '/v1/webhooks/deliveries/:id/redeliver',
      {
        schema: { tags, summary: 'Send a delivery again with the same id and body', security, params: IdParams, response: { 202: WebhookDelivery } },
        onRequest: admin,
      },
      async (req, reply) => {
        const d = await redeliverWebhook(ctx, req.principal!, req.params.id);
        sendNow();
        return reply.status(202).send(webhookDeliveryDto(d));
      },
    );
  };
