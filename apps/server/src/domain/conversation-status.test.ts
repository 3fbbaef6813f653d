import type { ConversationStatus } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { botMaySpeak, type ConversationTransition, canTransition, nextStatus, TRANSITIONS, transitionTo } from './conversation-status.js';

const STATUSES: ConversationStatus[] = ['bot', 'queued', 'assigned', 'resolved', 'closed'];

// The full table, written out independently of the implementation: [from, transition, to | null].
const EXPECTED: Array<[ConversationStatus, ConversationTransition, ConversationStatus | null]> = [
  ['bot', 'handoff', 'queued'],
  ['queued', 'handoff', null],
  ['assigned', 'handoff', null],
  ['resolved', 'handoff', null],
  ['closed', 'handoff', null],
  ['bot', 'assign', 'assigned'],
  ['queued', 'assign', 'assigned'],
  ['assigned', 'assign', 'assigned'],
  ['resolved', 'assign', 'assigned'],
  ['closed', 'assign', null],
  ['bot', 'unassign', null],
  ['queued', 'unassign', null],
  ['assigned', 'unassign', 'queued'],
  ['resolved', 'unassign', null],
  ['closed', 'unassign', null],
  ['bot', 'release', null],
  ['queued', 'release', 'bot'],
  ['assigned', 'release', 'bot'],
  ['resolved', 'release', null],
  ['closed', 'release', null],
  ['bot', 'resolve', 'resolved'],
  ['queued', 'resolve', 'resolved'],
  ['assigned', 'resolve', 'resolved'],
  ['resolved', 'resolve', null],
  ['closed', 'resolve', null],
  ['bot', 'close', 'closed'],
  ['queued', 'close', 'closed'],
  ['assigned', 'close', 'closed'],
  ['resolved', 'close', 'closed'],
  ['closed', 'close', null],
  ['bot', 'reopen', null],
  ['queued', 'reopen', null],
  ['assigned', 'reopen', null],
  ['resolved', 'reopen', 'bot'],
  ['closed', 'reopen', 'bot'],
];

describe('conversation state machine', () => {
  it('covers every status × transition pair', () => {
    expect(EXPECTED).toHaveLength(STATUSES.length * Object.keys(TRANSITIONS).length);
  });

  it.each(EXPECTED)('%s --%s--> %s', (from, transition, to) => {
    if (to === null) {
      expect(canTransition(from, transition)).toBe(false);
      expect(() => nextStatus(from, transition)).toThrowError(expect.objectContaining({ code: 'CONVERSATION_INVALID_TRANSITION' }));
    } else {
      expect(canTransition(from, transition)).toBe(true);
      expect(nextStatus(from, transition)).toBe(to);
    }
  });

  it('finds the transition for a status picked in the console', () => {
    expect(transitionTo('bot', 'queued')).toBe('handoff');
    expect(transitionTo('queued', 'assigned')).toBe('assign');
    expect(transitionTo('assigned', 'bot')).toBe('release');
    expect(transitionTo('resolved', 'bot')).toBe('reopen');
    expect(() => transitionTo('closed', 'assigned')).toThrowError(expect.objectContaining({ code: 'CONVERSATION_INVALID_TRANSITION' }));
    expect(() => transitionTo('bot', 'bot')).toThrowError(expect.objectContaining({ code: 'CONVERSATION_INVALID_TRANSITION' }));
  });

  it('lets the bot speak only while it owns the conversation', () => {
    expect(STATUSES.filter(botMaySpeak)).toEqual(['bot']);
  });
});
