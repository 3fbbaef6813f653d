import type { Sla, SlaEvent, SlaEventPage, SlaEventsQuery, SlaSummary } from '@kefu/protocol';
import type { Conversation, Ticket } from '../domain/entities.js';
import type { DomainEvent, SlaEventRecord } from '../domain/events.js';
import {
  advanceSla,
  isOpenClock,
  resumeSlaClock,
  retargetSla,
  SLA_CLOCKS,
  SLA_METRIC,
  type SlaChange,
  type SlaClocks,
  type SlaFired,
  type SlaPolicy,
  sameSla,
  startSla,
  stopSlaClock,
} from '../domain/sla.js';
import { slaPolicy } from '../engine/sla-policy.js';
import type { Principal, UseCaseContext } from './context.js';

/** Compare-and-set attempts before giving up (another instance keeps changing the same clocks). */
const ATTEMPTS = 5;

/**
 * Brings a conversation's SLA clocks in line with its state and the time: joining the queue starts
 * them (from `queuedAt`, so a re-queue within the same stay keeps them), a priority change recomputes
 * the due times, the first agent reply (not a note) stops first response, resolving or closing stops
 * resolution, handing back to the bot cancels both, and time passing turns them amber and red. The
 * write is a compare-and-set on the stored clocks, so of several instances (or the sweep and a use
 * case) exactly one records and announces each warning and breach; the others re-read and find
 * nothing left to do. `seen` is the conversation as an event carried it (saves a read when current).
 */
export async function syncConversationSla(ctx: UseCaseContext, workspaceId: string, conversationId: string, seen?: Conversation): Promise<Conversation | null> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const conv = attempt === 0 && seen ? seen : await ctx.store.conversations.findById(workspaceId, conversationId);
    if (!conv) return null;
    const now = ctx.clock.now();
    const change = await planConversation(ctx, conv, now);
    if (sameSla(change.sla, conv.sla)) {
      // The event that brought us here carried older clocks than the stored ones: agents saw them, so
      // they get the current ones.
      if (seen && conv !== seen && !sameSla(seen.sla, conv.sla))
        await ctx.bus.publish([{ type: 'conversation.updated', workspaceId, conversation: conv, from: null }]);
      return conv;
    }
    const records = change.fired.map((f) =>
      record(ctx, workspaceId, { conversationId: conv.id, ticketId: null, assigneeId: conv.assigneeId }, change.sla?.priority ?? conv.priority, f),
    );
    if (!(await save(ctx, 'conversation', workspaceId, conv.id, conv.sla ?? null, change.sla, records))) continue;
    // Announced as stored now, not as the event carried it: the conversation may have moved on meanwhile
    // (a customer reopening it), and an older copy must not be announced after a newer one.
    const updated: Conversation = { ...((await ctx.store.conversations.findById(workspaceId, conv.id)) ?? conv), sla: change.sla };
    await ctx.bus.publish([...announcements(workspaceId, records), { type: 'conversation.updated', workspaceId, conversation: updated, from: null }]);
    return updated;
  }
  ctx.log.warn({ conversationId }, 'sla clocks kept changing; left for the next sweep');
  return seen ?? null;
}

/**
 * The same for a ticket: clocks start when it is opened, the first public agent comment stops first
 * response, solved or closed stops resolution, and reopening lets resolution count again from its
 * old due time. Returns the ticket with its current clocks.
 */
export async function syncTicketSla(ctx: UseCaseContext, ticket: Ticket): Promise<Ticket> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const t = attempt === 0 ? ticket : await ctx.store.tickets.find(ticket.workspaceId, ticket.id);
    if (!t) return ticket;
    const change = await planTicket(ctx, t, ctx.clock.now());
    if (sameSla(change.sla, t.sla)) return t;
    const records = change.fired.map((f) =>
      record(ctx, t.workspaceId, { conversationId: null, ticketId: t.id, assigneeId: t.assigneeId }, change.sla?.priority ?? t.priority, f),
    );
    if (!(await save(ctx, 'ticket', t.workspaceId, t.id, t.sla ?? null, change.sla, records))) continue;
    await ctx.bus.publish(announcements(t.workspaceId, records));
    return { ...t, sla: change.sla };
  }
  ctx.log.warn({ ticketId: ticket.id }, 'sla clocks kept changing; left for the next sweep');
  return ticket;
}

/** Looks at every clock whose warning point or due time has come; returns how many it looked at. */
export async function sweepSla(ctx: UseCaseContext, batch = 200): Promise<number> {
  let seen = 0;
  // A batch is re-read until nothing due is left: each sync moves its row's next check forward.
  for (let round = 0; round < 50; round++) {
    const due = await ctx.store.sla.due(ctx.clock.now().toISOString(), batch);
    for (const d of due) {
      try {
        if (d.target === 'conversation') await syncConversationSla(ctx, d.workspaceId, d.id);
        else {
          const t = await ctx.store.tickets.find(d.workspaceId, d.id);
          if (t) await syncTicketSla(ctx, t);
        }
      } catch (err) {
        ctx.log.warn({ err, ...d }, 'sla check failed');
      }
    }
    seen += due.length;
    if (due.length < batch) break;
  }
  return seen;
}

export async function listSlaEvents(ctx: UseCaseContext, p: Principal, q: SlaEventsQuery): Promise<SlaEventPage> {
  const page = await ctx.store.sla.listEvents(p.workspaceId, {
    limit: q.limit,
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.metric ? { metric: q.metric } : {}),
    ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  return { items: page.items.map(slaEventDto), nextCursor: page.nextCursor };
}

const WEEK_MS = 7 * 86_400_000;

/** What is open now (running, at risk, breached) and the share of clocks met in time since `since` (default 7 days). */
export async function slaSummary(ctx: UseCaseContext, p: Principal, q: { since?: string | undefined }): Promise<SlaSummary> {
  const until = ctx.clock.now();
  const since = q.since ? new Date(q.since) : new Date(until.getTime() - WEEK_MS);
  const [open, counts] = await Promise.all([
    ctx.store.sla.openCounts(p.workspaceId),
    ctx.store.sla.countEvents(p.workspaceId, since.toISOString(), new Date(until.getTime() + 1).toISOString()),
  ]);
  const rate = (metric: SlaEventRecord['metric']) => {
    const n = (kind: SlaEventRecord['kind']) => counts.find((c) => c.metric === metric && c.kind === kind)?.n ?? 0;
    const met = n('met');
    const breached = n('breach');
    return { met, breached, metPercent: met + breached > 0 ? Math.round((met / (met + breached)) * 1000) / 10 : null };
  };
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    conversations: open.conversations,
    tickets: open.tickets,
    firstResponse: rate('first_response'),
    resolution: rate('resolution'),
  };
}

/** The clocks as the API shows them. */
export function slaDto(sla: SlaClocks | null | undefined): Sla | null {
  if (!sla) return null;
  const clock = (c: SlaClocks['firstResponse']) => ({ dueAt: c.dueAt, warnAt: c.warnAt, at: c.at, state: c.state });
  return { firstResponse: clock(sla.firstResponse), resolution: clock(sla.resolution) };
}

export function slaEventDto(e: SlaEventRecord): SlaEvent {
  const { workspaceId: _w, ...rest } = e;
  return rest;
}

// ── plans ───────────────────────────────────────────────────────────────────────────────────────────

const PEOPLE = new Set(['queued', 'assigned']);

/** The clocks as they should be (null: none ran), and what changing them fires. */
type Plan = { sla: SlaClocks | null; fired: SlaFired[] };

async function planConversation(ctx: UseCaseContext, conv: Conversation, now: Date): Promise<Plan> {
  const policy = lazyPolicy(ctx, conv.workspaceId, 'conversation');
  const withPeople = PEOPLE.has(conv.status) && Boolean(conv.queuedAt);
  let sla = conv.sla ?? null;
  const fired: SlaFired[] = [];
  const apply = (c: SlaChange) => {
    sla = c.sla;
    fired.push(...c.fired);
  };

  if (withPeople && (!sla || Date.parse(sla.startedAt) !== Date.parse(conv.queuedAt!))) {
    const p = await policy();
    // A new stay with people: new clocks (a disabled policy starts none and lets old ones go).
    sla = p.enabled ? startSla(p, new Date(conv.queuedAt!), conv.priority) : sla && cancelAll(sla, now.toISOString());
  }
  if (!sla) return { sla: null, fired };
  if (withPeople && sla.priority !== conv.priority) sla = retargetSla(sla, await policy(), conv.priority);
  if (isOpenClock(sla.firstResponse) && conv.status !== 'queued') {
    const replied = await ctx.store.sla.firstAgentReplyAt(conv.workspaceId, conv.id, sla.startedAt);
    if (replied) apply(stopSlaClock(sla, 'firstResponse', replied, 'met'));
  }
  if (!withPeople) {
    const at = laterOf(conv.updatedAt, sla.startedAt);
    const over = conv.status === 'resolved' || conv.status === 'closed';
    apply(stopSlaClock(sla, 'firstResponse', at, 'cancel'));
    apply(stopSlaClock(sla, 'resolution', at, over ? 'met' : 'cancel'));
  }
  return advance(sla, fired, now, policy);
}

async function planTicket(ctx: UseCaseContext, t: Ticket, now: Date): Promise<Plan> {
  const policy = lazyPolicy(ctx, t.workspaceId, 'ticket');
  const over = t.status === 'solved' || t.status === 'closed';
  let sla = t.sla ?? null;
  const fired: SlaFired[] = [];
  const apply = (c: SlaChange) => {
    sla = c.sla;
    fired.push(...c.fired);
  };
  if (!sla) {
    const p = await policy();
    if (over || !p.enabled) return { sla: null, fired };
    sla = startSla(p, new Date(t.createdAt), t.priority);
  }
  if (!over && sla.priority !== t.priority) sla = retargetSla(sla, await policy(), t.priority);
  if (isOpenClock(sla.firstResponse)) {
    const replied = await ctx.store.sla.firstPublicCommentAt(t.id, sla.startedAt);
    if (replied) apply(stopSlaClock(sla, 'firstResponse', replied, 'met'));
  }
  if (over) {
    const at = laterOf(t.solvedAt ?? t.updatedAt, sla.startedAt);
    apply(stopSlaClock(sla, 'firstResponse', at, 'cancel'));
    apply(stopSlaClock(sla, 'resolution', at, 'met'));
  } else if (sla.resolution.at !== null) sla = resumeSlaClock(sla, 'resolution');
  return advance(sla, fired, now, policy);
}

/** Moves open clocks to `now`; with the policy switched off meanwhile, open clocks are let go instead. */
async function advance(sla: SlaClocks, fired: SlaFired[], now: Date, policy: () => Promise<SlaPolicy>): Promise<SlaChange> {
  const moved = advanceSla(sla, now);
  if (moved.fired.length > 0 && !(await policy()).enabled) return { sla: cancelAll(sla, now.toISOString()), fired };
  return { sla: moved.sla, fired: [...fired, ...moved.fired] };
}

function cancelAll(sla: SlaClocks, at: string): SlaClocks {
  let next = sla;
  for (const key of SLA_CLOCKS) next = stopSlaClock(next, key, at, 'cancel').sla;
  return next;
}

function lazyPolicy(ctx: UseCaseContext, workspaceId: string, kind: 'conversation' | 'ticket') {
  let p: Promise<SlaPolicy> | null = null;
  return () => {
    p ??= ctx.store.workspaces.findById(workspaceId).then((ws) => slaPolicy(ws?.settings ?? {}, kind));
    return p;
  };
}

const laterOf = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);

async function save(
  ctx: UseCaseContext,
  target: 'conversation' | 'ticket',
  workspaceId: string,
  id: string,
  expected: SlaClocks | null,
  next: SlaClocks | null,
  records: SlaEventRecord[],
) {
  return ctx.store.transaction(async (tx) => {
    if (!(await tx.sla.saveClocks(target, workspaceId, id, expected, next))) return false;
    await tx.sla.addEvents(records);
    return true;
  });
}

function record(
  ctx: UseCaseContext,
  workspaceId: string,
  of: { conversationId: string | null; ticketId: string | null; assigneeId: string | null },
  priority: SlaClocks['priority'],
  f: SlaFired,
): SlaEventRecord {
  return { id: ctx.ids.next(), workspaceId, ...of, metric: SLA_METRIC[f.clock], kind: f.kind, dueAt: f.dueAt, at: f.at, priority };
}

function announcements(workspaceId: string, records: readonly SlaEventRecord[]): DomainEvent[] {
  return records
    .filter((r) => r.kind !== 'met')
    .map((r) => (r.kind === 'breach' ? { type: 'sla.breached', workspaceId, event: r } : { type: 'sla.warning', workspaceId, event: r }));
}
