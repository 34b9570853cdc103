/**
 * Which errors mean a lost PostgreSQL connection (and are tried again), and the retry runner's backoff, budget and
 * `DB_UNAVAILABLE`. The errors are built in the shapes `pg` and drizzle throw: a `DatabaseError` with a SQLSTATE
 * `code`, a socket error with a system `code`, the driver's own messages, drizzle's `DrizzleQueryError` wrapping
 * either as `cause`.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from './errors.ts';
import { isConnectionLost, retrying } from './reconnect.ts';

/** A `pg` DatabaseError: a message from the server and its SQLSTATE. */
function databaseError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'error', code, severity: 'FATAL' });
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
}

/** drizzle's wrapper around a failed query. */
function queryError(cause: unknown): Error {
  return Object.assign(new Error('Failed query: insert into "introspections" …\nparams: 1', { cause }), { name: 'DrizzleQueryError' });
}

describe('isConnectionLost', () => {
  it.each([
    ['57P01 admin_shutdown', databaseError('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash_shutdown', databaseError('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot_connect_now', databaseError('57P03', 'the database system is starting up')],
    ['08006 connection_failure', databaseError('08006', 'connection failure')],
    ['08001 unable to connect', databaseError('08001', 'could not connect')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ECONNRESET', socketError('ECONNRESET')],
    ['EPIPE', socketError('EPIPE')],
    ['Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['not queryable', new Error('Client has encountered a connection error and is not queryable')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped by drizzle', queryError(databaseError('57P01', 'terminating connection due to administrator command'))],
    ['a socket error wrapped by drizzle', queryError(socketError('ECONNRESET'))],
    ['every address refused', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], '')],
  ])('%s: lost, tried again', (_label, error) => {
    expect(isConnectionLost(error)).toBe(true);
  });

  it.each([
    ['23505 unique_violation', databaseError('23505', 'duplicate key value violates unique constraint')],
    ['23503 foreign_key_violation wrapped', queryError(databaseError('23503', 'violates foreign key constraint'))],
    ['42601 syntax_error', databaseError('42601', 'syntax error at or near "selec"')],
    ['57014 query_canceled', databaseError('57014', 'canceling statement due to statement timeout')],
    ['53300 too_many_connections', databaseError('53300', 'sorry, too many clients already')],
    ['a closed store', new StoreError('DB_CLOSED', 'store.upsertServer(): the store is closed')],
    ['a missing row', new StoreError('DB_NOT_FOUND', 'no server version with id 7')],
    ['a bug of ours', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'Connection terminated'],
    ['undefined', undefined],
  ])('%s: not lost, thrown at once', (_label, error) => {
    expect(isConnectionLost(error)).toBe(false);
  });
});

describe('retrying', () => {
  const fast = { firstDelayMs: 5, maxDelayMs: 20 };

  it('tries again while the connection is lost, telling the operation it is a retry, and returns its result', async () => {
    const seen: boolean[] = [];
    const retries: number[] = [];
    const run = retrying({ ...fast, budgetMs: 5000, onRetry: (_name, attempt) => retries.push(attempt) });
    const result = await run('upsertServer', async (retried) => {
      seen.push(retried);
      if (seen.length < 4) throw seen.length % 2 ? socketError('ECONNREFUSED') : new Error('Connection terminated unexpectedly');
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(seen).toEqual([false, true, true, true]);
    expect(retries).toEqual([1, 2, 3]);
  });

  it('throws any other error at once, without a second try', async () => {
    let tries = 0;
    const run = retrying({ ...fast, budgetMs: 5000 });
    const unique = databaseError('23505', 'duplicate key value violates unique constraint');
    await expect(run('saveClassification', async () => {
      tries++;
      throw unique;
    })).rejects.toBe(unique);
    expect(tries).toBe(1);
  });

  it('gives up with DB_UNAVAILABLE, naming the operation and the last error, once the budget is spent', async () => {
    let tries = 0;
    const run = retrying({ ...fast, budgetMs: 120 });
    const started = performance.now();
    const error = await run('recordIntrospection', async () => {
      tries++;
      throw queryError(socketError('ECONNREFUSED'));
    }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'DB_UNAVAILABLE' });
    expect((error as Error).message).toMatch(/^PostgreSQL unreachable for 0\.\d s \(MCP_CATALOGUE_DB_RETRY_MS=120\); store\.recordIntrospection\(\) was not done: connect ECONNREFUSED 127\.0\.0\.1:5432$/);
    expect((error as Error).cause).toMatchObject({ name: 'DrizzleQueryError', cause: { code: 'ECONNREFUSED' } });
    expect(tries).toBeGreaterThanOrEqual(2); // 5, 10, 20, 20 … ms apart, fewer when timers run late under load
    expect(elapsed).toBeGreaterThanOrEqual(115);
  });

  it('with a budget of 0, fails on the first lost connection', async () => {
    let tries = 0;
    const run = retrying({ ...fast, budgetMs: 0 });
    await expect(run('catalogue', async () => {
      tries++;
      throw new Error('Connection terminated unexpectedly');
    })).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
    expect(tries).toBe(1);
  });
});
