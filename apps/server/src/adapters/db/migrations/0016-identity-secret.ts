import type { Kysely } from 'kysely';

// Identity verification for the embedded widget: a per-workspace secret the customer's site uses to sign
// its user ids (HMAC-SHA256). Stored encrypted with APP_SECRET; created on first use.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('identity_secret', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('identity_secret').execute();
}
