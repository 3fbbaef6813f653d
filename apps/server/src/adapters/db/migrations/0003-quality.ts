import type { Kysely } from 'kysely';

// The quality loop: how often each FAQ entry answers, and what customers said about those answers.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('faq_stats')
    .addColumn('entry_id', 'text', (c) => c.primaryKey().references('faq_entries.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('helpful', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_helpful', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_hit_at', 'text')
    .execute();
  await db.schema.createIndex('faq_stats_ws_idx').on('faq_stats').column('workspace_id').execute();

  await db.schema
    .createTable('message_feedback')
    .addColumn('message_id', 'text', (c) => c.primaryKey().references('messages.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text')
    .addColumn('helpful', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_feedback').ifExists().execute();
  await db.schema.dropTable('faq_stats').ifExists().execute();
}
