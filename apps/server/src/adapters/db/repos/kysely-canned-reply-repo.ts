import { type Kysely, type Selectable, sql } from 'kysely';
import type { CannedReply } from '../../../domain/entities.js';
import type { CannedReplyListQuery, CannedReplyRepo } from '../../../ports/store.js';
import type { CannedRepliesTable, Database } from '../schema.js';

const toReply = (r: Selectable<CannedRepliesTable>): CannedReply => ({
  id: r.id,
  workspaceId: r.workspace_id,
  ownerId: r.owner_id,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  language: r.language as CannedReply['language'],
  useCount: Number(r.use_count),
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

export class KyselyCannedReplyRepo implements CannedReplyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async find(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('canned_replies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toReply(r) : null;
  }

  async findByShortcut(workspaceId: string, ownerId: string | null, shortcut: string) {
    let q = this.db.selectFrom('canned_replies').selectAll().where('workspace_id', '=', workspaceId).where('shortcut', '=', shortcut);
    q = ownerId === null ? q.where('owner_id', 'is', null) : q.where('owner_id', '=', ownerId);
    const r = await q.executeTakeFirst();
    return r ? toReply(r) : null;
  }

  async list(workspaceId: string, q: CannedReplyListQuery) {
    let query = this.db.selectFrom('canned_replies').selectAll().where('workspace_id', '=', workspaceId);
    const { memberId } = q;
    if (q.scope === 'shared' || memberId === null) query = query.where('owner_id', 'is', null);
    else if (q.scope === 'personal') query = query.where('owner_id', '=', memberId);
    else query = query.where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', memberId)]));
    if (q.language) {
      const language = q.language;
      query = query.where((eb) => eb.or([eb('language', 'is', null), eb('language', '=', language)]));
    }
    if (q.text) {
      // lower() on both sides: LIKE is case-insensitive on SQLite but not on PostgreSQL.
      const like = `%${likeEscape(q.text.toLowerCase())}%`;
      const match = (col: 'shortcut' | 'title' | 'body') => sql<boolean>`lower(${sql.ref(col)}) like ${like} escape '\\'`;
      query = query.where((eb) => eb.or([match('shortcut'), match('title'), match('body')]));
    }
    const rows = await query.orderBy('use_count', 'desc').orderBy('shortcut').orderBy('id').limit(q.limit).execute();
    return rows.map(toReply);
  }

  async save(r: CannedReply, isNew: boolean) {
    try {
      if (isNew) await this.db.insertInto('canned_replies').values(row(r)).execute();
      else {
        const { id, workspace_id, use_count: _u, created_at: _c, created_by: _b, ...rest } = row(r);
        await this.db.updateTable('canned_replies').set(rest).where('workspace_id', '=', workspace_id).where('id', '=', id).execute();
      }
      return true;
    } catch (err) {
      // The shortcut was taken in between the caller's check and this write (unique index).
      if (/unique|duplicate/i.test(String((err as Error).message))) return false;
      throw err;
    }
  }

  async delete(workspaceId: string, id: string) {
    const r = await this.db.deleteFrom('canned_replies').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async incrementUse(workspaceId: string, id: string) {
    await this.db
      .updateTable('canned_replies')
      .set((eb) => ({ use_count: eb('use_count', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }
}

function row(r: CannedReply) {
  return {
    id: r.id,
    workspace_id: r.workspaceId,
    owner_id: r.ownerId,
    shortcut: r.shortcut,
    title: r.title,
    body: r.body,
    language: r.language,
    use_count: r.useCount,
    created_by: r.createdBy,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}
