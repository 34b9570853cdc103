/**
 * A crawl worker: takes crawl jobs from the queue, up to `concurrency` at once, crawls each unit of work with the
 * crawler of its registry (contained as in the in-process queue, `contain.ts`), and marks the job done, or failed
 * when the attempt failed for a transient reason (`retryable()`, records/retry.ts) so that pg-boss retries it with
 * backoff. Any number of workers on any number of machines may share one database. A job whose worker dies is
 * taken back when its lease runs out and retried. Lost connections to PostgreSQL (fetching a job, marking it done)
 * are ridden out for up to the store's retry budget; past it, and when the sandbox fails, the worker stops taking jobs.
 */
import type PgBoss from 'pg-boss';
import { retryable } from '../../records/index.ts';
import { isConnectionLost, type RetryRunner } from '../../db/index.ts';
import { contain, isFatal } from '../contain.ts';
import { registryOf, REMOTE_REGISTRY } from '../registries/index.ts';
import type { CrawlOptions, PackageResult } from '../types.ts';
import { CRAWL_QUEUE, describeTarget, outcomeOf, versionKey, type CrawlJob, type JobOutcome } from './job.ts';

/** Where a worker writes what it does: one structured line per event (a pino logger fits). */
export interface WorkerLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface WorkerOptions {
  boss: PgBoss;
  /** What each crawl gets: store, HTTP client, registry URLs, cache, sandbox; `concurrency` is read here. */
  crawl: Omit<CrawlOptions, 'signal' | 'onResult'>;
  /**
   * Crawls one job's unit of work and resolves to its result; a throw stops the worker. @default the registry's crawl
   * of the target, contained (`contain.ts`): a fault of ours is the package's `crawler_error`, only fatal errors throw.
   * (`bench-queue.ts` passes one that does nothing, to measure the queue alone.)
   */
  handle?: (job: CrawlJob) => Promise<PackageResult>;
  /** Jobs crawled at once. @default crawl.concurrency, else 4 */
  concurrency?: number;
  /** Runs queue operations (fetch, complete, fail) again while the connection is lost (`retrying()` of db/). */
  retry: RetryRunner;
  /** Pause between polls of an empty queue, ms. @default 1000 */
  pollMs?: number;
  /** Stops taking jobs when aborted; jobs running are finished and marked. */
  signal?: AbortSignal;
  log?: WorkerLog;
}

/** What a worker did, for its summary line. */
export interface WorkerSummary {
  /** Jobs taken from the queue. */
  taken: number;
  /** Jobs marked done: the attempt listed tools or failed for a permanent reason. */
  done: number;
  /** Jobs marked failed after a transient failure (pg-boss retries them while they have tries left). */
  failedTransient: number;
  /** Jobs given back unfinished because the worker had to stop (the sandbox or the database failed). */
  abandoned: number;
  /** Tools listed by the attempts of this worker. */
  tools: number;
  durationMs: number;
  /** Why the worker stopped: `signal` (asked to), or the error that stopped it (sandbox, database). */
  stoppedBy: 'signal' | { error: unknown };
}

/**
 * Runs a worker until `signal` aborts or an error stops it ({@link WorkerSummary.stoppedBy}); resolves when every job
 * it took is marked. Never rejects.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const started = performance.now();
  const { boss, retry, log } = options;
  const concurrency = options.concurrency ?? options.crawl.concurrency ?? 4;
  const pollMs = options.pollMs ?? 1000;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  const summary: WorkerSummary = { taken: 0, done: 0, failedTransient: 0, abandoned: 0, tools: 0, durationMs: 0, stoppedBy: 'signal' };
  let fatal: { error: unknown } | null = null;
  const halt = (error: unknown) => {
    if (!fatal) {
      fatal = { error };
      log?.warn({ err: describeError(error) }, 'worker: stops taking jobs');
    }
    stop.abort();
  };

  const crawlOne = options.handle ?? (async (job: CrawlJob): Promise<PackageResult> => {
    const { crawlRunId, target } = job;
    // No signal: a worker asked to stop finishes the jobs it took.
    const options_ = { ...options.crawl };
    const contained = { store: options.crawl.store, crawlRunId, now: options.crawl.now };
    if (target.kind === 'package') {
      const registry = registryOf(target.spec);
      return contain((progress) => registry.crawl(target.spec, crawlRunId, options_, progress), describeTarget(target), contained);
    }
    return contain((progress) => REMOTE_REGISTRY.crawl(target.remote, crawlRunId, options_, progress), describeTarget(target), contained);
  });

  const slot = async () => {
    while (!stop.signal.aborted) {
      let jobs: PgBoss.JobWithMetadata<CrawlJob>[];
      try {
        jobs = (await retry('queue.fetch', () => boss.fetch<CrawlJob>(CRAWL_QUEUE, { batchSize: 1, includeMetadata: true }))) ?? [];
      } catch (error) {
        halt(error);
        return;
      }
      const job = jobs[0];
      if (!job) {
        await pause(pollMs, stop.signal);
        continue;
      }
      summary.taken += 1;
      log?.info({ job: job.id, crawlRunId: job.data.crawlRunId, ...describeTarget(job.data.target) }, 'worker: job taken');
      try {
        // A retried job's earlier try may have stored its attempt before its worker died (or before the answer to
        // marking it done was lost): a version already listed, or failed for good, in this run is not crawled again.
        if (job.retryCount > 0 && (await storedInRun(options.crawl.store, job.data))) {
          await retry('queue.complete', () => boss.complete(CRAWL_QUEUE, job.id, { alreadyStored: true }));
          summary.done += 1;
          log?.info({ job: job.id, ...describeTarget(job.data.target) }, 'worker: job done already (its attempt is stored in this run)');
          continue;
        }
      } catch (error) {
        summary.abandoned += 1;
        halt(error);
        return;
      }
      let outcome: JobOutcome;
      try {
        const result = await crawlOne(job.data);
        const transient = result.outcome === 'failed' && result.failureReason !== null && retryable(result.failureReason, result);
        outcome = outcomeOf(result, transient);
      } catch (error) {
        // Fatal for every package (no sandbox, the database gone): the job goes back to the queue, as a failed try,
        // if the database still answers; else its lease runs out and it is retried then.
        summary.abandoned += 1;
        halt(error);
        if (!isConnectionLost(error) && !isFatalForDb(error)) await boss.fail(CRAWL_QUEUE, job.id, { abandoned: describeError(error) }).catch(() => undefined);
        return;
      }
      try {
        if (outcome.transient) await retry('queue.fail', () => boss.fail(CRAWL_QUEUE, job.id, outcome));
        else await retry('queue.complete', () => boss.complete(CRAWL_QUEUE, job.id, outcome));
      } catch (error) {
        summary.abandoned += 1;
        halt(error);
        return;
      }
      if (outcome.transient) summary.failedTransient += 1;
      else summary.done += 1;
      summary.tools += outcome.toolCount;
      log?.info({ job: job.id, spec: outcome.spec, version: outcome.version, outcome: outcome.outcome, reason: outcome.failureReason, tools: outcome.toolCount, transient: outcome.transient, ms: outcome.durationMs }, `worker: ${outcome.transient ? 'job failed, to be retried' : 'job done'}`);
    }
  };

  await Promise.all(Array.from({ length: concurrency }, slot));
  options.signal?.removeEventListener('abort', onAbort);
  summary.durationMs = Math.round(performance.now() - started);
  if (fatal) summary.stoppedBy = fatal;
  return summary;
}

/**
 * Whether the store holds a settled attempt (tools listed, or a permanent failure) at the job's version made in the
 * job's crawl run; for a spec at `latest`, at any version of the package.
 */
async function storedInRun(store: CrawlOptions['store'], job: CrawlJob): Promise<boolean> {
  const keys = await store.attemptedVersions({ crawlRunId: job.crawlRunId, settled: true });
  const key = versionKey(job.target);
  if (job.target.kind === 'package' && job.target.spec.version === 'latest') {
    const prefix = `${job.target.spec.registry}:${job.target.spec.name}@`;
    return keys.some((k) => k.startsWith(prefix));
  }
  return keys.includes(key);
}

/** Whether `error` is the store's own "database gone" (no point telling the queue on the same database). */
function isFatalForDb(error: unknown): boolean {
  return isFatal(error) && (error as { code?: unknown }).code === 'DB_UNAVAILABLE';
}

function describeError(error: unknown): { message: string; code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return { message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
