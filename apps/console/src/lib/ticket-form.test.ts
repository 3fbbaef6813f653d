import type { Ticket } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { checkNewTicket, createBodyFrom, draftFromTicket, emptyNewTicket, isTicketReadOnly, statusChangeOf, subjectFromText, ticketPatch } from './ticket-form';

const ticket: Ticket = {
  id: 't1',
  number: 12,
  subject: '电视坏点换货',
  description: '',
  status: 'open',
  priority: 'high',
  assignee: { id: 'm1', name: 'Lily' },
  team: null,
  contactId: null,
  conversationId: 'c1',
  source: 'agent',
  dueAt: null,
  solvedAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('ticket form', () => {
  it('sends only what changed, blanks as "nobody" and "no team"', () => {
    const d = draftFromTicket(ticket);
    expect(ticketPatch(ticket, d)).toBeNull();
    expect(ticketPatch(ticket, { ...d, subject: ' 电视坏点换货 ' })).toBeNull();
    expect(ticketPatch(ticket, { ...d, status: 'pending', assigneeId: '', teamId: 'team1' })).toEqual({ status: 'pending', assigneeId: null, teamId: 'team1' });
    expect(ticketPatch({ ...ticket, team: { id: 'team1', name: '售后组' } }, { ...d, teamId: '' })).toEqual({ teamId: null });
  });

  it('is read-only when closed, and for viewers', () => {
    expect(isTicketReadOnly(ticket, 'agent')).toBe(false);
    expect(isTicketReadOnly({ status: 'closed' }, 'owner')).toBe(true);
    expect(isTicketReadOnly(ticket, 'viewer')).toBe(true);
  });

  it('checks the subject and leaves server defaults to the server', () => {
    expect(checkNewTicket({ subject: '  ', description: '' })).toEqual(['subject.required']);
    expect(checkNewTicket({ subject: 'x'.repeat(201), description: 'y'.repeat(10_001) })).toEqual(['subject.tooLong', 'description.tooLong']);
    expect(createBodyFrom(emptyNewTicket('c1', ' 退货 '))).toEqual({ subject: '退货', priority: 'normal', conversationId: 'c1' });
    expect(createBodyFrom({ ...emptyNewTicket(), subject: 'x', teamId: 'none', assigneeId: 'm1', description: ' d ' })).toEqual({
      subject: 'x',
      description: 'd',
      priority: 'normal',
      assigneeId: 'm1',
      teamId: null,
    });
  });

  it('suggests a subject from the first line of a message, shortened', () => {
    expect(subjectFromText('\n  我的电视有坏点\n第二行')).toBe('我的电视有坏点');
    expect(subjectFromText('长'.repeat(100), 10)).toBe(`${'长'.repeat(9)}…`);
    expect(subjectFromText(null)).toBe('');
  });

  it('reads the status changes the server records as system comments', () => {
    expect(statusChangeOf('open → pending')).toEqual({ from: 'open', to: 'pending' });
    expect(statusChangeOf('open → lost')).toBeNull();
    expect(statusChangeOf('客户来电')).toBeNull();
  });
});
