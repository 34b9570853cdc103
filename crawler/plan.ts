/**
 * The crawl plan: which discovered servers the crawl stage installs and lists this run. Discovery yields every
 * known server, deduplicated (`discovery/README.md`); the plan keeps one installable package per server at the
 * version discovery saw, and leaves out versions the store already holds an attempt for, so a nightly run crawls
 * only what is new or changed. Given the store's retry state (`Store.crawlState()`) it crawls a stored version again
 * when its newest attempts all failed transiently, up to {@link MAX_TRANSIENT_ATTEMPTS} in a row, and, with
 * `recrawlFailed`, when its newest attempt failed under an older {@link CRAWLER_VERSION}. A version that listed
 * tools, live or from source, is never crawled again. A listing discovery judged not an MCP server (`notServer`) is
 * never planned; it is counted in `skipped.notServer`.
 */
import { packageKey } from './discovery/dedupe.ts';
import { CRAWLER_VERSION, MAX_TRANSIENT_ATTEMPTS, type DiscoveredServer, type PackageSpec, type VersionCrawlState } from '../records/index.ts';
import { PACKAGE_REGISTRIES, packageRegistry, REMOTE_REGISTRY, type RemoteServer } from './registries/index.ts';

/** A registry the crawl stage can install from: a package registry of the table (`registries/index.ts`). */
export type CrawlableRegistry = PackageSpec['registry'];

export interface PlanOptions {
  /** Package registries to take specs from, most preferred first. @default the table's order, `["npm", "pypi"]` */
  registries?: readonly CrawlableRegistry[];
  /** At most this many specs; servers with more monthly downloads (then GitHub stars) come first. @default unlimited */
  maxServers?: number;
  /**
   * Also crawl again versions whose newest attempt failed permanently (or transiently too often) under an older
   * crawler version than {@link CRAWLER_VERSION}: `run --recrawl-failed`. Needs the retry state, not bare keys.
   */
  recrawlFailed?: boolean;
  /**
   * Also list again, as {@link CrawlPlan.relisted}, the versions left out because their newest attempt listed tools
   * live: a rug pull changes the tools of a version already crawled (issue 15). @default false
   */
  relist?: boolean;
}

/** Why a discovered server is not in this run's plan. */
export interface PlanSkips {
  /** Judged not an MCP server by discovery (`DiscoveredServer.notServer`): kept with the reason, never crawled. */
  notServer: number;
  /** The version discovery saw already has an attempt in the store. */
  alreadyAttempted: number;
  /** Every listing of the server is a deleted registry entry. */
  deleted: number;
  /** Only remote endpoints (`remotes[]`) but no MCP Registry name to store an attempt under. */
  remoteOnly: number;
  /** Packages only on registries the crawl cannot install from (oci, nuget, mcpb), or a repository only. */
  noInstallablePackage: number;
  /** Left for a later run by `maxServers`. */
  overLimit: number;
}

/** Stored versions planned again, and those given up on, by the retry rules (`retry.ts`). */
export interface PlanRetries {
  /** Planned again: every newest attempt failed transiently, fewer than {@link MAX_TRANSIENT_ATTEMPTS} in a row. */
  transient: number;
  /** Planned again with `recrawlFailed`: the newest attempt failed under an older crawler version. */
  newerCrawler: number;
  /** Not planned: the newest {@link MAX_TRANSIENT_ATTEMPTS} attempts all failed transiently. */
  gaveUp: number;
}

export interface CrawlPlan {
  specs: PackageSpec[];
  /** Registry entries offered only as remote endpoints, introspected over Streamable HTTP (`registries/remote/`). */
  remotes: RemoteServer[];
  skipped: PlanSkips;
  /** With `relist`: versions already listed live, planned again with `relist: true` (outside `maxServers`). */
  relisted: PackageSpec[];
  /** Counted among the planned servers kept within `maxServers`, except `gaveUp`. */
  retried: PlanRetries;
}

/** What the plan does with one discovered version, given what the store holds of it. */
type Decision = 'new' | 'attempted' | 'transient' | 'newerCrawler' | 'gaveUp';

function decide(state: VersionCrawlState | true | undefined, recrawlFailed: boolean): Decision {
  if (state === undefined) return 'new';
  // A bare key (no retry state) or a version that listed tools: done.
  if (state === true || state.listed) return 'attempted';
  if (state.lastTransient && state.transientStreak < MAX_TRANSIENT_ATTEMPTS) return 'transient';
  if (recrawlFailed && state.lastCrawlerVersion < CRAWLER_VERSION) return 'newerCrawler';
  return state.lastTransient ? 'gaveUp' : 'attempted';
}

/**
 * Plans the crawl of `servers`.
 * @param attempted the store's retry state of each version with an attempt (`Store.crawlState()`), keyed
 *   `<registry>:<identifier>@<version>`; or bare keys (`Store.attemptedVersions()`), each then left out.
 * @returns one spec per planned package server, its declared environment variables and arguments attached; the
 *   registry entries offered only as remotes (stored as `mcp-registry:<name>@<version>`); and the counts of servers
 *   left out by reason. A server whose version is unknown is planned at `latest`; the crawl resolves it.
 */
export function planCrawl(
  servers: readonly DiscoveredServer[],
  attempted: Iterable<string> | ReadonlyMap<string, VersionCrawlState>,
  options: PlanOptions = {},
): CrawlPlan {
  const registries = (options.registries ?? PACKAGE_REGISTRIES.map((r) => r.registry)).filter((r) => packageRegistry(r) !== undefined);
  const states: ReadonlyMap<string, VersionCrawlState | true> = attempted instanceof Map ? attempted : new Map([...attempted].map((key) => [key, true]));
  const skipped: PlanSkips = { notServer: 0, alreadyAttempted: 0, deleted: 0, remoteOnly: 0, noInstallablePackage: 0, overLimit: 0 };
  const retried: PlanRetries = { transient: 0, newerCrawler: 0, gaveUp: 0 };
  const relisted: PackageSpec[] = [];
  /** Whether to plan the version at `key`; counts it when not. */
  const plan = (key: string | null): Decision | null => {
    const decision = key === null ? 'new' : decide(states.get(key), options.recrawlFailed === true);
    if (decision === 'attempted') skipped.alreadyAttempted += 1;
    else if (decision === 'gaveUp') retried.gaveUp += 1;
    else return decision;
    return null;
  };
  type Planned = ({ spec: PackageSpec } | { remote: RemoteServer }) & { rank: [number, number, string]; decision: Decision };
  const planned: Planned[] = [];
  const rank = (server: DiscoveredServer): Planned['rank'] => [server.downloads ?? -1, server.stars ?? -1, server.id];
  for (const server of servers) {
    if (server.notServer) {
      skipped.notServer += 1;
      continue;
    }
    if (server.status === 'deleted') {
      skipped.deleted += 1;
      continue;
    }
    const pkg = choosePackage(server, registries);
    if (!pkg) {
      const remote = server.remotes.length > 0 ? REMOTE_REGISTRY.targetOf(server) : null;
      if (remote) {
        const decision = plan(REMOTE_REGISTRY.versionKey(remote));
        if (decision) planned.push({ remote, rank: rank(server), decision });
      } else if (server.remotes.length > 0) skipped.remoteOnly += 1;
      else skipped.noInstallablePackage += 1;
      continue;
    }
    const version = pkg.version ?? server.versions[packageKey(pkg.registry, pkg.identifier)] ?? null;
    const key = version === null ? null : `${pkg.registry}:${pkg.identifier}@${version}`;
    const decision = plan(key);
    const state = key === null ? undefined : states.get(key);
    if (!decision && options.relist && version !== null && typeof state === 'object' && state.listed && state.lastReason === null) {
      const again: PackageSpec = { registry: pkg.registry, name: pkg.identifier, version, relist: true };
      if (server.environmentVariables.length > 0 || server.arguments.length > 0) {
        again.declared = { environmentVariables: server.environmentVariables, arguments: server.arguments };
      }
      relisted.push(again);
    }
    if (!decision) continue;
    const spec: PackageSpec = { registry: pkg.registry, name: pkg.identifier, version: version ?? 'latest' };
    if (server.environmentVariables.length > 0 || server.arguments.length > 0) {
      spec.declared = { environmentVariables: server.environmentVariables, arguments: server.arguments };
    }
    planned.push({ spec, rank: rank(server), decision });
  }
  planned.sort((a, b) => b.rank[0] - a.rank[0] || b.rank[1] - a.rank[1] || a.rank[2].localeCompare(b.rank[2]));
  const max = options.maxServers ?? Number.POSITIVE_INFINITY;
  skipped.overLimit = Math.max(0, planned.length - max);
  const kept = planned.slice(0, max);
  for (const { decision } of kept) {
    if (decision === 'transient' || decision === 'newerCrawler') retried[decision] += 1;
  }
  return {
    specs: kept.flatMap((p) => ('spec' in p ? [p.spec] : [])),
    remotes: kept.flatMap((p) => ('remote' in p ? [p.remote] : [])),
    skipped,
    relisted,
    retried,
  };
}

function choosePackage(server: DiscoveredServer, registries: readonly CrawlableRegistry[]): { registry: CrawlableRegistry; identifier: string; version: string | null } | null {
  for (const registry of registries) {
    const pkg = server.packages.find((p) => p.registryType.toLowerCase() === registry);
    if (pkg) return { registry, identifier: pkg.identifier, version: pkg.version };
  }
  return null;
}
