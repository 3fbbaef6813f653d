import { createHmac } from 'node:crypto';

export interface WebhookRequest {
  url: string;
  /** The secret in the clear. */
  secret: string;
  deliveryId: string;
  eventType: string;
  body: string;
  /** Unix seconds of the signature (the injected clock's). */
  timestamp: number;
  timeoutMs: number;
}

/** `ok`: a 2xx answer. A redirect is a failure: kefu never follows one (the signature is for this URL). */
export type WebhookResponse = { ok: boolean; status: number | null; error: string | null };

/** How much of a receiver's answer is read (for the delivery log): receivers should answer quickly and briefly. */
export const RESPONSE_READ_LIMIT = 4096;

/** `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the time is signed, so a captured request cannot be replayed later. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** One POST of a signed webhook body, within `timeoutMs` (connect, headers and the capped body read). */
export async function sendWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'kefu-webhooks/1',
        'x-kefu-delivery': req.deliveryId,
        'x-kefu-event': req.eventType,
        'x-kefu-signature': webhookSignature(req.secret, req.timestamp, req.body),
      },
      body: req.body,
    });
    const text = await readCapped(res, RESPONSE_READ_LIMIT);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, error: null };
    if (res.status >= 300 && res.status < 400) return { ok: false, status: res.status, error: 'redirect not followed' };
    return { ok: false, status: res.status, error: text.trim().slice(0, 500) || `HTTP ${res.status}` };
  } catch (err) {
    if (signal.aborted) return { ok: false, status: null, error: `timed out after ${req.timeoutMs} ms` };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, status: null, error: (cause?.code ?? cause?.message ?? (err as Error).message).slice(0, 500) };
  }
}

async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // The rest is not wanted: stop reading (and free the connection) instead of draining it.
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
