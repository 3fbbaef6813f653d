import type { DomainEvent } from '../domain/events.js';
import type { UseCaseContext } from '../usecases/context.js';
import { wakeDueConversations } from '../usecases/handoff.js';
import { requeueAgent, routeQueued, tellQueuePosition } from '../usecases/route-queued.js';

const SWEEP_MS = 15_000;

/**
 * Routes the queue when something changes it: a conversation joins the queue or leaves an agent
 * (resolved, closed, handed back, re-queued), an agent comes online or gets more room. Runs after the
 * event's own work has finished (never inside the lock of the conversation that caused it), coalesced
 * per workspace; a periodic sweep catches anything missed (another instance's events, a crash).
 */
export function subscribeAutoAssign(ctx: UseCaseContext) {
  const pending = new Map<string, Set<string>>();
  const scheduled = new Set<string>();
  let stopped = false;
  const run = async (workspaceId: string) => {
    scheduled.delete(workspaceId);
    // A pass scheduled just before shutdown finds the store closed: nothing to do.
    if (stopped) return;
    const joined = pending.get(workspaceId) ?? new Set<string>();
    pending.delete(workspaceId);
    try {
      const assigned = new Set((await routeQueued(ctx, workspaceId)).map((a) => a.conversationId));
      for (const id of joined) if (!assigned.has(id)) await tellQueuePosition(ctx, workspaceId, id);
    } catch (err) {
      ctx.log.warn({ err, workspaceId }, 'routing the queue failed');
    }
  };
  const schedule = (workspaceId: string) => {
    if (scheduled.has(workspaceId)) return;
    scheduled.add(workspaceId);
    setTimeout(() => void run(workspaceId), 0);
  };
  const onEvent = async (e: DomainEvent) => {
    if (e.type === 'conversation.updated' && e.from !== null && e.from !== e.conversation.status) {
      const to = e.conversation.status;
      if (to === 'queued' && e.from === 'bot') {
        let set = pending.get(e.workspaceId);
        if (!set) pending.set(e.workspaceId, (set = new Set()));
        set.add(e.conversation.id);
      }
      if (to === 'queued' || e.from === 'assigned') schedule(e.workspaceId);
    } else if (e.type === 'conversation.transferred' || e.type === 'teams.changed' || e.type === 'conversation.woke' || e.type === 'conversation.snoozed') {
      // A team's queue got a conversation, a team got members, or an agent's room changed.
      schedule(e.workspaceId);
    } else if (e.type === 'member.routing_changed') {
      const member = await ctx.store.members.findById(e.workspaceId, e.memberId);
      if (member && (member.presence === 'offline' || member.disabled)) {
        // Off the clock: their conversations go back to the queue for others.
        setTimeout(() => void requeueAgent(ctx, e.workspaceId, e.memberId).catch((err) => ctx.log.warn({ err }, 're-queue failed')), 0);
      }
      schedule(e.workspaceId);
    }
  };
  const unsubscribe = ctx.bus.subscribe((e) => void onEvent(e).catch((err) => ctx.log.warn({ err }, 'auto-assign listener failed')));
  const timer = setInterval(async () => {
    for (const w of await ctx.store.workspaces.list().catch(() => [])) {
      schedule(w.id);
      // Snoozes that ran out come back to their owners' inboxes (each under its conversation's lock).
      await wakeDueConversations(ctx, w.id).catch((err) => ctx.log.warn({ err, workspaceId: w.id }, 'waking snoozed conversations failed'));
    }
  }, SWEEP_MS);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
