/**
 * Server backend: PostgreSQL through a `pg` connection pool.
 * @internal
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { StoreError } from './errors.ts';
import { backfillListings } from './backfill-listings.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { DEFAULT_DB_RETRY_MS, retrying } from './reconnect.ts';
import { concurrent } from './serial.ts';
import { createStore } from './store.ts';
import type { Store } from '../records/index.ts';

/** Key of the session advisory lock held while migrating, so concurrent openers migrate one after the other. */
const MIGRATION_LOCK_KEY = 4_242_021_337;

/** Longest wait, in milliseconds, for a connection from the pool (a new one, or a free one when all are busy). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A pool whose clients never raise an unhandled 'error' event and are never lost to it. `pg` emits 'error' on a
 * client whose connection dies; the pool listens only while the client is idle, and a client handed out for a
 * transaction (drizzle's `transaction()` takes one with `connect()`) has no listener then, so a restart of the
 * server would crash the process. Every client gets a listener when it connects; a client handed out by `connect()`
 * is given back to the pool, as broken, as soon as its connection dies (drizzle does not give back a client whose
 * `begin` failed), and giving it back twice is harmless.
 */
class GuardedPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    this.on('error', () => undefined); // an idle client lost its connection: the pool drops it
    this.on('connect', (client) => client.on('error', () => undefined));
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    // The callback form is the pool's own `query()`, which guards its client itself.
    if (callback) return super.connect(callback);
    return super.connect().then((client) => {
      const release = client.release.bind(client);
      let released = false;
      const giveBack = (error?: Error | boolean) => {
        if (released) return;
        released = true;
        client.removeListener('error', onError);
        release(error);
      };
      const onError = (error: Error) => giveBack(error);
      client.on('error', onError);
      client.release = giveBack;
      return client;
    });
  }
}

export interface PostgresStoreOptions {
  /**
   * Longest wait, in milliseconds, for a lost connection to come back before a store operation fails with
   * `DB_UNAVAILABLE` (`MCP_CATALOGUE_DB_RETRY_MS`); 0 fails at once. @default 60000
   */
  retryMs?: number;
}

/**
 * Connects to `databaseUrl` (`postgresql://user@host:5432/db`) and applies pending migrations under an advisory
 * lock, then, under the same lock, adds the listings a database crawled before the change history lacks
 * (`backfill-listings.ts`). Operations run concurrently on the pool. An operation whose connection is lost (a server restart, a dropped
 * connection: `reconnect.ts`) rolls back and is run again, with backoff, for up to `retryMs`.
 * @throws StoreError `DB_OPEN_FAILED`, `DB_MIGRATION_FAILED`; the store's operations `DB_UNAVAILABLE` when the
 *   database stays unreachable for longer than `retryMs`
 */
export async function openPostgresStore(databaseUrl: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new GuardedPool({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
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
      await backfillListings(drizzle({ client }));
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (cause) {
    client.release(true);
    await pool.end();
    throw new StoreError('DB_MIGRATION_FAILED', `PostgreSQL ${redact(databaseUrl)}: applying migrations from ${MIGRATIONS_FOLDER} failed: ${String(cause)}`, { cause });
  }
  client.release();
  const retry = retrying({ budgetMs: options.retryMs ?? DEFAULT_DB_RETRY_MS });
  return createStore({ db: drizzle({ client: pool }), run: concurrent, retry, close: () => pool.end() });
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
