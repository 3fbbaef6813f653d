import { describe, expect, it } from 'vitest';
import { tabOfStatus, ticketFiltersFrom, ticketFiltersQuery, ticketListQuery, ticketMatches } from './ticket-filters';

const q = (s: string) => new URLSearchParams(s);

describe('ticket filters', () => {
  it('opens on open work for anyone, and ignores values it does not know', () => {
    expect(ticketFiltersFrom(q(''))).toEqual({ tab: 'open', who: 'anyone', team: null });
    expect(ticketFiltersFrom(q('status=lost&assignee=boss&team=%20'))).toEqual({ tab: 'open', who: 'anyone', team: null });
    expect(ticketFiltersFrom(q('status=solved&assignee=me&team=t1'))).toEqual({ tab: 'solved', who: 'me', team: 't1' });
  });

  it('keeps the default view out of the address and round-trips the rest', () => {
    expect(ticketFiltersQuery({ tab: 'open', who: 'anyone', team: null })).toEqual({ status: null, assignee: null, team: null });
    const f = { tab: 'closed', who: 'none', team: 'none' } as const;
    const params = new URLSearchParams(Object.entries(ticketFiltersQuery(f)).filter((e): e is [string, string] => e[1] !== null));
    expect(ticketFiltersFrom(params)).toEqual(f);
  });

  it('asks the API for new, open and pending as open work, and for everything under "all"', () => {
    expect(ticketListQuery({ tab: 'open', who: 'anyone', team: null })).toEqual({ status: 'new,open,pending' });
    expect(ticketListQuery({ tab: 'all', who: 'me', team: 'none' })).toEqual({ assignee: 'me', team: 'none' });
    expect(ticketListQuery({ tab: 'solved', who: 'none', team: 't1' })).toEqual({ status: 'solved', assignee: 'none', team: 't1' });
  });

  it('files pending work under open, and tells whether a changed ticket still belongs in the list', () => {
    expect(tabOfStatus('pending')).toBe('open');
    expect(tabOfStatus('solved')).toBe('solved');
    const t = { status: 'pending' as const, assignee: { id: 'me' }, team: { id: 't1' } };
    expect(ticketMatches(t, { tab: 'open', who: 'me', team: 't1' }, 'me')).toBe(true);
    expect(ticketMatches({ ...t, status: 'solved' }, { tab: 'open', who: 'anyone', team: null }, 'me')).toBe(false);
    expect(ticketMatches(t, { tab: 'all', who: 'none', team: null }, 'me')).toBe(false);
    expect(ticketMatches(t, { tab: 'all', who: 'me', team: null }, null)).toBe(false);
    expect(ticketMatches(t, { tab: 'all', who: 'anyone', team: 'none' }, 'me')).toBe(false);
    expect(ticketMatches({ ...t, team: null }, { tab: 'all', who: 'anyone', team: 'none' }, 'me')).toBe(true);
  });
});
