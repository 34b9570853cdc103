/**
 * The distributed crawl's queue rules on the real local PostgreSQL, with the crawl step replaced by a handler that
 * stores attempts and returns results as a registry's crawl does (the queue, pg-boss and the store are real):
 * a transient failure is retried with backoff until it lists or runs out of tries, a permanent one is not retried;
 * a job retried after its lease ran out is not crawled again when its first try stored a settled attempt. Runs
 * when DATABASE_URL is set, each test on a database of its own.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeQueue, crawlOnQueue, openQueue, runWorker, type CrawlJob, type PackageResult } from '../crawler/index.ts';
import { failedAttempt, okAttempt, serverInput, tool } from '../db/fixtures.ts';
import { openStore, retrying } from '../db/index.ts';
import type { FailureReason, PackageSpec, Store } from '../records/index.ts';

const adminUrl = process.env.DATABASE_URL;

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!adminUrl)('distributed crawl queue rules (DATABASE_URL)', () => {
  let database: string;
  let databaseUrl: string;
  let store: Store;

  beforeEach(async () => {
    database = `mcp_catalogue_queue_rules_${randomBytes(6).toString('hex')}`;
    await sql(adminUrl!, `create database ${database}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    store = await openStore({ databaseUrl });
  });

  afterEach(async () => {
    await store.close();
    await sql(adminUrl!, `drop database if exists ${database} with (force)`);
  });

  /** Stores an attempt at `spec` in run `crawlRunId` as a crawl does, and returns its result. */
  async function attempt(job: CrawlJob, reason: FailureReason | null): Promise<PackageResult> {
    const spec = (job.target as { spec: PackageSpec }).spec;
    const server = await store.upsertServer(serverInput(spec.name));
    const version = await store.upsertServerVersion(server.id, spec.version);
    const stored = reason === null ? okAttempt([tool('read_note')]) : failedAttempt({ failureReason: reason, failureMessage: `failed: ${reason}` });
    await store.recordIntrospection(version.id, stored, job.crawlRunId);
    return {
      spec: `npm:${spec.name}@${spec.version}`, name: spec.name, version: spec.version, outcome: reason === null ? 'ok' : 'failed', method: reason === null ? 'live-stdio' : 'none',
      failureReason: reason, failureMessage: stored.failureMessage, toolCount: stored.tools.length, durationMs: 1, stderrTail: stored.stderrTail,
      timings: stored.timings, launch: null,
    };
  }

  async function jobStates(): Promise<Array<{ name: string; state: string; retries: number }>> {
    return sql(databaseUrl, `select data->'target'->'spec'->>'name' as name, state::text as state, retry_count as retries from pgboss.job
      where name = 'mcp-catalogue-crawl' order by 1`);
  }

  async function attemptsOf(): Promise<Array<{ identifier: string; n: string }>> {
    return sql(databaseUrl, `select s.identifier, count(*) as n from introspections i join server_versions v on v.id = i.server_version_id
      join servers s on s.id = v.server_id group by s.identifier order by 1`);
  }

  const spec = (name: string): PackageSpec => ({ registry: 'npm', name, version: '1.0.0' });

  it('retries a transient failure with backoff until it lists or runs out of tries; a permanent failure is not retried', async () => {
    const calls = new Map<string, number>();
    const handle = async (job: CrawlJob): Promise<PackageResult> => {
      const name = (job.target as { spec: PackageSpec }).spec.name;
      const n = (calls.get(name) ?? 0) + 1;
      calls.set(name, n);
      if (name === 'flaky') return attempt(job, n === 1 ? 'registry_error' : null);
      if (name === 'broken') return attempt(job, 'no_entry_point');
      if (name === 'down') return attempt(job, 'timed_out');
      return attempt(job, null);
    };
    const settings = { leaseSeconds: 60, retries: 2, retryDelaySeconds: 1 };
    const boss = await openQueue(databaseUrl, settings);
    const workerBoss = await openQueue(databaseUrl, { ...settings, supervise: false });
    const stop = new AbortController();
    const worker = runWorker({ boss: workerBoss, concurrency: 2, retry: retrying(), handle, signal: stop.signal, pollMs: 100, crawl: { store } as never });
    try {
      const result = await crawlOnQueue(['fine', 'flaky', 'broken', 'down'].map(spec), [], { store, boss, retry: retrying(), settings, pollMs: 200, deadlineMs: 60_000 });
      expect(result.queue).toEqual({ drained: true, jobs: { enqueued: 4, alreadyQueued: 0, done: 3, failed: 1, retried: 3, pending: 0 } });
      // The run's summary has the last try of each: `down` failed transiently three times, `flaky` listed on its second.
      expect(result.summary.results.map((r) => [r.name, r.outcome, r.failureReason])).toEqual([
        ['broken', 'failed', 'no_entry_point'], ['down', 'failed', 'timed_out'], ['fine', 'ok', null], ['flaky', 'ok', null],
      ]);
    } finally {
      stop.abort();
      const summary = await worker;
      expect(summary).toMatchObject({ taken: 7, done: 3, failedTransient: 4, abandoned: 0, stoppedBy: 'signal' });
      await closeQueue(workerBoss);
      await closeQueue(boss);
    }
    expect(Object.fromEntries(calls)).toEqual({ fine: 1, flaky: 2, broken: 1, down: 3 });
    expect(await jobStates()).toEqual([
      { name: 'broken', state: 'completed', retries: 0 }, { name: 'down', state: 'failed', retries: 2 },
      { name: 'fine', state: 'completed', retries: 0 }, { name: 'flaky', state: 'completed', retries: 1 },
    ]);
    expect(await attemptsOf()).toEqual([{ identifier: 'broken', n: '1' }, { identifier: 'down', n: '3' }, { identifier: 'fine', n: '1' }, { identifier: 'flaky', n: '2' }]);
  }, 120_000);

  it('a job whose worker hangs after storing its attempt is retried when its lease runs out, and not crawled again', async () => {
    const settings = { leaseSeconds: 2, retries: 2, retryDelaySeconds: 1 };
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    // The first worker stores the attempt, then never marks the job: as if it died between the two.
    const hangs = async (job: CrawlJob): Promise<PackageResult> => {
      calls += 1;
      const result = await attempt(job, null);
      await hung;
      return result;
    };
    const counts = async (job: CrawlJob): Promise<PackageResult> => {
      calls += 1;
      return attempt(job, null);
    };
    const boss = await openQueue(databaseUrl, settings);
    const first = await openQueue(databaseUrl, { ...settings, supervise: false });
    const second = await openQueue(databaseUrl, { ...settings, supervise: false });
    const stopFirst = new AbortController();
    const stopSecond = new AbortController();
    const firstWorker = runWorker({ boss: first, concurrency: 1, retry: retrying(), handle: hangs, signal: stopFirst.signal, pollMs: 100, crawl: { store } as never });
    let secondWorker: ReturnType<typeof runWorker> | undefined;
    try {
      const running = crawlOnQueue([spec('once')], [], { store, boss, retry: retrying(), settings, pollMs: 200, deadlineMs: 60_000 });
      // The second worker starts once the first holds the job.
      for (let i = 0; i < 100 && calls === 0; i++) await new Promise((r) => setTimeout(r, 100));
      stopFirst.abort();
      secondWorker = runWorker({ boss: second, concurrency: 1, retry: retrying(), handle: counts, signal: stopSecond.signal, pollMs: 100, crawl: { store } as never });
      const result = await running;
      expect(result.queue).toEqual({ drained: true, jobs: { enqueued: 1, alreadyQueued: 0, done: 1, failed: 0, retried: 1, pending: 0 } });
    } finally {
      stopSecond.abort();
      release();
      expect(await secondWorker).toMatchObject({ taken: 1, done: 1 });
      await firstWorker;
      await closeQueue(first);
      await closeQueue(second);
      await closeQueue(boss);
    }
    expect(calls).toBe(1);
    expect(await jobStates()).toEqual([{ name: 'once', state: 'completed', retries: 1 }]);
    expect(await attemptsOf()).toEqual([{ identifier: 'once', n: '1' }]);
  }, 120_000);
});
