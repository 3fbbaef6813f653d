import type { Kysely } from 'kysely';

// Hand-off: the context captured when a conversation goes to people (JSON), and when it joined the
// queue (queue order and waiting time).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('handoff', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('queued_at', 'text').execute();
  await db.schema.createIndex('conversations_queue_idx').on('conversations').columns(['workspace_id', 'status', 'queued_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('conversations_queue_idx').ifExists().execute();
  for (const col of ['queued_at', 'handoff']) await db.schema.alterTable('conversations').dropColumn(col).execute();
}
