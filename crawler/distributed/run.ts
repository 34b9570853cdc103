/**
 * The crawl stage of a run on the distributed queue: one crawl run in the store, one job per planned unit of work
 * (`job.ts`), then a wait until every job of the run has ended (done, or failed with no tries left) or the deadline
 * passed, and the run's summary made from the outcomes the workers stored on the jobs. The crawling itself is done by
 * workers (`worker.ts`), in this process's children or on other machines.
 */
import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { FailureReason, PackageSpec, Store } from '../../records/index.ts';
import type { RetryRunner } from '../../db/index.ts';
import { emptyTimings } from '../attempt.ts';
import type { RemoteServer } from '../registries/index.ts';
import type { CrawlSummary, PackageResult } from '../types.ts';
import { jobSettings, PGBOSS_SCHEMA, type QueueSettings } from './boss.ts';
import { CRAWL_QUEUE, isJobOutcome, jobKey, type CrawlJob, type CrawlTarget, type JobOutcome } from './job.ts';

/** Jobs inserted per statement. */
const INSERT_BATCH = 1000;

/** How the jobs of one run ended, for the run's summary and report. */
export interface QueueJobCounts {
  /** Jobs enqueued by this run. */
  enqueued: number;
  /** Units of work not enqueued because a job for the same version was already waiting (another run's). */
  alreadyQueued: number;
  /** Jobs done: their attempt listed tools, or failed for a permanent reason. */
  done: number;
  /** Jobs that ended failed: every try failed transiently, or their lease ran out on the last try. */
  failed: number;
  /** Tries beyond each job's first, summed (a transient failure or an expired lease, then another try). */
  retried: number;
  /** Jobs not ended when the wait stopped (deadline, workers gone, abort); those not yet running were cancelled. */
  pending: number;
}

/** What the crawl stage on the queue gives the run: the usual crawl summary, and how the queue fared. */
export interface QueueCrawlResult {
  summary: CrawlSummary;
  queue: { drained: boolean; jobs: QueueJobCounts };
}

export interface QueueCrawlOptions {
  store: Store;
  boss: PgBoss;
  /** Runs queue statements again while the connection is lost (`retrying()` of db/). */
  retry: RetryRunner;
  /** Lease and retries of each job. @default QUEUE_DEFAULTS */
  settings?: QueueSettings;
  /** Longest wait for the queue to drain, ms, from the first job enqueued. @default no limit */
  deadlineMs?: number;
  /** Stops the wait (as the deadline does). */
  signal?: AbortSignal;
  /** Pause between looks at the jobs' states, ms. @default 1000 */
  pollMs?: number;
  /** Whether no worker can take jobs any more (every local worker exited); the wait stops then. @default never */
  workersGone?: () => boolean;
  /** Called after each look, with the counts so far. */
  onProgress?: (jobs: QueueJobCounts) => void;
}

interface JobRow {
  id: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retry_count: number;
  output: unknown;
}

/**
 * Crawls `specs` and `remotes` through the queue: starts a crawl run, enqueues a job per unit of work, waits, then
 * finishes the run with its summary (as `crawl()` does, plus the queue's counts under `queue`).
 * @throws StoreError `DB_UNAVAILABLE` when the database stays lost past the retry budget; the run stays unfinished.
 */
export async function crawlOnQueue(specs: readonly PackageSpec[], remotes: readonly RemoteServer[], options: QueueCrawlOptions): Promise<QueueCrawlResult> {
  const started = performance.now();
  const { store, boss, retry } = options;
  const run = await store.startCrawlRun();
  const targets: CrawlTarget[] = [...specs.map((spec) => ({ kind: 'package' as const, spec })), ...remotes.map((remote) => ({ kind: 'remote' as const, remote }))];
  const ids = await enqueue(boss, retry, run.id, targets, options.settings ?? {});
  const rows = await waitForJobs(boss, retry, ids, options);
  const counts = countJobs(rows, targets.length);
  const drained = counts.pending === 0;
  if (!drained) {
    const waiting = rows.filter((r) => r.state === 'created' || r.state === 'retry').map((r) => r.id);
    if (waiting.length > 0) await retry('queue.cancel', () => boss.cancel(CRAWL_QUEUE, waiting));
  }
  const results = rows.flatMap((r) => (isJobOutcome(r.output) && (r.state === 'completed' || r.state === 'failed') ? [resultOf(r.output)] : []));
  const summary = summarise(run.id, results, Math.round(performance.now() - started));
  const { results: _omitted, ...stored } = summary;
  await store.finishCrawlRun(run.id, { ...stored, specs: specs.length, remotes: remotes.length, queue: { drained, jobs: counts } });
  return { summary, queue: { drained, jobs: counts } };
}

/** Inserts one job per target with ids chosen here; resolves to the ids of the jobs that went in. */
async function enqueue(boss: PgBoss, retry: RetryRunner, crawlRunId: number, targets: readonly CrawlTarget[], settings: QueueSettings): Promise<string[]> {
  const job = jobSettings(settings);
  const ids: string[] = [];
  for (let i = 0; i < targets.length; i += INSERT_BATCH) {
    const batch = targets.slice(i, i + INSERT_BATCH).map((target) => {
      const data: CrawlJob = { v: 1, crawlRunId, target };
      return { id: randomUUID(), name: CRAWL_QUEUE, data, singletonKey: jobKey(target), ...job };
    });
    // Ids are chosen here and conflicts are ignored, so inserting again after a lost answer adds nothing.
    await retry('queue.insert', () => boss.insert(batch));
    ids.push(...batch.map((b) => b.id));
  }
  // A job for a version already waiting (stately policy) was not inserted: it is not this run's to wait for.
  const present = new Set((await jobRows(boss, retry, ids)).map((r) => r.id));
  return ids.filter((id) => present.has(id));
}

/** The jobs with these ids, live or archived. */
async function jobRows(boss: PgBoss, retry: RetryRunner, ids: readonly string[], withOutput = false): Promise<JobRow[]> {
  if (ids.length === 0) return [];
  const columns = `id::text as id, state::text as state, retry_count${withOutput ? ', output' : ''}`;
  const sql = `select ${columns} from ${PGBOSS_SCHEMA}.job where name = $1 and id = any($2::uuid[])
    union all select ${columns} from ${PGBOSS_SCHEMA}.archive where name = $1 and id = any($2::uuid[])`;
  const { rows } = await retry('queue.jobs', () => boss.getDb().executeSql(sql, [CRAWL_QUEUE, ids]));
  return rows as JobRow[];
}

const ENDED = new Set(['completed', 'failed', 'cancelled']);

/** Looks at the jobs every `pollMs` until all ended, the deadline passed, the workers are gone or `signal` aborted. */
async function waitForJobs(boss: PgBoss, retry: RetryRunner, ids: readonly string[], options: QueueCrawlOptions): Promise<JobRow[]> {
  const until = options.deadlineMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + options.deadlineMs;
  for (;;) {
    const rows = await jobRows(boss, retry, ids);
    options.onProgress?.(countJobs(rows, ids.length));
    const open = rows.some((r) => !ENDED.has(r.state));
    if (!open || performance.now() >= until || options.signal?.aborted || options.workersGone?.()) return jobRows(boss, retry, ids, true);
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 1000, Math.max(0, until - performance.now()))));
  }
}

function countJobs(rows: readonly JobRow[], units: number): QueueJobCounts {
  const counts: QueueJobCounts = { enqueued: rows.length, alreadyQueued: units - rows.length, done: 0, failed: 0, retried: 0, pending: 0 };
  for (const row of rows) {
    counts.retried += row.retry_count;
    if (row.state === 'completed') counts.done += 1;
    else if (row.state === 'failed') counts.failed += 1;
    else if (row.state !== 'cancelled') counts.pending += 1;
  }
  return counts;
}

/** A {@link PackageResult} from a job's outcome: timings, stderr tail and start command are on the stored attempt. */
function resultOf(outcome: JobOutcome): PackageResult {
  return {
    spec: outcome.spec, name: outcome.name, version: outcome.version, outcome: outcome.outcome, method: outcome.method, failureReason: outcome.failureReason,
    failureMessage: outcome.failureMessage, toolCount: outcome.toolCount, durationMs: outcome.durationMs, stderrTail: '', timings: emptyTimings(), launch: null,
  };
}

function summarise(crawlRunId: number, results: PackageResult[], durationMs: number): CrawlSummary {
  const failedByReason: Partial<Record<FailureReason, number>> = {};
  for (const r of results) {
    if (r.failureReason && (r.outcome === 'failed' || r.method === 'static')) failedByReason[r.failureReason] = (failedByReason[r.failureReason] ?? 0) + 1;
  }
  return {
    crawlRunId,
    tried: results.length,
    introspected: results.filter((r) => r.outcome === 'ok' && r.method !== 'static').length,
    listedStatically: results.filter((r) => r.method === 'static').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    failedByReason,
    tools: results.reduce((sum, r) => sum + r.toolCount, 0),
    // Installs and sandbox starts happen in the workers, which keep their own counts (the `worker` summary); the
    // run that waits on the queue sees neither.
    installs: 0,
    starts: 0,
    durationMs,
    results: results.sort((a, b) => a.spec.localeCompare(b.spec)),
  };
}
