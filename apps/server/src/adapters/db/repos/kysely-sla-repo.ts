import type { Kysely, Selectable } from 'kysely';
import type { ConversationPriority } from '../../../domain/entities.js';
import type { SlaEventRecord } from '../../../domain/events.js';
import { nextSlaCheck, type SlaClocks, slaFlag } from '../../../domain/sla.js';
import type { SlaDue, SlaEventQuery, SlaOpenCounts, SlaRepo } from '../../../ports/store.js';
import { readCursor, toPage } from '../rows.js';
import type { Database, SlaEventsTable } from '../schema.js';

const toEvent = (r: Selectable<SlaEventsTable>): SlaEventRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  conversationId: r.conversation_id,
  ticketId: r.ticket_id,
  metric: r.metric as SlaEventRecord['metric'],
  kind: r.kind as SlaEventRecord['kind'],
  dueAt: r.due_at,
  at: r.at,
  assigneeId: r.assignee_id,
  priority: r.priority as ConversationPriority,
});

const TABLE = { conversation: 'conversations', ticket: 'tickets' } as const;

export class KyselySlaRepo implements SlaRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async saveClocks(target: SlaDue['target'], workspaceId: string, id: string, expected: SlaClocks | null, next: SlaClocks | null) {
    // Both tables have the same SLA columns; the compare is on the stored JSON text, which only this
    // repository writes (JSON.stringify of what it read back), so equal clocks have equal text.
    let query = this.db
      .updateTable(TABLE[target] as 'conversations')
      .set({ sla: next ? JSON.stringify(next) : null, sla_next_at: nextSlaCheck(next), sla_flag: slaFlag(next) })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id);
    query = expected ? query.where('sla', '=', JSON.stringify(expected)) : query.where('sla', 'is', null);
    const r = await query.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async due(now: string, limit: number) {
    const [convs, tickets] = await Promise.all(
      (['conversation', 'ticket'] as const).map((target) =>
        this.db
          .selectFrom(TABLE[target] as 'conversations')
          .select(['id', 'workspace_id', 'sla_next_at'])
          .where('sla_next_at', '<=', now)
          .orderBy('sla_next_at')
          .limit(limit)
          .execute()
          .then((rows) => rows.map((r) => ({ target, workspaceId: r.workspace_id, id: r.id, at: r.sla_next_at ?? '' }))),
      ),
    );
    return [...convs!, ...tickets!]
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(0, limit)
      .map(({ at: _at, ...d }): SlaDue => d);
  }

  async nextCheckAt() {
    const mins = await Promise.all(
      (['conversations', 'tickets'] as const).map((t) =>
        this.db
          .selectFrom(t as 'conversations')
          .select((eb) => eb.fn.min('sla_next_at').as('at'))
          .executeTakeFirst(),
      ),
    );
    const ats = mins.map((m) => (m?.at as string | null | undefined) ?? null).filter((a): a is string => a !== null);
    return ats.length ? ats.sort()[0]! : null;
  }

  async firstAgentReplyAt(workspaceId: string, conversationId: string, since: string) {
    const r = await this.db
      .selectFrom('messages')
      .select('created_at')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('author_type', '=', 'agent')
      .where('created_at', '>=', since)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return r?.created_at ?? null;
  }

  async firstPublicCommentAt(ticketId: string, since: string) {
    const r = await this.db
      .selectFrom('ticket_comments')
      .select('created_at')
      .where('ticket_id', '=', ticketId)
      .where('author_type', '=', 'agent')
      .where('public', '=', 1)
      .where('created_at', '>=', since)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    return r?.created_at ?? null;
  }

  async addEvents(events: readonly SlaEventRecord[]) {
    if (events.length === 0) return;
    await this.db
      .insertInto('sla_events')
      .values(
        events.map((e) => ({
          id: e.id,
          workspace_id: e.workspaceId,
          conversation_id: e.conversationId,
          ticket_id: e.ticketId,
          metric: e.metric,
          kind: e.kind,
          due_at: e.dueAt,
          at: e.at,
          assignee_id: e.assigneeId,
          priority: e.priority,
        })),
      )
      .execute();
  }

  async listEvents(workspaceId: string, q: SlaEventQuery) {
    let query = this.db.selectFrom('sla_events').selectAll().where('workspace_id', '=', workspaceId);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.metric) query = query.where('metric', '=', q.metric);
    if (q.since) query = query.where('at', '>=', q.since);
    if (q.cursor) {
      const [at, id] = readCursor(q.cursor, 2) as [string, string];
      query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toEvent, (e) => [e.at, e.id]);
  }

  async openCounts(workspaceId: string) {
    const count = async (table: 'conversations' | 'tickets'): Promise<SlaOpenCounts> => {
      const rows = await this.db
        .selectFrom(table as 'conversations')
        .select(['sla_flag', (eb) => eb.fn.countAll<string | number>().as('n')])
        .where('workspace_id', '=', workspaceId)
        .where('sla_flag', 'is not', null)
        .groupBy('sla_flag')
        .execute();
      const by = new Map(rows.map((r) => [r.sla_flag, Number(r.n)]));
      return { running: by.get('running') ?? 0, atRisk: by.get('at_risk') ?? 0, breached: by.get('breached') ?? 0 };
    };
    const [conversations, tickets] = await Promise.all([count('conversations'), count('tickets')]);
    return { conversations, tickets };
  }

  async countEvents(workspaceId: string, since: string, until: string) {
    const rows = await this.db
      .selectFrom('sla_events')
      .select(['metric', 'kind', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('at', '>=', since)
      .where('at', '<', until)
      .groupBy(['metric', 'kind'])
      .execute();
    return rows.map((r) => ({ metric: r.metric as SlaEventRecord['metric'], kind: r.kind as SlaEventRecord['kind'], n: Number(r.n) }));
  }
}
