import { z } from 'zod';
import { Cursor, Id, Limit, page, WellFormedText } from './common.js';
import { Sla } from './sla.js';

const Text = (max: number) => WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`));

/** new → open (someone works on it) → pending (waiting for the customer) → solved → closed. */
export const TicketStatus = z.enum(['new', 'open', 'pending', 'solved', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;
export const TicketPriority = z.enum(['low', 'normal', 'high', 'urgent']);

export const TicketComment = z.object({
  id: Id,
  author: z.object({ type: z.enum(['agent', 'contact', 'system']), id: z.string().nullable(), name: z.string().nullable() }),
  body: z.string(),
  /** Public comments are sent to the customer in the linked conversation; internal ones are not. */
  public: z.boolean(),
  createdAt: z.string(),
});
export type TicketComment = z.infer<typeof TicketComment>;

export const Ticket = z.object({
  id: Id,
  /** Per workspace, from 1: what people say ("工单 #12"). */
  number: z.number().int(),
  subject: z.string(),
  description: z.string(),
  status: TicketStatus,
  priority: TicketPriority,
  assignee: z.object({ id: Id, name: z.string() }).nullable(),
  /** The team whose work it is: agents see tickets of no team, of their teams, or assigned to them. */
  team: z.object({ id: Id, name: z.string() }).nullable(),
  contactId: z.string().nullable(),
  conversationId: z.string().nullable(),
  /** Who opened it: an agent, the bot (a flow, out of hours), or an external system. */
  source: z.enum(['agent', 'bot', 'api']),
  dueAt: z.string().nullable(),
  solvedAt: z.string().nullable(),
  /** SLA clocks: first public reply, and solved or closed. */
  sla: Sla.nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  comments: z.array(TicketComment).optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const CreateTicketBody = z.object({
  subject: Text(200),
  description: WellFormedText.pipe(z.string().trim().max(10_000, 'must be at most 10000 characters')).optional(),
  priority: TicketPriority.optional(),
  /** Links the ticket to a conversation (and its contact), whose customer hears about updates. */
  conversationId: Id.optional(),
  assigneeId: Id.nullable().optional(),
  /** The team whose work it is (default: the linked conversation's team, else none). */
  teamId: Id.nullable().optional(),
  /** Due date (ISO 8601). */
  dueAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

export const UpdateTicketBody = z
  .object({
    subject: Text(200),
    status: TicketStatus,
    priority: TicketPriority,
    assigneeId: Id.nullable(),
    teamId: Id.nullable(),
    dueAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });
export type UpdateTicketBody = z.infer<typeof UpdateTicketBody>;

export const TicketCommentBody = z.object({ body: Text(10_000), public: z.boolean().default(false) });

export const ListTicketsQuery = z.object({
  status: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(TicketStatus).min(1))
    .optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), Id]).optional(),
  /** Tickets of this team (agents must belong to it), or `none`: of no team. */
  team: z.union([z.literal('none'), Id]).optional(),
  conversationId: Id.optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export const TicketPage = page(Ticket);
