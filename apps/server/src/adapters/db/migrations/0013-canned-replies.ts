import { type Kysely, sql } from 'kysely';

// Agent workspace: canned replies (shared with the workspace when owner_id is null, else one member's)
// and @mentions of members in internal notes, kept per mentioned member until they read them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('canned_replies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.references('members.id').onDelete('cascade'))
    .addColumn('shortcut', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // A shortcut is unique among the shared replies, and among each member's own; NULLs never collide in a
  // unique index, so the shared scope gets its own partial index.
  await db.schema
    .createIndex('canned_replies_shared_shortcut_uq')
    .on('canned_replies')
    .columns(['workspace_id', 'shortcut'])
    .unique()
    .where(sql.ref('owner_id'), 'is', null)
    .execute();
  await db.schema.createIndex('canned_replies_owner_shortcut_uq').on('canned_replies').columns(['workspace_id', 'owner_id', 'shortcut']).unique().execute();

  await db.schema
    .createTable('mentions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('by_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('mentions_member_idx').on('mentions').columns(['workspace_id', 'member_id', 'created_at']).execute();
  await db.schema.createIndex('mentions_conversation_idx').on('mentions').columns(['conversation_id', 'member_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mentions').ifExists().execute();
  await db.schema.dropTable('canned_replies').ifExists().execute();
}
