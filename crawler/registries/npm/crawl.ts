/**
 * The npm registry's crawl: resolve the packument to an exact version (`client.ts`), install it with scripts disabled
 * (`install.ts`), find the entry point (`entry.ts`) and the Node it needs (`runtime.ts`), run the strategy ladder in
 * the sandbox, and read the source when no live start lists; store the attempt, and for the tools it listed what their
 * handlers do in the package's source (`static/effects.ts`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CRAWLER_NOTE, type Introspection, type PackageSpec } from '../../../records/index.ts';
import { emptyTimings, failed, liveAttempt, packageResults, staticAttempt, withNotes, withStaticFailure } from '../../attempt.ts';
import { newProgress, type CrawlProgress } from '../../contain.ts';
import { CrawlError } from '../../errors.ts';
import { startLadder } from '../../ladder.ts';
import { PACKAGE_MOUNT } from '../../sandbox.ts';
import { analyseEffectsInWorker, extractToolsInWorker, ReadingBudget } from '../../static/index.ts';
import type { CrawlOptions, LaunchTarget, PackageResult } from '../../types.ts';
import { fetchPackument, repositoryUrlOf, resolveVersion } from './client.ts';
import { entryPointReport, findEntryPoint, otherServerBins } from './entry.ts';
import { installNpmPackage, unpackNpmPackage } from './install.ts';
import { missingPeerDependency } from './missing-module.ts';
import { chooseNodeRuntime, nodeLadderHooks, type RuntimeChoice } from './runtime.ts';

/**
 * Crawls one npm package spec end to end and stores the attempt, noting in `progress` the version once resolved and
 * stored. Throws for store failures, aborts and faults of our own; the queue contains those (`crawler/contain.ts`).
 */
export async function crawlNpmPackage(spec: PackageSpec, crawlRunId: number, options: CrawlOptions, progress: CrawlProgress = newProgress()): Promise<PackageResult> {
  const started = performance.now();
  const startedAt = options.now?.() ?? new Date();
  const timings = emptyTimings();
  let launch: LaunchTarget | null = null;
  const { result, fromAttempt } = packageResults(spec, started, timings, () => launch);

  let resolved: ReturnType<typeof resolveVersion>;
  let description: string | null;
  /** The version as the packument gives it, unparsed: its dependencies are checked as npm would read them. */
  let rawManifest: unknown;
  try {
    const packument = await fetchPackument(options.http, options.npmRegistryUrl, spec.name, options.signal);
    resolved = resolveVersion(packument, spec.version);
    rawManifest = Object.getOwnPropertyDescriptor(packument.versions, resolved.version)?.value;
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
  /** What the install or unpack changed in the package's files (`seal.ts`), added to the stored attempt's tail. */
  let installNotes: string[] = [];
  // Static extraction and the code effects analysis share one wall clock: reading this package's source costs at most it.
  const reading = new ReadingBudget(options.readingBudgetMs);
  const extract = (dir: string) => reading.use((budgetMs) => extractToolsInWorker(dir, { signal: options.signal, budgetMs }));
  /** Stores the attempt; when it listed tools and `sourceDir` holds the package, also what their handlers do. */
  const record = async (attempt: Introspection, sourceDir?: string): Promise<PackageResult> => {
    const introspection = withNotes(attempt, installNotes);
    introspection.timings.totalMs = Math.round(performance.now() - started);
    await options.store.recordIntrospection(version.id, introspection, crawlRunId);
    if (sourceDir !== undefined && introspection.outcome === 'ok' && introspection.tools.length > 0 && spec.relist !== true) {
      const toolNames = introspection.tools.map((t) => t.name);
      // The analysis gets what is left of the reading budget (at most `effectsBudgetMs`), and stops following handlers
      // at three fifths of it, so that it answers with what it read rather than being stopped.
      const analysis = await reading.use((leftMs) => {
        const budgetMs = options.effectsBudgetMs ? Math.min(leftMs, options.effectsBudgetMs) : leftMs;
        return analyseEffectsInWorker(sourceDir, toolNames, { signal: options.signal, budgetMs, softDeadlineMs: Math.floor((budgetMs * 3) / 5) });
      });
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      await options.store.recordCodeEffects(version.id, analysis.tools);
    }
    return fromAttempt(introspection, resolved.version);
  };

  let installed: Awaited<ReturnType<typeof installNpmPackage>>;
  const installStarted = performance.now();
  try {
    installed = await installNpmPackage(spec.name, resolved.version, {
      cacheDir: options.cacheDir, registryUrl: options.npmRegistryUrl, manifest: rawManifest !== null && typeof rawManifest === 'object' ? rawManifest : resolved.manifest, signal: options.signal, bwrapPath: options.bwrapPath,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    timings.installMs = Math.round(performance.now() - installStarted);
    const message = error instanceof CrawlError ? error.message : String(error);
    // A tarball past its limits is neither installed nor unpacked: what it expands to is the cost.
    if (error instanceof CrawlError && error.code === 'PACKAGE_TOO_LARGE') return record(failed('too_large', message.slice(0, 500), startedAt, timings, `${CRAWLER_NOTE} ${message.slice(0, 1000)}`));
    const installFailure = failed('install_failed', message.split('\n')[0]!.slice(0, 500), startedAt, timings, message.slice(-4096));
    // Nothing can start without the dependencies, but the package's own files may still say which tools it has.
    const unpacked = await unpackNpmPackage(spec.name, resolved.version, { cacheDir: options.cacheDir, registryUrl: options.npmRegistryUrl, signal: options.signal, bwrapPath: options.bwrapPath })
      .catch(() => null);
    installNotes = unpacked?.notes ?? [];
    if (unpacked && !unpacked.cached && options.tally) options.tally.installs += 1;
    const listed = unpacked === null ? null : await extract(unpacked.packageDir);
    if (options.signal?.aborted) throw error;
    if (unpacked !== null && listed && listed.tools.length > 0) return record(staticAttempt(installFailure, listed, startedAt, timings), unpacked.packageDir);
    return record(listed?.failure ? withStaticFailure(installFailure, listed.failure) : installFailure);
  }
  timings.installMs = Math.round(performance.now() - installStarted);
  installNotes = installed.notes;
  if (!installed.cached && options.tally) options.tally.installs += 1;

  let manifest: { name: string; bin?: string | Record<string, string>; main?: string; exports?: unknown; engines?: { node?: unknown }; peerDependencies?: unknown; optionalDependencies?: unknown };
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
  const hooks = nodeLadderHooks({ http: options.http, registryUrl: options.npmRegistryUrl, cacheDir: options.cacheDir, signal: options.signal });
  const ladder = { packageDir: installed.packageDir, packageRoot: installed.root, name: spec.name, runtime, declared: spec.declared, hooks };
  let live = await startLadder({ ...ladder, entryFile, binName: entry.binName }, options);
  // The chosen bin may be a CLI beside the server: then the bins that name themselves a server get the same ladder.
  if (live.outcome === 'failed' && live.failureReason !== 'timed_out' && !options.signal?.aborted) {
    const tried: string[] = [];
    for (const other of await otherServerBins(installed.packageDir, { name: spec.name, bin: manifest.bin, main: manifest.main }, entry)) {
      const otherFile = `${PACKAGE_MOUNT}/node_modules/${spec.name}/${other.file}`;
      const attempt = await startLadder({ ...ladder, entryFile: otherFile, binName: other.binName }, options);
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
  if (live.outcome === 'failed' && (live.failureReason === 'crashed_on_start' || live.failureReason === 'protocol_error')) {
    // An import of a peer or optional dependency npm left out is the declaration's doing, not a crash.
    const missing = await missingPeerDependency(live.stderrTail, manifest, installed.root, installed.packageDir);
    if (missing) {
      live = {
        ...live, failureReason: 'missing_peer_dependency',
        failureMessage: `it imports ${missing.name}, which it lists in ${missing.field} and npm did not install; ${live.failureMessage ?? ''}`.slice(0, 1000),
      };
    }
  }
  if (live.outcome === 'failed') {
    const listed = await extract(installed.packageDir);
    if (listed.tools.length > 0) return record(staticAttempt(live, listed, startedAt, timings), installed.packageDir);
    if (listed.failure) return record(withStaticFailure(liveAttempt(live, startedAt, timings), listed.failure));
  }
  return record(liveAttempt(live, startedAt, timings), installed.packageDir);
}
