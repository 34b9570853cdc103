/**
 * `npm run bench:queue -- [--jobs N] [--workers 1,2] [--concurrency C]`: the distributed crawl queue's own overhead
 * (pg-boss on PostgreSQL, `crawler/distributed/`), with N synthetic jobs whose crawl step does nothing. For each
 * worker count W: a fresh database, one crawl run of N package specs (`npm:bench-<i>@1.0.0`) enqueued by
 * `crawlOnQueue` (the `run --workers` stage) and drained by W workers, each its own pg-boss instance and connection
 * pool in this process taking C jobs at once (`runWorker` with a handler that returns at once). Reports the enqueue
 * time and the drain time (first job enqueued being done to the wait seeing the last one end, 1 s poll), in jobs
 * per second. Needs DATABASE_URL (a role that may create databases); each pass's database is dropped at the end.
 * Defaults: 10,000 jobs, workers 1 and 2, concurrency 4. Exits 1 when a job is lost or done twice.
 */
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { closeQueue, crawlOnQueue, openQueue, runWorker, type PackageResult } from '../crawler/index.ts';
import { openStore, retrying } from '../db/index.ts';
import type { PackageSpec } from '../records/index.ts';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '10000' }, workers: { type: 'string', default: '1,2' }, concurrency: { type: 'string', default: '4' } } });
const jobs = Number(values.jobs);
const workerCounts = values.workers.split(',').map(Number);
const concurrency = Number(values.concurrency);
const adminUrl = process.env.DATABASE_URL;
if (!adminUrl || !Number.isInteger(jobs) || jobs < 1 || workerCounts.some((w) => !Number.isInteger(w) || w < 1) || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('usage: DATABASE_URL=postgresql://… npm run bench:queue -- [--jobs N] [--workers 1,2] [--concurrency C]');
  process.exit(2);
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A crawl that does nothing: the result of an `ok` attempt with no tools. */
async function nothing(job: { target: { kind: string; spec?: PackageSpec } }): Promise<PackageResult> {
  const name = job.target.spec?.name ?? 'remote';
  return {
    spec: `npm:${name}@1.0.0`, name, version: '1.0.0', outcome: 'ok', method: 'live-stdio', failureReason: null, failureMessage: null, toolCount: 0, durationMs: 0,
    stderrTail: '', timings: { resolveMs: 0, installMs: 0, initializeMs: 0, listMs: 0, totalMs: 0 }, launch: null,
  };
}

async function pass(workers: number): Promise<{ enqueueSeconds: number; drainSeconds: number; done: number; failed: number; retried: number }> {
  const database = `mcp_catalogue_bench_queue_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${database}`);
  const url = new URL(adminUrl!);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const store = await openStore({ databaseUrl });
  const retry = retrying();
  const boss = await openQueue(databaseUrl, { maxConnections: 3 });
  const stop = new AbortController();
  const running: Array<Promise<unknown>> = [];
  try {
    const specs: PackageSpec[] = Array.from({ length: jobs }, (_, i) => ({ registry: 'npm', name: `bench-${i}`, version: '1.0.0' }));
    const started = performance.now();
    let enqueued = 0;
    const result = await crawlOnQueue(specs, [], {
      store, boss, retry,
      onProgress: () => {
        if (enqueued) return;
        enqueued = performance.now();
        for (let w = 0; w < workers; w++) {
          running.push(openQueue(databaseUrl, { maxConnections: concurrency + 1, supervise: false }).then(async (own) => {
            try {
              await runWorker({ boss: own, concurrency, retry, handle: nothing, signal: stop.signal, crawl: undefined as never, pollMs: 200 });
            } finally {
              await closeQueue(own);
            }
          }));
        }
      },
    });
    const ended = performance.now();
    const j = result.queue.jobs;
    return { enqueueSeconds: (enqueued - started) / 1000, drainSeconds: (ended - enqueued) / 1000, done: j.done, failed: j.failed, retried: j.retried };
  } finally {
    stop.abort();
    await Promise.all(running);
    await closeQueue(boss);
    await store.close();
    await admin(`drop database if exists ${database} with (force)`);
  }
}

console.log(`bench:queue: ${jobs} jobs, crawl step does nothing, concurrency ${concurrency} per worker; ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`);
console.log('| workers | enqueue s | enqueue jobs/s | drain s | drain jobs/s | done | failed | retries |');
console.log('|---|---|---|---|---|---|---|---|');
let lost = false;
for (const workers of workerCounts) {
  const r = await pass(workers);
  if (r.done !== jobs || r.failed !== 0 || r.retried !== 0) lost = true;
  console.log(`| ${workers} | ${r.enqueueSeconds.toFixed(2)} | ${Math.round(jobs / r.enqueueSeconds)} | ${r.drainSeconds.toFixed(2)} | ${Math.round(jobs / r.drainSeconds)} | ${r.done} | ${r.failed} | ${r.retried} |`);
}
if (lost) {
  console.error('bench:queue: some jobs were not done exactly once');
  process.exit(1);
}
