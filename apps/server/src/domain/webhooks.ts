/** An outbound webhook: where kefu POSTs the workspace's events. `secret` is sealed (encryptSecret). */
export interface Webhook {
  id: string;
  workspaceId: string;
  url: string;
  secret: string;
  /** Event types, or `*` for all of them except `note.created`. */
  events: string[];
  enabled: boolean;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event for one webhook: the body is fixed at creation, so every retry sends the same bytes' content. */
export interface WebhookDelivery {
  id: string;
  webhookId: string;
  workspaceId: string;
  eventType: string;
  /** The JSON body as sent. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Waits after the 1st, 2nd… failed attempt; after the last one the delivery has failed (7 attempts in about 8.6 h). */
export const WEBHOOK_RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000] as const;

/** When to try again after `attempts` failed attempts, or null: give up. */
export function nextWebhookAttempt(attempts: number, nowMs: number): string | null {
  const delay = WEBHOOK_RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : new Date(nowMs + delay).toISOString();
}

/** Internal notes are for agents: only a webhook that names `note.created` receives them. */
export function webhookWants(w: Pick<Webhook, 'enabled' | 'events'>, type: string): boolean {
  if (!w.enabled) return false;
  if (w.events.includes(type)) return true;
  return type !== 'note.created' && w.events.includes('*');
}
