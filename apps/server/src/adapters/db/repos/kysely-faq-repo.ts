import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { FaqEntry, FaqSnapshot, FaqVersion } from '../../../domain/entities.js';
import type { FaqListQuery, FaqRepo } from '../../../ports/store.js';
import { parseJson, readCursor, toPage } from '../rows.js';
import type { Database, FaqEntriesTable, FaqVersionsTable } from '../schema.js';

const toEntry = (r: Selectable<FaqEntriesTable>): FaqEntry => ({
  id: r.id,
  workspaceId: r.workspace_id,
  externalId: r.external_id,
  question: r.question,
  similar: parseJson(r.similar, []),
  answer: r.answer,
  category: r.category,
  language: r.language,
  status: r.status as FaqEntry['status'],
  tags: parseJson(r.tags, []),
  variants: parseJson(r.variants, []),
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  audience: r.audience as FaqEntry['audience'],
  version: Number(r.version),
  updatedBy: r.updated_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toVersion = (r: Selectable<FaqVersionsTable>): FaqVersion => ({
  id: r.id,
  workspaceId: r.workspace_id,
  entryId: r.entry_id,
  version: Number(r.version),
  change: r.change as FaqVersion['change'],
  snapshot: parseJson(r.snapshot, {} as FaqSnapshot),
  authorId: r.author_id,
  createdAt: r.created_at,
});

export function snapshotOf(e: FaqSnapshot): FaqSnapshot {
  return {
    externalId: e.externalId,
    question: e.question,
    similar: e.similar,
    answer: e.answer,
    category: e.category,
    language: e.language,
    status: e.status,
    tags: e.tags,
    variants: e.variants,
    validFrom: e.validFrom,
    validUntil: e.validUntil,
    audience: e.audience,
  };
}

/** Hash of the content (not of ids, versions or times): an import of unchanged content changes nothing. */
export const contentHash = (e: FaqSnapshot) =>
  createHash('sha256')
    .update(JSON.stringify(snapshotOf(e)))
    .digest('hex');

const contentColumns = (e: FaqEntry) => ({
  external_id: e.externalId,
  question: e.question,
  similar: JSON.stringify(e.similar),
  answer: e.answer,
  category: e.category,
  language: e.language,
  status: e.status,
  tags: JSON.stringify(e.tags),
  variants: JSON.stringify(e.variants),
  valid_from: e.validFrom,
  valid_until: e.validUntil,
  audience: e.audience,
  version: e.version,
  updated_by: e.updatedBy,
  content_hash: contentHash(e),
  updated_at: e.updatedAt,
});

export class KyselyFaqRepo implements FaqRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(e: FaqEntry) {
    await this.db
      .insertInto('faq_entries')
      .values({ ...contentColumns(e), id: e.id, workspace_id: e.workspaceId, created_at: e.createdAt })
      .execute();
  }
  /** Saves the entry only if it is still at `version - 1` (optimistic locking); false when it is not. */
  async update(e: FaqEntry) {
    const r = await this.db
      .updateTable('faq_entries')
      .set(contentColumns(e))
      .where('workspace_id', '=', e.workspaceId)
      .where('id', '=', e.id)
      .where('version', '=', e.version - 1)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('faq_entries').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toEntry(r) : null;
  }
  async findByExternalId(workspaceId: string, externalId: string) {
    const r = await this.db
      .selectFrom('faq_entries')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return r ? toEntry(r) : null;
  }
  /** Most recently changed first; the cursor is (updated_at, id) of the last item. */
  async list(workspaceId: string, q: FaqListQuery) {
    let query = this.db.selectFrom('faq_entries').selectAll().where('workspace_id', '=', workspaceId);
    if (q.status?.length) query = query.where('status', 'in', q.status);
    if (q.category) query = query.where('category', '=', q.category);
    if (q.audience) query = query.where('audience', '=', q.audience);
    // Tags are a JSON array in text: match the quoted tag, which cannot occur inside another tag.
    if (q.tag) query = query.where('tags', 'like', `%${likeEscape(JSON.stringify(q.tag))}%`);
    if (q.text) {
      const like = `%${likeEscape(q.text)}%`;
      query = query.where((eb) =>
        eb.or([eb('question', 'like', like), eb('similar', 'like', like), eb('answer', 'like', like), eb('external_id', 'like', like)]),
      );
    }
    if (q.cursor) {
      const [at, id] = readCursor(q.cursor, 2) as [string, string];
      query = query.where((eb) => eb.or([eb('updated_at', '<', at), eb.and([eb('updated_at', '=', at), eb('id', '<', id)])]));
    }
    const rows = await query
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toEntry, (e) => [e.updatedAt, e.id]);
  }
  async listPublished(workspaceId: string) {
    const rows = await this.db
      .selectFrom('faq_entries')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'published')
      .orderBy('id')
      .execute();
    return rows.map(toEntry);
  }
  async count(workspaceId: string) {
    const r = await this.db
      .selectFrom('faq_entries')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async addVersion(v: FaqVersion) {
    await this.db
      .insertInto('faq_versions')
      .values({
        id: v.id,
        workspace_id: v.workspaceId,
        entry_id: v.entryId,
        version: v.version,
        change: v.change,
        snapshot: JSON.stringify(v.snapshot),
        author_id: v.authorId,
        created_at: v.createdAt,
      })
      .execute();
  }
  async listVersions(workspaceId: string, entryId: string) {
    const rows = await this.db
      .selectFrom('faq_versions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('entry_id', '=', entryId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map(toVersion);
  }
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
