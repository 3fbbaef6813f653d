import type { WebhookPayload } from '@kefu/protocol';
import { decryptSecret } from '../adapters/auth/secrets.js';
import { sendWebhook } from '../adapters/webhooks/send-webhook.js';
import type { Conversation, Ticket, TicketComment } from '../domain/entities.js';
import type { DomainEvent } from '../domain/events.js';
import { nextWebhookAttempt, type Webhook, type WebhookDelivery, webhookWants } from '../domain/webhooks.js';
import type { Repos } from '../ports/store.js';
import type { UseCaseContext } from './context.js';
import { describeConversation, describeMessages } from './describe-conversations.js';
import { slaDto } from './sla-clocks.js';

/** How long a receiver has to answer. */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/** A claimed delivery whose sender died is tried again after this (well past the timeout). */
const CLAIM_LEASE_MS = 60_000;
const SWEEP_BATCH = 50;

/**
 * The webhook deliveries an event makes: one per enabled webhook of the workspace that subscribes to
 * its type, each with the body fixed now (the same on every retry and redelivery). Nothing (and no
 * query for DTOs) when no webhook wants it.
 */
export async function enqueueWebhookEvent(ctx: UseCaseContext, e: DomainEvent, webhooks: readonly Webhook[]): Promise<WebhookDelivery[]> {
  const type = webhookTypeOf(e);
  if (!type) return [];
  const byNameOnly = namedSubscribersOnly(e);
  const targets = webhooks.filter((w) => webhookWants(w, type) && (!byNameOnly || w.events.includes(type)));
  if (targets.length === 0) return [];
  const data = await webhookData(ctx.store, e);
  if (data === null) return [];
  const now = ctx.clock.now().toISOString();
  const deliveries = targets.map((w) => newDelivery(ctx, w, type, data, now));
  await ctx.store.webhooks.insertDeliveries(deliveries);
  return deliveries;
}

export function newDelivery(ctx: UseCaseContext, w: Webhook, type: WebhookPayload['type'], data: unknown, now: string): WebhookDelivery {
  const id = ctx.ids.next();
  const payload: WebhookPayload = { id, type, createdAt: now, workspaceId: w.workspaceId, data };
  return {
    id,
    webhookId: w.id,
    workspaceId: w.workspaceId,
    eventType: type,
    payload: JSON.stringify(payload),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastStatusCode: null,
    lastError: null,
    createdAt: now,
    deliveredAt: null,
  };
}

/** Sends every delivery due now (claimed one by one, so several instances never send one twice at once); returns how many were sent. */
export async function sweepWebhookDeliveries(ctx: UseCaseContext): Promise<number> {
  const due = await ctx.store.webhooks.dueDeliveries(ctx.clock.now().toISOString(), SWEEP_BATCH);
  const sent = await Promise.all(due.map((d) => attemptDelivery(ctx, d)));
  return sent.filter(Boolean).length;
}

/** One attempt of a due delivery, if this caller claims it. Returns whether it was attempted. */
export async function attemptDelivery(ctx: UseCaseContext, d: WebhookDelivery): Promise<boolean> {
  const nowMs = ctx.clock.now().getTime();
  if (!(await ctx.store.webhooks.claimDelivery(d.id, new Date(nowMs).toISOString(), new Date(nowMs + CLAIM_LEASE_MS).toISOString()))) return false;
  const webhook = await ctx.store.webhooks.find(d.workspaceId, d.webhookId);
  const attempts = d.attempts + 1;
  let outcome: { ok: boolean; status: number | null; error: string | null };
  if (!webhook) outcome = { ok: false, status: null, error: 'webhook deleted' };
  else {
    let secret: string | null = null;
    try {
      secret = decryptSecret(webhook.secret, ctx.config.appSecret);
    } catch {
      ctx.log.error({ workspaceId: d.workspaceId, webhookId: d.webhookId }, 'webhook secret cannot be decrypted (APP_SECRET changed?)');
    }
    outcome = secret
      ? await sendWebhook({
          url: webhook.url,
          secret,
          deliveryId: d.id,
          eventType: d.eventType,
          body: d.payload,
          timestamp: Math.floor(ctx.clock.now().getTime() / 1000),
          timeoutMs: WEBHOOK_TIMEOUT_MS,
        })
      : { ok: false, status: null, error: 'secret unreadable: set a new secret' };
  }
  const at = ctx.clock.now();
  const retryAt = outcome.ok || !webhook ? null : nextWebhookAttempt(attempts, at.getTime());
  await ctx.store.webhooks.saveDelivery({
    ...d,
    status: outcome.ok ? 'delivered' : retryAt ? 'pending' : 'failed',
    attempts,
    nextAttemptAt: retryAt,
    lastStatusCode: outcome.status,
    lastError: outcome.error,
    deliveredAt: outcome.ok ? at.toISOString() : d.deliveredAt,
  });
  ctx.log.info(
    { workspaceId: d.workspaceId, webhookId: d.webhookId, deliveryId: d.id, event: d.eventType, ok: outcome.ok, status: outcome.status, attempts },
    'webhook attempted',
  );
  return true;
}

/** The webhook event type of a domain event, or null: not sent to webhooks. */
export function webhookTypeOf(e: DomainEvent): WebhookPayload['type'] | null {
  switch (e.type) {
    case 'message.created':
      return e.message.authorType === 'note' ? 'note.created' : 'message.created';
    case 'conversation.created':
    case 'conversation.updated':
    case 'handoff.requested':
    case 'conversation.assigned':
    case 'conversation.transferred':
    case 'conversation.rated':
    case 'sla.warning':
    case 'sla.breached':
    case 'ticket.created':
    case 'ticket.updated':
    case 'ticket.comment_created':
      return e.type;
    default:
      return null;
  }
}

/**
 * Events that only webhooks naming their type receive, not `*` ones: an internal ticket comment is,
 * like a note (`note.created`, kept out of `*` by its type), what agents write for each other.
 */
function namedSubscribersOnly(e: DomainEvent): boolean {
  return e.type === 'ticket.comment_created' && !e.comment.public;
}

/**
 * The conversation as the REST API shows it, plus what a gateway needs to route a reply: the channel
 * and the contact's `externalId` (the app's own user id for the generic channel).
 */
async function conversationData(repos: Repos, c: Conversation) {
  const dto = await describeConversation(repos, c);
  const contact = await repos.contacts.findById(c.workspaceId, c.contactId);
  return { ...dto, contact: { ...dto.contact, externalId: contact?.externalId ?? null } };
}

async function conversationById(repos: Repos, workspaceId: string, id: string | null) {
  const c = id ? await repos.conversations.findById(workspaceId, id) : null;
  return c ? conversationData(repos, c) : null;
}

async function webhookData(repos: Repos, e: DomainEvent): Promise<unknown> {
  switch (e.type) {
    case 'message.created': {
      const [message] = await describeMessages(repos, e.workspaceId, [e.message]);
      if (!message) return null;
      // The bot's trace (scores, other candidates) is for the console, not for other systems.
      const { trace: _trace, ...metadata } = message.metadata as Record<string, unknown>;
      return { message: { ...message, metadata }, conversation: await conversationById(repos, e.workspaceId, e.message.conversationId) };
    }
    case 'conversation.created':
      return { conversation: await conversationData(repos, e.conversation) };
    case 'conversation.updated':
      return { conversation: await conversationData(repos, e.conversation), previousStatus: e.from };
    case 'handoff.requested':
      return {
        reason: e.reason,
        teamId: e.teamId ?? null,
        actor: e.actor ?? { type: 'bot', id: null },
        conversation: await conversationById(repos, e.workspaceId, e.conversationId),
      };
    case 'conversation.assigned':
      return { assigneeId: e.assigneeId, by: e.by, actor: e.actor, conversation: await conversationById(repos, e.workspaceId, e.conversationId) };
    case 'conversation.transferred':
      return { from: e.from, to: e.to, note: e.note, actor: e.actor, conversation: await conversationById(repos, e.workspaceId, e.conversationId) };
    case 'sla.warning':
    case 'sla.breached': {
      const { workspaceId: _w, ...event } = e.event;
      return { sla: event, conversation: await conversationById(repos, e.workspaceId, e.event.conversationId) };
    }
    case 'conversation.rated':
      return {
        // The conversation may be gone by now (deleted with its workspace data): the id still says which.
        conversation: (await conversationById(repos, e.workspaceId, e.conversationId)) ?? { id: e.conversationId },
        rating: { score: e.score, comment: e.comment, ratedAt: e.ratedAt },
      };
    case 'ticket.created':
      return { ticket: await ticketData(repos, e.ticket), actor: e.actor };
    case 'ticket.updated':
      return { ticket: await ticketData(repos, e.ticket), changes: e.changes, actor: e.actor };
    case 'ticket.comment_created':
      return { ticket: await ticketData(repos, e.ticket), comment: await commentData(repos, e.workspaceId, e.comment), actor: e.actor };
    default:
      return null;
  }
}

/** A ticket as `GET /v1/tickets/:id` shows it, without its comments. */
async function ticketData(repos: Repos, t: Ticket) {
  const { workspaceId, assigneeId, teamId, sla, ...rest } = t;
  const [assignee, team] = await Promise.all([
    assigneeId ? repos.members.findById(workspaceId, assigneeId) : null,
    teamId ? repos.teams.findById(workspaceId, teamId) : null,
  ]);
  return {
    ...rest,
    assignee: assigneeId ? { id: assigneeId, name: assignee?.name ?? '' } : null,
    team: teamId ? { id: teamId, name: team?.name ?? '' } : null,
    sla: slaDto(sla),
  };
}

/** A ticket comment as the ticket's `comments` list shows it. */
async function commentData(repos: Repos, workspaceId: string, c: TicketComment) {
  const author = c.authorId ? await repos.members.findById(workspaceId, c.authorId) : null;
  return { id: c.id, author: { type: c.authorType, id: c.authorId, name: author?.name ?? null }, body: c.body, public: c.public, createdAt: c.createdAt };
}
