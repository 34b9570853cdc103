/**
 * One crawl job on the distributed queue: its payload (which crawl run, which unit of work), the key that keeps two
 * jobs for the same version from running at once, and the outcome a worker stores on the job when it is done. The
 * payload holds package-provided strings only as values (a spec's name, a remote's URL), never as object keys; the
 * key is a SHA-256 digest of the version key, so no package-provided string names a job either.
 */
import { createHash } from 'node:crypto';
import { formatPackageSpec, type PackageSpec } from '../../records/index.ts';
import { registryOf, REMOTE_REGISTRY, type RemoteServer } from '../registries/index.ts';
import type { PackageResult } from '../types.ts';

/** The pg-boss queue the crawl jobs go to (in the `pgboss` schema). */
export const CRAWL_QUEUE = 'mcp-catalogue-crawl';

/** The unit of work of a job: a package spec of a package registry, or a server offered only as a remote. */
export type CrawlTarget = { kind: 'package'; spec: PackageSpec } | { kind: 'remote'; remote: RemoteServer };

/** A job's payload (`pgboss.job.data`). `v` is the payload's format, bumped when it changes. */
export interface CrawlJob {
  v: 1;
  /** The crawl run (`crawl_runs.id`) the attempt is stored under. */
  crawlRunId: number;
  target: CrawlTarget;
}

/**
 * What a worker stores as a job's output (`pgboss.job.output`) when the crawl of its unit of work ended: the
 * {@link PackageResult} without its stderr tail and start command (they are on the stored attempt), the message cut
 * to 500 characters, and whether the failure is transient (`retryable()`, records/retry.ts).
 */
export type JobOutcome = Pick<PackageResult, 'spec' | 'name' | 'version' | 'outcome' | 'method' | 'failureReason' | 'failureMessage' | 'toolCount' | 'durationMs'> & {
  /** The attempt failed for a reason worth another try: the job is failed so that pg-boss retries it with backoff. */
  transient: boolean;
};

/** The version key of a target: `npm:<name>@<version>`, a remote's `mcp-registry:<name>@<version>`. */
export function versionKey(target: CrawlTarget): string {
  if (target.kind === 'package') return formatPackageSpec({ registry: target.spec.registry, name: target.spec.name, version: target.spec.version });
  return REMOTE_REGISTRY.versionKey(target.remote) ?? REMOTE_REGISTRY.label(target.remote);
}

/** The job's singleton key: the SHA-256 of {@link versionKey}, 64 hex digits. */
export function jobKey(target: CrawlTarget): string {
  return createHash('sha256').update(versionKey(target)).digest('hex');
}

/** The label and name of a target, as its registry gives them. */
export function describeTarget(target: CrawlTarget): { spec: string; name: string } {
  if (target.kind === 'package') {
    const registry = registryOf(target.spec);
    return { spec: registry.label(target.spec), name: registry.name(target.spec) };
  }
  return { spec: REMOTE_REGISTRY.label(target.remote), name: REMOTE_REGISTRY.name(target.remote) };
}

/** The {@link JobOutcome} of a result. */
export function outcomeOf(result: PackageResult, transient: boolean): JobOutcome {
  return {
    spec: result.spec, name: result.name, version: result.version, outcome: result.outcome, method: result.method, failureReason: result.failureReason,
    failureMessage: result.failureMessage === null ? null : result.failureMessage.slice(0, 500), toolCount: result.toolCount, durationMs: result.durationMs, transient,
  };
}

/** Whether `value`, read back from the queue, has the shape of a {@link JobOutcome} (another version may have written it). */
export function isJobOutcome(value: unknown): value is JobOutcome {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.spec === 'string' && typeof v.name === 'string' && (v.outcome === 'ok' || v.outcome === 'failed') && typeof v.toolCount === 'number' && typeof v.transient === 'boolean';
}
