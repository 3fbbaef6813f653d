import type { Kysely, Selectable } from 'kysely';
import type { DocumentChunk, ImportJob, KnowledgeDocument } from '../../../domain/entities.js';
import type { DocumentRepo } from '../../../ports/store.js';
import { parseJson } from '../rows.js';
import type { Database, DocumentChunksTable, DocumentsTable, ImportJobsTable } from '../schema.js';

const toDocument = (r: Selectable<DocumentsTable>): KnowledgeDocument => ({
  id: r.id,
  workspaceId: r.workspace_id,
  source: r.source,
  title: r.title,
  format: r.format,
  sourceHash: r.source_hash,
  chunkCount: Number(r.chunk_count),
  audience: r.audience as KnowledgeDocument['audience'],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toChunk = (r: Selectable<DocumentChunksTable>): DocumentChunk => ({
  id: r.id,
  workspaceId: r.workspace_id,
  documentId: r.document_id,
  index: Number(r.idx),
  text: r.text,
  headingPath: parseJson(r.heading_path, []),
  hash: r.hash,
  createdAt: r.created_at,
});

const toJob = (r: Selectable<ImportJobsTable>): ImportJob => ({
  id: r.id,
  workspaceId: r.workspace_id,
  status: r.status as ImportJob['status'],
  total: Number(r.total),
  processed: Number(r.processed),
  summary: parseJson(r.summary, { created: 0, updated: 0, unchanged: 0, removed: 0, failed: 0, chunks: 0 }),
  errors: parseJson(r.errors, []),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

export class KyselyDocumentRepo implements DocumentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async findBySource(workspaceId: string, source: string) {
    const r = await this.db.selectFrom('documents').selectAll().where('workspace_id', '=', workspaceId).where('source', '=', source).executeTakeFirst();
    return r ? toDocument(r) : null;
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('documents').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toDocument(r) : null;
  }
  async list(workspaceId: string) {
    return (await this.db.selectFrom('documents').selectAll().where('workspace_id', '=', workspaceId).orderBy('source').execute()).map(toDocument);
  }
  async save(d: KnowledgeDocument, isNew: boolean) {
    const values = {
      source: d.source,
      title: d.title,
      format: d.format,
      source_hash: d.sourceHash,
      chunk_count: d.chunkCount,
      audience: d.audience,
      updated_at: d.updatedAt,
    };
    if (isNew)
      await this.db
        .insertInto('documents')
        .values({ ...values, id: d.id, workspace_id: d.workspaceId, created_at: d.createdAt })
        .execute();
    else await this.db.updateTable('documents').set(values).where('workspace_id', '=', d.workspaceId).where('id', '=', d.id).execute();
  }
  async delete(workspaceId: string, id: string) {
    await this.db.deleteFrom('document_chunks').where('workspace_id', '=', workspaceId).where('document_id', '=', id).execute();
    await this.db.deleteFrom('documents').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  }
  async chunksOf(workspaceId: string, documentId: string) {
    const rows = await this.db
      .selectFrom('document_chunks')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('document_id', '=', documentId)
      .orderBy('idx')
      .execute();
    return rows.map(toChunk);
  }
  async replaceChunks(workspaceId: string, documentId: string, keepIds: readonly string[], add: readonly DocumentChunk[]) {
    let del = this.db.deleteFrom('document_chunks').where('workspace_id', '=', workspaceId).where('document_id', '=', documentId);
    if (keepIds.length) del = del.where('id', 'not in', keepIds);
    await del.execute();
    for (const c of add) {
      await this.db
        .insertInto('document_chunks')
        .values({
          id: c.id,
          workspace_id: workspaceId,
          document_id: documentId,
          idx: c.index,
          text: c.text,
          heading_path: JSON.stringify(c.headingPath),
          hash: c.hash,
          created_at: c.createdAt,
        })
        .execute();
    }
  }
  async allChunks(workspaceId: string) {
    const rows = await this.db
      .selectFrom('document_chunks')
      .innerJoin('documents', 'documents.id', 'document_chunks.document_id')
      .selectAll('document_chunks')
      .select(['documents.title as title', 'documents.audience as audience'])
      .where('document_chunks.workspace_id', '=', workspaceId)
      .orderBy('document_chunks.document_id')
      .orderBy('document_chunks.idx')
      .execute();
    return rows.map((r) => ({ ...toChunk(r), title: r.title, audience: r.audience as KnowledgeDocument['audience'] }));
  }
  async saveJob(j: ImportJob, isNew: boolean) {
    const values = {
      status: j.status,
      total: j.total,
      processed: j.processed,
      summary: JSON.stringify(j.summary),
      errors: JSON.stringify(j.errors),
      updated_at: j.updatedAt,
      finished_at: j.finishedAt,
    };
    if (isNew)
      await this.db
        .insertInto('import_jobs')
        .values({ ...values, id: j.id, workspace_id: j.workspaceId, created_at: j.createdAt })
        .execute();
    else await this.db.updateTable('import_jobs').set(values).where('workspace_id', '=', j.workspaceId).where('id', '=', j.id).execute();
  }
  async findJob(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('import_jobs').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : null;
  }
}
