/**
 * The job queue of a distributed crawl: pg-boss (https://github.com/timgit/pg-boss, v10) on the same PostgreSQL
 * database as the store. pg-boss keeps its jobs in a schema of its own, `pgboss`, which it creates and migrates when
 * it starts (the store's tables stay in `public`). The crawl queue has pg-boss's `stately` policy: for one
 * singleton key (a version, `job.ts`) at most one job waits and one runs, so a version is never crawled twice at once
 * and enqueueing it again while it waits adds nothing.
 */
import PgBoss from 'pg-boss';
import { CRAWL_QUEUE } from './job.ts';

/** The schema pg-boss creates and keeps its tables in. */
export const PGBOSS_SCHEMA = 'pgboss';

export interface QueueSettings {
  /**
   * A job's lease, s: a job still active this long after a worker took it is taken back (its worker died or hung) and
   * retried, if it has tries left (pg-boss `expireInSeconds`; v10 has no heartbeat). Longer than one crawl ever takes.
   * @default 900
   */
  leaseSeconds?: number;
  /** Further tries of a job after a transient failure or an expired lease (pg-boss `retryLimit`). @default 2 */
  retries?: number;
  /** First pause before a retry, s; doubled each retry, with jitter (pg-boss `retryDelay`, `retryBackoff`). @default 30 */
  retryDelaySeconds?: number;
}

/** The lease, retries and first retry pause when none is given. */
export const QUEUE_DEFAULTS = { leaseSeconds: 900, retries: 2, retryDelaySeconds: 30 } as const;

export interface OpenQueueOptions extends QueueSettings {
  /** Most connections pg-boss opens. @default 4 */
  maxConnections?: number;
  /**
   * Whether this process expires leases and archives finished jobs (pg-boss's maintenance, coordinated through the
   * database so one process at a time does it), every quarter of the lease (at least 1 s, at most 60 s). @default true
   */
  supervise?: boolean;
  /** Called with each error pg-boss reports in the background (a lost connection, a failed maintenance). */
  onError?: (error: Error) => void;
}

/**
 * Starts pg-boss on `databaseUrl` (creating or migrating the `pgboss` schema) and creates the crawl queue if missing,
 * with the lease and retries of `options` (a queue that exists keeps its own; each job carries its settings anyway).
 * @throws the driver's error when the database cannot be reached.
 */
export async function openQueue(databaseUrl: string, options: OpenQueueOptions = {}): Promise<PgBoss> {
  const lease = options.leaseSeconds ?? QUEUE_DEFAULTS.leaseSeconds;
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: PGBOSS_SCHEMA,
    application_name: 'mcp-catalogue',
    max: options.maxConnections ?? 4,
    schedule: false,
    supervise: options.supervise ?? true,
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(lease / 4))),
  });
  boss.on('error', (error) => options.onError?.(error));
  await boss.start();
  try {
    if (!(await boss.getQueue(CRAWL_QUEUE))) {
      await boss.createQueue(CRAWL_QUEUE, { name: CRAWL_QUEUE, policy: 'stately', ...jobSettings(options) });
    }
  } catch (error) {
    await boss.stop({ graceful: false, wait: true });
    throw error;
  }
  return boss;
}

/** The pg-boss job settings of {@link QueueSettings}. */
export function jobSettings(settings: QueueSettings): { expireInSeconds: number; retryLimit: number; retryDelay: number; retryBackoff: true } {
  return {
    expireInSeconds: settings.leaseSeconds ?? QUEUE_DEFAULTS.leaseSeconds,
    retryLimit: settings.retries ?? QUEUE_DEFAULTS.retries,
    retryDelay: settings.retryDelaySeconds ?? QUEUE_DEFAULTS.retryDelaySeconds,
    retryBackoff: true,
  };
}

/** Stops pg-boss and closes its connections, without waiting for its own workers (the crawl's are its own). */
export async function closeQueue(boss: PgBoss): Promise<void> {
  await boss.stop({ graceful: false, wait: true, close: true });
}
