import type { Channel, ConversationStatus, HandoffContext, Language } from '@kefu/protocol';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Conversation, ConversationPriority, DialogueState } from '../../../domain/entities.js';
import type { SlaClocks } from '../../../domain/sla.js';
import type { ConversationFilter, ConversationListQuery, ConversationRepo, RoutingConversation } from '../../../ports/store.js';
import { parseJson, readCursor, toPage } from '../rows.js';
import type { ConversationsTable, Database } from '../schema.js';

const toConversation = (r: Selectable<ConversationsTable>): Conversation => ({
  id: r.id,
  workspaceId: r.workspace_id,
  contactId: r.contact_id,
  channel: r.channel as Channel,
  status: r.status as ConversationStatus,
  assigneeId: r.assignee_id,
  language: r.language as Language | null,
  handoffReason: r.handoff_reason,
  lastMessageAt: r.last_message_at,
  lastMessagePreview: r.last_message_preview,
  tags: parseJson<string[]>(r.tags, []),
  priority: r.priority as ConversationPriority,
  dialogue: r.dialogue ? parseJson<DialogueState | null>(r.dialogue, null) : null,
  handoff: r.handoff ? parseJson<HandoffContext | null>(r.handoff, null) : null,
  queuedAt: r.queued_at,
  teamId: r.team_id,
  snoozedUntil: r.snoozed_until,
  sla: r.sla ? parseJson<SlaClocks | null>(r.sla, null) : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const conversationRow = (c: Conversation) => ({
  id: c.id,
  workspace_id: c.workspaceId,
  contact_id: c.contactId,
  channel: c.channel,
  status: c.status,
  assignee_id: c.assigneeId,
  language: c.language,
  handoff_reason: c.handoffReason,
  last_message_at: c.lastMessageAt,
  last_message_preview: c.lastMessagePreview,
  tags: JSON.stringify(c.tags ?? []),
  priority: c.priority ?? 'normal',
  dialogue: c.dialogue ? JSON.stringify(c.dialogue) : null,
  handoff: c.handoff ? JSON.stringify(c.handoff) : null,
  queued_at: c.queuedAt ?? null,
  team_id: c.teamId ?? null,
  snoozed_until: c.snoozedUntil ?? null,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

export class KyselyConversationRepo implements ConversationRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(c: Conversation) {
    await this.db.insertInto('conversations').values(conversationRow(c)).execute();
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toConversation(r) : null;
  }
  /** Most recently updated first; the cursor is (updated_at, id) of the last item. */
  async list(workspaceId: string, q: ConversationListQuery) {
    let query = this.filtered(workspaceId, q).selectAll();
    if (q.cursor || q.after) {
      const [at, id] = (q.cursor ? readCursor(q.cursor, 2) : [q.after!.updatedAt, q.after!.id]) as [string, string];
      query = query.where((eb) => eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toConversation, (c) => [c.updatedAt, c.id]);
  }
  async count(workspaceId: string, q: ConversationFilter) {
    const r = await this.filtered(workspaceId, q)
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async listOpenForRouting(workspaceId: string, limit: number): Promise<RoutingConversation[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .select(['id', 'status', 'assignee_id', 'team_id', 'priority', 'queued_at', 'updated_at', 'language', 'snoozed_until'])
      .where('workspace_id', '=', workspaceId)
      .where('status', 'in', ['queued', 'assigned'])
      .orderBy('queued_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      status: r.status as ConversationStatus,
      assigneeId: r.assignee_id,
      teamId: r.team_id,
      priority: r.priority as ConversationPriority,
      queuedAt: r.queued_at,
      updatedAt: r.updated_at,
      language: r.language as Language | null,
      snoozedUntil: r.snoozed_until,
    }));
  }
  private filtered(workspaceId: string, q: ConversationFilter) {
    let query = this.db.selectFrom('conversations').where('workspace_id', '=', workspaceId);
    if (q.status?.length) query = query.where('status', 'in', q.status);
    if (q.contactId) query = query.where('contact_id', '=', q.contactId);
    if (q.channel) query = query.where('channel', '=', q.channel);
    if (q.assigneeId === null) query = query.where('assignee_id', 'is', null);
    else if (q.assigneeId) query = query.where('assignee_id', '=', q.assigneeId);
    if (q.teamIds) {
      const teamIds = q.teamIds;
      query = teamIds.length ? query.where('team_id', 'in', teamIds) : query.where(sql<boolean>`1 = 0`);
    }
    if (q.visibleTo) {
      const { memberId, teamIds } = q.visibleTo;
      query = query.where((eb) =>
        eb.or([eb('team_id', 'is', null), eb('assignee_id', '=', memberId), ...(teamIds.length ? [eb('team_id', 'in', teamIds)] : [])]),
      );
    }
    if (q.sla) query = q.sla === 'breached' ? query.where('sla_flag', '=', 'breached') : query.where('sla_flag', 'in', ['at_risk', 'breached']);
    if (q.snoozed) {
      const { now, state } = q.snoozed;
      if (state === 'snoozed') query = query.where('snoozed_until', '>', now);
      else if (state === 'due') query = query.where('snoozed_until', '<=', now);
      else query = query.where((eb) => eb.or([eb('snoozed_until', 'is', null), eb('snoozed_until', '<=', now)]));
    }
    return query;
  }
  async update(c: Conversation) {
    const { id, workspace_id, created_at, contact_id, ...rest } = conversationRow(c);
    await this.db.updateTable('conversations').set(rest).where('workspace_id', '=', workspace_id).where('id', '=', id).execute();
  }
}
