import type { Kysely } from 'kysely';

// Dialogue: flows (current version + history), actions (HTTP connectors with encrypted secrets), and
// per conversation the dialogue state (active flow, slots, recent turns, topic), tags and priority.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('flows_ws_key_uq', ['workspace_id', 'key'])
    .execute();
  await db.schema
    .createTable('flow_versions')
    .addColumn('flow_id', 'text', (c) => c.notNull().references('flows.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_versions_pk', ['flow_id', 'version'])
    .execute();
  await db.schema
    .createTable('actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The connector's settings (JSON); secret header values are not in it.
    .addColumn('config', 'text', (c) => c.notNull())
    // Secret values by name, encrypted with the app secret (AES-256-GCM, JSON of base64 fields).
    .addColumn('secrets', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('actions_ws_key_uq', ['workspace_id', 'key'])
    .execute();
  await db.schema.alterTable('conversations').addColumn('dialogue', 'text').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const col of ['priority', 'tags', 'dialogue']) await db.schema.alterTable('conversations').dropColumn(col).execute();
  for (const t of ['actions', 'flow_versions', 'flows']) await db.schema.dropTable(t).ifExists().execute();
}
