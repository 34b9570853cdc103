/**
 * The `mcp-catalogue` command line: `discover | crawl | effects | classify | export | import | site | serve | run | verify | worker`.
 * Exit codes ({@link EXIT}): 0 done (servers that failed introspection are findings, not errors); 1 bad input lines in
 * `classify --input` or `import` (malformed, or longer than the line limit; the others are still read), or tools that differ from their pins (`verify`); 2 a
 * usage, configuration or environment error (no bubblewrap, a database that cannot be reached at start, a `serve` address that cannot be listened on), nothing
 * published; 3 `export`, `site` or `run` published everything else, but some servers' policy, pages or export line
 * could not be built from their stored records (each named on stderr);
 * 4 the PGlite data directory is in use by another process (nothing was done: run again when it has finished);
 * 5 PostgreSQL became unreachable during the job and stayed so past `MCP_CATALOGUE_DB_RETRY_MS` (default 60 s): the
 * job stopped, with one line saying so and how far it got; every server it stored is stored whole, and a run again
 * crawls the rest;
 * 6 `run`: every discovery source failed (the run went on with what earlier runs stored, and published);
 * 7 `run`: the crawl queue did not drain by its deadline (the servers left are crawled by the next run).
 * When several of 6, 7 and 3 apply, the first in that order wins (`run-report.ts`, `runExitCode`).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { classifyJsonl, DEFAULT_MAX_LINE_BYTES, describeLlmSummary } from '../classifier/index.ts';
import type { LlmStage } from '../classifier/index.ts';
import { checkSandbox, crawl, createSources, discover, DiscoveryFetcher, HttpClient, parsePackagesFile, parsePackageSpec, planCrawl, treeLimitSupport, type CrawlPlan, type CrawlSummary, type DiscoverResult, type RemoteServer } from '../crawler/index.ts';
import { checkPins, differs, parseListing, parsePins, PinError, type ListingDiff } from '../changes/index.ts';
import { isDatabaseGone, openStore } from '../db/index.ts';
import { FORMAT_IDS, formatById, SERVER_NAME, type PolicyFormat } from '../policy/index.ts';
import { MAX_TRANSIENT_ATTEMPTS, SOURCE_NAMES, type PackageSpec, type SourceName, type Store } from '../records/index.ts';
import { loadConfig, type Config } from './config.ts';
import { openLlmStage, type LlmFlags } from './llm-stage.ts';
import { createReporter, type Reporter } from './reporter.ts';
import { BACKFILL_REGISTRIES, backfillCodeEffects, backfillLines, type BackfillOptions, type BackfillRegistry } from './effects.ts';
import { fallbackDir, reachableDir, ROOT_CACHE_FALLBACK } from './sandbox-reach.ts';
import { startRegistryServer } from './serve.ts';
import { buildSite, classifyStoredTools, exportCatalogue, loadCatalogue, type PublishResult } from './stages.ts';
import { buildRunReport, everySourceFailed, RUN_EXIT, writeRunReport, type RunFacts } from './run-report.ts';
import { importJsonl, type PublishProblem } from '../site/index.ts';
import { crawlStageOnQueue, queueDatabase, queueLine, workerCommand } from './worker.ts';


/** The bundled list of real npm MCP servers crawled when no spec is given. */
export const BUNDLED_PACKAGES_FILE = fileURLToPath(new URL('../crawler/seeds/npm-servers.txt', import.meta.url));

interface CommonFlags {
  dataDir?: string;
  concurrency?: string;
  timeoutMs?: string;
  npmRegistryUrl?: string;
  packagesFile?: string;
  out?: string;
  siteOut?: string;
  exportOut?: string;
  baseUrl?: string;
  input?: string;
  output?: string;
  source?: string[];
  limit?: string;
  json?: boolean;
  namesFile?: string;
  mcpRegistryUrl?: string;
  pypiUrl?: string;
  githubApiUrl?: string;
  maxServers?: string;
  recrawlFailed?: boolean;
  relist?: boolean;
  now?: string;
  workers?: string;
  deadline?: string;
}

class UsageError extends Error {}

/** The exit codes, for scripts and cron jobs to act on. */
export const EXIT = {
  /** The job finished; servers that failed introspection are findings, not errors. */
  ok: 0,
  /** `classify --input` or `import` met malformed lines (the others were read). */
  badInput: 1,
  /** `verify`: some tools of the listing differ from the pins (changed, not pinned or missing). */
  pinsDiffer: 1,
  /** A usage, configuration or environment error (no bubblewrap, a bad flag, a database that cannot be opened at start). */
  usage: 2,
  /** `export`, `site` or `run` published the catalogue, but some servers could not be published whole. */
  partlyPublished: 3,
  /** The PGlite data directory is in use by another process; nothing was done. */
  dataDirInUse: 4,
  /**
   * PostgreSQL was lost during the job and did not come back within `MCP_CATALOGUE_DB_RETRY_MS`: the job stopped;
   * what it stored is whole (each write is one transaction), the rest was not done.
   */
  dbUnavailable: 5,
  /** `run`: every discovery source failed; the run went on with what earlier runs stored, and published. */
  discoveryFailed: RUN_EXIT.discoveryFailed,
  /** `run`: the crawl queue did not drain by its deadline; the servers left are crawled by the next run. */
  notDrained: RUN_EXIT.notDrained,
} as const;

/** Exit code of `export`, `site` and `run` when some servers could not be published whole; the others were. */
export const EXIT_PARTLY_PUBLISHED = EXIT.partlyPublished;

function common(command: Command): Command {
  return command
    .addOption(new Option('--data-dir <dir>', 'where the embedded database and the package cache live (env MCP_CATALOGUE_DATA_DIR)').default(undefined, './data'));
}

function crawlOptions(command: Command): Command {
  return command
    .option('--packages-file <file>', 'one package spec a line (npm:<name>[@<version>] or pypi:<name>[@<version>]), # comments; default: the bundled list')
    .option('--concurrency <n>', 'packages crawled at once (env MCP_CATALOGUE_CONCURRENCY, default 4)')
    .option('--timeout-ms <ms>', 'wall-clock limit of one sandboxed session (env MCP_CATALOGUE_TIMEOUT_MS, default 30000)')
    .option('--npm-registry-url <url>', 'npm registry base URL (env NPM_REGISTRY_URL)')
    .addOption(new Option('--now <time>', 'date the crawl at this ISO 8601 time instead of the clock (env MCP_CATALOGUE_NOW; for tests)').hideHelp());
}

/** The crawl's clock: the configured fixed time (`--now`, MCP_CATALOGUE_NOW), else the system clock. */
function clockOf(config: Config): () => Date {
  const fixed = config.now === undefined ? null : new Date(config.now);
  return fixed ? () => new Date(fixed) : () => new Date();
}

function discoveryOptions(command: Command): Command {
  return command
    .option('--source <names...>', `discovery sources to query (${SOURCE_NAMES.join(', ')}; default all)`)
    .option('--limit <n>', 'at most this many candidates per discovery source')
    .option('--names-file <file>', 'npm discovery: list these names (npm:<name> a line) instead of searching')
    .option('--mcp-registry-url <url>', 'MCP Registry base URL (env MCP_REGISTRY_URL)')
    .option('--pypi-url <url>', 'PyPI base URL (env PYPI_URL)')
    .option('--github-api-url <url>', 'GitHub API base URL (env GITHUB_API_URL; token from GITHUB_TOKEN)');
}

function backfillRegistries(values: string[] = []): BackfillRegistry[] {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const name of names) {
    if (!(BACKFILL_REGISTRIES as readonly string[]).includes(name)) throw new UsageError(`--registry ${name}: expected one of ${BACKFILL_REGISTRIES.join(', ')}`);
  }
  return names.length > 0 ? [...new Set(names as BackfillRegistry[])] : [...BACKFILL_REGISTRIES];
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} ${value}: expected a positive integer`);
  return n;
}

function nonNegativeInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} ${value}: expected a whole number, 0 or more`);
  return n;
}

function planLine(plan: CrawlPlan): string {
  const k = plan.skipped;
  const left = [
    k.notServer && `${k.notServer} not MCP servers`,
    k.alreadyAttempted && `${k.alreadyAttempted} versions already crawled`,
    plan.retried.gaveUp && `${plan.retried.gaveUp} given up after ${MAX_TRANSIENT_ATTEMPTS} transient failures`,
    k.overLimit && `${k.overLimit} over --max-servers`,
    k.remoteOnly && `${k.remoteOnly} remote only with no registry name`,
    k.noInstallablePackage && `${k.noInstallablePackage} with no npm or PyPI package`,
    k.deleted && `${k.deleted} deleted`,
  ].filter(Boolean);
  const again = [
    plan.remotes.length && `${plan.remotes.length} of them remote only`,
    plan.retried.transient && `${plan.retried.transient} retried after a transient failure`,
    plan.retried.newerCrawler && `${plan.retried.newerCrawler} re-crawled by a newer crawler`,
  ].filter(Boolean).map((part) => `, ${part}`).join('');
  const relisted = plan.relisted.length ? `; ${plan.relisted.length} crawled before listed again to look for changes` : '';
  return `crawl plan:           ${plan.specs.length + plan.remotes.length} servers${again}${left.length ? ` (left out: ${left.join(', ')})` : ''}${relisted}`;
}

function configFrom(flags: CommonFlags): Config {
  return loadConfig({ dataDir: flags.dataDir, concurrency: flags.concurrency, timeoutMs: flags.timeoutMs, npmRegistryUrl: flags.npmRegistryUrl, pypiUrl: flags.pypiUrl, now: flags.now });
}

/** Opens the store for `command` (named to a second process that tries to open the same PGlite directory), runs `work`, closes it. */
async function withStore<T>(config: Config, command: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, holder: `mcp-catalogue ${command}`, retryMs: config.dbRetryMs });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function specsFrom(args: string[], packagesFile: string | undefined, reporter: Reporter): Promise<PackageSpec[]> {
  if (args.length > 0 && packagesFile) throw new UsageError('give package specs or --packages-file, not both');
  if (args.length > 0) {
    try {
      return args.map(parsePackageSpec);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const file = packagesFile ?? BUNDLED_PACKAGES_FILE;
  const { specs, errors } = parsePackagesFile(await readFile(file, 'utf8'));
  for (const e of errors) reporter.warn(`${file}:${e.line}: ${e.message}`);
  if (specs.length === 0) throw new UsageError(`${file} lists no package specs`);
  return specs;
}

async function runCrawl(config: Config, store: Store, specs: PackageSpec[], reporter: Reporter, remotes: readonly RemoteServer[] = []): Promise<CrawlSummary> {
  const http = new HttpClient();
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const total = specs.length + remotes.length;
  let done = 0;
  reporter.begin('crawl', total);
  try {
    return await crawl(specs, {
      store, http, npmRegistryUrl: config.npmRegistryUrl, pypiUrl: config.pypiUrl, cacheDir: config.cacheDir, concurrency: config.concurrency,
      introspect: { timeoutMs: config.timeoutMs }, bwrapPath: config.bwrapPath, signal: controller.signal, now: clockOf(config),
      onResult: (r) => {
        done++;
        reporter.step(`${r.name} ${r.outcome === 'ok' ? `${r.toolCount} tools` : r.failureReason}`, {
          spec: r.spec, version: r.version, outcome: r.outcome, reason: r.failureReason, message: r.failureMessage, tools: r.toolCount, ms: r.durationMs,
        });
      },
    }, remotes);
  } catch (error) {
    // How far it got, before the one-line error: the servers done are stored whole, the others were not crawled.
    if (isDatabaseGone(error)) process.stdout.write(`crawl stopped:        ${done} of ${total} servers crawled and stored, ${total - done} not crawled (the database was lost; run again to crawl them)\n`);
    throw error;
  } finally {
    reporter.end();
    process.off('SIGINT', onSignal);
    await http.close();
  }
}

/** Where the package cache goes when root's default one is out of the sandbox's reach (a checkout under /root). */
export { ROOT_CACHE_FALLBACK };

/**
 * Creates the package cache and checks the sandbox can start and read it; nothing runs unsandboxed. Running as
 * root, the sandbox starts under an unprivileged uid; when that uid cannot reach the default cache (no cache
 * directory was configured), the cache moves under {@link ROOT_CACHE_FALLBACK}, with a warning, and the returned
 * configuration says so.
 */
async function prepareSandbox(config: Config, reporter: Reporter): Promise<Config> {
  const { dir, moved } = await reachableDir(config.bwrapPath, config.cacheDir, { movable: !config.cacheDirConfigured });
  const tree = treeLimitSupport();
  if (tree.cgroup === null) reporter.warn(tree.note);
  else reporter.info(tree.note);
  if (!moved) return config;
  reporter.warn(`the sandbox's unprivileged uid cannot reach ${config.cacheDir}; packages are cached in ${dir} instead (set MCP_CATALOGUE_CACHE_DIR to choose)`);
  return { ...config, cacheDir: dir };
}

function sourceNames(values: string[] = []): SourceName[] {
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const name of names) {
    if (!(SOURCE_NAMES as readonly string[]).includes(name)) throw new UsageError(`--source ${name}: expected one of ${SOURCE_NAMES.join(', ')}`);
  }
  return names as SourceName[];
}

async function runDiscover(config: Config, store: Store, flags: CommonFlags, reporter: Reporter): Promise<DiscoverResult> {
  const limit = positiveInteger('--limit', flags.limit);
  const sources = createSources({ ...config, namesFile: flags.namesFile }, sourceNames(flags.source));
  const http = new HttpClient();
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  reporter.info(`discovering from ${sources.map((s) => s.name).join(', ')}`);
  try {
    return await discover({
      store, sources, fetch: new DiscoveryFetcher(http), signal: controller.signal, limit,
      onWarning: (source, message) => reporter.warn(`${source}: ${message}`),
    });
  } finally {
    process.off('SIGINT', onSignal);
    await http.close();
  }
}

function discoverSummaryLines(r: DiscoverResult): string[] {
  const lines = r.sources.map((s) => {
    const error = s.error ? `; stopped: ${s.error.code}` : '';
    const notServers = s.notServers ? `, ${s.notServers} not servers` : '';
    return `${`${s.source}:`.padEnd(22)}${s.candidates} candidates (${s.new} new, ${s.changed} changed)${notServers}, ${s.requests} requests${s.warnings ? `, ${s.warnings} warnings` : ''}${error}`;
  });
  const reasons = Object.entries(r.totals.byReason).map(([code, n]) => `${code} ${n}`).join(', ');
  return [
    ...lines,
    `servers:              ${r.totals.servers} (${r.totals.new} new, ${r.totals.changed} changed, ${r.totals.mergedDuplicates} merged as duplicates)`,
    ...(r.totals.notServers ? [`not servers:          ${r.totals.notServers} (${reasons}), not crawled`] : []),
    `discovery time:       ${seconds(r.totals.durationMs)}`,
  ];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function crawlSummaryLines(s: CrawlSummary): string[] {
  const reasons = Object.entries(s.failedByReason).sort(([, a], [, b]) => b - a).map(([r, n]) => `${r} ${n}`).join(', ');
  const percent = (n: number) => `${s.tried ? Math.round((100 * n) / s.tried) : 0}%`;
  return [
    `servers tried:        ${s.tried}`,
    `introspected live:    ${s.introspected} (${percent(s.introspected)})`,
    `listed from source:   ${s.listedStatically} (static extraction after a failed live start)`,
    `no tool list:         ${s.failed} (${percent(s.failed)})`,
    `live starts failed:   ${s.tried - s.introspected}${reasons ? ` (${reasons})` : ''}`,
    `tools listed:         ${s.tools}`,
    `installs, starts:     ${s.installs} package${s.installs === 1 ? '' : 's'} installed (the others came from the package cache), ${s.starts} start${s.starts === 1 ? '' : 's'} in the sandbox`,
    `crawl time:           ${seconds(s.durationMs)}`,
  ];
}

/** The run's changes: servers whose listing changed, tools added, removed and changed, findings by severity. */
export function changesLine(diffs: readonly ListingDiff[]): string {
  if (diffs.length === 0) return 'changes:              no changes';
  const servers = new Set(diffs.map((d) => d.serverId)).size;
  const sum = (pick: (d: ListingDiff) => number) => diffs.reduce((n, d) => n + pick(d), 0);
  const findings = diffs.flatMap((d) => d.findings);
  const severe = findings.filter((f) => f.severity === 'high' || f.severity === 'critical').length;
  return `changes:              ${servers} server${servers === 1 ? '' : 's'} changed (${sum((d) => d.added.length)} tools added, ${sum((d) => d.removed.length)} removed, ${sum((d) => d.changed.length)} changed), ${findings.length} finding${findings.length === 1 ? '' : 's'} (${severe} high or critical)`;
}

function publishLine(what: string, r: PublishResult): string {
  return `${what.padEnd(22)}${r.outDir} (${r.files} files, ${(r.bytes / 1024 / 1024).toFixed(1)} MiB, ${r.servers} servers)`;
}

/** Warns of each problem on stderr (server, step, page, reason); returns the summary lines, none when there are none. */
function problemLines(problems: readonly PublishProblem[], reporter: Reporter): string[] {
  for (const p of problems) {
    reporter.warn(`${p.server}: ${p.step === 'policy' ? 'no recommended policy' : `${p.path} not built`}: ${p.message}`, { server: p.server, step: p.step, path: p.path });
  }
  if (problems.length === 0) return [];
  const servers = new Set(problems.map((p) => p.serverId)).size;
  return [`problems:             ${servers} server${servers === 1 ? '' : 's'} not published whole (${problems.length} on stderr); the others were`];
}

/** `--format a,b`: the named export formats in the table's order; an unknown or empty name is a usage error. */
export function parseFormats(value: string): PolicyFormat[] {
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => formatById(n) === undefined);
  if (names.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`unknown format ${unknown.map((n) => JSON.stringify(n)).join(', ')}; known: ${FORMAT_IDS.join(', ')}`);
  return FORMAT_IDS.filter((id) => names.includes(id)).map((id) => formatById(id) as PolicyFormat);
}

function parseServerName(value: string): string {
  if (!SERVER_NAME.test(value)) throw new InvalidArgumentError('a server name is 1-64 of A-Z a-z 0-9 _ -');
  return value;
}

/** Runs the CLI with `argv` (as `process.argv`); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const reporter = createReporter();
  const program = new Command('mcp-catalogue')
    .description('A risk-rated catalogue of MCP servers and tools: crawl npm packages in a sandbox, classify every tool, recommend policy.json, publish a static site.')
    .exitOverride()
    .showHelpAfterError();

  let exitCode: number = EXIT.ok;
  const database = (config: Config) => (config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.pgliteDir}`);

  discoveryOptions(common(program.command('discover')))
    .description('find MCP servers on the MCP Registry, npm, PyPI and GitHub, deduplicated; incremental between runs')
    .option('--json', 'print the deduplicated servers, then the listings judged not servers (with notServer {code, reason}), as JSON lines on stdout (the summary goes to stderr)')
    .option('--npm-registry-url <url>', 'npm registry base URL (env NPM_REGISTRY_URL)')
    .action(async (flags: CommonFlags) => {
      const config = loadConfig({
        dataDir: flags.dataDir, npmRegistryUrl: flags.npmRegistryUrl, mcpRegistryUrl: flags.mcpRegistryUrl, pypiUrl: flags.pypiUrl, githubApiUrl: flags.githubApiUrl,
      });
      const result = await withStore(config, 'discover', (store) => runDiscover(config, store, flags, reporter));
      const summary = discoverSummaryLines(result).join('\n');
      if (flags.json) {
        // Servers first, then the listings judged not servers, each with its `notServer` reason.
        for (const server of [...result.servers, ...result.notServers]) out(JSON.stringify({ ...server, notServer: server.notServer ?? null }));
        process.stderr.write(`${summary}\n`);
      } else {
        out(summary);
        out(`database:             ${database(config)}`);
      }
    });

  crawlOptions(common(program.command('crawl').argument('[specs...]', 'npm:<name>[@<version>] or pypi:<name>[@<version>] (default: the bundled list)')))
    .description('install each package (no install scripts), run it in the sandbox, store its tools/list')
    .option('--pypi-url <url>', 'PyPI base URL for pypi: specs; the Simple API is read at <url>/simple (env PYPI_URL)')
    .action(async (args: string[], flags: CommonFlags) => {
      const config = configFrom(flags);
      const specs = await specsFrom(args, flags.packagesFile, reporter);
      const crawlConfig = await prepareSandbox(config, reporter);
      const summary = await withStore(crawlConfig, 'crawl', (store) => runCrawl(crawlConfig, store, specs, reporter));
      out(crawlSummaryLines(summary).join('\n'));
      out(`database:             ${database(config)}`);
    });

  common(program.command('effects'))
    .description('read what the handlers of stored npm and PyPI tools do, for versions crawled without it whose install is still in the package cache (PyPI ones read in the sandbox; nothing is installed unless --install-missing)')
    .option('--registry <names...>', `registries whose versions are read (${BACKFILL_REGISTRIES.join(', ')}; default all)`)
    .option('--install-missing', 'install PyPI versions the package cache no longer holds again from the index, as the crawl does (wheels checked against their digests, unpacked in the sandbox)')
    .option('--pypi-url <url>', 'PyPI base URL for --install-missing; the Simple API is read at <url>/simple (env PYPI_URL)')
    .action(async (flags: CommonFlags & { registry?: string[]; installMissing?: boolean }) => {
      const config = configFrom(flags);
      const registries = backfillRegistries(flags.registry);
      // The crawl may have moved the cache out of the sandbox's way (prepareSandbox); both places are looked in.
      const cacheDirs = config.cacheDirConfigured ? [config.cacheDir] : [config.cacheDir, fallbackDir(config.cacheDir)];
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      const http = new HttpClient();
      try {
        const summary = await withStore(config, 'effects', async (store) => {
          let pending = 0;
          let pypiPending = 0;
          for (const registry of registries) {
            const count = (await store.versionsNeedingCodeEffects(registry)).length;
            pending += count;
            if (registry === 'pypi') pypiPending = count;
          }
          let pypiInstall: BackfillOptions['pypiInstall'];
          if (pypiPending > 0) {
            // A Python reader never runs outside the sandbox: no bubblewrap, no PyPI reading (exit 2).
            if (flags.installMissing) {
              const installConfig = await prepareSandbox(config, reporter);
              pypiInstall = { cacheDir: installConfig.cacheDir, http, pypiUrl: config.pypiUrl };
            } else {
              checkSandbox(config.bwrapPath);
            }
          }
          reporter.begin('effects', pending);
          try {
            return await backfillCodeEffects(store, cacheDirs, {
              registries, bwrapPath: config.bwrapPath, signal: controller.signal, ...(pypiInstall ? { pypiInstall } : {}),
              onVersion: (label, found, tools, failure) => reporter.step(`${label} ${found}/${tools} handlers${failure ? ` (${failure})` : ''}`),
            });
          } finally {
            reporter.end();
          }
        });
        out(backfillLines(summary).join('\n'));
        out(`database:             ${database(config)}`);
      } finally {
        process.off('SIGINT', onSignal);
        await http.close();
      }
    });

  common(program.command('classify'))
    .description('classify tools: stored tools missing a classification, or a JSONL file of MCP Tool objects with --input')
    .option('--input <file>', 'JSONL of MCP Tool objects (optional "server": {name, description}); - for stdin')
    .option('--output <file>', 'JSONL output with --input; - for stdout', '-')
    .option('--max-line-bytes <n>', `with --input, longest line read; a longer one is reported with its number and skipped (default ${DEFAULT_MAX_LINE_BYTES}, 16 MiB)`)
    .option('--llm', 'ask the configured LLM (MCP_CATALOGUE_LLM_BASE_URL, MCP_CATALOGUE_LLM_MODEL) about tools the heuristic is unsure of')
    .option('--llm-rationale', 'with --llm, also have the LLM write the rationale of confident tools (their labels stay the heuristic\'s)')
    .option('--llm-threshold <x>', 'heuristic confidence below which the LLM classifies (env MCP_CATALOGUE_LLM_THRESHOLD, default 0.85)')
    .option('--llm-budget-calls <n>', 'most LLM calls this run (env MCP_CATALOGUE_LLM_BUDGET_CALLS, default 500)')
    .option('--llm-budget-tokens <n>', 'most LLM tokens this run (env MCP_CATALOGUE_LLM_BUDGET_TOKENS, default 1000000)')
    .option('--dry-run', 'print the LLM requests that would be sent (one JSON line each), send none and store nothing')
    .action(async (flags: CommonFlags & LlmFlags & { llmThreshold?: string; llmBudgetCalls?: string; llmBudgetTokens?: string; maxLineBytes?: string }) => {
      const usesLlm = flags.llm === true || flags.llmRationale === true || flags.dryRun === true;
      const llmConfig = () => loadConfig({ dataDir: flags.dataDir, llmThreshold: flags.llmThreshold, llmBudgetCalls: flags.llmBudgetCalls, llmBudgetTokens: flags.llmBudgetTokens });
      if (flags.maxLineBytes !== undefined && flags.input === undefined) throw new UsageError('--max-line-bytes applies to --input');
      if (flags.input !== undefined) {
        const maxLineBytes = positiveInteger('--max-line-bytes', flags.maxLineBytes);
        // stdout may be the JSONL output, so the dry run's requests go to stderr here.
        const llm = usesLlm ? openLlmStage(llmConfig(), flags, (r) => process.stderr.write(`${JSON.stringify(r)}\n`)) : undefined;
        const input = flags.input === '-' ? process.stdin : createReadStream(flags.input);
        const output = flags.output === undefined || flags.output === '-' ? process.stdout : createWriteStream(flags.output);
        const refine = llm ? async (...args: Parameters<LlmStage['refine']>) => (await llm.refine(...args)).classification : undefined;
        const result = await classifyJsonl(input, output, process.stderr, { refine, maxLineBytes });
        if (output !== process.stdout) await new Promise<void>((resolve) => (output as NodeJS.WritableStream).end(() => resolve()));
        if (result.failed > 0) exitCode = EXIT.badInput;
        const malformed = result.failed - result.tooLong;
        process.stderr.write(`classified ${result.classified} tools, ${malformed} malformed line(s), ${result.tooLong} line(s) over the line limit\n`);
        if (llm) process.stderr.write(`${describeLlmSummary(llm.summary()).join('\n')}\n`);
        return;
      }
      const config = usesLlm ? llmConfig() : configFrom(flags);
      const llm = usesLlm ? openLlmStage(config, flags, (r) => out(JSON.stringify(r))) : undefined;
      const result = await withStore(config, 'classify', (store) => classifyStoredTools(store, undefined, llm));
      out(`classified:           ${result.classified} tools (classifier ${result.classifierVersion})${llm?.settings.dryRun ? ', dry run: nothing stored' : ''}`);
      if (result.llm) out(describeLlmSummary(result.llm).join('\n'));
    });

  common(program.command('export'))
    .description('write each server\'s policy in every chosen format (<format>/<server-slug>.<ext>; policy.json in policies/) pins/<server-slug>.json and servers.jsonl')
    .option('--out <dir>', 'output directory', './out/export')
    .option('--format <list>', `comma-separated export formats: ${FORMAT_IDS.join(',')} (default: all)`, parseFormats)
    .option('--server-name <name>', 'the name the user\'s client gives the server, in Claude Code, Kong, Docker and VS Code files (default: derived from the server; 1-64 of A-Z a-z 0-9 _ -)', parseServerName)
    .action(async (flags: CommonFlags & { format?: PolicyFormat[]; serverName?: string }) => {
      const config = configFrom(flags);
      const { result, problems } = await withStore(config, 'export', async (store) => {
        const snapshot = await loadCatalogue(store);
        const exported = await exportCatalogue(snapshot, path.resolve(flags.out ?? './out/export'), { formats: flags.format, serverName: flags.serverName });
        return { result: exported, problems: [...snapshot.policyProblems, ...exported.problems] };
      });
      out(publishLine('export:', result));
      const lines = problemLines(problems, reporter);
      if (lines.length > 0) {
        out(lines.join('\n'));
        exitCode = EXIT_PARTLY_PUBLISHED;
      }
    });

  common(program.command('import').argument('<file>', "an export's servers.jsonl"))
    .description('load a servers.jsonl written by export into the store (servers, versions, attempts, tools, classifications, code effects), one transaction a line')
    .option('--max-line-bytes <n>', `longest line read; a longer one is reported with its number and skipped (default ${DEFAULT_MAX_LINE_BYTES}, 16 MiB)`)
    .action(async (file: string, flags: CommonFlags & { maxLineBytes?: string }) => {
      const maxLineBytes = positiveInteger('--max-line-bytes', flags.maxLineBytes);
      const config = configFrom(flags);
      const summary = await withStore(config, 'import', (store) => importJsonl(store, createReadStream(file), process.stderr, { maxLineBytes }));
      out(`imported:             ${summary.servers} servers, ${summary.versions} versions, ${summary.tools} tools; ${summary.skipped} line(s) skipped`);
      if (summary.skipped > 0) exitCode = EXIT.badInput;
    });

  common(program.command('site'))
    .description('build the static catalogue site from the database')
    .option('--out <dir>', 'output directory', './out/site')
    .option('--base-url <url>', 'absolute URL the site is published at (for sitemap.xml and canonical links)')
    .option('--full', 'render every server again, whatever the last build in --out left (default: only servers whose records changed)')
    .action(async (flags: CommonFlags & { full?: boolean }) => {
      const config = configFrom(flags);
      const { result, problems } = await withStore(config, 'site', async (store) => {
        const built = await buildSite(store, path.resolve(flags.out ?? './out/site'), { baseUrl: flags.baseUrl, registry: true, full: flags.full === true });
        return { result: built, problems: built.problems };
      });
      out(publishLine('site:', result));
      out(`build:                ${result.mode}, ${result.rendered} of ${result.servers} servers rendered, ${result.removed} removed`);
      const lines = problemLines(problems, reporter);
      if (lines.length > 0) {
        out(lines.join('\n'));
        exitCode = EXIT_PARTLY_PUBLISHED;
      }
      out(`open:                 ${path.join(result.outDir, 'index.html')}`);
    });

  common(program.command('serve'))
    .description('serve the catalogue as a registry-compatible read API (MCP Registry v0.1: GET /v0.1/servers, /v0.1/servers/{serverName}/versions[/{version}]) until SIGINT or SIGTERM; SIGHUP reads the database again')
    .option('--port <n>', 'TCP port to listen on (0: any free port)', '8080')
    .option('--host <address>', 'address to listen on (0.0.0.0 or :: for every interface)', '127.0.0.1')
    .action(async (flags: CommonFlags & { port: string; host: string }) => {
      const port = /^\d{1,5}$/.test(flags.port) ? Number(flags.port) : NaN;
      if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port ${flags.port}: expected a port number from 0 to 65535`);
      const config = configFrom(flags);
      const running = await startRegistryServer({ port, host: flags.host, withStore: (work) => withStore(config, 'serve', work), onWarning: (message) => reporter.warn(message) });
      const counted = () => {
        const c = running.counts();
        return `${c.servers} servers, ${c.versions} versions${c.leftOut ? `, ${c.leftOut} left out (named on stderr)` : ''}`;
      };
      out(`serving:              ${running.url}/v0.1/servers (${counted()})`);
      out(`database:             ${database(config)}, read at start (send SIGHUP to read it again)`);
      await new Promise<void>((resolve) => {
        const reload = () => {
          running.reload().then(() => reporter.info(`read the database again: ${counted()}`), (error: Error) => reporter.warn(`could not read the database again, still serving what was read before: ${error.message}`));
        };
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.off('SIGHUP', reload);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
        process.on('SIGHUP', reload);
      });
      await running.close();
      out('stopped:              the registry API is closed');
    });

  program.command('verify')
    .description('check a live tools/list result against the pins of a server exported by `export` (pins/<slug>.json): exit 1 when a tool is changed, not pinned or missing')
    .requiredOption('--pins <file>', 'a pin file written by export (pins/<slug>.json)')
    .requiredOption('--tools <file>', 'the listing a client saw: a tools/list result {"tools": [...]} or an array of tools (- for stdin)')
    .option('--version <version>', "the server version whose pins apply (default: the pin file's latest)")
    .action(async (flags: { pins: string; tools: string; version?: string }) => {
      const readJson = async (file: string, what: string) => {
        let text: string;
        try {
          text = file === '-' ? await new Promise<string>((resolve, reject) => {
            const chunks: Buffer[] = [];
            process.stdin.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
          }) : await readFile(file, 'utf8');
        } catch (error) {
          throw new UsageError(`${what} ${file}: cannot be read: ${(error as Error).message}`);
        }
        try {
          return JSON.parse(text) as unknown;
        } catch (error) {
          throw new UsageError(`${what} ${file}: not JSON: ${(error as Error).message}`);
        }
      };
      let check;
      try {
        const pins = parsePins(await readJson(flags.pins, '--pins'));
        const tools = parseListing(await readJson(flags.tools, '--tools'));
        check = checkPins(pins, tools, flags.version ?? pins.latest);
      } catch (error) {
        if (error instanceof PinError) throw new UsageError(`${error.message} [${error.code}]`);
        throw error;
      }
      const name = (n: string) => JSON.stringify(n);
      for (const t of check.changed) out(`changed:     ${name(t.name)} (pinned ${t.pinned}, listed ${t.listed})`);
      for (const t of check.notPinned) out(`not pinned:  ${name(t.name)} (listed ${t.listed})`);
      for (const t of check.missing) out(`missing:     ${name(t.name)} (pinned ${t.pinned})`);
      const differing = check.changed.length + check.notPinned.length + check.missing.length;
      out(differs(check)
        ? `verify:      ${differing} tool${differing === 1 ? '' : 's'} differ from the pins of version ${check.version} (${check.matching.length} match)`
        : `verify:      all ${check.matching.length} tools match the pins of version ${check.version}`);
      if (differs(check)) exitCode = EXIT.pinsDiffer;
    });

  crawlOptions(common(program.command('worker')))
    .description('take crawl jobs from the queue in PostgreSQL (DATABASE_URL; pg-boss, schema pgboss) until stopped (SIGINT, SIGTERM); run as many as you like, on any machines')
    .option('--pypi-url <url>', 'PyPI base URL for pypi: specs (env PYPI_URL)')
    .action(async (flags: CommonFlags) => {
      const config = configFrom(flags);
      queueDatabase(config, 'worker');
      // Its own sandbox check: a worker that cannot sandbox takes no job (exit 2).
      const crawlConfig = await prepareSandbox(config, reporter);
      await workerCommand(crawlConfig, out);
    });

  discoveryOptions(crawlOptions(common(program.command('run').argument('[specs...]', 'npm:<name>[@<version>]; without specs or --packages-file, discovery chooses'))))
    .description('the nightly job: discover, crawl new versions, classify, export and build the site')
    .option('--max-servers <n>', 'crawl at most this many discovered servers this run (most downloaded first)')
    .option('--recrawl-failed', 'also crawl again discovered versions whose last attempt failed permanently under an older crawler version')
    .option('--no-relist', 'do not list again the discovered versions already listed live (by default they are, from the package cache, to find tools that changed at the same version)')
    .option('--llm', 'classify with the configured LLM too (as classify --llm; MCP_CATALOGUE_LLM_BASE_URL, MCP_CATALOGUE_LLM_MODEL)')
    .option('--llm-rationale', 'with --llm, also have the LLM write the rationale of confident tools')
    .option('--site-out <dir>', 'site output directory', './out/site')
    .option('--export-out <dir>', 'export output directory', './out/export')
    .option('--base-url <url>', 'absolute URL the site is published at')
    .option('--workers <n>', 'crawl through the job queue in PostgreSQL (DATABASE_URL) with n local worker processes (0: only workers started elsewhere with `mcp-catalogue worker`)')
    .option('--deadline <seconds>', 'with --workers, stop waiting for the queue after this long; jobs not started are cancelled, the run goes on with what was crawled')
    .option('--report <file>', 'also write the run report, JSON with per-stage counts and times (README, "The run report")')
    .action(async (args: string[], flags: CommonFlags & LlmFlags & { report?: string }) => {
      const started = performance.now();
      const discovering = args.length === 0 && flags.packagesFile === undefined;
      const config = loadConfig({
        dataDir: flags.dataDir, concurrency: flags.concurrency, timeoutMs: flags.timeoutMs, npmRegistryUrl: flags.npmRegistryUrl,
        mcpRegistryUrl: flags.mcpRegistryUrl, pypiUrl: flags.pypiUrl, githubApiUrl: flags.githubApiUrl, now: flags.now,
      });
      const now = clockOf(config);
      const runStarted = now();
      const maxServers = positiveInteger('--max-servers', flags.maxServers);
      if (!discovering && (flags.source || flags.namesFile || flags.limit || maxServers || flags.recrawlFailed)) {
        throw new UsageError('--source, --names-file, --limit, --max-servers and --recrawl-failed choose what discovery crawls; give them without package specs or --packages-file');
      }
      const workers = nonNegativeInteger('--workers', flags.workers);
      const deadline = positiveInteger('--deadline', flags.deadline);
      if (deadline !== undefined && workers === undefined) throw new UsageError('--deadline applies to --workers');
      if (workers !== undefined) queueDatabase(config, 'run --workers');
      const specs = discovering ? [] : await specsFrom(args, flags.packagesFile, reporter);
      // Checked before the crawl: a missing LLM setting is a usage error, not something to learn after an hour.
      const llm = flags.llm || flags.llmRationale ? openLlmStage(config, { llm: flags.llm, llmRationale: flags.llmRationale }, () => undefined) : undefined;
      const crawlConfig = await prepareSandbox(config, reporter);
      const lines = await withStore(crawlConfig, 'run', async (store) => {
        const planned: string[] = [];
        const remotes: RemoteServer[] = [];
        let discovery: RunFacts['discovery'] = null;
        if (discovering) {
          const discoveryStarted = performance.now();
          const found = await runDiscover(crawlConfig, store, flags, reporter);
          const plan = planCrawl([...found.servers, ...found.notServers], await store.crawlState(), { maxServers, recrawlFailed: flags.recrawlFailed === true, relist: flags.relist !== false });
          specs.push(...plan.specs, ...plan.relisted);
          remotes.push(...plan.remotes);
          discovery = { result: found, plan, ms: performance.now() - discoveryStarted };
          planned.push(...discoverSummaryLines(found));
          if (everySourceFailed(found)) planned.push('discovery:            every source failed; the crawl plan uses what earlier runs stored');
          planned.push(planLine(plan));
        }
        // With --workers the crawl goes through the queue; `queued` says whether it drained and how its jobs ended.
        let lastCounts = '';
        const queued = workers === undefined ? null : await crawlStageOnQueue(crawlConfig, store, specs, remotes, {
          workers, deadlineSeconds: deadline, onProgress: (jobs) => {
            const counts = JSON.stringify(jobs);
            if (counts !== lastCounts) reporter.info('queue', { ...jobs });
            lastCounts = counts;
          },
        });
        const summary = queued ? queued.summary : await runCrawl(crawlConfig, store, specs, reporter, remotes);
        reporter.info('classifying stored tools');
        const classifyStarted = performance.now();
        const classified = await classifyStoredTools(store, undefined, llm);
        const classifyMs = performance.now() - classifyStarted;
        const snapshot = await loadCatalogue(store);
        let stageStarted = performance.now();
        const exported = await exportCatalogue(snapshot, path.resolve(flags.exportOut ?? './out/export'));
        const exportMs = performance.now() - stageStarted;
        stageStarted = performance.now();
        const site = await buildSite(store, path.resolve(flags.siteOut ?? './out/site'), { baseUrl: flags.baseUrl, now: now(), registry: true });
        const siteMs = performance.now() - stageStarted;
        // The site reports the policy problems of the servers it rendered; the snapshot's are of every server.
        const problems = problemLines([...snapshot.policyProblems, ...exported.problems, ...site.problems.filter((p) => p.step !== 'policy')], reporter);
        const diffs = snapshot.diffs.filter((d) => d.to.listedAt.getTime() >= runStarted.getTime());
        const report = buildRunReport({
          startedAt: runStarted, ms: performance.now() - started, discovery, planned: specs.length + remotes.length,
          crawl: { ...summary, drained: queued ? queued.queue.drained : true },
          classify: { ...classified, ms: classifyMs }, diffs, exported: { ...exported, ms: exportMs }, site: { ...site, ms: siteMs },
          partlyPublished: problems.length > 0,
        });
        exitCode = report.exitCode;
        if (flags.report) await writeRunReport(path.resolve(flags.report), report);
        return [
          ...planned,
          ...crawlSummaryLines(summary),
          ...(queued ? [queueLine(queued)] : []),
          `classified:           ${classified.classified} tools (classifier ${classified.classifierVersion})`,
          ...(classified.llm ? describeLlmSummary(classified.llm) : []),
          changesLine(diffs),
          publishLine('export:', exported),
          publishLine('site:', site),
          ...problems,
          `database:             ${database(config)}`,
          ...(flags.report ? [`run report:           ${path.resolve(flags.report)}`] : []),
          `total time:           ${seconds(performance.now() - started)}`,
          `open:                 ${path.join(site.outDir, 'index.html')}`,
          ...report.alerts.map((a) => `alert:                ${a} (exit ${report.exitCode})`),
        ];
      });
      out(lines.join('\n'));
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const code = (error as { code?: string }).code;
    process.stderr.write(`mcp-catalogue: ${(error as Error).message}${code ? ` [${code}]` : ''}\n`);
    if (code === 'DB_LOCKED') return EXIT.dataDirInUse;
    return code === 'DB_UNAVAILABLE' ? EXIT.dbUnavailable : EXIT.usage;
  }
}
