import type { Kysely } from 'kysely';

// The language model at work: which actions it may run as tools, and its token use per workspace,
// day, model and purpose (answers, intent checks, summaries…), for cost reports.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('actions')
    .addColumn('llm_tool', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('llm_usage')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('input_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('llm_usage_pk', ['workspace_id', 'day', 'model', 'purpose'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('llm_usage').ifExists().execute();
  await db.schema.alterTable('actions').dropColumn('llm_tool').execute();
}
