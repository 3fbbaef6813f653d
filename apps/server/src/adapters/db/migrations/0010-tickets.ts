import type { Kysely } from 'kysely';

// Tickets: work that outlives a chat (out of hours, waiting for a warehouse, a refund under review),
// numbered per workspace, with comments; public ones reach the customer in the linked conversation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('conversation_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('solved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('tickets_ws_number_uq', ['workspace_id', 'number'])
    .execute();
  await db.schema.createIndex('tickets_ws_status_idx').on('tickets').columns(['workspace_id', 'status', 'updated_at']).execute();
  await db.schema.createIndex('tickets_conversation_idx').on('tickets').columns(['conversation_id']).execute();
  await db.schema
    .createTable('ticket_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('author_type', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_comments_ticket_idx').on('ticket_comments').columns(['ticket_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ticket_comments').ifExists().execute();
  await db.schema.dropTable('tickets').ifExists().execute();
}
