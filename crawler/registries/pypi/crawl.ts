/**
 * The crawl of one PyPI spec (`pypi:<name>[@<version>]`): resolve the release on the Simple API → pick a wheel →
 * install it and its dependencies into a per-version virtual environment (pip unpacks inside the sandbox) → find the
 * console script → start it in the sandbox with the same strategy ladder, live introspection and storage as npm →
 * when every start fails, read the tools from the project's own modules with Python's `ast` (`static.ts`, in the
 * sandbox too) and store them with method `static` beside the live failure. For the tools listed either way, what
 * their handlers do in the source is read too (`effects.ts`, in the sandbox) and stored per tool; a reading that
 * fails leaves a crawler's note on the attempt's stderr tail.
 * Failures are recorded with the same reasons: `registry_error` (nothing stored), `install_failed` (sdist only, no
 * wheel for this machine, a digest mismatch, a dependency without a wheel, pip's own failure), `no_entry_point`, and
 * whatever the live start ends in.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_PYPI_URL } from '../../defaults.ts';
import { emptyTimings, failed, liveAttempt, packageResults, staticAttempt, withCrawlerNote } from '../../attempt.ts';
import type { CrawlProgress } from '../../contain.ts';
import { CrawlError } from '../../errors.ts';
import { startLadder, type LadderRuntime } from '../../ladder.ts';
import type { CrawlOptions, LaunchTarget, PackageResult } from '../../types.ts';
import { PACKAGE_MOUNT } from '../../sandbox.ts';
import { CRAWLER_NOTE, type Introspection, type NamedCodeEffects, type PackageSpec } from '../../../records/index.ts';
import { analysePythonEffects } from './effects.ts';
import { findPythonEntryPoint, pythonEntryPointReport, writeLauncher } from './entry.ts';
import { parseCoreMetadata, type CoreMetadata } from './metadata.ts';
import { installPypiPackage, type InstalledPypiPackage } from './install.ts';
import { extractPythonToolsStatically } from './static.ts';
import { fetchCoreMetadata, fetchSimpleProject, simpleIndexUrl } from './client.ts';
import { resolvePypiVersion, type PypiRelease } from './versions.ts';
import { probeInterpreter, selectWheel, type PythonInterpreter } from './wheels.ts';

/**
 * Crawls one PyPI package spec end to end and stores the attempt, noting in `progress` (when given) the version once
 * resolved and stored. Throws for store failures, aborts and faults of our own; `crawl()` contains those.
 */
export async function crawlPypiPackage(spec: PackageSpec, crawlRunId: number, options: CrawlOptions, progress?: CrawlProgress): Promise<PackageResult> {
  const started = performance.now();
  const startedAt = options.now?.() ?? new Date();
  const timings = emptyTimings();
  let launch: LaunchTarget | null = null;
  const { result, fromAttempt } = packageResults(spec, started, timings, () => launch);

  const indexUrl = simpleIndexUrl(options.pypiUrl ?? DEFAULT_PYPI_URL);
  let release: PypiRelease;
  let projectName: string;
  try {
    const project = await fetchSimpleProject(options.http, indexUrl, spec.name, options.signal);
    projectName = project.name;
    release = resolvePypiVersion(project, spec.version);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // Nothing is stored: without a resolved version there is no record to attach the attempt to.
    return result('failed', null, 'registry_error', (error as Error).message.slice(0, 1000), 0);
  }
  timings.resolveMs = Math.round(performance.now() - started);
  if (progress) {
    progress.version = release.version;
    progress.storeVersion = async () => {
      const bare = await options.store.upsertServer({ registry: 'pypi', identifier: projectName, displayName: projectName, description: null, repositoryUrl: null });
      return (await options.store.upsertServerVersion(bare.id, release.version, null)).id;
    };
  }

  let metadata: CoreMetadata = { name: null, summary: null, repositoryUrl: null };
  /** Stores the attempt; when it listed tools and `source` is the install, also what their handlers do. */
  const record = async (attempt: Introspection, source?: InstalledPypiPackage): Promise<PackageResult> => {
    let introspection = attempt;
    let effects: NamedCodeEffects[] | null = null;
    if (source !== undefined && introspection.outcome === 'ok' && introspection.tools.length > 0 && spec.relist !== true) {
      const analysis = await analysePythonEffects(source, introspection.tools.map((t) => t.name), {
        limits: options.limits, bwrapPath: options.bwrapPath, signal: options.signal, ...(options.effectsBudgetMs ? { budgetMs: options.effectsBudgetMs } : {}),
      });
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      if (analysis.failure !== null) introspection = withCrawlerNote(introspection, `reading what the tools' handlers do failed: ${analysis.failure}`);
      effects = analysis.tools;
    }
    const server = await options.store.upsertServer({
      registry: 'pypi', identifier: projectName, displayName: metadata.name ?? projectName, description: metadata.summary, repositoryUrl: metadata.repositoryUrl,
    });
    const version = await options.store.upsertServerVersion(server.id, release.version, null);
    if (progress) progress.versionId = version.id;
    introspection.timings.totalMs = Math.round(performance.now() - started);
    await options.store.recordIntrospection(version.id, introspection, crawlRunId);
    if (effects !== null) await options.store.recordCodeEffects(version.id, effects);
    return fromAttempt(introspection, release.version);
  };
  const installFailure = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof CrawlError && error.code === 'PACKAGE_TOO_LARGE') return record(failed('too_large', message.slice(0, 1000), startedAt, timings, `${CRAWLER_NOTE} ${message.slice(0, 1000)}`));
    const [first, ...rest] = message.split('\n');
    return record(failed('install_failed', first!.slice(0, 1000), startedAt, timings, rest.join('\n').slice(-4096)));
  };

  const installStarted = performance.now();
  let interpreter: PythonInterpreter;
  let installed: InstalledPypiPackage;
  try {
    interpreter = await probeInterpreter();
    const choice = selectWheel(release.files, interpreter);
    if (!choice.wheel) throw new CrawlError('INSTALL_FAILED', `${projectName} ${release.version}: ${choice.reason}`);
    // The summary is known before the install when the index serves the wheel's metadata, so a failed install keeps it.
    const advertised = await fetchCoreMetadata(options.http, choice.wheel, options.signal);
    if (advertised !== null) metadata = parseCoreMetadata(advertised);
    installed = await installPypiPackage(projectName, release.version, choice.wheel, {
      cacheDir: options.cacheDir, http: options.http, indexUrl, interpreter, bwrapPath: options.bwrapPath, signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    timings.installMs = Math.round(performance.now() - installStarted);
    return installFailure(error);
  }
  timings.installMs = Math.round(performance.now() - installStarted);
  if (!installed.cached && options.tally) options.tally.installs += 1;
  try {
    metadata = parseCoreMetadata(await readFile(path.join(installed.distInfoDir, 'METADATA'), 'utf8'));
  } catch {
    // a wheel without readable METADATA still runs; the catalogue shows no summary
  }

  const entry = await findPythonEntryPoint(installed.distInfoDir, projectName);
  if (!entry) {
    const report = await pythonEntryPointReport(installed.distInfoDir);
    return record(failed('no_entry_point', 'the wheel declares no [console_scripts] entry point and has no package with a __main__ module', startedAt, timings, report));
  }
  const launcher = await writeLauncher(installed.root, entry);
  const runtime: LadderRuntime = { executable: `${PACKAGE_MOUNT}/venv/bin/python`, runtimeDir: null, version: interpreter.version, name: 'Python' };
  launch = { packageRoot: installed.root, runtimeDir: null, command: [runtime.executable, launcher] };
  const moduleDir = path.join(installed.sitePackages, entry.module.split('.')[0]!);
  const packageDir = await access(moduleDir).then(() => moduleDir, () => installed.sitePackages);
  const live = await startLadder({ packageDir, packageRoot: installed.root, entryFile: launcher, name: projectName, binName: entry.name, runtime, declared: spec.declared }, options);
  timings.initializeMs = live.initializeMs;
  timings.listMs = live.listMs;
  if (live.outcome === 'failed' && !options.signal?.aborted) {
    const listed = await extractPythonToolsStatically(installed, { limits: options.limits, bwrapPath: options.bwrapPath, signal: options.signal });
    if (listed.tools.length > 0) return record(staticAttempt(live, listed, startedAt, timings), installed);
    if (listed.failure !== null) {
      return record(liveAttempt({ ...live, failureMessage: `${live.failureMessage ?? ''}; reading the source failed too: ${listed.failure}`.slice(0, 1000) }, startedAt, timings));
    }
  }
  return record(liveAttempt(live, startedAt, timings), installed);
}
