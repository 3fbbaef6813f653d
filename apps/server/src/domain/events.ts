import type { Language, SlaEventKind, SlaMetric } from '@kefu/protocol';
import type { Conversation, ConversationPriority, ImportJob, IntentModelRun, Message, Ticket, TicketComment } from './entities.js';

/**
 * Domain events, named `noun.past_tense`. Use cases collect them during a transaction and the bus
 * publishes them only after the commit, so no listener ever sees a change that was rolled back.
 */
export type DomainEvent =
  | { type: 'conversation.created'; workspaceId: string; conversation: Conversation }
  | { type: 'conversation.updated'; workspaceId: string; conversation: Conversation; from: Conversation['status'] | null }
  | { type: 'message.created'; workspaceId: string; message: Message }
  | { type: 'handoff.requested'; workspaceId: string; conversationId: string; reason: string; teamId?: string | null; actor?: Actor }
  /** The conversation has a new owner: routing gave it, an agent claimed it, or someone transferred it. */
  | { type: 'conversation.assigned'; workspaceId: string; conversationId: string; assigneeId: string; by: 'routing' | 'claim' | 'transfer'; actor: Actor }
  | {
      type: 'conversation.transferred';
      workspaceId: string;
      conversationId: string;
      from: { agentId: string | null; teamId: string | null };
      to: { agentId: string | null; teamId: string | null };
      actor: Actor;
      note: string | null;
    }
  | { type: 'conversation.released'; workspaceId: string; conversationId: string; actor: Actor }
  | { type: 'conversation.snoozed'; workspaceId: string; conversationId: string; until: string; actor: Actor }
  | { type: 'conversation.woke'; workspaceId: string; conversationId: string; reason: 'time' | 'customer' | 'agent'; actor: Actor }
  /** The customer rated the conversation (CSAT, 1–5); rating again replaces the earlier one. */
  | { type: 'conversation.rated'; workspaceId: string; conversationId: string; score: number; comment: string | null; ratedAt: string }
  /** A ticket was opened: by a member, an API key, or the bot (a flow, out of hours). */
  | { type: 'ticket.created'; workspaceId: string; ticket: Ticket; actor: Actor }
  /** A ticket changed (status, priority, assignee, team, subject or due date); `changes` says how. */
  | { type: 'ticket.updated'; workspaceId: string; ticket: Ticket; changes: TicketChanges; actor: Actor }
  /** A comment on a ticket: a public one was also sent to the customer, an internal one is for agents only. */
  | { type: 'ticket.comment_created'; workspaceId: string; ticket: Ticket; comment: TicketComment; actor: Actor }
  /** Teams or their members changed: visibility caches are dropped. */
  | { type: 'teams.changed'; workspaceId: string }
  /** A note @mentioned members (`by`: who wrote it); `mentions` pairs each member with their stored mention. */
  | {
      type: 'mention.created';
      workspaceId: string;
      conversationId: string;
      messageId: string;
      memberIds: string[];
      by: string;
      mentions: { id: string; memberId: string }[];
      excerpt: string;
      createdAt: string;
    }
  /** An SLA clock passed its warning point or its due time (announced once, whichever instance saw it). */
  | { type: 'sla.warning'; workspaceId: string; event: SlaEventRecord }
  | { type: 'sla.breached'; workspaceId: string; event: SlaEventRecord }
  | { type: 'knowledge.changed'; workspaceId: string }
  | { type: 'import.progressed'; workspaceId: string; job: ImportJob }
  /** Intents or their examples changed, or a new model is ready: every instance reloads what it serves. */
  | { type: 'intents.changed'; workspaceId: string }
  | { type: 'flows.changed'; workspaceId: string }
  /** An agent's presence, capacity or skills changed: the queue is routed again. */
  | { type: 'member.routing_changed'; workspaceId: string; memberId: string }
  /** The workspace's settings changed: caches of it are dropped everywhere. */
  | { type: 'workspace.changed'; workspaceId: string }
  | { type: 'intent_model.progressed'; workspaceId: string; run: IntentModelRun }
  /** A generated answer as it streams (nothing stored): `start`, each `delta` in order (`seq`), `end`. */
  | {
      type: 'answer.streamed';
      workspaceId: string;
      conversationId: string;
      answerId: string;
      phase: 'start' | 'delta' | 'end';
      seq: number;
      text: string;
      language?: Language;
      status?: 'done' | 'replaced';
    };

/** The fields a ticket update changed, each with its value before and after. */
export type TicketChanges = { [K in 'status' | 'priority' | 'assigneeId' | 'teamId' | 'subject' | 'dueAt']?: { from: Ticket[K]; to: Ticket[K] } };

/** Who did something: a member, an API key, the bot, or the system (routing, timers). */
export interface Actor {
  type: 'member' | 'api_key' | 'bot' | 'system';
  id: string | null;
}

/** A warning, breach or in-time stop of an SLA clock, as kept in `sla_events`. */
export interface SlaEventRecord {
  id: string;
  workspaceId: string;
  conversationId: string | null;
  ticketId: string | null;
  metric: SlaMetric;
  kind: SlaEventKind;
  dueAt: string;
  at: string;
  assigneeId: string | null;
  priority: ConversationPriority;
}

export type DomainEventType = DomainEvent['type'];
