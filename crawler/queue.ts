/**
 * The crawl queue: every unit of work (a package spec, a remote server) goes to its registry's crawler from the table
 * (`registries/index.ts`), with bounded concurrency (p-queue) inside one crawl run. A package that fails is recorded
 * with its reason and the crawl goes on; only our own failures that make every package fail stop it.
 */
import PQueue from 'p-queue';
import type { FailureReason, PackageSpec } from '../records/index.ts';
import { contain, type CrawlProgress } from './contain.ts';
import { DEFAULT_CONCURRENCY } from './defaults.ts';
import { registryOf, REMOTE_REGISTRY, type RegistryCrawler, type RemoteServer } from './registries/index.ts';
import type { CrawlOptions, CrawlSummary, CrawlTally, PackageResult } from './types.ts';

/**
 * Crawls every package spec, and every registry entry offered only as a remote, with bounded concurrency inside one
 * crawl run, and returns the run's summary. Each package's crawl is contained ({@link contain}): a fault of ours is
 * that package's `crawler_error`. A fatal error (no sandbox, the database gone, an abort) stops the crawl: no package
 * starts after it, the ones running are waited for, and then it is thrown.
 */
export async function crawl(specs: PackageSpec[], given: CrawlOptions, remotes: readonly RemoteServer[] = []): Promise<CrawlSummary> {
  const started = performance.now();
  const tally: CrawlTally = { installs: 0, starts: 0 };
  const options: CrawlOptions = { ...given, tally };
  const run = await options.store.startCrawlRun();
  const queue = new PQueue({ concurrency: options.concurrency ?? DEFAULT_CONCURRENCY });
  const results: PackageResult[] = [];
  // Set by the first fatal error. Until every running package settled, nothing that they share (the store, the HTTP
  // client) may be closed, so the crawl waits for them before it throws.
  let fatal: { error: unknown } | null = null;
  const contained = { store: options.store, crawlRunId: run.id, signal: options.signal, now: options.now };
  const each = (target: { spec: string; name: string }, work: (progress: CrawlProgress) => Promise<PackageResult>) =>
    queue.add(async () => {
      if (options.signal?.aborted || fatal) return;
      try {
        const outcome = await contain(work, target, contained);
        results.push(outcome);
        options.onResult?.(outcome);
      } catch (error) {
        fatal ??= { error };
      }
    });
  const dispatch = <T>(registry: RegistryCrawler<T>, target: T) =>
    each({ spec: registry.label(target), name: registry.name(target) }, (progress) => registry.crawl(target, run.id, options, progress));
  await Promise.all([
    ...specs.map((spec) => dispatch(registryOf(spec), spec)),
    ...remotes.map((remote) => dispatch(REMOTE_REGISTRY, remote)),
  ]);
  if (fatal) throw (fatal as { error: unknown }).error;
  const failedByReason: Partial<Record<FailureReason, number>> = {};
  for (const r of results) {
    if (r.failureReason && (r.outcome === 'failed' || r.method === 'static')) failedByReason[r.failureReason] = (failedByReason[r.failureReason] ?? 0) + 1;
  }
  const summary: CrawlSummary = {
    crawlRunId: run.id,
    tried: results.length,
    introspected: results.filter((r) => r.outcome === 'ok' && r.method !== 'static').length,
    listedStatically: results.filter((r) => r.method === 'static').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    failedByReason,
    tools: results.reduce((sum, r) => sum + r.toolCount, 0),
    installs: tally.installs,
    starts: tally.starts,
    durationMs: Math.round(performance.now() - started),
    results: results.sort((a, b) => a.spec.localeCompare(b.spec)),
  };
  const { results: _omitted, ...stored } = summary;
  await options.store.finishCrawlRun(run.id, { ...stored, specs: specs.length, remotes: remotes.length });
  return summary;
}
