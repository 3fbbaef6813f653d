import type { Kysely } from 'kysely';

// SLA clocks: conversations and tickets keep their clocks as JSON, with the next moment the sweep must
// look at them (indexed: the sweep reads only rows that are due) and the worst open clock (inbox
// filters and counts). `sla_events` keeps every warning, breach and in-time stop for history and reports.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['conversations', 'tickets']) {
    await db.schema.alterTable(table).addColumn('sla', 'text').execute();
    await db.schema.alterTable(table).addColumn('sla_next_at', 'text').execute();
    await db.schema.alterTable(table).addColumn('sla_flag', 'text').execute();
    await db.schema.createIndex(`${table}_sla_next_idx`).on(table).column('sla_next_at').execute();
    await db.schema.createIndex(`${table}_ws_sla_flag_idx`).on(table).columns(['workspace_id', 'sla_flag']).execute();
  }
  await db.schema
    .createTable('sla_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text')
    .addColumn('ticket_id', 'text')
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('priority', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sla_events_ws_at_idx').on('sla_events').columns(['workspace_id', 'at']).execute();
  await db.schema.createIndex('sla_events_conversation_idx').on('sla_events').column('conversation_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sla_events').ifExists().execute();
  for (const table of ['tickets', 'conversations']) {
    await db.schema.dropIndex(`${table}_ws_sla_flag_idx`).ifExists().execute();
    await db.schema.dropIndex(`${table}_sla_next_idx`).ifExists().execute();
    for (const col of ['sla_flag', 'sla_next_at', 'sla']) await db.schema.alterTable(table).dropColumn(col).execute();
  }
}
