import { createDatabase, migrateToLatest } from '../adapters/db/create-database.js';
import { loadConfig } from '../config/load-config.js';

export async function runMigrate() {
  const config = loadConfig();
  const handle = createDatabase(config.DATABASE_URL);
  try {
    const applied = await migrateToLatest(handle.db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
  } finally {
    await handle.close();
  }
}
