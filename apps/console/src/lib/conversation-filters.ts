import type { Conversation, ConversationStatus } from '@kefu/protocol';

export type FilterId = 'all' | 'bot' | 'queued' | 'mine' | 'assigned' | 'resolved' | 'closed';

export interface ConversationFilter {
  id: FilterId;
  /** Query string for GET /v1/conversations. */
  query: { status?: string; assignee?: 'me' };
  /** The same condition on the client, to place a conversation that changed live. */
  matches(c: Conversation, memberId: string | null): boolean;
}

const byStatus = (id: FilterId & ConversationStatus): ConversationFilter => ({
  id,
  query: { status: id },
  matches: (c) => c.status === id,
});

export const FILTERS: readonly ConversationFilter[] = [
  { id: 'all', query: {}, matches: () => true },
  byStatus('bot'),
  byStatus('queued'),
  { id: 'mine', query: { status: 'assigned', assignee: 'me' }, matches: (c, me) => c.status === 'assigned' && me !== null && c.assignee?.id === me },
  byStatus('assigned'),
  byStatus('resolved'),
  byStatus('closed'),
];

export const filterById = (id: string | null | undefined): ConversationFilter => FILTERS.find((f) => f.id === id) ?? FILTERS[0]!;

/** Most recently updated first, as the API orders them; ids break ties the same way. */
export function compareConversations(a: Conversation, b: Conversation) {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The newer of two copies of the same conversation (frames and fetches can cross). */
export function newer(a: Conversation, b: Conversation | undefined) {
  return b && b.updatedAt > a.updatedAt ? b : a;
}
