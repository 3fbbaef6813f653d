import type { CreateWebhookBody, UpdateWebhookBody, WebhookDelivery as WebhookDeliveryDto, Webhook as WebhookDto } from '@kefu/protocol';
import { encryptSecret, newSecret } from '../adapters/auth/secrets.js';
import { notFound } from '../domain/errors.js';
import type { Webhook, WebhookDelivery } from '../domain/webhooks.js';
import type { Principal, UseCaseContext } from './context.js';
import { newDelivery } from './deliver-webhooks.js';

// A workspace's outbound webhooks. The secret is sealed with APP_SECRET and shown once, when the
// webhook is created (or a new one is set); responses and logs never carry it.

export const listWebhooks = (ctx: UseCaseContext, p: Principal) => ctx.store.webhooks.list(p.workspaceId);

export async function getWebhook(ctx: UseCaseContext, p: Principal, id: string): Promise<Webhook> {
  const w = await ctx.store.webhooks.find(p.workspaceId, id);
  if (!w) throw notFound('webhook', id);
  return w;
}

export async function createWebhook(ctx: UseCaseContext, p: Principal, input: CreateWebhookBody): Promise<{ webhook: Webhook; secret: string }> {
  const secret = input.secret ?? newSecret('whsec_');
  const now = ctx.clock.now().toISOString();
  const webhook: Webhook = {
    id: ctx.ids.next(),
    workspaceId: p.workspaceId,
    url: input.url,
    secret: encryptSecret(secret, ctx.config.appSecret),
    events: dedupe(input.events ?? ['*']),
    enabled: input.enabled ?? true,
    description: input.description ?? '',
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.webhooks.save(webhook);
  return { webhook, secret };
}

export async function updateWebhook(ctx: UseCaseContext, p: Principal, id: string, input: UpdateWebhookBody): Promise<Webhook> {
  const w = await getWebhook(ctx, p, id);
  const updated: Webhook = {
    ...w,
    url: input.url ?? w.url,
    events: input.events ? dedupe(input.events) : w.events,
    enabled: input.enabled ?? w.enabled,
    description: input.description ?? w.description,
    secret: input.secret ? encryptSecret(input.secret, ctx.config.appSecret) : w.secret,
    updatedAt: ctx.clock.now().toISOString(),
  };
  await ctx.store.webhooks.save(updated);
  return updated;
}

export async function deleteWebhook(ctx: UseCaseContext, p: Principal, id: string): Promise<void> {
  if (!(await ctx.store.webhooks.delete(p.workspaceId, id))) throw notFound('webhook', id);
}

/** Queues a `ping` (sent at once by the worker): checks the URL and the receiver's signature check. */
export async function pingWebhook(ctx: UseCaseContext, p: Principal, id: string): Promise<WebhookDelivery> {
  const w = await getWebhook(ctx, p, id);
  const d = newDelivery(ctx, w, 'ping', { webhook: { id: w.id, url: w.url, events: w.events } }, ctx.clock.now().toISOString());
  await ctx.store.webhooks.insertDeliveries([d]);
  return d;
}

export async function listWebhookDeliveries(
  ctx: UseCaseContext,
  p: Principal,
  id: string,
  q: { status?: WebhookDelivery['status'] | undefined; cursor?: string | undefined; limit: number },
) {
  await getWebhook(ctx, p, id);
  return ctx.store.webhooks.listDeliveries(p.workspaceId, id, q);
}

/**
 * Sends a delivery again, now, with the same body and id (receivers that already processed it see the
 * id again and skip it). It starts a new series of attempts with the usual retries.
 */
export async function redeliverWebhook(ctx: UseCaseContext, p: Principal, deliveryId: string): Promise<WebhookDelivery> {
  const d = await ctx.store.webhooks.findDelivery(p.workspaceId, deliveryId);
  if (!d) throw notFound('webhook_delivery', deliveryId);
  const again: WebhookDelivery = { ...d, status: 'pending', attempts: 0, nextAttemptAt: ctx.clock.now().toISOString() };
  await ctx.store.webhooks.saveDelivery(again);
  return again;
}

export const webhookDto = (w: Webhook): WebhookDto => ({
  id: w.id,
  url: w.url,
  events: w.events,
  enabled: w.enabled,
  description: w.description,
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
});

export const webhookDeliveryDto = (d: WebhookDelivery): WebhookDeliveryDto => ({
  id: d.id,
  webhookId: d.webhookId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
  payload: JSON.parse(d.payload),
});

const dedupe = (events: readonly string[]) => (events.includes('*') ? ['*', ...new Set(events.filter((e) => e === 'note.created'))] : [...new Set(events)]);
