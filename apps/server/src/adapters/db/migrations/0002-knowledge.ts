import type { Kysely } from 'kysely';

// FAQ entries gain what the knowledge base manages (tags, variants, validity, audience, a version
// number); every change keeps a snapshot in faq_versions; synonyms and a user dictionary per workspace.
// SQLite adds one column per ALTER statement, so each column is its own statement.
export async function up(db: Kysely<unknown>): Promise<void> {
  const faq = () => db.schema.alterTable('faq_entries');
  await faq()
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await faq()
    .addColumn('variants', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await faq().addColumn('valid_from', 'text').execute();
  await faq().addColumn('valid_until', 'text').execute();
  await faq()
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo('public'))
    .execute();
  await faq()
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await faq().addColumn('updated_by', 'text').execute();
  await db.schema.createIndex('faq_entries_ws_updated_idx').on('faq_entries').columns(['workspace_id', 'updated_at']).execute();

  await db.schema
    .createTable('faq_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('faq_entries.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('faq_versions_entry_version_uq', ['entry_id', 'version'])
    .execute();

  await db.schema
    .createTable('knowledge_synonyms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('terms', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('knowledge_synonyms_ws_idx').on('knowledge_synonyms').column('workspace_id').execute();

  await db.schema
    .createTable('knowledge_dictionary')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('knowledge_dictionary_ws_word_uq', ['workspace_id', 'word'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['knowledge_dictionary', 'knowledge_synonyms', 'faq_versions']) await db.schema.dropTable(t).ifExists().execute();
  await db.schema.dropIndex('faq_entries_ws_updated_idx').ifExists().execute();
  for (const c of ['updated_by', 'version', 'audience', 'valid_until', 'valid_from', 'variants', 'tags']) {
    await db.schema.alterTable('faq_entries').dropColumn(c).execute();
  }
}
