/**
 * The nightly job's contract with whatever runs it (cron, a CI schedule): the JSON run report `run --report FILE`
 * writes, and the exit code a run ends with. The report gives, per stage, what was done and how long it took; its
 * shape is {@link RunReport} (README, "The run report"), versioned by {@link RUN_REPORT_VERSION}.
 */
import { rename, writeFile } from 'node:fs/promises';
import type { ListingDiff } from '../changes/index.ts';
import { sourceFailed, type CrawlPlan, type CrawlSummary, type DiscoverResult } from '../crawler/index.ts';
import type { PublishResult } from './stages.ts';

/** The report's shape version; bumped when a field is removed or changes meaning (adding a field does not). */
export const RUN_REPORT_VERSION = 1;

/** One discovery source's run. */
export interface SourceReport {
  source: string;
  /** Listings judged MCP servers this run. */
  candidates: number;
  notServers: number;
  new: number;
  changed: number;
  /** HTTP requests sent, retries not counted. */
  requests: number;
  /** Problems the source skipped over (a packument that failed, an item of the wrong shape). */
  warnings: number;
  /** The error the source stopped on, or null. */
  error: { code: string; message: string } | null;
  /** No request got an answer, or it stopped on an error before yielding anything (`sourceFailed`). */
  failed: boolean;
  ms: number;
}

export interface StageReport {
  ms: number;
}

export interface PublishReport extends StageReport {
  servers: number;
  files: number;
  bytes: number;
  /** Servers' pages, policies or export lines that could not be built (each named on stderr). */
  problems: number;
}

export interface RunReport {
  version: typeof RUN_REPORT_VERSION;
  /** ISO 8601, the run's clock (`--now` when given). */
  startedAt: string;
  /** Wall clock of the whole run, ms. */
  ms: number;
  /** The exit code the run ended with ({@link runExitCode}); the run report is written before the process exits. */
  exitCode: number;
  /** Why the exit code is not 0, one sentence each; empty when it is 0. */
  alerts: string[];
  /** Null when package specs or `--packages-file` were given (no discovery). */
  discovery: (StageReport & {
    sources: SourceReport[];
    /** Every source failed: the crawl used only what earlier runs stored. */
    allFailed: boolean;
    /** Servers known after deduplication (this run's and earlier runs' listings). */
    servers: number;
    notServers: number;
    new: number;
    changed: number;
  }) | null;
  crawl: StageReport & {
    /** Units of work given to the crawl: planned servers, relisted versions, remotes, or the specs given. */
    planned: number;
    /** Of those, versions already listed live, listed again from the package cache. */
    relisted: number;
    /** Of those, versions crawled again after a transient failure. */
    retried: number;
    /** Units the crawl finished (a unit not reached by a deadline is not tried). */
    tried: number;
    /** Listed live, listed from source after every live start failed, not listed. */
    outcomes: { live: number; static: number; failed: number };
    /** Why live starts failed, per reason (`FAILURE_REASONS`), including servers then listed from source. */
    reasons: Record<string, number>;
    tools: number;
    /** Packages installed into the package cache (a cached install is not counted). */
    installs: number;
    /** Times a package's own code was started in the sandbox. */
    starts: number;
    /** Whether the queue was empty at the end (false: a deadline stopped it with work left). Always true in-process. */
    drained: boolean;
  };
  classify: StageReport & { classified: number; classifierVersion: string };
  /** This run's changes between consecutive listings. */
  changes: { servers: number; added: number; removed: number; changed: number; findings: number; highOrCritical: number };
  export: PublishReport;
  site: PublishReport;
}

/**
 * The crawl stage's result as `run` reads it: the summary, and when a job queue ran it, whether the queue drained
 * before its deadline (`drained`, default true: the in-process queue always drains).
 */
export type CrawlStageResult = CrawlSummary & { drained?: boolean };

/** What one run gathered, stage by stage, for {@link buildRunReport}. */
export interface RunFacts {
  startedAt: Date;
  ms: number;
  discovery: { result: DiscoverResult; plan: CrawlPlan; ms: number } | null;
  /** Units given to the crawl (specs, relisted versions and remotes). */
  planned: number;
  crawl: CrawlStageResult;
  classify: { classified: number; classifierVersion: string; ms: number };
  diffs: readonly ListingDiff[];
  exported: PublishResult & { ms: number };
  site: PublishResult & { ms: number };
  /** Whether some servers could not be published whole (exit 3). */
  partlyPublished: boolean;
}

/** The exit codes a run decides itself (the others come from errors that stop it: 2, 4, 5). */
export const RUN_EXIT = {
  ok: 0,
  partlyPublished: 3,
  /** Every discovery source failed; the rest of the run went on with what earlier runs stored. */
  discoveryFailed: 6,
  /** The crawl queue did not drain by its deadline (`run --deadline`); the rest of the run went on. */
  notDrained: 7,
} as const;

/**
 * The exit code of a run that went to its end, and the alerts that explain it. When several apply, the first of
 * 6 (every discovery source failed), 7 (the queue did not drain), 3 (partly published) wins; the alerts name all.
 */
export function runExitCode(facts: { discoveryAllFailed: boolean; drained: boolean; partlyPublished: boolean; sources?: readonly SourceReport[] }): { exitCode: number; alerts: string[] } {
  const alerts: string[] = [];
  let exitCode: number = RUN_EXIT.ok;
  if (facts.partlyPublished) {
    alerts.push('some servers could not be published whole (named on stderr); the others were');
    exitCode = RUN_EXIT.partlyPublished;
  }
  if (!facts.drained) {
    alerts.push('the crawl queue did not drain by its deadline: the servers left are crawled by the next run');
    exitCode = RUN_EXIT.notDrained;
  }
  if (facts.discoveryAllFailed) {
    const why = (facts.sources ?? []).map((s) => `${s.source}: ${s.error ? s.error.code : `no answer to ${s.requests} request(s)`}`).join('; ');
    alerts.push(`every discovery source failed${why ? ` (${why})` : ''}: nothing new was discovered; the crawl used what earlier runs stored`);
    exitCode = RUN_EXIT.discoveryFailed;
  }
  return { exitCode, alerts: alerts.reverse() };
}

/** The per-source part of the report. */
export function sourceReports(result: DiscoverResult): SourceReport[] {
  return result.sources.map((s) => ({
    source: s.source, candidates: s.candidates, notServers: s.notServers, new: s.new, changed: s.changed,
    requests: s.requests, warnings: s.warnings, error: s.error, failed: sourceFailed(s), ms: s.durationMs,
  }));
}

/** Whether every source of a discovery failed (false when there were none). */
export function everySourceFailed(result: DiscoverResult): boolean {
  return result.sources.length > 0 && result.sources.every(sourceFailed);
}

function publishReport(r: PublishResult & { ms: number }): PublishReport {
  return { servers: r.servers, files: r.files, bytes: r.bytes, problems: r.problems.length, ms: r.ms };
}

/** Builds the {@link RunReport} of a run that went to its end. */
export function buildRunReport(facts: RunFacts): RunReport {
  const { crawl } = facts;
  const sources = facts.discovery ? sourceReports(facts.discovery.result) : [];
  const allFailed = facts.discovery ? everySourceFailed(facts.discovery.result) : false;
  const drained = crawl.drained ?? true;
  const { exitCode, alerts } = runExitCode({ discoveryAllFailed: allFailed, drained, partlyPublished: facts.partlyPublished, sources: sources.filter((s) => s.failed) });
  const findings = facts.diffs.flatMap((d) => d.findings);
  const sum = (pick: (d: ListingDiff) => number) => facts.diffs.reduce((n, d) => n + pick(d), 0);
  const plan = facts.discovery?.plan;
  return {
    version: RUN_REPORT_VERSION,
    startedAt: facts.startedAt.toISOString(),
    ms: Math.round(facts.ms),
    exitCode,
    alerts,
    discovery: facts.discovery && {
      sources,
      allFailed,
      servers: facts.discovery.result.totals.servers,
      notServers: facts.discovery.result.totals.notServers,
      new: facts.discovery.result.totals.new,
      changed: facts.discovery.result.totals.changed,
      ms: Math.round(facts.discovery.ms),
    },
    crawl: {
      planned: facts.planned,
      relisted: plan?.relisted.length ?? 0,
      retried: plan ? plan.retried.transient + plan.retried.newerCrawler : 0,
      tried: crawl.tried,
      outcomes: { live: crawl.introspected, static: crawl.listedStatically, failed: crawl.failed },
      reasons: Object.fromEntries(Object.entries(crawl.failedByReason).sort(([a], [b]) => a.localeCompare(b))),
      tools: crawl.tools,
      installs: crawl.installs,
      starts: crawl.starts,
      drained,
      ms: crawl.durationMs,
    },
    classify: { classified: facts.classify.classified, classifierVersion: facts.classify.classifierVersion, ms: Math.round(facts.classify.ms) },
    changes: {
      servers: new Set(facts.diffs.map((d) => d.serverId)).size,
      added: sum((d) => d.added.length),
      removed: sum((d) => d.removed.length),
      changed: sum((d) => d.changed.length),
      findings: findings.length,
      highOrCritical: findings.filter((f) => f.severity === 'high' || f.severity === 'critical').length,
    },
    export: publishReport(facts.exported),
    site: publishReport(facts.site),
  };
}

/** Writes `report` to `file` as indented JSON: to a temporary file beside it, then renamed, so a reader never sees half. */
export async function writeRunReport(file: string, report: RunReport): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeFile(temporary, `${JSON.stringify(report, null, 2)}\n`);
  await rename(temporary, file);
}
