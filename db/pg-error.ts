/**
 * Driver errors → store errors. PostgreSQL reports SQLSTATE codes (PostgreSQL documentation, appendix A); drizzle
 * wraps driver errors in `DrizzleQueryError` with the driver's error as `cause`.
 * @internal
 */
import { StoreError } from './errors.ts';

export const FOREIGN_KEY_VIOLATION = '23503';

/** The SQLSTATE on `error` or its `cause` chain. */
export function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** Turns a foreign-key violation into `DB_NOT_FOUND`; passes anything else through. */
export function notFound(error: unknown, message: string): unknown {
  if (error instanceof StoreError || sqlState(error) !== FOREIGN_KEY_VIOLATION) return error;
  return new StoreError('DB_NOT_FOUND', message, { cause: error });
}

/** The row an `INSERT … RETURNING` always returns. */
export function required<T>(row: T | undefined): T {
  if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
  return row;
}
