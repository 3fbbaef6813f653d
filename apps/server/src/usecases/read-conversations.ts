import type { ConversationStatus, InboxCounts, ListConversationEventsQuery, ListConversationsQuery, ListMessagesQuery } from '@kefu/protocol';
import { notFound } from '../domain/errors.js';
import type { ConversationFilter } from '../ports/store.js';
import type { Principal, UseCaseContext } from './context.js';
import { principalMemberId } from './context.js';
import { type AccessScope, accessScope, canSee, findVisibleConversation } from './conversation-access.js';
import { describeConversation, describeConversations, describeMessages } from './describe-conversations.js';

const OPEN: ConversationStatus[] = ['queued', 'assigned'];

/**
 * The filter behind an inbox view, for the caller: `mine` assigned to them and awake, `snoozed` theirs
 * snoozed, `unassigned` waiting in a queue they may take from, `team` open in `teamIds`, `all` open
 * ones they may see. Agents never see another team's conversations (admins see everything).
 */
function viewFilter(view: ListConversationsQuery['view'], me: string, scope: AccessScope, teamIds: string[] | undefined, now: string): ConversationFilter {
  const visible: ConversationFilter = { ...(scope ? { visibleTo: scope } : {}), ...(teamIds ? { teamIds } : {}) };
  switch (view) {
    case 'mine':
      return { ...visible, status: ['assigned'], assigneeId: me, snoozed: { now, state: 'awake' } };
    case 'snoozed':
      return { ...visible, status: ['assigned'], assigneeId: me, snoozed: { now, state: 'snoozed' } };
    case 'unassigned':
      return { ...visible, status: ['queued'], assigneeId: null };
    case 'team':
      return { ...visible, status: OPEN, teamIds: teamIds ?? [] };
    case 'all':
      return { ...visible, status: OPEN };
    default:
      return visible;
  }
}

/**
 * The teams a request is about: the one named (which an agent must belong to: another team's queue
 * answers 404 like one that does not exist), else for the `team` view the caller's teams (an admin's:
 * all of them), else none.
 */
async function teamsOf(ctx: UseCaseContext, p: Principal, scope: AccessScope, view: ListConversationsQuery['view'], team: string | undefined) {
  if (team) {
    const known = await ctx.store.teams.findById(p.workspaceId, team);
    if (!known || (scope && !scope.teamIds.includes(team))) throw notFound('team', team);
    return [team];
  }
  if (view !== 'team') return undefined;
  return scope ? scope.teamIds : (await ctx.store.teams.list(p.workspaceId)).map((t) => t.id);
}

export async function listConversations(ctx: UseCaseContext, p: Principal, q: ListConversationsQuery) {
  const scope = await accessScope(ctx, p);
  const me = principalMemberId(p) ?? '';
  const teamIds = await teamsOf(ctx, p, scope, q.view, q.team);
  const base = viewFilter(q.view, me, scope, teamIds, ctx.clock.now().toISOString());
  const assigneeId = q.assignee === 'me' ? me : q.assignee === 'none' ? null : q.assignee;
  const page = await ctx.store.conversations.list(p.workspaceId, {
    ...base,
    limit: q.limit,
    ...(q.status ? { status: q.status } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    ...(assigneeId !== undefined ? { assigneeId } : {}),
    ...(q.sla ? { sla: q.sla } : {}),
  });
  return { items: await describeConversations(ctx.store, p.workspaceId, page.items), nextCursor: page.nextCursor };
}

/** How many conversations each view holds for the caller, and how many are open and waiting per team of theirs. */
export async function inboxCounts(ctx: UseCaseContext, p: Principal): Promise<InboxCounts> {
  const scope = await accessScope(ctx, p);
  const me = principalMemberId(p) ?? '';
  const now = ctx.clock.now().toISOString();
  const allTeams = await ctx.store.teams.list(p.workspaceId);
  const myTeams = scope ? allTeams.filter((t) => scope.teamIds.includes(t.id)) : allTeams;
  const teamIds = myTeams.map((t) => t.id);
  const count = (f: ConversationFilter) => ctx.store.conversations.count(p.workspaceId, f);
  const [mine, snoozed, unassigned, team, all, perTeam] = await Promise.all([
    count(viewFilter('mine', me, scope, undefined, now)),
    count(viewFilter('snoozed', me, scope, undefined, now)),
    count(viewFilter('unassigned', me, scope, undefined, now)),
    count(viewFilter('team', me, scope, teamIds, now)),
    count(viewFilter('all', me, scope, undefined, now)),
    Promise.all(
      myTeams.map(async (t) => ({
        id: t.id,
        name: t.name,
        open: await count({ status: OPEN, teamIds: [t.id] }),
        waiting: await count({ status: ['queued'], teamIds: [t.id] }),
      })),
    ),
  ]);
  return { mine, snoozed, unassigned, team, all, teams: perTeam };
}

export async function getConversation(ctx: UseCaseContext, p: Principal, id: string) {
  return describeConversation(ctx.store, await findVisibleConversation(ctx, p, id));
}

/** For the visitor API: their one conversation (the token already names it). */
export async function getVisitorConversation(ctx: UseCaseContext, workspaceId: string, id: string) {
  const conv = await ctx.store.conversations.findById(workspaceId, id);
  if (!conv) throw notFound('conversation', id);
  return describeConversation(ctx.store, conv);
}

/** Agents see internal notes; visitors never do. `p` null: the visitor API (their token names the conversation). */
export async function listMessages(
  ctx: UseCaseContext,
  p: Principal | null,
  workspaceId: string,
  conversationId: string,
  q: ListMessagesQuery,
  includeNotes: boolean,
) {
  const conv = p ? await findVisibleConversation(ctx, p, conversationId) : await ctx.store.conversations.findById(workspaceId, conversationId);
  if (!conv) throw notFound('conversation', conversationId);
  const page = await ctx.store.messages.list(workspaceId, conversationId, { limit: q.limit, includeNotes, ...(q.cursor ? { cursor: q.cursor } : {}) });
  return { items: await describeMessages(ctx.store, workspaceId, page.items), nextCursor: page.nextCursor };
}

/** A conversation's ownership history (hand-offs, assignments, transfers, snoozes, SLA), oldest first. */
export async function listConversationEvents(ctx: UseCaseContext, p: Principal, conversationId: string | null, q: ListConversationEventsQuery) {
  if (conversationId) await findVisibleConversation(ctx, p, conversationId);
  const scope = conversationId ? null : await accessScope(ctx, p);
  const page = await ctx.store.conversationEvents.list(p.workspaceId, {
    limit: q.limit,
    ...(conversationId ? { conversationId } : {}),
    ...(q.type?.length ? { types: q.type } : {}),
    ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  // The workspace-wide feed leaves out what an agent may not see.
  let items = page.items;
  if (scope) {
    const ids = [...new Set(items.map((e) => e.conversationId))];
    const convs = await Promise.all(ids.map((id) => ctx.store.conversations.findById(p.workspaceId, id)));
    const visible = new Set(convs.filter((c) => c && canSee(scope, c)).map((c) => c!.id));
    items = items.filter((e) => visible.has(e.conversationId));
  }
  const names = new Map((await ctx.store.members.list(p.workspaceId)).map((m) => [m.id, m.name]));
  return {
    items: items.map((e) => ({
      id: e.id,
      conversationId: e.conversationId,
      type: e.type,
      actor: { ...e.actor, name: e.actor.type === 'member' && e.actor.id ? (names.get(e.actor.id) ?? null) : null },
      data: e.data,
      at: e.at,
    })),
    nextCursor: page.nextCursor,
  };
}
