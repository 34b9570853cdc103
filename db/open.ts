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
  /**
   * What this process runs (e.g. `mcp-catalogue crawl`), recorded while it holds a PGlite data directory so that a
   * second opener's `DB_LOCKED` message names it. @default the script's file name
   */
  holder?: string;
  /**
   * PostgreSQL only: longest wait, in milliseconds, for a lost connection to come back (a server restart) before an
   * operation fails with `DB_UNAVAILABLE` (`MCP_CATALOGUE_DB_RETRY_MS`); 0 fails at once. @default 60000
   */
  retryMs?: number;
}

/**
 * Opens the store and brings its schema up to date (migrations in `db/migrations/`): PostgreSQL when `databaseUrl`
 * is given, else embedded PGlite in `dataDir`, which one process at a time may hold open. Close it with `store.close()`.
 * @throws StoreError `DB_OPEN_FAILED` when the database cannot be opened or reached, `DB_LOCKED` when another process
 *   has the PGlite directory open (the message names its pid, command and start time), `DB_MIGRATION_FAILED`; on
 *   PostgreSQL, the store's operations `DB_UNAVAILABLE` when a lost connection stays lost for longer than `retryMs`.
 * @example
 * const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: resolve('data/pglite') });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) return openPostgresStore(options.databaseUrl, { retryMs: options.retryMs });
  return openPgliteStore(options.dataDir ?? DEFAULT_DATA_DIR, options.holder);
}
