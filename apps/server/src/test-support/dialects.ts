import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type DatabaseHandle, migrateToLatest } from '../adapters/db/create-database.js';

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated database: SQLite in memory, or a new PostgreSQL schema dropped by `drop`. */
  open(): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }>;
}

const sqlite: TestDialect = {
  name: 'sqlite',
  async open() {
    const handle = createDatabase('sqlite::memory:');
    await migrateToLatest(handle.db);
    return { handle, drop: async () => {} };
  },
};

function postgres(url: string): TestDialect {
  return {
    name: 'postgres',
    async open() {
      const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      const handle = createDatabase(url, { schema });
      await migrateToLatest(handle.db);
      return {
        handle,
        async drop() {
          await handle.close();
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  };
}

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testDialects(): TestDialect[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [sqlite, postgres(url)] : [sqlite];
}

/** Where a whole test server keeps its data: its own SQLite file, or a fresh PostgreSQL schema (dropped by `drop`). */
export interface TestServerDatabase {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ databaseUrl?: string; databaseSchema?: string; drop(): Promise<void> }>;
}

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL is set. */
export function testServerDatabases(): TestServerDatabase[] {
  const url = process.env.TEST_DATABASE_URL;
  const sqliteDb: TestServerDatabase = { name: 'sqlite', open: async () => ({ drop: async () => {} }) };
  if (!url) return [sqliteDb];
  const pgDb: TestServerDatabase = {
    name: 'postgres',
    async open() {
      const schema = `kefu_srv_${randomBytes(6).toString('hex')}`;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`CREATE SCHEMA ${schema}`);
      await c.end();
      return {
        databaseUrl: url,
        databaseSchema: schema,
        async drop() {
          const d = new pg.Client({ connectionString: url });
          await d.connect();
          await d.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await d.end();
        },
      };
    },
  };
  return [sqliteDb, pgDb];
}
