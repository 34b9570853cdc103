/**
 * The crawl plan: which discovered servers the crawl stage installs and lists this run. Discovery yields every
 * known server, deduplicated (`discovery/README.md`); the plan keeps one installable package per server at the
 * version discovery saw, and leaves out versions the store already holds an attempt for, so a nightly run crawls
 * only what is new or changed.
 */
import { packageKey } from './discovery/dedupe.ts';
import type { DiscoveredServer, PackageSpec, Registry } from '../records/index.ts';
import { remoteServerOf, type RemoteServer } from './registries/remote/crawl.ts';

/** Registries the crawl stage can install from, in the order a server's packages are preferred. */
export type CrawlableRegistry = Extract<Registry, 'npm' | 'pypi'>;

export interface PlanOptions {
  /** Package registries to take specs from, most preferred first. @default ["npm", "pypi"] */
  registries?: readonly CrawlableRegistry[];
  /** At most this many specs; servers with more monthly downloads (then GitHub stars) come first. @default unlimited */
  maxServers?: number;
}

/** Why a discovered server is not in this run's plan. */
export interface PlanSkips {
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

export interface CrawlPlan {
  specs: PackageSpec[];
  /** Registry entries offered only as remote endpoints, introspected over Streamable HTTP (`remote-crawl.ts`). */
  remotes: RemoteServer[];
  skipped: PlanSkips;
}

/**
 * Plans the crawl of `servers`.
 * @param attempted `<registry>:<identifier>@<version>` keys with a stored attempt (`Store.attemptedVersions()`).
 * @returns one spec per planned package server, its declared environment variables and arguments attached; the
 *   registry entries offered only as remotes (stored as `mcp-registry:<name>@<version>`); and the counts of servers
 *   left out by reason. A server whose version is unknown is planned at `latest`; the crawl resolves it.
 */
export function planCrawl(servers: readonly DiscoveredServer[], attempted: Iterable<string>, options: PlanOptions = {}): CrawlPlan {
  const registries = options.registries ?? ['npm', 'pypi'];
  const seen = new Set(attempted);
  const skipped: PlanSkips = { alreadyAttempted: 0, deleted: 0, remoteOnly: 0, noInstallablePackage: 0, overLimit: 0 };
  type Planned = ({ spec: PackageSpec } | { remote: RemoteServer }) & { rank: [number, number, string] };
  const planned: Planned[] = [];
  const rank = (server: DiscoveredServer): Planned['rank'] => [server.downloads ?? -1, server.stars ?? -1, server.id];
  for (const server of servers) {
    if (server.status === 'deleted') {
      skipped.deleted += 1;
      continue;
    }
    const pkg = choosePackage(server, registries);
    if (!pkg) {
      const remote = server.remotes.length > 0 ? remoteServerOf(server) : null;
      if (remote) {
        if (remote.version !== null && seen.has(`mcp-registry:${remote.name}@${remote.version}`)) skipped.alreadyAttempted += 1;
        else planned.push({ remote, rank: rank(server) });
      } else if (server.remotes.length > 0) skipped.remoteOnly += 1;
      else skipped.noInstallablePackage += 1;
      continue;
    }
    const version = pkg.version ?? server.versions[packageKey(pkg.registry, pkg.identifier)] ?? null;
    if (version !== null && seen.has(`${pkg.registry}:${pkg.identifier}@${version}`)) {
      skipped.alreadyAttempted += 1;
      continue;
    }
    const spec: PackageSpec = { registry: pkg.registry, name: pkg.identifier, version: version ?? 'latest' };
    if (server.environmentVariables.length > 0 || server.arguments.length > 0) {
      spec.declared = { environmentVariables: server.environmentVariables, arguments: server.arguments };
    }
    planned.push({ spec, rank: rank(server) });
  }
  planned.sort((a, b) => b.rank[0] - a.rank[0] || b.rank[1] - a.rank[1] || a.rank[2].localeCompare(b.rank[2]));
  const max = options.maxServers ?? Number.POSITIVE_INFINITY;
  skipped.overLimit = Math.max(0, planned.length - max);
  const kept = planned.slice(0, max);
  return {
    specs: kept.flatMap((p) => ('spec' in p ? [p.spec] : [])),
    remotes: kept.flatMap((p) => ('remote' in p ? [p.remote] : [])),
    skipped,
  };
}

function choosePackage(server: DiscoveredServer, registries: readonly CrawlableRegistry[]): { registry: CrawlableRegistry; identifier: string; version: string | null } | null {
  for (const registry of registries) {
    const pkg = server.packages.find((p) => p.registryType.toLowerCase() === registry);
    if (pkg) return { registry, identifier: pkg.identifier, version: pkg.version };
  }
  return null;
}
