import type { UseCaseContext } from '../usecases/context.js';
import { enqueueWebhookEvent, sweepWebhookDeliveries, webhookTypeOf } from '../usecases/deliver-webhooks.js';

/** Retries come due at 10 s at the earliest; a sweep this often also picks up other instances' and crashed claims. */
export const WEBHOOK_SWEEP_MS = 5_000;

/**
 * Outbound webhooks. Each event this instance published (so, with Redis, each event once) becomes a
 * delivery per subscribed webhook, written to the database and sent at once; failures are retried by
 * the periodic sweep with backoff (domain/webhooks.ts). Due times come from the injected clock, so tests
 * move it and call `sweep()`. `stop` ends the sweeps and waits for the one under way.
 */
export function subscribeWebhooks(ctx: UseCaseContext) {
  let sweeping: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  const sweep = (): Promise<number> => {
    if (sweeping) {
      // Deliveries queued during a sweep are sent by a second pass right after it.
      again = true;
      return sweeping;
    }
    sweeping = (async () => {
      let sent = 0;
      try {
        do {
          again = false;
          sent += await sweepWebhookDeliveries(ctx);
        } while (again && !stopped);
      } catch (err) {
        if (!stopped) ctx.log.warn({ err }, 'webhook sweep failed');
      } finally {
        sweeping = null;
      }
      return sent;
    })();
    return sweeping;
  };

  const unsubscribe = ctx.bus.subscribeOwn(async (e) => {
    // Most events (streamed answer pieces, settings changes) are never sent: no query for them.
    if (stopped || !webhookTypeOf(e)) return;
    try {
      const webhooks = await ctx.store.webhooks.list(e.workspaceId);
      if (webhooks.length === 0) return;
      const queued = await enqueueWebhookEvent(ctx, e, webhooks);
      if (queued.length > 0) void sweep();
    } catch (err) {
      ctx.log.warn({ err, type: e.type }, 'webhook deliveries not queued');
    }
  });
  const interval = setInterval(() => void sweep(), WEBHOOK_SWEEP_MS);
  interval.unref();
  return {
    /** Sends what is due now; resolves with how many were attempted. */
    sweep,
    async stop() {
      stopped = true;
      clearInterval(interval);
      unsubscribe();
      await sweeping?.catch(() => undefined);
    },
  };
}
