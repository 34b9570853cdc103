/**
 * Embedded backend: PGlite (PostgreSQL compiled to WebAssembly) persisted in a directory, or in memory.
 * @internal
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { StoreError } from './errors.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { serial } from './serial.ts';
import { createStore } from './store.ts';
import type { Store } from '../records/index.ts';

/**
 * Opens (creating if missing) the PGlite database in `dataDir` and applies pending migrations.
 * `dataDir` is a directory path, or `memory://` for a database that lives as long as the store.
 * One process at a time may open a directory. Operations run one at a time (PGlite is one connection).
 * @throws StoreError `DB_OPEN_FAILED`, `DB_MIGRATION_FAILED`
 */
export async function openPgliteStore(dataDir: string): Promise<Store> {
  let client: PGlite;
  try {
    if (!dataDir.startsWith('memory://')) await mkdir(dataDir, { recursive: true });
    client = await PGlite.create(dataDir);
  } catch (cause) {
    throw new StoreError('DB_OPEN_FAILED', `PGlite: cannot open data directory ${dataDir}: ${String(cause)}; check that it is a writable directory that no other process has open`, { cause });
  }
  const db = drizzle({ client });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (cause) {
    await client.close();
    throw new StoreError('DB_MIGRATION_FAILED', `PGlite ${dataDir}: applying migrations from ${MIGRATIONS_FOLDER} failed: ${String(cause)}`, { cause });
  }
  return createStore({ db, run: serial(), close: () => client.close() });
}
