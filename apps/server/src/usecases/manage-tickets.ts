import type { CreateTicketBody, UpdateTicketBody } from '@kefu/protocol';
import type { ConversationPriority, Ticket, TicketComment, TicketStatus } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Actor, TicketChanges } from '../domain/events.js';
import { fillReply, REPLIES, replyLocaleFor, TICKET_STATUS_NAMES } from '../engine/reply-catalog.js';
import type { TicketListQuery } from '../ports/store.js';
import { appendSystemMessage } from './append-message.js';
import type { Principal, UseCaseContext } from './context.js';
import { actorOf, principalMemberId } from './context.js';
import { accessScope, canSee, findVisibleConversation } from './conversation-access.js';
import { syncTicketSla } from './sla-clocks.js';

/** Who opens or changes a ticket: a member or API key, or the bot (a flow, out of hours). */
export type TicketActor = { kind: 'principal'; principal: Principal } | { kind: 'bot'; workspaceId: string };

const workspaceOf = (a: TicketActor) => (a.kind === 'bot' ? a.workspaceId : a.principal.workspaceId);
const eventActor = (a: TicketActor): Actor => (a.kind === 'bot' ? { type: 'bot', id: null } : actorOf(a.principal));

/** The fields an update may change, compared to tell listeners (webhooks) what changed. */
const TRACKED = ['status', 'priority', 'assigneeId', 'teamId', 'subject', 'dueAt'] as const;

function ticketChanges(before: Ticket, after: Ticket): TicketChanges {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of TRACKED) if (before[k] !== after[k]) changes[k] = { from: before[k], to: after[k] };
  return changes as TicketChanges;
}

/**
 * Opens a ticket, numbered per workspace. Linked to a conversation, it takes the conversation's contact
 * and team, and the customer is told in the conversation (in their language). An agent may link only
 * a conversation they can see.
 */
export async function createTicket(ctx: UseCaseContext, actor: TicketActor, input: CreateTicketBody): Promise<Ticket> {
  const workspaceId = workspaceOf(actor);
  const conv = !input.conversationId
    ? null
    : actor.kind === 'principal'
      ? await findVisibleConversation(ctx, actor.principal, input.conversationId)
      : await ctx.store.conversations.findById(workspaceId, input.conversationId);
  if (input.conversationId && !conv) throw notFound('conversation', input.conversationId);
  if (input.assigneeId) await memberOf(ctx, workspaceId, input.assigneeId);
  if (input.teamId) await teamOf(ctx, workspaceId, input.teamId);
  const now = ctx.clock.now().toISOString();
  const ticket = await ctx.store.tickets.create({
    id: ctx.ids.next(),
    workspaceId,
    subject: input.subject,
    description: input.description ?? '',
    status: input.assigneeId ? 'open' : 'new',
    priority: (input.priority as ConversationPriority | undefined) ?? conv?.priority ?? 'normal',
    assigneeId: input.assigneeId ?? null,
    teamId: input.teamId !== undefined ? input.teamId : (conv?.teamId ?? null),
    contactId: conv?.contactId ?? null,
    conversationId: conv?.id ?? null,
    source: actor.kind === 'bot' ? 'bot' : actor.principal.kind === 'api_key' ? 'api' : 'agent',
    dueAt: input.dueAt ? new Date(input.dueAt).toISOString() : null,
    solvedAt: null,
    createdAt: now,
    updatedAt: now,
  });
  if (conv)
    await tellCustomer(ctx, conv.id, workspaceId, (locale) => fillReply(REPLIES.ticketCreated[locale], { number: ticket.number, subject: ticket.subject }));
  const synced = await syncTicketSla(ctx, ticket);
  await ctx.bus.publish([{ type: 'ticket.created', workspaceId, ticket: synced, actor: eventActor(actor) }]);
  return synced;
}

export async function getTicket(ctx: UseCaseContext, p: Principal, id: string): Promise<{ ticket: Ticket; comments: TicketComment[] }> {
  const ticket = await findVisibleTicket(ctx, p, id);
  return { ticket, comments: await ctx.store.tickets.comments(ticket.id) };
}

type ListInput = Omit<TicketListQuery, 'assigneeId' | 'teamId' | 'visibleTo'> & { assignee?: string | undefined; team?: string | undefined };

/**
 * The tickets the caller may see, most recently updated first. Naming a team an agent does not belong
 * to answers 404 like a team that does not exist.
 */
export async function listTickets(ctx: UseCaseContext, p: Principal, q: ListInput) {
  const scope = await accessScope(ctx, p);
  const assigneeId = q.assignee === 'me' ? (principalMemberId(p) ?? '-') : q.assignee === 'none' ? null : q.assignee;
  if (q.team && q.team !== 'none') {
    await teamOf(ctx, p.workspaceId, q.team, 'query.team');
    if (scope && !scope.teamIds.includes(q.team)) throw notFound('team', q.team);
  }
  const teamId = q.team === 'none' ? null : q.team;
  return ctx.store.tickets.list(p.workspaceId, {
    limit: q.limit,
    ...(scope ? { visibleTo: scope } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.conversationId ? { conversationId: q.conversationId } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    ...(assigneeId !== undefined ? { assigneeId } : {}),
    ...(teamId !== undefined ? { teamId } : {}),
  });
}

/**
 * Changes a ticket. A closed ticket stays closed (409 TICKET_CLOSED); solving stamps `solvedAt`,
 * reopening clears it. A status change is told to the customer of the linked conversation.
 */
export async function updateTicket(ctx: UseCaseContext, p: Principal, id: string, body: UpdateTicketBody): Promise<Ticket> {
  const ticket = await findVisibleTicket(ctx, p, id);
  if (ticket.status === 'closed') throw new DomainError('TICKET_CLOSED', `ticket #${ticket.number} is closed`, { number: ticket.number });
  if (body.assigneeId) await memberOf(ctx, p.workspaceId, body.assigneeId);
  if (body.teamId) await teamOf(ctx, p.workspaceId, body.teamId);
  const now = ctx.clock.now().toISOString();
  const status: TicketStatus = body.status ?? (body.assigneeId && ticket.status === 'new' ? 'open' : ticket.status);
  const updated: Ticket = {
    ...ticket,
    ...(body.subject !== undefined ? { subject: body.subject } : {}),
    ...(body.priority !== undefined ? { priority: body.priority as ConversationPriority } : {}),
    ...(body.assigneeId !== undefined ? { assigneeId: body.assigneeId } : {}),
    ...(body.teamId !== undefined ? { teamId: body.teamId } : {}),
    ...(body.dueAt !== undefined ? { dueAt: body.dueAt ? new Date(body.dueAt).toISOString() : null } : {}),
    status,
    solvedAt: status === 'solved' || status === 'closed' ? (ticket.solvedAt ?? now) : null,
    updatedAt: now,
  };
  await ctx.store.tickets.update(updated);
  if (status !== ticket.status) {
    await ctx.store.tickets.addComment(systemComment(ctx, ticket.id, `${ticket.status} → ${status}`, now));
    if (ticket.conversationId) {
      await tellCustomer(ctx, ticket.conversationId, p.workspaceId, (locale) =>
        fillReply(REPLIES.ticketStatus[locale], { number: ticket.number, status: TICKET_STATUS_NAMES[status][locale] }),
      );
    }
  }
  const synced = await syncTicketSla(ctx, updated);
  const changes = ticketChanges(ticket, updated);
  // A PATCH that changed nothing tells nobody.
  if (Object.keys(changes).length > 0)
    await ctx.bus.publish([{ type: 'ticket.updated', workspaceId: p.workspaceId, ticket: synced, changes, actor: actorOf(p) }]);
  return synced;
}

/** Adds a comment; a public one is also sent to the customer in the linked conversation. */
export async function commentOnTicket(ctx: UseCaseContext, p: Principal, id: string, body: { body: string; public: boolean }): Promise<TicketComment> {
  const ticket = await findVisibleTicket(ctx, p, id);
  if (ticket.status === 'closed') throw new DomainError('TICKET_CLOSED', `ticket #${ticket.number} is closed`, { number: ticket.number });
  const now = ctx.clock.now().toISOString();
  const comment: TicketComment = {
    id: ctx.ids.next(),
    ticketId: ticket.id,
    authorType: 'agent',
    authorId: principalMemberId(p),
    body: body.body,
    public: body.public,
    createdAt: now,
  };
  await ctx.store.tickets.addComment(comment);
  await ctx.store.tickets.update({ ...ticket, updatedAt: now });
  if (body.public && ticket.conversationId) {
    await tellCustomer(ctx, ticket.conversationId, p.workspaceId, (locale) =>
      fillReply(REPLIES.ticketComment[locale], { number: ticket.number, body: body.body }),
    );
  }
  // A public reply is the ticket's first response.
  const current = body.public ? await syncTicketSla(ctx, { ...ticket, updatedAt: now }) : { ...ticket, updatedAt: now };
  await ctx.bus.publish([{ type: 'ticket.comment_created', workspaceId: p.workspaceId, ticket: current, comment, actor: actorOf(p) }]);
  return comment;
}

const systemComment = (ctx: UseCaseContext, ticketId: string, body: string, at: string): TicketComment => ({
  id: ctx.ids.next(),
  ticketId,
  authorType: 'system',
  authorId: null,
  body,
  public: false,
  createdAt: at,
});

/** The ticket if the caller may see it (like conversations: no team, their teams, or assigned to them); 404 otherwise. */
async function findVisibleTicket(ctx: UseCaseContext, p: Principal, id: string): Promise<Ticket> {
  const ticket = await ctx.store.tickets.find(p.workspaceId, id);
  if (!ticket || !canSee(await accessScope(ctx, p), ticket)) throw notFound('ticket', id);
  return ticket;
}

async function teamOf(ctx: UseCaseContext, workspaceId: string, teamId: string, field = 'body.teamId') {
  const team = await ctx.store.teams.findById(workspaceId, teamId);
  if (!team) throw new DomainError('TEAM_NOT_FOUND', 'team not found', { id: teamId, field });
  return team;
}

async function memberOf(ctx: UseCaseContext, workspaceId: string, memberId: string) {
  const m = await ctx.store.members.findById(workspaceId, memberId);
  if (!m || m.disabled) throw new DomainError('MEMBER_NOT_FOUND', 'member not found', { id: memberId, field: 'body.assigneeId' });
  return m;
}

/** Tells the customer of the linked conversation, in their language. */
function tellCustomer(ctx: UseCaseContext, conversationId: string, workspaceId: string, text: (locale: ReturnType<typeof replyLocaleFor>) => string) {
  return appendSystemMessage(ctx, workspaceId, conversationId, 'ticket', (conv) => ({ text: text(replyLocaleFor(conv.language)) }));
}
