/**
 * Public surface of the crawler: discovery, the crawl plan, the crawl queue over every registry, the sandbox, and the
 * defaults. Other stages and the CLI import the crawler only through this file (an ESLint rule keeps it so).
 */
export {
  DEFAULT_CONCURRENCY, DEFAULT_GITHUB_API_URL, DEFAULT_MCP_REGISTRY_URL, DEFAULT_NPM_REGISTRY_URL, DEFAULT_PYPI_URL, DEFAULT_SESSION_TIMEOUT_MS,
} from './defaults.ts';
export { crawl } from './queue.ts';
export type { CrawlOptions, CrawlSummary, LaunchTarget, PackageResult } from './types.ts';
export { PACKAGE_REGISTRIES, REMOTE_REGISTRY, packageRegistry, registryOf } from './registries/index.ts';
export type { PackageRegistryCrawler, RegistryCrawler, RemoteRegistryCrawler } from './registries/index.ts';
export { crawlNpmPackage } from './registries/npm/index.ts';
export { planCrawl } from './plan.ts';
export type { CrawlableRegistry, CrawlPlan, PlanOptions, PlanSkips } from './plan.ts';
export type { RemoteServer } from './registries/remote/index.ts';
export { CrawlError, HttpStatusError, SandboxUnavailableError } from './errors.ts';
export type { CrawlErrorCode } from './errors.ts';
export { HttpClient } from './http.ts';
export { checkSandbox, killSandboxed, nodeRuntime, spawnSandboxed, treeLimitSupport, PACKAGE_MOUNT } from './sandbox.ts';
export type { SandboxSpec } from './sandbox.ts';
export { formatPackageSpec, parsePackageSpec, parsePackagesFile } from './spec.ts';
export { ByteTail, introspectLive } from './session/index.ts';
export type { IntrospectOptions, LiveResult } from './session/index.ts';
export { cachedNpmPackageDir, chooseNodeRuntime, fetchPackument, installNpmPackage, resolveVersion } from './registries/npm/index.ts';
export { analyseEffectsInWorker, effectsFromSource } from './static/index.ts';
export { analysePythonEffects, cachedPypiInstall, installPypiVersion, PYTHON_EFFECTS_BUDGET_MS } from './registries/pypi/index.ts';
export type { PypiReinstallOptions, PythonEffectsAnalysis, PythonEffectsOptions } from './registries/pypi/index.ts';
export type { BoundedEffectsAnalysis, BoundedEffectsOptions } from './static/index.ts';
export type { RuntimeChoice } from './registries/npm/index.ts';
export {
  createSources, decideServer, deduplicate, discover, DiscoveryError, DiscoveryFetcher, githubSource, identityKey, mcpRegistrySource, normalisePypiName,
  normaliseRepositoryUrl, npmSource, packageKey, pypiSource, sourceFailed,
} from './discovery/index.ts';
export type {
  DiscoverOptions, DiscoverResult, DiscoveryErrorCode, DiscoveryFetcherOptions, GithubSourceOptions, HostLimit, McpRegistrySourceOptions,
  NpmSourceOptions, PypiSourceOptions, ServerChange, Source, SourceContext, SourceSettings, SourceState, SourceSummary,
} from './discovery/index.ts';
export {
  closeQueue, crawlOnQueue, CRAWL_QUEUE, jobKey, openQueue, PGBOSS_SCHEMA, QUEUE_DEFAULTS, runWorker, versionKey,
} from './distributed/index.ts';
export type {
  CrawlJob, CrawlTarget, JobOutcome, OpenQueueOptions, QueueCrawlOptions, QueueCrawlResult, QueueJobCounts, QueueSettings, WorkerLog, WorkerSummary,
} from './distributed/index.ts';
