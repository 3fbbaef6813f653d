import type {
  CreateWebhookBody,
  CreateWebhookResponse,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookDeliveryStatus,
  WebhookList,
} from '@kefu/protocol';
import type { ApiClient } from './client';

/** The outbound webhooks API (docs/webhooks.md), typed. Every call throws ApiError on non-2xx. */

export type { CreateWebhookBody, Webhook, WebhookDelivery, WebhookDeliveryStatus };

const hookPath = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;

export const webhooksApi = {
  list: (api: ApiClient, signal?: AbortSignal) => api.get<WebhookList>('/v1/webhooks', undefined, signal),
  /** The secret is in this answer only. */
  create: (api: ApiClient, body: CreateWebhookBody) => api.post<CreateWebhookResponse>('/v1/webhooks', body),
  update: (api: ApiClient, id: string, body: UpdateWebhookBody) => api.patch<Webhook>(hookPath(id), body),
  remove: (api: ApiClient, id: string) => api.delete<void>(hookPath(id)),
  /** Queues a `ping`; the delivery log shows how it went. */
  test: (api: ApiClient, id: string) => api.post<WebhookDelivery>(`${hookPath(id)}/test`),
  deliveries: (api: ApiClient, id: string, query: { status?: WebhookDeliveryStatus; cursor?: string } = {}, signal?: AbortSignal) =>
    api.get<WebhookDeliveryPage>(`${hookPath(id)}/deliveries`, query, signal),
  redeliver: (api: ApiClient, deliveryId: string) => api.post<WebhookDelivery>(`/v1/webhooks/deliveries/${encodeURIComponent(deliveryId)}/redeliver`),
};
