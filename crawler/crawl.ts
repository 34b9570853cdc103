/**
 * The crawl stage: for each package spec, resolve → install → find the entry point → introspect in the sandbox →
 * store. Bounded concurrency with p-queue. A package that fails is recorded with its reason and the crawl goes on;
 * only our own failures that make every package fail (no sandbox) stop it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import type { FailureReason, Introspection, IntrospectionMethod, IntrospectionTimings, PackageSpec, Store, ToolDefinition } from '../records/index.ts';
import { contain, newProgress, type CrawlProgress } from './contain.ts';
import { entryPointReport, findEntryPoint, otherServerBins } from './registries/npm/entry.ts';
import { CrawlError } from './errors.ts';
import { CRAWLER_NOTE } from './session/failure.ts';
import type { HttpClient } from './http.ts';
import { installNpmPackage, unpackNpmPackage } from './registries/npm/install.ts';
import { introspectLive, liveAttempt, type IntrospectOptions, type LiveResult } from './session/stdio.ts';
import { introspectOverHttp } from './session/http-relay.ts';
import { crawlRemoteServer, remoteLabel, type RemoteServer } from './registries/remote/crawl.ts';
import { argumentLists, declaredArguments, declaredEnvironment, placeholderEnvironments, placeholderFiles, readUsage, selectsStdio } from './launch/index.ts';
import { chooseNodeRuntime, newerNodeWanted, type RuntimeChoice } from './registries/npm/runtime.ts';
import { extractToolsInWorker } from './static/budget.ts';
import { fetchPackument, repositoryUrlOf, resolveVersion } from './registries/npm/client.ts';
import { crawlPypiPackage } from './registries/pypi/crawl.ts';
import { PACKAGE_MOUNT, type SandboxLimits } from './sandbox.ts';
import { formatPackageSpec } from './spec.ts';
import { DEFAULT_CONCURRENCY, DEFAULT_SESSION_TIMEOUT_MS } from './defaults.ts';

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
  bwrapPath?: string;
  signal?: AbortSignal;
  /** Called when a package is done, with its result. */
  onResult?: (result: PackageResult) => void;
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
  durationMs: number;
  results: PackageResult[];
}

export function emptyTimings(): IntrospectionTimings {
  return { resolveMs: 0, installMs: 0, initializeMs: 0, listMs: 0, totalMs: 0 };
}

/**
 * A failed attempt where no server session ran (or none that this builds on). `stderrTail` is the evidence to keep
 * (npm's or pip's output, a report of the package); when it is blank, the message itself, as a crawler's note
 * ({@link CRAWLER_NOTE}), so that every failure carries a tail.
 */
export function failed(reason: FailureReason, message: string, startedAt: Date, timings: IntrospectionTimings, stderrTail = ''): Introspection {
  return {
    outcome: 'failed', failureReason: reason, failureMessage: message, stderrTail: stderrTail.trim() ? stderrTail : `${CRAWLER_NOTE} ${message}`,
    method: 'none', startedAt, timings,
    serverInfo: null, protocolVersion: null, capabilities: null, instructions: null, tools: [],
  };
}

/**
 * The {@link PackageResult} makers of one package's crawl: `result` for an outcome given field by field, `fromAttempt`
 * for a stored attempt. `launch()` is read when a result is made, so a bare start found later is included.
 */
export function packageResults(spec: PackageSpec, started: number, timings: IntrospectionTimings, launch: () => LaunchTarget | null) {
  const label = formatPackageSpec(spec);
  const result = (outcome: 'ok' | 'failed', version: string | null, reason: FailureReason | null, message: string | null, toolCount: number, method: IntrospectionMethod = 'none', stderrTail = ''): PackageResult => ({
    spec: label, name: spec.name, version, outcome, method, failureReason: reason, failureMessage: message, toolCount,
    durationMs: Math.round(performance.now() - started), stderrTail, timings, launch: launch(),
  });
  const fromAttempt = (introspection: Introspection, version: string): PackageResult =>
    result(introspection.outcome, version, introspection.failureReason, introspection.failureMessage, introspection.tools.length, introspection.method, introspection.stderrTail);
  return { result, fromAttempt };
}

/**
 * The stored attempt for tools read from source after every live start failed: outcome `ok`, method `static`, the
 * live failure's reason and stderr tail kept, and a message that says how many tools came from how many files.
 * `live` is the failed start (or an install failure); `listed` has at least one tool.
 */
export function staticAttempt(
  live: Pick<Introspection, 'failureReason' | 'failureMessage' | 'stderrTail'>, listed: { tools: ToolDefinition[]; filesRead: number },
  startedAt: Date, timings: IntrospectionTimings,
): Introspection {
  return {
    outcome: 'ok',
    failureReason: live.failureReason,
    failureMessage: `${live.failureMessage ?? ''}; ${listed.tools.length} tool(s) read from ${listed.filesRead} source file(s) instead`.slice(0, 1000),
    stderrTail: live.stderrTail,
    method: 'static',
    startedAt,
    timings,
    serverInfo: null,
    protocolVersion: null,
    capabilities: null,
    instructions: null,
    tools: listed.tools,
  };
}

/**
 * Crawls one npm package spec end to end and stores the attempt, noting in `progress` the version once resolved and
 * stored. Throws for store failures, aborts and faults of our own; {@link crawl} contains those (`contain.ts`).
 */
export async function crawlNpmPackage(spec: PackageSpec, crawlRunId: number, options: CrawlOptions, progress: CrawlProgress = newProgress()): Promise<PackageResult> {
  const started = performance.now();
  const startedAt = new Date();
  const timings = emptyTimings();
  let launch: LaunchTarget | null = null;
  const { result, fromAttempt } = packageResults(spec, started, timings, () => launch);

  let resolved: ReturnType<typeof resolveVersion>;
  let description: string | null;
  try {
    const packument = await fetchPackument(options.http, options.npmRegistryUrl, spec.name, options.signal);
    resolved = resolveVersion(packument, spec.version);
    description = resolved.manifest.description ?? packument.description ?? null;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // Nothing is stored: without a resolved version there is no record to attach the attempt to.
    return result('failed', null, 'registry_error', (error as Error).message, 0);
  }
  timings.resolveMs = Math.round(performance.now() - started);
  progress.version = resolved.version;
  progress.storeVersion = async () => {
    const bare = await options.store.upsertServer({ registry: 'npm', identifier: spec.name, displayName: spec.name, description: null, repositoryUrl: null });
    return (await options.store.upsertServerVersion(bare.id, resolved.version)).id;
  };

  const server = await options.store.upsertServer({
    registry: 'npm', identifier: spec.name, displayName: spec.name, description, repositoryUrl: repositoryUrlOf(resolved.manifest),
  });
  const version = await options.store.upsertServerVersion(server.id, resolved.version, resolved.publishedAt);
  progress.versionId = version.id;
  const record = async (introspection: Introspection): Promise<PackageResult> => {
    introspection.timings.totalMs = Math.round(performance.now() - started);
    await options.store.recordIntrospection(version.id, introspection, crawlRunId);
    return fromAttempt(introspection, resolved.version);
  };

  let installed: Awaited<ReturnType<typeof installNpmPackage>>;
  const installStarted = performance.now();
  try {
    installed = await installNpmPackage(spec.name, resolved.version, {
      cacheDir: options.cacheDir, registryUrl: options.npmRegistryUrl, signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    timings.installMs = Math.round(performance.now() - installStarted);
    const message = error instanceof CrawlError ? error.message : String(error);
    const installFailure = failed('install_failed', message.split('\n')[0]!.slice(0, 500), startedAt, timings, message.slice(-4096));
    // Nothing can start without the dependencies, but the package's own files may still say which tools it has.
    const listed = await unpackNpmPackage(spec.name, resolved.version, { cacheDir: options.cacheDir, registryUrl: options.npmRegistryUrl, signal: options.signal })
      .then((dir) => extractToolsInWorker(dir, { signal: options.signal }), () => null);
    if (options.signal?.aborted) throw error;
    if (listed && listed.tools.length > 0) return record(staticAttempt(installFailure, listed, startedAt, timings));
    return record(listed?.failure ? withStaticFailure(installFailure, listed.failure) : installFailure);
  }
  timings.installMs = Math.round(performance.now() - installStarted);

  let manifest: { name: string; bin?: string | Record<string, string>; main?: string; exports?: unknown; engines?: { node?: unknown } };
  try {
    manifest = JSON.parse(await readFile(path.join(installed.packageDir, 'package.json'), 'utf8'));
  } catch (error) {
    return record(failed('install_failed', `the installed package has no readable package.json: ${(error as Error).message}`, startedAt, timings));
  }
  const entry = await findEntryPoint(installed.packageDir, { name: spec.name, bin: manifest.bin, main: manifest.main });
  if (!entry) {
    const report = await entryPointReport(installed.packageDir, manifest);
    return record(failed('no_entry_point', 'the package has no bin, no main and no index.js to start', startedAt, timings, report));
  }

  const enginesNode = typeof manifest.engines?.node === 'string' ? manifest.engines.node : undefined;
  let runtime: RuntimeChoice;
  try {
    runtime = await chooseNodeRuntime(enginesNode, { http: options.http, registryUrl: options.npmRegistryUrl, cacheDir: options.cacheDir, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return record(failed('install_failed', `the Node runtime for engines.node "${enginesNode}" could not be installed: ${(error as Error).message}`.slice(0, 500), startedAt, timings));
  }
  const entryFile = `${PACKAGE_MOUNT}/node_modules/${spec.name}/${entry.file}`;
  launch = { packageRoot: installed.root, runtimeDir: runtime.runtimeDir, command: [runtime.executable, entryFile] };
  let live = await startLadder(installed.packageDir, entryFile, installed.root, spec.name, entry.binName, runtime, options, spec.declared);
  // The chosen bin may be a CLI beside the server: then the bins that name themselves a server get the same ladder.
  if (live.outcome === 'failed' && live.failureReason !== 'timed_out' && !options.signal?.aborted) {
    const tried: string[] = [];
    for (const other of await otherServerBins(installed.packageDir, { name: spec.name, bin: manifest.bin, main: manifest.main }, entry)) {
      const otherFile = `${PACKAGE_MOUNT}/node_modules/${spec.name}/${other.file}`;
      const attempt = await startLadder(installed.packageDir, otherFile, installed.root, spec.name, other.binName, runtime, options, spec.declared);
      if (attempt.outcome === 'ok') {
        launch = { ...launch, command: [runtime.executable, otherFile] };
        live = attempt;
        break;
      }
      tried.push(`bin "${other.binName}" (${attempt.failureReason})`);
    }
    if (live.outcome === 'failed' && tried.length > 0) live = { ...live, failureMessage: `${live.failureMessage ?? ''}; also tried ${tried.join(', ')}`.slice(0, 1000) };
  }
  timings.initializeMs = live.initializeMs;
  timings.listMs = live.listMs;
  if (live.outcome === 'failed') {
    const listed = await extractToolsInWorker(installed.packageDir, { signal: options.signal });
    if (listed.tools.length > 0) return record(staticAttempt(live, listed, startedAt, timings));
    if (listed.failure) return record(withStaticFailure(liveAttempt(live, startedAt, timings), listed.failure));
  }
  return record(liveAttempt(live, startedAt, timings));
}

/**
 * A failed attempt with a note that reading the source failed too (`failure`, one line): appended to its message (at
 * most 1000 characters in all) and, as a crawler's note, to its stderr tail (the tail's last 4 KiB kept).
 */
export function withStaticFailure(attempt: Introspection, failure: string): Introspection {
  const tail = `${attempt.stderrTail.replace(/\n+$/, '')}\n${CRAWLER_NOTE} ${failure}`;
  return {
    ...attempt,
    failureMessage: `${attempt.failureMessage ?? ''}; reading the source failed too: ${failure}`.slice(0, 1000),
    stderrTail: Buffer.byteLength(tail) > 4096 ? Buffer.from(tail).subarray(-4096).toString('utf8') : tail,
  };
}

/** Failures a placeholder or a documented argument may get past. A time-out is not one: it would cost a full timeout again. */
const WORTH_ANOTHER_START = new Set<FailureReason>(['needs_configuration', 'crashed_on_start']);

/**
 * The strategy ladder: a bare start; then placeholder environments ({@link placeholderEnvironments}); then the first
 * of those plus each argument list {@link argumentLists} finds: options a failed start asked for, the server
 * sub-command its usage lists (from `--help` if need be), and the lists the README documents. Stops at the first
 * success. When every rung fails, the bare start's failure is the one recorded, with a note of what else was tried.
 */
export async function startLadder(
  packageDir: string, entryFile: string, packageRoot: string, name: string, binName: string | undefined, runtime: RuntimeChoice, options: CrawlOptions,
  declared?: PackageSpec['declared'],
): Promise<LiveResult & { method: IntrospectionMethod }> {
  let rt = runtime;
  // Whether the last start used up (nearly) the whole wall clock, whatever its reason (a hang that announced a port
  // is `http_only`), or was ended early while it waited on the network: another start with the same environment
  // would most likely hang as long.
  let hung = false;
  const timeoutMs = options.introspect?.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const start = async (env: Record<string, string>, args: string[]): Promise<LiveResult> => {
    const run = async () => {
      const startedAt = performance.now();
      const r = await introspectLive(
        { packageRoot, runtimeDir: rt.runtimeDir, command: [rt.executable, entryFile, ...args], env, files: placeholderFiles(env), limits: options.limits, bwrapPath: options.bwrapPath },
        { ...options.introspect, signal: options.signal },
      );
      hung = r.outcome === 'failed' && (r.failureReason === 'timed_out' || r.stalled === 'network' || performance.now() - startedAt >= 0.9 * timeoutMs);
      return r;
    };
    const result = await run();
    // The crawler's own Node may be older than a package expects without its engines.node saying so: once, when a
    // start says so ({@link newerNodeWanted}), this and every later rung run on a Node build that satisfies it.
    const ownNode = rt === runtime && runtime.runtimeDir === null && path.basename(runtime.executable) === 'node';
    const wanted = result.outcome === 'failed' && ownNode ? newerNodeWanted(`${result.stderrTail}\n${result.failureMessage ?? ''}`) : null;
    if (!wanted) return result;
    try {
      rt = await chooseNodeRuntime(wanted, { http: options.http, registryUrl: options.npmRegistryUrl, cacheDir: options.cacheDir, signal: options.signal });
    } catch {
      return result;
    }
    return rt.runtimeDir ? run() : result;
  };
  const first = await start({}, []);
  // A server that came up on HTTP instead may document a stdio switch: then only argument lists with one are tried.
  const httpOnly = first.failureReason === 'http_only';
  if (first.outcome === 'ok' || !first.failureReason || (!WORTH_ANOTHER_START.has(first.failureReason) && !httpOnly)) return { ...first, method: 'live-stdio' };
  // What server.json declares wins over what was read from the source: it is the server's own statement.
  const declaredEnv = declaredEnvironment(declared?.environmentVariables ?? []);
  const found = await placeholderEnvironments(packageDir, first.stderrTail);
  const envs = (found.length > 0 ? found : [{}]).map((e) => ({ ...e, ...declaredEnv })).filter((e) => Object.keys(e).length > 0);
  const env = envs[0] ?? {};
  const tried: string[] = [];
  let last = first;
  for (const candidate of httpOnly ? [] : envs) {
    last = await start(candidate, []);
    if (last.outcome === 'ok') return { ...last, method: 'live-stdio-placeholders' };
    tried.push(`${Object.keys(candidate).length} placeholder variable(s) (${last.failureReason})`);
    if (last.failureReason && !WORTH_ANOTHER_START.has(last.failureReason)) break;
  }
  // Placeholders that made it hang would make every argument list hang too; any other failure leaves them worth a try.
  if (!hung || httpOnly) {
    const declaredArgs = declaredArguments(declared?.arguments ?? []);
    for (const args of [...(declaredArgs ? [declaredArgs] : []), ...(await argumentLists(packageDir, name, binName, {
      output: `${first.stderrTail}\n${first.failureMessage ?? ''}\n${last === first ? '' : `${last.stderrTail}\n${last.failureMessage ?? ''}`}`,
      usage: () => readUsage({ packageRoot, runtimeDir: rt.runtimeDir, command: [rt.executable, entryFile, '--help'], limits: options.limits, bwrapPath: options.bwrapPath }),
    }))]) {
      if (httpOnly && !selectsStdio(args)) continue;
      last = await start(env, args);
      if (last.outcome === 'ok') return { ...last, method: 'live-stdio-arguments' };
      tried.push(`arguments "${args.join(' ')}" (${last.failureReason})`);
      if (hung) break;
    }
  }
  if (httpOnly) {
    // No stdio switch worked: reach it over HTTP on the sandbox's own loopback, through our relay (live-http.ts).
    last = await introspectOverHttp(
      { packageRoot, runtimeDir: rt.runtimeDir, command: [rt.executable, entryFile], env, files: placeholderFiles(env), limits: options.limits, bwrapPath: options.bwrapPath },
      { ...options.introspect, signal: options.signal },
    );
    if (last.outcome === 'ok') return { ...last, method: 'live-http' };
    tried.push(`HTTP on the sandbox loopback (${last.failureReason}: ${(last.failureMessage ?? '').slice(0, 200)})`);
  }
  // A package may need a newer Node without any start saying so: a load-time TypeError on the crawler's own Node
  // (an API it lacks) gets the whole ladder once more on a Node 22 build.
  const ownNodeThroughout = rt === runtime && runtime.runtimeDir === null && path.basename(runtime.executable) === 'node';
  if (ownNodeThroughout && first.failureReason === 'crashed_on_start' && LOAD_TIME_ERROR.test(first.stderrTail) && !MISSING_MODULE.test(first.stderrTail)
    && Number(process.versions.node.split('.')[0]) < NEWER_NODE_MAJOR && !options.signal?.aborted) {
    const newer = await chooseNodeRuntime(`>=${NEWER_NODE_MAJOR}`, { http: options.http, registryUrl: options.npmRegistryUrl, cacheDir: options.cacheDir, signal: options.signal })
      .catch(() => null);
    if (newer?.runtimeDir) {
      const again = await startLadder(packageDir, entryFile, packageRoot, name, binName, newer, options, declared);
      if (again.outcome === 'ok') return again;
      tried.push(`the ladder on Node ${newer.version} (${again.failureReason})`);
    }
  }
  const note = tried.length > 0 ? `; also tried ${tried.join(', ')}` : '';
  return { ...first, failureMessage: `${first.failureMessage ?? ''}${note}`.slice(0, 1000), method: 'none' };
}

/** The Node major the ladder falls back to ({@link startLadder}): the LTS line after the crawler's own Node 20. */
const NEWER_NODE_MAJOR = 22;
/** A JavaScript error thrown while the server loads, as an API missing from an older Node throws. */
const LOAD_TIME_ERROR = /^\s*(?:Uncaught )?(?:TypeError|ReferenceError|SyntaxError)\b/m;
/** A module that is not there: no Node version brings it back. */
const MISSING_MODULE = /Cannot find (?:module|package)|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/;

/**
 * Crawls every package spec, and every registry entry offered only as a remote, with bounded concurrency inside one
 * crawl run, and returns the run's summary. Each package's crawl is contained ({@link contain}): a fault of ours is
 * that package's `crawler_error`. A fatal error (no sandbox, the database gone, an abort) stops the crawl: no package
 * starts after it, the ones running are waited for, and then it is thrown.
 */
export async function crawl(specs: PackageSpec[], options: CrawlOptions, remotes: readonly RemoteServer[] = []): Promise<CrawlSummary> {
  const started = performance.now();
  const run = await options.store.startCrawlRun();
  const queue = new PQueue({ concurrency: options.concurrency ?? DEFAULT_CONCURRENCY });
  const results: PackageResult[] = [];
  // Set by the first fatal error. Until every running package settled, nothing that they share (the store, the HTTP
  // client) may be closed, so the crawl waits for them before it throws.
  let fatal: { error: unknown } | null = null;
  const contained = { store: options.store, crawlRunId: run.id, signal: options.signal };
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
  await Promise.all([
    ...specs.map((spec) => each({ spec: formatPackageSpec(spec), name: spec.name }, (progress) =>
      (spec.registry === 'pypi' ? crawlPypiPackage(spec, run.id, options, progress) : crawlNpmPackage(spec, run.id, options, progress)))),
    ...remotes.map((remote) => each({ spec: remoteLabel(remote), name: remote.name }, (progress) =>
      crawlRemoteServer(remote, run.id, { store: options.store, introspect: options.introspect, signal: options.signal }, progress))),
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
    durationMs: Math.round(performance.now() - started),
    results: results.sort((a, b) => a.spec.localeCompare(b.spec)),
  };
  const { results: _omitted, ...stored } = summary;
  await options.store.finishCrawlRun(run.id, { ...stored, specs: specs.length, remotes: remotes.length });
  return summary;
}
