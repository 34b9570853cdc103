/**
 * Shapes the crawler's parts share: the options of a crawl, the result of one unit of work (a package version or a
 * remote server), what a bare start runs, and a crawl run's summary. The records they store are in `records/`.
 */
import type { FailureReason, IntrospectionMethod, IntrospectionTimings, Store } from '../records/index.ts';
import type { HttpClient } from './http.ts';
import type { SandboxLimits } from './sandbox.ts';
import type { IntrospectOptions } from './session/index.ts';

export interface CrawlOptions {
  store: Store;
  http: HttpClient;
  /** npm registry base URL. */
  npmRegistryUrl: string;
  /** PyPI base URL for `pypi:` specs; the Simple API is read at `<pypiUrl>/simple`. @default "https://pypi.org" */
  pypiUrl?: string;
  /** Root of the per-version install cache. */
  cacheDir: string;
  /** Packages crawled at once. @default 4 */
  concurrency?: number;
  introspect?: Omit<IntrospectOptions, 'signal'>;
  limits?: Partial<SandboxLimits>;
  /**
   * Wall clock for reading one npm package's source, static extraction and code effects analysis together, ms
   * (`static/budget.ts`, `ReadingBudget`). @default 20000 (`STATIC_WALL_CLOCK_BUDGET_MS`)
   */
  readingBudgetMs?: number;
  /**
   * Wall clock of reading what one package's listed tools do in its code, ms: PyPI's sandboxed reader
   * (`PYTHON_EFFECTS_BUDGET_MS`, 30000 by default), and at most this of what is left of npm's `readingBudgetMs`
   * (by default all that is left). Each stops following handlers at about two thirds of it and returns what it read.
   */
  effectsBudgetMs?: number;
  bwrapPath?: string;
  signal?: AbortSignal;
  /** The crawl's clock: when each attempt (and so each listing) is dated. @default () => new Date() */
  now?: () => Date;
  /** Called when a package is done, with its result. */
  onResult?: (result: PackageResult) => void;
  /**
   * Counts of work done, added to as it happens: `crawl()` gives every package of a run the same one and reports
   * it in its {@link CrawlSummary}. Unset when a registry's crawl is called alone.
   */
  tally?: CrawlTally;
}

/** What a crawl run did that costs: installs made (not read from the package cache) and package starts in the sandbox. */
export interface CrawlTally {
  /** Packages installed or unpacked into the package cache this run; a finished install found there is not counted. */
  installs: number;
  /** Times a package's own code was started in the sandbox: every rung of the ladder, `--help` reads, the HTTP relay. */
  starts: number;
}

/** What happened to one package spec. */
export interface PackageResult {
  spec: string;
  name: string;
  version: string | null;
  outcome: 'ok' | 'failed';
  /** How the tools were listed; `none` when they were not. */
  method: IntrospectionMethod;
  failureReason: FailureReason | null;
  failureMessage: string | null;
  toolCount: number;
  durationMs: number;
  /** The recorded attempt's stderr tail (at most 4 KiB); empty when nothing ran. */
  stderrTail: string;
  /** Where the time went, ms; zero for the steps not reached. */
  timings: IntrospectionTimings;
  /** What a bare start runs in the sandbox; null when the package was not installed or has nothing to start. */
  launch: LaunchTarget | null;
}

/** A package's bare start: the install root mounted at `/srv/pkg`, the Node build at `/opt/node` (or none), the command. */
export interface LaunchTarget {
  packageRoot: string;
  runtimeDir: string | null;
  /** As seen inside the sandbox: `[node, entry file]`. */
  command: string[];
}

export interface CrawlSummary {
  crawlRunId: number;
  tried: number;
  /** Servers whose tools came from a live `tools/list` (any rung of the ladder). */
  introspected: number;
  /** Servers whose tools were read from source because no live start worked. */
  listedStatically: number;
  /** Servers with no tool list at all. */
  failed: number;
  /** Why live starts failed, per reason, including servers then listed from source. */
  failedByReason: Partial<Record<FailureReason, number>>;
  tools: number;
  /** Packages installed into the package cache this run ({@link CrawlTally}); 0 when every install was cached. */
  installs: number;
  /** Package starts in the sandbox this run ({@link CrawlTally}). */
  starts: number;
  durationMs: number;
  results: PackageResult[];
}
