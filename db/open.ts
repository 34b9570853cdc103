/** Opens the store on the backend the options choose. */
import { openPgliteStore } from './pglite.ts';
import { openPostgresStore } from './postgres.ts';
import type { Store } from '../records/index.ts';

/** The PGlite directory when neither option is given, relative to the working directory. */
export const DEFAULT_DATA_DIR = './data/pglite';

export interface OpenStoreOptions {
  /**
   * PGlite data directory, created if missing; `memory://` keeps the database in memory until `close()`.
   * Ignored when `databaseUrl` is set.
   * @default "./data/pglite"
   */
  dataDir?: string;
  /** PostgreSQL connection URL (`DATABASE_URL`); when set, the store uses PostgreSQL through `pg`. @default undefined */
  databaseUrl?: string;
}

/**
 * Opens the store and brings its schema up to date (migrations in `db/migrations/`): PostgreSQL when `databaseUrl`
 * is given, else embedded PGlite in `dataDir`. Close it with `store.close()`.
 * @throws StoreError `DB_OPEN_FAILED` when the database cannot be opened or reached, `DB_MIGRATION_FAILED`.
 * @example
 * const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: resolve('data/pglite') });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) return openPostgresStore(options.databaseUrl);
  return openPgliteStore(options.dataDir ?? DEFAULT_DATA_DIR);
}
