/** Errors raised by the store. Callers branch on `code`, never on the message. */

export type StoreErrorCode =
  /** The database could not be opened or reached (bad URL, unreachable server, unreadable PGlite directory). */
  | 'DB_OPEN_FAILED'
  /** The PGlite data directory is open in another process (one process at a time); the message names the holder. */
  | 'DB_LOCKED'
  /** Applying the migrations in `db/migrations/` failed; the database is left as it was before the failed one. */
  | 'DB_MIGRATION_FAILED'
  /** A referenced record (server version, crawl run) does not exist. */
  | 'DB_NOT_FOUND'
  /**
   * PostgreSQL: the connection was lost and did not come back within the wait budget (`MCP_CATALOGUE_DB_RETRY_MS`);
   * the operation was not done (its transaction rolled back).
   */
  | 'DB_UNAVAILABLE'
  /** The store was used after `close()`. */
  | 'DB_CLOSED';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
