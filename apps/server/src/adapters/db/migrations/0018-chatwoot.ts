import type { Kysely } from 'kysely';

// The Chatwoot agent bot per workspace, and the Chatwoot messages already answered: Chatwoot retries a
// delivery it thinks failed, and a retried message must not be answered twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chatwoot_integrations')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('account_id', 'integer', (c) => c.notNull())
    .addColumn('inbox_id', 'integer', (c) => c.notNull())
    .addColumn('api_access_token', 'text', (c) => c.notNull())
    .addColumn('webhook_secret', 'text')
    .addColumn('webhook_token', 'text', (c) => c.notNull())
    .addColumn('webhook_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('chatwoot_processed_messages')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('chatwoot_processed_messages_pk', ['workspace_id', 'message_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chatwoot_processed_messages').ifExists().execute();
  await db.schema.dropTable('chatwoot_integrations').ifExists().execute();
}
