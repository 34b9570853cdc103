/**
 * Public surface of the crawler: discovery, the crawl plan, the crawl queue over every registry, the sandbox, and the
 * defaults. Other stages and the CLI import the crawler only through this file (an ESLint rule keeps it so).
 */
export {
  DEFAULT_CONCURRENCY, DEFAULT_GITHUB_API_URL, DEFAULT_MCP_REGISTRY_URL, DEFAULT_NPM_REGISTRY_URL, DEFAULT_PYPI_URL, DEFAULT_SESSION_TIMEOUT_MS,
} from './defaults.ts';
export { crawl, crawlNpmPackage } from './crawl.ts';
export type { CrawlOptions, CrawlSummary, LaunchTarget, PackageResult } from './crawl.ts';
export { planCrawl } from './plan.ts';
export type { CrawlableRegistry, CrawlPlan, PlanOptions, PlanSkips } from './plan.ts';
export type { RemoteServer } from './registries/remote/crawl.ts';
export { CrawlError, HttpStatusError, SandboxUnavailableError } from './errors.ts';
export type { CrawlErrorCode } from './errors.ts';
export { HttpClient } from './http.ts';
export { checkSandbox, killSandboxed, nodeRuntime, spawnSandboxed, PACKAGE_MOUNT } from './sandbox.ts';
export type { SandboxSpec } from './sandbox.ts';
export { formatPackageSpec, parsePackageSpec, parsePackagesFile } from './spec.ts';
export { introspectLive } from './session/stdio.ts';
export { ByteTail } from './session/tail.ts';
export { fetchPackument, resolveVersion } from './registries/npm/client.ts';
export { installNpmPackage } from './registries/npm/install.ts';
export { chooseNodeRuntime } from './registries/npm/runtime.ts';
export type { RuntimeChoice } from './registries/npm/runtime.ts';
export {
  createSources, deduplicate, discover, DiscoveryError, DiscoveryFetcher, githubSource, identityKey, mcpRegistrySource, normalisePypiName,
  normaliseRepositoryUrl, npmSource, packageKey, pypiSource,
} from './discovery/index.ts';
export type {
  DiscoverOptions, DiscoverResult, DiscoveryErrorCode, DiscoveryFetcherOptions, GithubSourceOptions, HostLimit, McpRegistrySourceOptions,
  NpmSourceOptions, PypiSourceOptions, ServerChange, Source, SourceContext, SourceSettings, SourceState, SourceSummary,
} from './discovery/index.ts';
