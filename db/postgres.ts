/**
 * Server backend: PostgreSQL through a `pg` connection pool.
 * @internal
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { StoreError } from './errors.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { concurrent } from './serial.ts';
import { createStore } from './store.ts';
import type { Store } from '../records/index.ts';

/** Key of the session advisory lock held while migrating, so concurrent openers migrate one after the other. */
const MIGRATION_LOCK_KEY = 4_242_021_337;

/**
 * Connects to `databaseUrl` (`postgresql://user@host:5432/db`) and applies pending migrations under an advisory
 * lock. Operations run concurrently on the pool.
 * @throws StoreError `DB_OPEN_FAILED`, `DB_MIGRATION_FAILED`
 */
export async function openPostgresStore(databaseUrl: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  // An idle client that loses its connection is dropped by the pool; without a listener the error would crash us.
  pool.on('error', () => undefined);
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (cause) {
    await pool.end();
    throw new StoreError('DB_OPEN_FAILED', `PostgreSQL ${redact(databaseUrl)}: cannot connect: ${String(cause)}; check DATABASE_URL and that the server is up`, { cause });
  }
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (cause) {
    client.release(true);
    await pool.end();
    throw new StoreError('DB_MIGRATION_FAILED', `PostgreSQL ${redact(databaseUrl)}: applying migrations from ${MIGRATIONS_FOLDER} failed: ${String(cause)}`, { cause });
  }
  client.release();
  return createStore({ db: drizzle({ client: pool }), run: concurrent, close: () => pool.end() });
}

/** The URL without its password, for messages. */
function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}
