/**
 * The distributed crawl on pg-boss: the queue (`boss.ts`), the job and its key (`job.ts`), the worker (`worker.ts`)
 * and the run's crawl stage on the queue (`run.ts`). Used when the store is PostgreSQL and `run --workers` is given;
 * the embedded PGlite store keeps the in-process queue (`queue.ts`).
 */
export { closeQueue, jobSettings, openQueue, PGBOSS_SCHEMA, QUEUE_DEFAULTS } from './boss.ts';
export type { OpenQueueOptions, QueueSettings } from './boss.ts';
export { CRAWL_QUEUE, jobKey, versionKey } from './job.ts';
export type { CrawlJob, CrawlTarget, JobOutcome } from './job.ts';
export { runWorker } from './worker.ts';
export type { WorkerLog, WorkerOptions, WorkerSummary } from './worker.ts';
export { crawlOnQueue } from './run.ts';
export type { QueueCrawlOptions, QueueCrawlResult, QueueJobCounts } from './run.ts';
