import type { ConversationStatus } from '@kefu/protocol';
import { DomainError } from './errors.js';

/** What happened to a conversation. Each transition is named so the trace and events can say why. */
export type ConversationTransition =
  | 'handoff' // the bot (or an external system) asks for a human: bot → queued
  | 'assign' // a member takes ownership
  | 'unassign' // back to the queue, e.g. the agent releases it
  | 'release' // handback to the bot
  | 'resolve'
  | 'close'
  | 'reopen'; // a new customer message on a resolved or closed conversation

/**
 * The one transition table. Anything not listed is rejected with CONVERSATION_INVALID_TRANSITION.
 * `reopen` returns the conversation to the bot: the bot answers again and a person can still be
 * requested; the previous assignee may be offline by now, so it is not silently reassigned.
 */
export const TRANSITIONS: Readonly<Record<ConversationTransition, Partial<Record<ConversationStatus, ConversationStatus>>>> = {
  handoff: { bot: 'queued' },
  assign: { bot: 'assigned', queued: 'assigned', assigned: 'assigned', resolved: 'assigned' },
  unassign: { assigned: 'queued' },
  release: { queued: 'bot', assigned: 'bot' },
  resolve: { bot: 'resolved', queued: 'resolved', assigned: 'resolved' },
  close: { bot: 'closed', queued: 'closed', assigned: 'closed', resolved: 'closed' },
  reopen: { resolved: 'bot', closed: 'bot' },
};

export function nextStatus(from: ConversationStatus, transition: ConversationTransition): ConversationStatus {
  const to = TRANSITIONS[transition][from];
  if (!to) {
    throw new DomainError('CONVERSATION_INVALID_TRANSITION', `cannot ${transition} a conversation that is ${from}`, {
      from,
      transition,
    });
  }
  return to;
}

export function canTransition(from: ConversationStatus, transition: ConversationTransition): boolean {
  return TRANSITIONS[transition][from] !== undefined;
}

/** The transition that moves a conversation to the status an agent picked in the console. */
export function transitionTo(from: ConversationStatus, to: ConversationStatus): ConversationTransition {
  const candidates: ConversationTransition[] = ['assign', 'handoff', 'unassign', 'release', 'resolve', 'close', 'reopen'];
  const found = candidates.find((t) => TRANSITIONS[t][from] === to && !(t === 'assign' && from === to));
  if (!found) {
    throw new DomainError('CONVERSATION_INVALID_TRANSITION', `cannot move a conversation from ${from} to ${to}`, { from, to });
  }
  return found;
}

/** The bot speaks only while it owns the conversation. */
export const botMaySpeak = (status: ConversationStatus) => status === 'bot';
