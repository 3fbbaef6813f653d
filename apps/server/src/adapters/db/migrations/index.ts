import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';

/** Migrations are compiled into the build (no directory scanning), in order. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { '0001-foundation': m0001 };
  },
};
