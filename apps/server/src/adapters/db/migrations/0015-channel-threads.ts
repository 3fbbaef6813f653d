import type { Kysely } from 'kysely';

// Channels that speak other systems' protocols (OpenAI, Dify, Rasa, Chatwoot, custom apps) name their
// conversations with their own keys: a Rasa `sender`, an OpenAI `user`, a Chatwoot conversation id.
// One row maps such a key, per channel, to the kefu conversation it continues.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('channel_threads')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_threads_pk', ['workspace_id', 'channel', 'external_id'])
    .execute();
  await db.schema.createIndex('channel_threads_conversation_idx').on('channel_threads').columns(['conversation_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('channel_threads').ifExists().execute();
}
