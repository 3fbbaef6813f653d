import type { ConversationEvent } from '../domain/entities.js';
import type { DomainEvent } from '../domain/events.js';
import type { UseCaseContext } from '../usecases/context.js';

/**
 * The record behind a conversation's ownership history (`GET /v1/conversations/:id/events`, `GET
 * /v1/events`): what happened, who did it, with the details a person or an external system needs.
 * `null`: not part of the history.
 */
export function historyEntry(e: DomainEvent, id: string, at: string): ConversationEvent | null {
  const base = { id, workspaceId: e.workspaceId, at };
  switch (e.type) {
    case 'handoff.requested':
      return {
        ...base,
        conversationId: e.conversationId,
        type: e.type,
        actor: e.actor ?? { type: 'bot', id: null },
        data: { reason: e.reason, teamId: e.teamId ?? null },
      };
    case 'conversation.assigned':
      return { ...base, conversationId: e.conversationId, type: e.type, actor: e.actor, data: { assigneeId: e.assigneeId, by: e.by } };
    case 'conversation.transferred':
      return { ...base, conversationId: e.conversationId, type: e.type, actor: e.actor, data: { from: e.from, to: e.to, note: e.note } };
    case 'conversation.released':
      return { ...base, conversationId: e.conversationId, type: e.type, actor: e.actor, data: {} };
    case 'conversation.snoozed':
      return { ...base, conversationId: e.conversationId, type: e.type, actor: e.actor, data: { until: e.until } };
    case 'conversation.woke':
      return { ...base, conversationId: e.conversationId, type: e.type, actor: e.actor, data: { reason: e.reason } };
    case 'conversation.updated':
      // Resolving and closing end the people's part; other status changes have their own entries.
      if (e.from === null || e.from === e.conversation.status || (e.conversation.status !== 'resolved' && e.conversation.status !== 'closed')) return null;
      return {
        ...base,
        conversationId: e.conversation.id,
        type: `conversation.${e.conversation.status}`,
        actor: { type: 'system', id: null },
        data: { from: e.from, assigneeId: e.conversation.assigneeId },
      };
    case 'sla.warning':
    case 'sla.breached':
      if (!e.event.conversationId) return null;
      return {
        ...base,
        conversationId: e.event.conversationId,
        type: e.type,
        actor: { type: 'system', id: null },
        data: { metric: e.event.metric, dueAt: e.event.dueAt, assigneeId: e.event.assigneeId, priority: e.event.priority },
      };
    default:
      return null;
  }
}

/**
 * Writes each ownership event once (only events this instance published: with several instances every
 * one of them hears every event). A failed write is logged; the change itself has already committed.
 */
export function subscribeConversationHistory(ctx: UseCaseContext) {
  return ctx.bus.subscribeOwn(async (e) => {
    const entry = historyEntry(e, ctx.ids.next(), ctx.clock.now().toISOString());
    if (!entry) return;
    await ctx.store.conversationEvents.insert(entry).catch((err) => ctx.log.warn({ err, type: e.type }, 'conversation history not written'));
  });
}
