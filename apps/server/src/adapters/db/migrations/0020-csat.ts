import type { Kysely } from 'kysely';

// Satisfaction ratings (CSAT): one per conversation, replaced when the customer rates again, with who had
// the conversation when it was rated so reports can group by agent and team.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversation_ratings')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('team_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_ratings_ws_updated_idx').on('conversation_ratings').columns(['workspace_id', 'updated_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_ratings').ifExists().execute();
}
