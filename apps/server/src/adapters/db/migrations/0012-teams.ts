import type { Kysely } from 'kysely';

// Teams: groups of agents with their own queue. A conversation or ticket given to a team is seen and
// routed only within it (admins see everything); a conversation may also be snoozed until a time.
// `conversation_events` keeps the ownership history (hand-offs, assignments, transfers, snoozes) that
// the REST API lists and agents read in the timeline.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('teams_ws_name_uq', ['workspace_id', 'name'])
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'member_id'])
    .execute();
  await db.schema.createIndex('team_members_member_idx').on('team_members').columns(['workspace_id', 'member_id']).execute();
  await db.schema.alterTable('conversations').addColumn('team_id', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('snoozed_until', 'text').execute();
  await db.schema.createIndex('conversations_ws_team_idx').on('conversations').columns(['workspace_id', 'team_id', 'status']).execute();
  await db.schema.alterTable('tickets').addColumn('team_id', 'text').execute();
  await db.schema
    .createTable('conversation_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversation_events_conv_idx').on('conversation_events').columns(['conversation_id', 'at']).execute();
  await db.schema.createIndex('conversation_events_ws_idx').on('conversation_events').columns(['workspace_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_events').ifExists().execute();
  await db.schema.dropIndex('conversations_ws_team_idx').ifExists().execute();
  for (const col of ['snoozed_until', 'team_id']) await db.schema.alterTable('conversations').dropColumn(col).execute();
  await db.schema.alterTable('tickets').dropColumn('team_id').execute();
  await db.schema.dropTable('team_members').ifExists().execute();
  await db.schema.dropTable('teams').ifExists().execute();
}
