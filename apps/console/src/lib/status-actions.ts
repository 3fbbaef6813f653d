import type { ConversationStatus } from '@kefu/protocol';

export type StatusAction = 'takeOver' | 'queue' | 'handBack' | 'resolve' | 'close';

/**
 * What each console action asks the server for. `takeOver` goes through POST …/claim (one owner,
 * 409 naming the holder; see ownership.ts) and `handBack` through POST …/release while people have
 * the conversation; the others, and reopening a finished conversation to the bot, PATCH the status.
 */
export const ACTION_TARGET: Record<StatusAction, ConversationStatus> = {
  takeOver: 'assigned',
  queue: 'queued',
  handBack: 'bot',
  resolve: 'resolved',
  close: 'closed',
};

export const STATUS_ACTIONS: readonly StatusAction[] = ['takeOver', 'queue', 'handBack', 'resolve', 'close'];

/**
 * Moves the server accepts from each status (apps/server/src/domain/conversation-status.ts, which
 * answers anything else with 409 CONVERSATION_INVALID_TRANSITION). The console only uses this to grey
 * out buttons; the server stays the authority. Claiming (`takeOver`) is not read from here: POST
 * …/claim also takes a colleague's conversation (admins) or names who holds it (ownership.ts).
 */
const ALLOWED: Record<ConversationStatus, readonly ConversationStatus[]> = {
  bot: ['queued', 'assigned', 'resolved', 'closed'],
  queued: ['assigned', 'bot', 'resolved', 'closed'],
  assigned: ['queued', 'bot', 'resolved', 'closed'],
  resolved: ['assigned', 'bot', 'closed'],
  closed: ['bot'],
};

export function isActionAllowed(from: ConversationStatus, action: StatusAction): boolean {
  return ALLOWED[from].includes(ACTION_TARGET[action]);
}
