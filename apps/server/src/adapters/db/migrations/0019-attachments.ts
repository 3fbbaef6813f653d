import { type Kysely, sql } from 'kysely';

// Files sent in conversations, kept in the database itself: every instance serves every file, backups
// hold them, and there is no storage service to run. Only the hash of each file's capability key is
// stored. A conversation's files go with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  // PostgreSQL has no BLOB type, SQLite no BYTEA (it would take the name but give the column numeric affinity).
  const binary = (await isPostgres(db)) ? 'bytea' : 'blob';
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('bytes', binary, (c) => c.notNull())
    .addColumn('uploader_type', 'text', (c) => c.notNull())
    .addColumn('uploader_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_conversation_idx').on('attachments').column('conversation_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('attachments').ifExists().execute();
}

/** `version()` exists on PostgreSQL only; a failed statement does no harm on SQLite (no DDL transaction there). */
async function isPostgres(db: Kysely<unknown>): Promise<boolean> {
  try {
    const r = await sql<{ v: string }>`select version() as v`.execute(db);
    return /postgres/i.test(r.rows[0]?.v ?? '');
  } catch {
    return false;
  }
}
