import type { TicketStatus } from '@kefu/protocol';

/** The Tickets section's tabs: open work (new, open, pending), solved, closed, and everything. */
export type TicketTab = 'open' | 'solved' | 'closed' | 'all';
export const TICKET_TABS: readonly TicketTab[] = ['open', 'solved', 'closed', 'all'];

/** Whose tickets: anyone's, mine, or nobody's yet. */
export type TicketWho = 'anyone' | 'me' | 'none';
export const TICKET_WHO: readonly TicketWho[] = ['anyone', 'me', 'none'];

export interface TicketFilters {
  tab: TicketTab;
  who: TicketWho;
  /** A team id, `none` (tickets of no team), or null (any team). */
  team: string | null;
}

/** Statuses that still need someone's work. */
export const OPEN_WORK: readonly TicketStatus[] = ['new', 'open', 'pending'];

const TAB_STATUSES: Record<TicketTab, readonly TicketStatus[] | null> = {
  open: OPEN_WORK,
  solved: ['solved'],
  closed: ['closed'],
  all: null,
};

/** The filters kept in the address (`?status=&assignee=&team=`); unknown values fall back to the defaults. */
export function ticketFiltersFrom(params: URLSearchParams): TicketFilters {
  const status = params.get('status');
  const assignee = params.get('assignee');
  const team = params.get('team')?.trim();
  return {
    tab: (TICKET_TABS as readonly string[]).includes(status ?? '') ? (status as TicketTab) : 'open',
    who: assignee === 'me' || assignee === 'none' ? assignee : 'anyone',
    team: team ? team : null,
  };
}

/** The address's query for the filters; defaults are left out so the plain address is the default view. */
export function ticketFiltersQuery(f: TicketFilters): Record<string, string | null> {
  return { status: f.tab === 'open' ? null : f.tab, assignee: f.who === 'anyone' ? null : f.who, team: f.team };
}

/** The list API's query for the filters. */
export function ticketListQuery(f: TicketFilters): { status?: string; assignee?: 'me' | 'none'; team?: string } {
  const statuses = TAB_STATUSES[f.tab];
  return {
    ...(statuses ? { status: statuses.join(',') } : {}),
    ...(f.who !== 'anyone' ? { assignee: f.who } : {}),
    ...(f.team ? { team: f.team } : {}),
  };
}

/** The tab a ticket of this status is listed under (besides "all"). */
export function tabOfStatus(status: TicketStatus): Exclude<TicketTab, 'all'> {
  return status === 'solved' ? 'solved' : status === 'closed' ? 'closed' : 'open';
}

/**
 * Whether a ticket still belongs in the list shown with these filters, after a change made here
 * (so it can leave the list at once instead of on the next fetch).
 */
export function ticketMatches(
  t: { status: TicketStatus; assignee: { id: string } | null; team: { id: string } | null },
  f: TicketFilters,
  me: string | null,
): boolean {
  const statuses = TAB_STATUSES[f.tab];
  if (statuses && !statuses.includes(t.status)) return false;
  if (f.who === 'me' && (!me || t.assignee?.id !== me)) return false;
  if (f.who === 'none' && t.assignee) return false;
  if (f.team === 'none' && t.team) return false;
  if (f.team && f.team !== 'none' && t.team?.id !== f.team) return false;
  return true;
}
