import type { Kysely } from 'kysely';

// Routing: whether an agent takes conversations now (presence), how many at once (capacity), and what
// they are good at (skills, for skill-based routing).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('members')
    .addColumn('presence', 'text', (c) => c.notNull().defaultTo('offline'))
    .execute();
  await db.schema
    .alterTable('members')
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(5))
    .execute();
  await db.schema
    .alterTable('members')
    .addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.alterTable('members').addColumn('last_assigned_at', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const col of ['last_assigned_at', 'skills', 'capacity', 'presence']) await db.schema.alterTable('members').dropColumn(col).execute();
}
