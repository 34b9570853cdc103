/**
 * The distributed crawl's commands: `mcp-catalogue worker` (takes crawl jobs from the queue in PostgreSQL until it is
 * stopped) and the crawl stage of `run --workers N` (enqueues the plan, starts N local workers as child processes,
 * waits for the queue to drain or the deadline, stops them). Both need PostgreSQL (`DATABASE_URL`); pg-boss keeps its
 * jobs in the `pgboss` schema of the same database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import {
  closeQueue, crawlOnQueue, HttpClient, openQueue, runWorker, type QueueCrawlResult, type QueueJobCounts, type RemoteServer, type WorkerSummary,
} from '../crawler/index.ts';
import { openStore, retrying } from '../db/index.ts';
import type { PackageSpec, Store } from '../records/index.ts';
import type { Config } from './config.ts';

/** The command's entry file, run by the local workers. */
const BIN = fileURLToPath(new URL('../bin/mcp-catalogue.js', import.meta.url));

/** A configuration or environment problem found before any job was taken: exit 2. */
export class WorkerSetupError extends Error {
  readonly code = 'WORKER_SETUP';
}

/** The database URL of `config`. @throws WorkerSetupError when DATABASE_URL is unset (the queue needs PostgreSQL). */
export function queueDatabase(config: Config, what: string): string {
  if (!config.databaseUrl) throw new WorkerSetupError(`${what} needs PostgreSQL: set DATABASE_URL (the embedded PGlite store crawls in one process)`);
  return config.databaseUrl;
}

function queueSettings(config: Config) {
  return { leaseSeconds: config.jobLeaseSeconds, retries: config.jobRetries, retryDelaySeconds: config.jobRetryDelaySeconds };
}

/** Starts pg-boss for `config`; a database that cannot be reached is {@link WorkerSetupError}'s kin `DB_OPEN_FAILED`. */
async function openQueueFor(config: Config, databaseUrl: string, log: pino.Logger, maxConnections: number) {
  try {
    return await openQueue(databaseUrl, {
      ...queueSettings(config), maxConnections, onError: (error) => log.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'queue: background error'),
    });
  } catch (cause) {
    throw Object.assign(new Error(`the job queue (pg-boss, schema pgboss) could not start on DATABASE_URL: ${(cause as Error).message}`, { cause }), { code: 'DB_OPEN_FAILED' });
  }
}

/** A pino logger on stderr for the worker `id`. */
function workerLog(id: string, stream: NodeJS.WritableStream = process.stderr): pino.Logger {
  return pino({ base: { worker: id, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

/**
 * `mcp-catalogue worker`: takes crawl jobs, `config.concurrency` at once, until SIGINT or SIGTERM (the jobs it holds
 * are finished and marked first), the sandbox fails, or the database stays lost past `MCP_CATALOGUE_DB_RETRY_MS`.
 * `config` has been through the sandbox check (`prepareSandbox`). Logs one JSON line per job on stderr and a
 * `worker summary` line on exit; prints the summary on stdout.
 * @returns the summary; @throws the error that stopped the worker (the CLI's exit code follows its `code`).
 */
export async function workerCommand(config: Config, out: (line: string) => void): Promise<WorkerSummary> {
  const databaseUrl = queueDatabase(config, 'worker');
  const id = randomUUID().slice(0, 8);
  const log = workerLog(id);
  const store = await openStore({ databaseUrl, retryMs: config.dbRetryMs });
  const http = new HttpClient();
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let summary: WorkerSummary;
  try {
    const boss = await openQueueFor(config, databaseUrl, log, config.concurrency + 2);
    try {
      log.info({ concurrency: config.concurrency, leaseSeconds: config.jobLeaseSeconds }, 'worker: started');
      summary = await runWorker({
        boss, concurrency: config.concurrency, retry: retrying({ budgetMs: config.dbRetryMs }), signal: controller.signal, log,
        crawl: {
          store, http, npmRegistryUrl: config.npmRegistryUrl, pypiUrl: config.pypiUrl, cacheDir: config.cacheDir, concurrency: config.concurrency,
          introspect: { timeoutMs: config.timeoutMs }, bwrapPath: config.bwrapPath, now: clockOf(config),
        },
      });
    } finally {
      await closeQueue(boss).catch(() => undefined);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await http.close();
    await store.close().catch(() => undefined);
  }
  const { stoppedBy, ...counts } = summary;
  const stopped = stoppedBy === 'signal' ? 'signal' : String((stoppedBy.error as { code?: string }).code ?? 'error');
  log.info({ summary: { ...counts, stoppedBy: stopped } }, 'worker summary');
  out(workerLines(summary).join('\n'));
  if (stoppedBy !== 'signal') throw stoppedBy.error;
  return summary;
}

function workerLines(s: WorkerSummary): string[] {
  return [
    `jobs taken:           ${s.taken} (${s.done} done, ${s.failedTransient} failed transiently and left to retry, ${s.abandoned} given back)`,
    `tools listed:         ${s.tools}`,
    `worker time:          ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
}

function clockOf(config: Config): () => Date {
  const fixed = config.now === undefined ? null : new Date(config.now);
  return fixed ? () => new Date(fixed) : () => new Date();
}

/** Local workers: child processes running `mcp-catalogue worker`, their output passed on to this process's stderr. */
interface LocalWorkers {
  /** How many are still running. */
  running(): number;
  /** Asks each to stop (SIGTERM), waits for them; resolves to their exit codes. */
  stop(): Promise<Array<number | null>>;
}

function startLocalWorkers(count: number, config: Config): LocalWorkers {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    MCP_CATALOGUE_CACHE_DIR: config.cacheDir,
    MCP_CATALOGUE_DATA_DIR: config.dataDir,
    MCP_CATALOGUE_CONCURRENCY: String(config.concurrency),
    MCP_CATALOGUE_TIMEOUT_MS: String(config.timeoutMs),
    NPM_REGISTRY_URL: config.npmRegistryUrl,
    PYPI_URL: config.pypiUrl,
    MCP_CATALOGUE_DB_RETRY_MS: String(config.dbRetryMs),
    MCP_CATALOGUE_JOB_LEASE_SECONDS: String(config.jobLeaseSeconds),
    MCP_CATALOGUE_JOB_RETRIES: String(config.jobRetries),
    MCP_CATALOGUE_JOB_RETRY_DELAY_SECONDS: String(config.jobRetryDelaySeconds),
    ...(config.now ? { MCP_CATALOGUE_NOW: config.now } : {}),
  };
  const children: Array<{ child: ChildProcess; exited: Promise<number | null> }> = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    children.push({ child, exited });
  }
  return {
    running: () => children.filter(({ child }) => child.exitCode === null && child.signalCode === null).length,
    stop: async () => {
      for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return Promise.all(children.map((c) => c.exited));
    },
  };
}

export interface QueueStageOptions {
  /** Local workers to start (0: only workers started elsewhere take the jobs). */
  workers: number;
  /** Longest wait for the queue to drain, s. @default no limit */
  deadlineSeconds?: number;
  /** Stops the wait as the deadline does (SIGINT does too). */
  signal?: AbortSignal;
  /** Progress, one call per look at the jobs. */
  onProgress?: (jobs: QueueJobCounts) => void;
}

/**
 * The crawl stage of `run --workers N`: enqueues `specs` and `remotes` as jobs of a new crawl run, starts the local
 * workers, waits for the jobs to end or the deadline (or for every local worker to have exited, when there were
 * some), then stops the local workers and returns the crawl summary with the queue's counts.
 */
export async function crawlStageOnQueue(
  config: Config, store: Store, specs: readonly PackageSpec[], remotes: readonly RemoteServer[], options: QueueStageOptions,
): Promise<QueueCrawlResult> {
  const databaseUrl = queueDatabase(config, 'run --workers');
  const log = workerLog('run');
  const boss = await openQueueFor(config, databaseUrl, log, 3);
  // SIGINT stops the wait as the deadline does: jobs not started are cancelled, the local workers are stopped.
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  process.once('SIGINT', onSignal);
  let workers: LocalWorkers | null = null;
  try {
    workers = options.workers > 0 ? startLocalWorkers(options.workers, config) : null;
    const local = workers;
    return await crawlOnQueue(specs, remotes, {
      store, boss, retry: retrying({ budgetMs: config.dbRetryMs }), settings: queueSettings(config), signal: controller.signal, onProgress: options.onProgress,
      deadlineMs: options.deadlineSeconds === undefined ? undefined : options.deadlineSeconds * 1000,
      workersGone: local ? () => local.running() === 0 : undefined,
    });
  } finally {
    process.off('SIGINT', onSignal);
    options.signal?.removeEventListener('abort', onSignal);
    const codes = workers ? await workers.stop() : [];
    if (codes.some((c) => c !== 0 && c !== null)) log.warn({ exitCodes: codes }, 'run: some local workers exited with an error');
    await closeQueue(boss).catch(() => undefined);
  }
}

/** The run's summary line for the queue. */
export function queueLine(result: QueueCrawlResult): string {
  const j = result.queue.jobs;
  const already = j.alreadyQueued ? `, ${j.alreadyQueued} already queued by another run` : '';
  return `queue:                ${j.enqueued} jobs (${j.done} done, ${j.failed} failed, ${j.retried} retries, ${j.pending} not finished${already}); ${result.queue.drained ? 'drained' : 'not drained'}`;
}
