/**
 * Riding out a lost PostgreSQL connection (a restart, a failover, a dropped TCP connection): which errors mean the
 * connection was lost, and a wrapper that runs a store operation again, with backoff, until it succeeds or the wait
 * budget is spent. Only operations that are safe to run again go through it: each store operation is one statement
 * or one transaction, which PostgreSQL rolls back when its connection is lost, and the operations that insert a row
 * check on a retry whether the first try's commit went through (its acknowledgement may be what was lost).
 * @internal
 */
import { StoreError } from './errors.ts';
import { sqlState } from './pg-error.ts';

/** Environment variable with the longest wait, in milliseconds, for the database to come back. */
export const DB_RETRY_ENV = 'MCP_CATALOGUE_DB_RETRY_MS';
/** Default of {@link DB_RETRY_ENV}: one minute, longer than a PostgreSQL restart. */
export const DEFAULT_DB_RETRY_MS = 60_000;

/** System error codes of a socket to the database that was refused, reset, cut or timed out. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** SQLSTATEs of a server going away or not yet back (PostgreSQL "Appendix A. Error Codes", class 57). */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);
/**
 * Messages of the `pg` driver and pool for a connection that is gone or could not be had; the driver gives these
 * errors no code.
 */
const DRIVER_MESSAGES = /^(?:Connection terminated|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect)/;

/**
 * Whether `error` (or its `cause` chain) says the connection to PostgreSQL was lost or could not be made, so the
 * operation did not complete (or its outcome is unknown) and may be run again: SQLSTATE class 08 (connection
 * exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now; a refused, reset or timed-out
 * socket; the driver's "Connection terminated…". Any other error (a constraint, a syntax error, a closed store) is
 * not: running it again would fail the same way.
 */
export function isConnectionLost(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined && (state.startsWith('08') || SHUTDOWN_STATES.has(state))) return true;
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth++) {
    if (current instanceof StoreError) return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
    if (DRIVER_MESSAGES.test(current.message)) return true;
    // An AggregateError (a host with several addresses, each refused) carries its errors apart from `cause`.
    if (current instanceof AggregateError && current.errors.some(isConnectionLost)) return true;
  }
  return false;
}

export interface RetryOptions {
  /** Longest time, in milliseconds, an operation waits for the database from its first lost connection. @default 60000 */
  budgetMs?: number;
  /** First pause between tries, in milliseconds; doubles each try. @default 250 */
  firstDelayMs?: number;
  /** Longest pause between tries, in milliseconds. @default 5000 */
  maxDelayMs?: number;
  /** Called before each pause, with the operation's name, the try that failed (1-based) and its error. */
  onRetry?: (name: string, attempt: number, error: unknown) => void;
}

/** An operation run by {@link retrying}: `retried` is true from its second try on. */
export type Retryable<T> = (retried: boolean) => Promise<T>;

/** Runs store operation `name`, trying it again while its connection is lost; see {@link retrying}. */
export type RetryRunner = <T>(name: string, operation: Retryable<T>) => Promise<T>;

/**
 * Returns a runner that tries an operation again, after 250 ms, 500 ms, 1 s, … (at most `maxDelayMs`), whenever it
 * fails with a lost connection ({@link isConnectionLost}), for at most `budgetMs` from the first failure. Any other
 * error is thrown at once.
 * @throws StoreError `DB_UNAVAILABLE` when the connection is still lost after `budgetMs`; its message names the
 *   operation and the driver's last error, its `cause` is the last error.
 */
export function retrying(options: RetryOptions = {}): RetryRunner {
  const budgetMs = options.budgetMs ?? DEFAULT_DB_RETRY_MS;
  const firstDelayMs = options.firstDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  return async <T>(name: string, operation: Retryable<T>): Promise<T> => {
    let firstFailure: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation(attempt > 1);
      } catch (error) {
        if (!isConnectionLost(error)) throw error;
        firstFailure ??= performance.now();
        const waited = performance.now() - firstFailure;
        if (waited >= budgetMs) {
          throw new StoreError(
            'DB_UNAVAILABLE',
            `PostgreSQL unreachable for ${(waited / 1000).toFixed(1)} s (${DB_RETRY_ENV}=${budgetMs}); store.${name}() was not done: ${firstLine(error)}`,
            { cause: error },
          );
        }
        options.onRetry?.(name, attempt, error);
        const pause = Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1), budgetMs - waited);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, pause)));
      }
    }
  };
}

/** The first line of the innermost error in `error`'s cause chain (the driver's, not drizzle's "Failed query: …"). */
function firstLine(error: unknown): string {
  let innermost = error;
  for (let depth = 0; innermost instanceof Error && innermost.cause instanceof Error && depth < 8; depth++) innermost = innermost.cause;
  const text = innermost instanceof Error ? innermost.message : String(innermost);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
