import type { DomainEvent } from '../domain/events.js';
import { nextSlaCheck } from '../domain/sla.js';
import type { UseCaseContext } from '../usecases/context.js';
import { sweepSla, syncConversationSla } from '../usecases/sla-clocks.js';

/** A sweep this often catches what a timer missed: another instance's clocks, a restart, a clock jump. */
export const SLA_SWEEP_MS = 20_000;

/**
 * Keeps SLA clocks moving. After every conversation change (hand-off, reply, priority, resolve,
 * release) the clocks are brought in line at once; a timer is armed for the nearest warning point or
 * due time, and a periodic sweep looks at everything due. Time comes from the injected clock, so tests
 * move it and call `sweep()`. With several instances every one sweeps; the compare-and-set in
 * syncConversationSla / syncTicketSla lets exactly one of them record and announce each transition.
 */
export function subscribeSlaTimers(ctx: UseCaseContext) {
  let timer: NodeJS.Timeout | null = null;
  let armedFor = Number.POSITIVE_INFINITY;
  let sweeping: Promise<number> | null = null;
  let stopped = false;

  const arm = (at: string | null) => {
    if (stopped || at === null) return;
    const when = Date.parse(at);
    if (when >= armedFor) return;
    if (timer) clearTimeout(timer);
    armedFor = when;
    const delay = Math.min(Math.max(when - ctx.clock.now().getTime(), 0), SLA_SWEEP_MS);
    timer = setTimeout(() => {
      timer = null;
      armedFor = Number.POSITIVE_INFINITY;
      void sweep();
    }, delay);
    timer.unref();
  };

  const sweep = (): Promise<number> => {
    // One sweep at a time per instance; a call during one waits for it.
    sweeping ??= (async () => {
      try {
        return await sweepSla(ctx);
      } catch (err) {
        ctx.log.warn({ err }, 'sla sweep failed');
        return 0;
      } finally {
        sweeping = null;
        arm(await ctx.store.sla.nextCheckAt().catch(() => null));
      }
    })();
    return sweeping;
  };

  const onEvent = async (e: DomainEvent) => {
    if (e.type !== 'conversation.updated' && e.type !== 'conversation.created') return;
    const c = e.conversation;
    // Bot turns on conversations that never met people: nothing to do, no query.
    if (!c.sla && c.status !== 'queued' && c.status !== 'assigned') return;
    const updated = await syncConversationSla(ctx, e.workspaceId, c.id, c);
    arm(nextSlaCheck(updated?.sla));
  };

  // Subscribed after the realtime hub: a change to the clocks goes out after the event that caused it.
  const unsubscribe = ctx.bus.subscribe((e) => onEvent(e).catch((err) => ctx.log.warn({ err }, 'sla listener failed')));
  const interval = setInterval(() => void sweep(), SLA_SWEEP_MS);
  interval.unref();
  void sweep();
  return {
    sweep,
    stop() {
      stopped = true;
      clearInterval(interval);
      if (timer) clearTimeout(timer);
      unsubscribe();
    },
  };
}
