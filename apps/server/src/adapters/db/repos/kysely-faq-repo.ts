import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { FaqEntry } from '../../../domain/entities.js';
import type { FaqRepo } from '../../../ports/store.js';
import { parseJson } from '../rows.js';
import type { Database, FaqEntriesTable } from '../schema.js';

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
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const contentHash = (e: FaqEntry) =>
  createHash('sha256')
    .update(JSON.stringify([e.question, e.similar, e.answer, e.category, e.language, e.status]))
    .digest('hex');

export class KyselyFaqRepo implements FaqRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Idempotent by external id: importing the same file twice changes nothing. */
  async upsertByExternalId(e: FaqEntry) {
    const hash = contentHash(e);
    const existing = e.externalId
      ? await this.db
          .selectFrom('faq_entries')
          .select(['id', 'content_hash'])
          .where('workspace_id', '=', e.workspaceId)
          .where('external_id', '=', e.externalId)
          .executeTakeFirst()
      : undefined;
    const values = {
      question: e.question,
      similar: JSON.stringify(e.similar),
      answer: e.answer,
      category: e.category,
      language: e.language,
      status: e.status,
      content_hash: hash,
      updated_at: e.updatedAt,
    };
    if (existing) {
      if (existing.content_hash === hash) return 'unchanged';
      await this.db.updateTable('faq_entries').set(values).where('id', '=', existing.id).execute();
      return 'updated';
    }
    await this.db
      .insertInto('faq_entries')
      .values({ ...values, id: e.id, workspace_id: e.workspaceId, external_id: e.externalId, created_at: e.createdAt })
      .execute();
    return 'created';
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
}
