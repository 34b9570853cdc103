/**
 * Embedded backend: PGlite (PostgreSQL compiled to WebAssembly) persisted in a directory, or in memory.
 * @internal
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { backfillListings } from './backfill-listings.ts';
import { lockDirectory, type DirectoryLock } from './dir-lock.ts';
import { StoreError } from './errors.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { serial } from './serial.ts';
import { createStore } from './store.ts';
import type { Store } from '../records/index.ts';

/**
 * Opens (creating if missing) the PGlite database in `dataDir`, applies pending migrations and adds the listings a
 * database crawled before the change history lacks (`backfill-listings.ts`).
 * `dataDir` is a directory path, or `memory://` for a database that lives as long as the store.
 * One process at a time may open a directory: the store holds its lock (`dir-lock.ts`) until `close()` or the
 * process's end, however it ends. Operations run one at a time (PGlite is one connection).
 * @param holder what this process runs (e.g. `mcp-catalogue crawl`), named to a second opener
 * @throws StoreError `DB_LOCKED` when another process has the directory open, `DB_OPEN_FAILED`, `DB_MIGRATION_FAILED`
 */
export async function openPgliteStore(dataDir: string, holder?: string): Promise<Store> {
  let lock: DirectoryLock | undefined;
  let client: PGlite;
  try {
    if (!dataDir.startsWith('memory://')) {
      await mkdir(dataDir, { recursive: true });
      lock = await lockDirectory(dataDir, holder);
    }
    client = await PGlite.create(dataDir);
  } catch (cause) {
    await lock?.release();
    if (cause instanceof StoreError) throw cause;
    throw new StoreError('DB_OPEN_FAILED', `PGlite: cannot open data directory ${dataDir}: ${String(cause)}; check that it is a writable directory`, { cause });
  }
  const close = async () => {
    try {
      await client.close();
    } finally {
      await lock?.release();
    }
  };
  const db = drizzle({ client });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (cause) {
    await close();
    throw new StoreError('DB_MIGRATION_FAILED', `PGlite ${dataDir}: applying migrations from ${MIGRATIONS_FOLDER} failed: ${String(cause)}`, { cause });
  }
  try {
    await backfillListings(db);
  } catch (cause) {
    await close();
    throw new StoreError('DB_MIGRATION_FAILED', `PGlite ${dataDir}: adding listings for introspections stored before the change history failed: ${String(cause)}`, { cause });
  }
  return createStore({ db, run: serial(), close });
}
