/**
 * Whether an error means the database can no longer be reached: the store closed, not openable or unreachable past
 * its wait budget (`DB_UNAVAILABLE`), a connection refused, reset or terminated, SQLSTATE class 08 (connection
 * exception) or 57P01–57P03 (administrator or crash shutdown, cannot connect now; PostgreSQL "Appendix A. Error
 * Codes").
 */
import { StoreError } from './errors.ts';
import { sqlState } from './pg-error.ts';

/** System error codes that mean a database connection is gone, when the error came through a database query. */
const CONNECTION_LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** Messages of the `pg` driver and PGlite for a connection or database that is gone. */
const DATABASE_GONE = /^(?:Connection terminated|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|PGlite is closed)/;

/** Whether `error` (or its `cause` chain) says the database can no longer be reached; the crawl stops on it (`crawler/contain.ts`). */
export function isDatabaseGone(error: unknown): boolean {
  const errors = chain(error);
  if (errors.some((e) => e instanceof StoreError && (e.code === 'DB_CLOSED' || e.code === 'DB_OPEN_FAILED' || e.code === 'DB_UNAVAILABLE'))) return true;
  const state = sqlState(error);
  if (state !== undefined && (state.startsWith('08') || ['57P01', '57P02', '57P03'].includes(state))) return true;
  if (errors.some((e) => DATABASE_GONE.test(e.message))) return true;
  // A refused or reset connection is the database's only when it came through a query (drizzle wraps those).
  const query = errors.findIndex((e) => e.name === 'DrizzleQueryError' || e.message.startsWith('Failed query:'));
  return query >= 0 && errors.slice(query).some((e) => CONNECTION_LOST.has(String((e as { code?: unknown }).code)));
}

/** `error` and its causes, Errors only, at most 8 deep. */
function chain(error: unknown): Error[] {
  const out: Error[] = [];
  for (let current = error; current instanceof Error && out.length < 8; current = current.cause) out.push(current);
  return out;
}
