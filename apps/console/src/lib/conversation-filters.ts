import type { Conversation, ConversationStatus, InboxCounts } from '@kefu/protocol';

/**
 * The inbox's tabs. `all` is every conversation the member may see (the default); the inbox views
 * `mine`, `unassigned`, `team`, `open` (all with people) and `snoozed` carry live counts; `bot`,
 * `resolved` and `closed` filter by status.
 */
export type FilterId = 'all' | 'mine' | 'unassigned' | 'team' | 'open' | 'snoozed' | 'bot' | 'resolved' | 'closed';

/** Who is looking, for placing a conversation that changed live. */
export interface Viewer {
  memberId: string | null;
  /** The member's teams (admins: every team, for the team view). */
  teamIds: readonly string[];
  now: number;
}

export interface ConversationFilter {
  id: FilterId;
  /** Query string for GET /v1/conversations. */
  query: { status?: string; view?: 'mine' | 'unassigned' | 'team' | 'all' | 'snoozed' };
  /** The count shown on the tab, from GET /v1/inbox/counts. */
  count?: keyof Omit<InboxCounts, 'teams'>;
  /** The same condition on the client, to place a conversation that changed live. */
  matches(c: Conversation, viewer: Viewer): boolean;
}

const snoozedAt = (c: Conversation, now: number) => Boolean(c.snoozedUntil && Date.parse(c.snoozedUntil) > now);
const open = (c: Conversation) => c.status === 'queued' || c.status === 'assigned';

const byStatus = (id: FilterId & ConversationStatus): ConversationFilter => ({
  id,
  query: { status: id },
  matches: (c) => c.status === id,
});

export const FILTERS: readonly ConversationFilter[] = [
  { id: 'all', query: {}, matches: () => true },
  {
    id: 'mine',
    query: { view: 'mine' },
    count: 'mine',
    matches: (c, v) => c.status === 'assigned' && v.memberId !== null && c.assignee?.id === v.memberId && !snoozedAt(c, v.now),
  },
  { id: 'unassigned', query: { view: 'unassigned' }, count: 'unassigned', matches: (c) => c.status === 'queued' && !c.assignee },
  { id: 'team', query: { view: 'team' }, count: 'team', matches: (c, v) => open(c) && Boolean(c.team && v.teamIds.includes(c.team.id)) },
  { id: 'open', query: { view: 'all' }, count: 'all', matches: open },
  {
    id: 'snoozed',
    query: { view: 'snoozed' },
    count: 'snoozed',
    matches: (c, v) => c.status === 'assigned' && v.memberId !== null && c.assignee?.id === v.memberId && snoozedAt(c, v.now),
  },
  byStatus('bot'),
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
