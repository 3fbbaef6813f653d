import type { Kysely, Selectable } from 'kysely';
import type { Mention } from '../../../domain/entities.js';
import type { MentionRepo } from '../../../ports/store.js';
import type { Database, MentionsTable } from '../schema.js';

const toMention = (r: Selectable<MentionsTable>): Mention => ({
  id: r.id,
  workspaceId: r.workspace_id,
  memberId: r.member_id,
  conversationId: r.conversation_id,
  messageId: r.message_id,
  byId: r.by_id,
  createdAt: r.created_at,
  readAt: r.read_at,
});

export class KyselyMentionRepo implements MentionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(mentions: readonly Mention[]) {
    if (mentions.length === 0) return;
    await this.db
      .insertInto('mentions')
      .values(
        mentions.map((m) => ({
          id: m.id,
          workspace_id: m.workspaceId,
          member_id: m.memberId,
          conversation_id: m.conversationId,
          message_id: m.messageId,
          by_id: m.byId,
          created_at: m.createdAt,
          read_at: m.readAt,
        })),
      )
      .execute();
  }

  async list(workspaceId: string, memberId: string, q: { unreadOnly: boolean; limit: number }) {
    let query = this.db.selectFrom('mentions').selectAll().where('workspace_id', '=', workspaceId).where('member_id', '=', memberId);
    if (q.unreadOnly) query = query.where('read_at', 'is', null);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(toMention);
  }

  async countUnread(workspaceId: string, memberId: string) {
    const r = await this.db
      .selectFrom('mentions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('member_id', '=', memberId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async markRead(workspaceId: string, memberId: string, which: { ids: readonly string[] } | { conversationId: string }, at: string) {
    let q = this.db
      .updateTable('mentions')
      .set({ read_at: at })
      .where('workspace_id', '=', workspaceId)
      .where('member_id', '=', memberId)
      .where('read_at', 'is', null);
    q = 'ids' in which ? q.where('id', 'in', [...which.ids]) : q.where('conversation_id', '=', which.conversationId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
