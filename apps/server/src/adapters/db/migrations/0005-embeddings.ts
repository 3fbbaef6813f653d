import type { Kysely } from 'kysely';

// Dense vectors for retrieval, addressed by the hash of the text they embed and the model that made
// them: an unchanged text is never embedded twice, and switching models keeps the old vectors apart.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('embeddings')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('dims', 'integer', (c) => c.notNull())
    // Little-endian float32, base64: the same column type on SQLite and PostgreSQL.
    .addColumn('vector', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('embeddings_pk', ['workspace_id', 'model', 'text_hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('embeddings').ifExists().execute();
}
