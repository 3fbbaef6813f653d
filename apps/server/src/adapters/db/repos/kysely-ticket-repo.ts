import type { Kysely, Selectable } from 'kysely';
import type { ConversationPriority, Ticket, TicketComment, TicketStatus } from '../../../domain/entities.js';
import type { SlaClocks } from '../../../domain/sla.js';
import type { TicketListQuery, TicketRepo } from '../../../ports/store.js';
import { parseJson, readCursor, toPage } from '../rows.js';
import type { Database, TicketCommentsTable, TicketsTable } from '../schema.js';

const toTicket = (r: Selectable<TicketsTable>): Ticket => ({
  id: r.id,
  workspaceId: r.workspace_id,
  number: Number(r.number),
  subject: r.subject,
  description: r.description,
  status: r.status as TicketStatus,
  priority: r.priority as ConversationPriority,
  assigneeId: r.assignee_id,
  teamId: r.team_id ?? null,
  contactId: r.contact_id,
  conversationId: r.conversation_id,
  source: r.source as Ticket['source'],
  dueAt: r.due_at,
  solvedAt: r.solved_at,
  sla: r.sla ? parseJson<SlaClocks | null>(r.sla, null) : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toComment = (r: Selectable<TicketCommentsTable>): TicketComment => ({
  id: r.id,
  ticketId: r.ticket_id,
  authorType: r.author_type as TicketComment['authorType'],
  authorId: r.author_id,
  body: r.body,
  public: Number(r.public) === 1,
  createdAt: r.created_at,
});

/** Attempts at taking the next ticket number when concurrent inserts collide. */
const NUMBER_ATTEMPTS = 8;

export class KyselyTicketRepo implements TicketRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(t: Omit<Ticket, 'number'>): Promise<Ticket> {
    for (let attempt = 1; ; attempt++) {
      const top = await this.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('workspace_id', '=', t.workspaceId)
        .executeTakeFirst();
      const ticket: Ticket = { ...t, number: Number(top?.n ?? 0) + 1 };
      try {
        await this.db.insertInto('tickets').values(row(ticket)).execute();
        return ticket;
      } catch (err) {
        // Another ticket took the number (unique constraint): take the next one.
        if (attempt >= NUMBER_ATTEMPTS || !/unique|duplicate/i.test(String((err as Error).message))) throw err;
      }
    }
  }

  async find(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('tickets').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toTicket(r) : null;
  }

  async update(t: Ticket) {
    const { id, workspace_id, number, created_at, ...rest } = row(t);
    await this.db.updateTable('tickets').set(rest).where('workspace_id', '=', workspace_id).where('id', '=', id).execute();
  }

  async list(workspaceId: string, q: TicketListQuery) {
    let query = this.db.selectFrom('tickets').selectAll().where('workspace_id', '=', workspaceId);
    if (q.status?.length) query = query.where('status', 'in', q.status);
    if (q.assigneeId === null) query = query.where('assignee_id', 'is', null);
    else if (q.assigneeId) query = query.where('assignee_id', '=', q.assigneeId);
    if (q.teamId === null) query = query.where('team_id', 'is', null);
    else if (q.teamId) query = query.where('team_id', '=', q.teamId);
    if (q.visibleTo) {
      const { memberId, teamIds } = q.visibleTo;
      query = query.where((eb) =>
        eb.or([eb('team_id', 'is', null), eb('assignee_id', '=', memberId), ...(teamIds.length ? [eb('team_id', 'in', teamIds)] : [])]),
      );
    }
    if (q.conversationId) query = query.where('conversation_id', '=', q.conversationId);
    if (q.cursor) {
      const [at, id] = readCursor(q.cursor, 2) as [string, string];
      query = query.where((eb) => eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toTicket, (t) => [t.updatedAt, t.id]);
  }

  async addComment(c: TicketComment) {
    await this.db
      .insertInto('ticket_comments')
      .values({
        id: c.id,
        ticket_id: c.ticketId,
        author_type: c.authorType,
        author_id: c.authorId,
        body: c.body,
        public: c.public ? 1 : 0,
        created_at: c.createdAt,
      })
      .execute();
  }

  async comments(ticketId: string) {
    return (await this.db.selectFrom('ticket_comments').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute()).map(
      toComment,
    );
  }
}

function row(t: Ticket) {
  return {
    id: t.id,
    workspace_id: t.workspaceId,
    number: t.number,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    assignee_id: t.assigneeId,
    team_id: t.teamId ?? null,
    contact_id: t.contactId,
    conversation_id: t.conversationId,
    source: t.source,
    due_at: t.dueAt,
    solved_at: t.solvedAt,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}
