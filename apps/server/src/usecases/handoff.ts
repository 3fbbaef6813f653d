import type { HandoffBody, SnoozeBody, TransferBody } from '@kefu/protocol';
import { nextStatus } from '../domain/conversation-status.js';
import type { Conversation, ConversationPriority } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import { fillReply, REPLIES, replyLocaleFor } from '../engine/reply-catalog.js';
import { appendSystemMessage } from './append-message.js';
import type { Principal, UseCaseContext } from './context.js';
import { actorOf, principalMemberId } from './context.js';
import { findVisibleConversation, isSupervisor } from './conversation-access.js';
import { buildHandoffContext } from './handoff-context.js';

const RECENT = 30;

/**
 * Hands a conversation to people on behalf of an agent or an external system (`POST …/handoff`): the
 * bot stops speaking, the conversation joins the queue with the context an agent needs. A conversation
 * already queued takes the new reason and priority; one a person owns, or one that is over, is refused.
 */
export async function requestHandoff(ctx: UseCaseContext, principal: Principal, conversationId: string, body: HandoffBody): Promise<Conversation> {
  const team = body.team ? await ctx.store.teams.findById(principal.workspaceId, body.team) : null;
  if (body.team && !team) throw notFound('team', body.team);
  return ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    if (conv.status !== 'bot' && conv.status !== 'queued') {
      throw new DomainError('CONVERSATION_INVALID_TRANSITION', `cannot hand off a conversation that is ${conv.status}`, {
        from: conv.status,
        transition: 'handoff',
      });
    }
    const now = ctx.clock.now();
    const recent = await ctx.store.messages.recent(conv.workspaceId, conv.id, RECENT);
    const handoff = buildHandoffContext({
      trigger: body.reason,
      by: principal.kind === 'api_key' ? 'api' : 'agent',
      note: body.note ?? null,
      conversation: conv,
      recent,
      now,
    });
    const updated: Conversation = {
      ...conv,
      status: conv.status === 'bot' ? nextStatus(conv.status, 'handoff') : conv.status,
      handoffReason: body.reason,
      handoff,
      priority: (body.priority as ConversationPriority | undefined) ?? conv.priority,
      queuedAt: conv.queuedAt ?? now.toISOString(),
      teamId: team ? team.id : (conv.teamId ?? null),
      updatedAt: now.toISOString(),
    };
    await ctx.store.conversations.update(updated);
    const events: DomainEvent[] = [{ type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status }];
    if (conv.status === 'bot')
      events.unshift({
        type: 'handoff.requested',
        workspaceId: conv.workspaceId,
        conversationId: conv.id,
        reason: body.reason,
        teamId: updated.teamId ?? null,
        actor: actorOf(principal),
      });
    await ctx.bus.publish(events);
    return updated;
  });
}

/** Hands the conversation back to the bot (explicitly): it answers the customer's next message again. */
export async function releaseToBot(ctx: UseCaseContext, principal: Principal, conversationId: string): Promise<Conversation> {
  return ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    assertMayAct(principal, conv);
    const updated: Conversation = {
      ...conv,
      status: nextStatus(conv.status, 'release'),
      assigneeId: null,
      queuedAt: null,
      snoozedUntil: null,
      // The bot serves everyone: a team's restriction ends with the people's part.
      teamId: null,
      updatedAt: ctx.clock.now().toISOString(),
    };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([
      { type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status },
      { type: 'conversation.released', workspaceId: conv.workspaceId, conversationId: conv.id, actor: actorOf(principal) },
    ]);
    return updated;
  });
}

/**
 * Takes a conversation: the caller becomes its one owner. Another agent's conversation is refused
 * with 409 naming the holder (admins and owners take over); claiming one's own is a no-op.
 */
export async function claimConversation(ctx: UseCaseContext, principal: Principal, conversationId: string): Promise<Conversation> {
  const memberId = principalMemberId(principal);
  if (!memberId) throw new DomainError('AUTH_FORBIDDEN', 'only members can own conversations (not API keys)', {});
  return ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    if (conv.status === 'assigned' && conv.assigneeId === memberId) return conv;
    await assertMayActAsync(ctx, principal, conv);
    const updated: Conversation = {
      ...conv,
      status: nextStatus(conv.status, 'assign'),
      assigneeId: memberId,
      queuedAt: conv.queuedAt ?? ctx.clock.now().toISOString(),
      updatedAt: ctx.clock.now().toISOString(),
    };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([
      { type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: conv.status },
      { type: 'conversation.assigned', workspaceId: conv.workspaceId, conversationId: conv.id, assigneeId: memberId, by: 'claim', actor: actorOf(principal) },
    ]);
    return updated;
  });
}

/**
 * Gives a conversation to another agent (who must be online or away: an offline agent would leave the
 * customer waiting unseen) or to a team's queue, where routing picks one of its members. The customer
 * is told where they went — and, when nobody of that team is online, that the conversation waits in
 * the queue. A note travels with it for the next person. Only its owner (or an admin) moves an
 * assigned conversation; a queued one anybody who sees it.
 */
export async function transferConversation(ctx: UseCaseContext, principal: Principal, conversationId: string, body: TransferBody): Promise<Conversation> {
  const { workspaceId } = principal;
  const agent = body.agentId ? await ctx.store.members.findById(workspaceId, body.agentId) : null;
  if (body.agentId && (!agent || agent.disabled || agent.role === 'viewer')) throw notFound('member', body.agentId);
  if (agent && (agent.presence ?? 'offline') === 'offline') {
    throw new DomainError('AGENT_OFFLINE', `${agent.name} is offline; transfer to a team instead so the customer is not left waiting`, {
      agent: { id: agent.id, name: agent.name },
    });
  }
  const team = body.teamId ? await ctx.store.teams.findById(workspaceId, body.teamId) : null;
  if (body.teamId && !team) throw notFound('team', body.teamId);
  const members = team ? await ctx.store.members.list(workspaceId) : [];
  const teamOnline = team ? members.some((m) => team.memberIds.includes(m.id) && !m.disabled && m.presence === 'online') : false;

  const from = await ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    if (conv.status !== 'queued' && conv.status !== 'assigned') {
      throw new DomainError(
        'CONVERSATION_INVALID_TRANSITION',
        conv.status === 'bot' ? 'the bot has this conversation: hand it off (with a team) instead' : `cannot transfer a conversation that is ${conv.status}`,
        { from: conv.status, transition: 'transfer' },
      );
    }
    await assertMayActAsync(ctx, principal, conv);
    if (agent && conv.status === 'assigned' && conv.assigneeId === agent.id) {
      throw new DomainError('CONVERSATION_TRANSFER_INVALID', `${agent.name} already owns this conversation`, { field: 'body.agentId' });
    }
    return conv;
  });
  const now = ctx.clock.now().toISOString();
  const locale = replyLocaleFor(from.language);
  const text = agent
    ? fillReply(REPLIES.transferredToAgent[locale], { name: agent.name })
    : fillReply((teamOnline ? REPLIES.transferredToTeam : REPLIES.transferredToTeamOffline)[locale], { team: team!.name });
  // The move and the customer's notice are one write under the lock; the state is re-checked there.
  const updated = await appendSystemMessage(ctx, workspaceId, conversationId, agent ? 'transferred_to_agent' : 'transferred_to_team', (conv) =>
    conv.status !== from.status || conv.assigneeId !== from.assigneeId || conv.teamId !== from.teamId
      ? null
      : {
          text,
          conversation: {
            ...conv,
            status: agent ? 'assigned' : 'queued',
            assigneeId: agent ? agent.id : null,
            teamId: team ? team.id : (conv.teamId ?? null),
            queuedAt: conv.queuedAt ?? now,
            snoozedUntil: null,
          },
        },
  );
  if (!updated) throw new DomainError('CONVERSATION_CHANGED', 'the conversation changed while transferring it; try again', { id: conversationId });
  if (body.note) await addNote(ctx, principal, updated, body.note);
  const actor = actorOf(principal);
  const events: DomainEvent[] = [
    {
      type: 'conversation.transferred',
      workspaceId,
      conversationId,
      from: { agentId: from.assigneeId, teamId: from.teamId ?? null },
      to: { agentId: updated.assigneeId, teamId: updated.teamId ?? null },
      actor,
      note: body.note ?? null,
    },
  ];
  if (agent) events.push({ type: 'conversation.assigned', workspaceId, conversationId, assigneeId: agent.id, by: 'transfer', actor });
  await ctx.bus.publish(events);
  return updated;
}

/** A note for the next person, written by whoever moved the conversation. */
async function addNote(ctx: UseCaseContext, principal: Principal, conv: Conversation, text: string) {
  const message = {
    id: ctx.ids.next(),
    workspaceId: conv.workspaceId,
    conversationId: conv.id,
    authorType: 'note' as const,
    authorId: principalMemberId(principal),
    text,
    parts: [],
    metadata: { kind: 'transfer_note' },
    clientMessageId: null,
    replyToId: null,
    createdAt: ctx.clock.now().toISOString(),
  };
  await ctx.lock.run(conv.id, async () => {
    const now = (await ctx.store.conversations.findById(conv.workspaceId, conv.id)) ?? conv;
    await ctx.store.appendToConversation({ ...now, updatedAt: message.createdAt }, [message]);
  });
  await ctx.bus.publish([{ type: 'message.created', workspaceId: conv.workspaceId, message }]);
}

const MAX_SNOOZE_MS = 90 * 24 * 3600_000;

/**
 * Snoozes an assigned conversation: out of its owner's inbox (and not counted against their capacity)
 * until the time comes or the customer writes. Only the owner or an admin.
 */
export async function snoozeConversation(ctx: UseCaseContext, principal: Principal, conversationId: string, body: SnoozeBody): Promise<Conversation> {
  const nowMs = ctx.clock.now().getTime();
  const until = body.until ? Date.parse(body.until) : nowMs + body.minutes! * 60_000;
  if (until <= nowMs) throw new DomainError('SNOOZE_INVALID', 'until must be in the future', { field: 'body.until' });
  if (until - nowMs > MAX_SNOOZE_MS) throw new DomainError('SNOOZE_INVALID', 'until must be within 90 days', { field: 'body.until' });
  return ctx.lock.run(conversationId, async () => {
    const conv = await find(ctx, principal, conversationId);
    if (conv.status !== 'assigned') {
      throw new DomainError('CONVERSATION_INVALID_TRANSITION', `only an assigned conversation can be snoozed (this one is ${conv.status})`, {
        from: conv.status,
        transition: 'snooze',
      });
    }
    await assertMayActAsync(ctx, principal, conv);
    const updated: Conversation = { ...conv, snoozedUntil: new Date(until).toISOString(), updatedAt: new Date(nowMs).toISOString() };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([
      { type: 'conversation.updated', workspaceId: conv.workspaceId, conversation: updated, from: null },
      { type: 'conversation.snoozed', workspaceId: conv.workspaceId, conversationId: conv.id, until: updated.snoozedUntil!, actor: actorOf(principal) },
    ]);
    return updated;
  });
}

/** Ends a snooze early (an agent), or when its time has come (the system). No-op when not snoozed. */
export async function wakeConversation(ctx: UseCaseContext, principal: Principal | null, workspaceId: string, conversationId: string): Promise<Conversation> {
  return ctx.lock.run(conversationId, async () => {
    const conv = principal ? await find(ctx, principal, conversationId) : await ctx.store.conversations.findById(workspaceId, conversationId);
    if (!conv) throw notFound('conversation', conversationId);
    if (!conv.snoozedUntil) return conv;
    if (!principal && Date.parse(conv.snoozedUntil) > ctx.clock.now().getTime()) return conv;
    if (principal) await assertMayActAsync(ctx, principal, conv);
    const updated: Conversation = { ...conv, snoozedUntil: null, updatedAt: ctx.clock.now().toISOString() };
    await ctx.store.conversations.update(updated);
    await ctx.bus.publish([
      { type: 'conversation.updated', workspaceId, conversation: updated, from: null },
      {
        type: 'conversation.woke',
        workspaceId,
        conversationId,
        reason: principal ? 'agent' : 'time',
        actor: principal ? actorOf(principal) : { type: 'system', id: null },
      },
    ]);
    return updated;
  });
}

/** Wakes every conversation of the workspace whose snooze has run out. */
export async function wakeDueConversations(ctx: UseCaseContext, workspaceId: string): Promise<number> {
  const due = await ctx.store.conversations.list(workspaceId, { snoozed: { now: ctx.clock.now().toISOString(), state: 'due' }, limit: 100 });
  for (const c of due.items) await wakeConversation(ctx, null, workspaceId, c.id);
  return due.items.length;
}

const find = findVisibleConversation;
const supervisor = (p: Principal) => isSupervisor(p.role);

function assertMayAct(principal: Principal, conv: Conversation) {
  const memberId = principalMemberId(principal);
  if (conv.status === 'assigned' && conv.assigneeId && conv.assigneeId !== memberId && !supervisor(principal)) {
    throw new DomainError('CONVERSATION_ASSIGNED_TO_OTHER', 'another agent owns this conversation', { assigneeId: conv.assigneeId });
  }
}

/**
 * Refuses to let an agent act on a conversation another agent owns (admins and owners may), with 409
 * naming the holder.
 */
export async function assertMayActAsync(ctx: UseCaseContext, principal: Principal, conv: Conversation) {
  try {
    assertMayAct(principal, conv);
  } catch (err) {
    const holder = conv.assigneeId ? await ctx.store.members.findById(conv.workspaceId, conv.assigneeId) : null;
    if (err instanceof DomainError && holder)
      throw new DomainError(err.code, `${holder.name} owns this conversation`, { holder: { id: holder.id, name: holder.name } });
    throw err;
  }
}
