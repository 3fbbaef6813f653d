import type { CreateTicketBody, Role, Ticket, TicketStatus, UpdateTicketBody } from '@kefu/protocol';

/** The server's limits (CreateTicketBody, TicketCommentBody in packages/protocol). */
export const MAX_TICKET_SUBJECT_CHARS = 200;
export const MAX_TICKET_TEXT_CHARS = 10_000;

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'solved', 'closed'];
export const TICKET_PRIORITIES: readonly Ticket['priority'][] = ['low', 'normal', 'high', 'urgent'];

/** What the ticket page edits: empty strings mean "nobody" / "no team". */
export interface TicketDraft {
  subject: string;
  status: TicketStatus;
  priority: Ticket['priority'];
  assigneeId: string;
  teamId: string;
}

export function draftFromTicket(t: Ticket): TicketDraft {
  return { subject: t.subject, status: t.status, priority: t.priority, assigneeId: t.assignee?.id ?? '', teamId: t.team?.id ?? '' };
}

/** Only what changed, or null when nothing did (the API refuses an empty change). */
export function ticketPatch(t: Ticket, d: TicketDraft): UpdateTicketBody | null {
  const was = draftFromTicket(t);
  const patch: UpdateTicketBody = {};
  if (d.subject.trim() !== was.subject) patch.subject = d.subject.trim();
  if (d.status !== was.status) patch.status = d.status;
  if (d.priority !== was.priority) patch.priority = d.priority;
  if (d.assigneeId !== was.assigneeId) patch.assigneeId = d.assigneeId || null;
  if (d.teamId !== was.teamId) patch.teamId = d.teamId || null;
  return Object.keys(patch).length ? patch : null;
}

/** Agents, admins and owners work tickets; viewers read. A closed ticket is read-only for everyone. */
export const canWorkTickets = (role: Role | null | undefined) => role === 'agent' || role === 'admin' || role === 'owner';
export const isTicketReadOnly = (t: Pick<Ticket, 'status'>, role: Role | null | undefined) => t.status === 'closed' || !canWorkTickets(role);

export interface NewTicketDraft {
  subject: string;
  description: string;
  priority: Ticket['priority'];
  assigneeId: string;
  /** `''`: the linked conversation's team (or none). `none`: no team. */
  teamId: string;
  conversationId: string;
}

export const emptyNewTicket = (conversationId = '', subject = ''): NewTicketDraft => ({
  subject,
  description: '',
  priority: 'normal',
  assigneeId: '',
  teamId: '',
  conversationId,
});

export type NewTicketProblem = 'subject.required' | 'subject.tooLong' | 'description.tooLong';

/** The problems the server would refuse, checked before sending. */
export function checkNewTicket(d: Pick<NewTicketDraft, 'subject' | 'description'>): NewTicketProblem[] {
  const out: NewTicketProblem[] = [];
  const subject = d.subject.trim();
  if (!subject) out.push('subject.required');
  else if (subject.length > MAX_TICKET_SUBJECT_CHARS) out.push('subject.tooLong');
  if (d.description.trim().length > MAX_TICKET_TEXT_CHARS) out.push('description.tooLong');
  return out;
}

/** The create body: blanks left out, so the server's defaults (the conversation's priority and team) apply. */
export function createBodyFrom(d: NewTicketDraft): CreateTicketBody {
  return {
    subject: d.subject.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    priority: d.priority,
    ...(d.assigneeId ? { assigneeId: d.assigneeId } : {}),
    ...(d.teamId === 'none' ? { teamId: null } : d.teamId ? { teamId: d.teamId } : {}),
    ...(d.conversationId ? { conversationId: d.conversationId } : {}),
  };
}

/** The subject a ticket opened from a conversation starts with: its first line, shortened. */
export function subjectFromText(text: string | null | undefined, max = 80): string {
  const line =
    (text ?? '')
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? '';
  return [...line].length > max ? `${[...line].slice(0, max - 1).join('')}…` : line;
}

/** A status change the server records as a system comment (`open → pending`), or null for other text. */
export function statusChangeOf(body: string): { from: TicketStatus; to: TicketStatus } | null {
  const m = /^(\w+) → (\w+)$/.exec(body.trim());
  if (!m) return null;
  const [from, to] = [m[1], m[2]] as [TicketStatus, TicketStatus];
  return TICKET_STATUSES.includes(from) && TICKET_STATUSES.includes(to) ? { from, to } : null;
}
