import type { Conversation, Member } from '../domain/entities.js';
import { fillReply, REPLIES, replyLocaleFor } from '../engine/reply-catalog.js';
import { type Assignment, assignQueue, expectedWaitMs, type QueuedConversation, queuePosition, type RoutingAgent } from '../routing/route-queue.js';
import { appendSystemMessage } from './append-message.js';
import type { UseCaseContext } from './context.js';

/** Without measured handling times: a typical chat takes this long. */
const DEFAULT_HANDLE_MS = 5 * 60_000;
/** More open conversations than this in one workspace: the longest waiting are routed, the rest next pass. */
const MAX_OPEN = 10_000;

/** The workspace's queue and roster as the routing engine reads them (from the store: safe with several instances). */
async function snapshot(ctx: UseCaseContext, workspaceId: string) {
  // Only the columns routing reads, longest waiting first: a pass over 1,000 waiting stays a few ms.
  const open = await ctx.store.conversations.listOpenForRouting(workspaceId, MAX_OPEN);
  const now = ctx.clock.now().toISOString();
  const active = new Map<string, number>();
  // A snoozed conversation waits on the customer, not on its agent: it takes no room.
  for (const c of open)
    if (c.status === 'assigned' && c.assigneeId && !(c.snoozedUntil && c.snoozedUntil > now)) active.set(c.assigneeId, (active.get(c.assigneeId) ?? 0) + 1);
  const members = (await ctx.store.members.list(workspaceId)).filter((m) => !m.disabled && m.role !== 'viewer');
  const teams = await ctx.store.teams.list(workspaceId);
  const teamsOf = (memberId: string) => teams.filter((t) => t.memberIds.includes(memberId)).map((t) => t.id);
  const agents: RoutingAgent[] = members.map((m) => ({
    id: m.id,
    teamIds: teamsOf(m.id),
    skills: m.skills ?? [],
    capacity: m.capacity ?? 5,
    active: active.get(m.id) ?? 0,
    presence: m.presence ?? 'offline',
    lastAssignedAt: m.lastAssignedAt ? Date.parse(m.lastAssignedAt) : null,
  }));
  const queue: QueuedConversation[] = open
    .filter((c) => c.status === 'queued' && !c.assigneeId)
    .map((c) => ({
      id: c.id,
      // A team's conversation goes only to its members.
      teamId: c.teamId ?? null,
      priority: c.priority,
      queuedAt: Date.parse(c.queuedAt ?? c.updatedAt),
      skills: [],
      // Someone who speaks the customer's language is preferred by skill-based routing.
      ...(c.language ? { preferredSkills: [`lang:${c.language}`] } : {}),
    }));
  return { members, agents, queue };
}

/**
 * Gives queued conversations to online agents with room, by the workspace's strategy (least busy by
 * default), highest priority and longest waiting first. Each assignment re-checks the conversation under
 * its lock, so a customer writing or an agent claiming meanwhile is never overridden. Returns what was
 * assigned. Off when `settings.routing.autoAssign` is false.
 */
export async function routeQueued(ctx: UseCaseContext, workspaceId: string): Promise<Assignment[]> {
  const ws = await ctx.store.workspaces.findById(workspaceId);
  if (!ws || ws.settings.routing?.autoAssign === false) return [];
  return ctx.lock.run(`route:${workspaceId}`, async () => {
    const { members, agents, queue } = await snapshot(ctx, workspaceId);
    if (queue.length === 0 || !agents.some((a) => a.presence === 'online' && a.active < a.capacity)) return [];
    const plan = assignQueue(queue, agents, ws.settings.routing?.strategy ?? 'least_busy', ctx.clock.now().getTime());
    const done: Assignment[] = [];
    for (const a of plan) {
      const member = members.find((m) => m.id === a.agentId)!;
      if (await assignQueued(ctx, workspaceId, a.conversationId, member)) done.push(a);
    }
    return done;
  });
}

/** Assigns one queued conversation to an agent and tells the customer who joined. False when it is no longer queued. */
async function assignQueued(ctx: UseCaseContext, workspaceId: string, conversationId: string, member: Member): Promise<boolean> {
  const now = ctx.clock.now().toISOString();
  const assigned = await appendSystemMessage(ctx, workspaceId, conversationId, 'agent_joined', (conv) =>
    conv.status !== 'queued' || conv.assigneeId
      ? null
      : {
          text: fillReply(REPLIES.agentJoined[replyLocaleFor(conv.language)], { name: member.name }),
          conversation: { ...conv, status: 'assigned', assigneeId: member.id, updatedAt: now },
        },
  );
  if (assigned) {
    await ctx.store.members.update({ ...member, lastAssignedAt: now });
    await ctx.bus.publish([
      { type: 'conversation.assigned', workspaceId, conversationId, assigneeId: member.id, by: 'routing', actor: { type: 'system', id: null } },
    ]);
  }
  return assigned !== null;
}

/** Tells a customer who just joined the queue where they are and about how long it takes. */
export async function tellQueuePosition(ctx: UseCaseContext, workspaceId: string, conversationId: string): Promise<void> {
  const { agents, queue } = await snapshot(ctx, workspaceId);
  const now = ctx.clock.now().getTime();
  const position = queuePosition(queue, conversationId, now, { agents });
  if (position === null) return;
  // Only the agents who may take it (a team's members, for a team's conversation) shorten the wait.
  const teamId = queue.find((c) => c.id === conversationId)?.teamId ?? null;
  const onlineCapacity = agents.filter((a) => a.presence === 'online' && (teamId === null || a.teamIds.includes(teamId))).reduce((n, a) => n + a.capacity, 0);
  const wait = onlineCapacity > 0 ? expectedWaitMs(position, { averageHandleMs: DEFAULT_HANDLE_MS, onlineCapacity }) : null;
  await appendSystemMessage(ctx, workspaceId, conversationId, 'queue_position', (conv) => {
    if (conv.status !== 'queued') return null;
    const locale = replyLocaleFor(conv.language);
    return {
      text:
        wait === null
          ? fillReply(REPLIES.queueNoAgents[locale], { position })
          : fillReply(REPLIES.queuePosition[locale], { position, minutes: Math.max(1, Math.round(wait / 60_000)) }),
    };
  });
}

/**
 * An agent went offline: their open conversations go back to the queue (keeping their place), and the
 * customers are not told anything new until someone joins.
 */
export async function requeueAgent(ctx: UseCaseContext, workspaceId: string, memberId: string): Promise<number> {
  const mine = await ctx.store.conversations.list(workspaceId, { status: ['assigned'], assigneeId: memberId, limit: 100 });
  let n = 0;
  for (const c of mine.items) {
    const moved = await ctx.lock.run(c.id, async () => {
      const conv = await ctx.store.conversations.findById(workspaceId, c.id);
      if (conv?.status !== 'assigned' || conv.assigneeId !== memberId) return false;
      const updated: Conversation = {
        ...conv,
        status: 'queued',
        assigneeId: null,
        queuedAt: conv.queuedAt ?? conv.updatedAt,
        updatedAt: ctx.clock.now().toISOString(),
      };
      await ctx.store.conversations.update(updated);
      await ctx.bus.publish([{ type: 'conversation.updated', workspaceId, conversation: updated, from: conv.status }]);
      return true;
    });
    if (moved) n++;
  }
  return n;
}
