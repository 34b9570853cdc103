/**
 * The crawl stage for a server offered only as a remote endpoint (MCP Registry `remotes[]`): choose the remote,
 * introspect it with {@link introspectRemote} and store the attempt under the server's registry name
 * (`mcp-registry:<name>`), like a package crawl stores its own.
 */
import type { DiscoveredServer, Introspection, Store } from '../../../records/index.ts';
import { liveAttempt } from '../../attempt.ts';
import type { CrawlProgress } from '../../contain.ts';
import type { IntrospectOptions } from '../../session/index.ts';
import type { PackageResult } from '../../types.ts';
import { introspectRemote, type DeclaredHeader } from './connect.ts';

/** A registry entry with remotes, as discovery publishes it (`DiscoveredServer`, `server.json`). */
export interface RemoteServer {
  /** The registry's server name (`io.github.acme/notes`): the identity the attempt is stored under. */
  name: string;
  /** `server.json` `version`; the attempt is stored under `latest` when there is none. */
  version: string | null;
  description: string | null;
  repositoryUrl: string | null;
  /** `remotes[]`: `{type: "streamable-http" | "sse", url, headers?}`. */
  remotes: Array<{ type: string; url: string; headers?: DeclaredHeader[] }>;
}

export interface RemoteCrawlOptions {
  store: Store;
  introspect?: Omit<IntrospectOptions, 'signal' | 'transportLimits'> & { maxBodyBytes?: number };
  /** Connect to loopback and private addresses too (tests only). @default false */
  allowPrivateAddresses?: boolean;
  signal?: AbortSignal;
  /** The crawl's clock. @default () => new Date() */
  now?: () => Date;
}

/**
 * The remote crawl target of a discovered server: its MCP Registry identity, the version the registry gave, its
 * first repository and its remotes. Null when it has no registry identity or no remote.
 */
export function remoteServerOf(server: DiscoveredServer): RemoteServer | null {
  const identity = server.identities.find((key) => key.startsWith('mcp-registry:'));
  if (!identity || server.remotes.length === 0) return null;
  return {
    name: identity.slice('mcp-registry:'.length),
    version: server.versions[identity] ?? null,
    description: server.description,
    repositoryUrl: server.repositories[0]?.url ?? null,
    remotes: server.remotes,
  };
}

/** The remote to try: the first Streamable HTTP one, else the first of any type (its refusal is then recorded). */
export function chooseRemote(remotes: RemoteServer['remotes']): RemoteServer['remotes'][number] | null {
  return remotes.find((r) => r.type === 'streamable-http') ?? remotes[0] ?? null;
}

/** The label of a remote server's result: `mcp-registry:<name>@<version or latest>`. */
export function remoteLabel(server: Pick<RemoteServer, 'name' | 'version'>): string {
  return `mcp-registry:${server.name}@${server.version ?? 'latest'}`;
}

/**
 * Introspects `server`'s remote and stores the attempt (method `remote-http` when it listed), noting in `progress`
 * (when given) the version it is stored under. A server with no remote is returned as a failure without a record.
 * Throws for store failures, aborts and faults of our own; `crawl()` contains those.
 */
export async function crawlRemoteServer(server: RemoteServer, crawlRunId: number, options: RemoteCrawlOptions, progress?: CrawlProgress): Promise<PackageResult> {
  const started = performance.now();
  const startedAt = options.now?.() ?? new Date();
  const version = server.version ?? 'latest';
  const label = remoteLabel(server);
  const remote = chooseRemote(server.remotes);
  const done = (i: Pick<Introspection, 'outcome' | 'failureReason' | 'failureMessage' | 'method' | 'tools' | 'timings'>): PackageResult => ({
    spec: label, name: server.name, version, outcome: i.outcome, method: i.method, failureReason: i.failureReason,
    failureMessage: i.failureMessage, toolCount: i.tools.length, durationMs: Math.round(performance.now() - started),
    stderrTail: '', timings: i.timings, launch: null,
  });
  if (!remote) {
    const timings = { resolveMs: 0, installMs: 0, initializeMs: 0, listMs: 0, totalMs: 0 };
    return done({ outcome: 'failed', failureReason: 'no_entry_point', failureMessage: 'the registry entry lists no remote', method: 'none', tools: [], timings });
  }

  if (progress) {
    progress.version = version;
    progress.storeVersion = async () => {
      const bare = await options.store.upsertServer({ registry: 'mcp-registry', identifier: server.name, displayName: server.name, description: null, repositoryUrl: null });
      return (await options.store.upsertServerVersion(bare.id, version)).id;
    };
  }
  const record = await options.store.upsertServer({
    registry: 'mcp-registry', identifier: server.name, displayName: server.name, description: server.description, repositoryUrl: server.repositoryUrl,
  });
  const versionRecord = await options.store.upsertServerVersion(record.id, version);
  if (progress) progress.versionId = versionRecord.id;
  const live = await introspectRemote(remote.url, {
    ...options.introspect,
    transport: remote.type,
    headers: remote.headers ?? [],
    allowPrivateAddresses: options.allowPrivateAddresses,
    signal: options.signal,
  });
  if (options.signal?.aborted) throw options.signal.reason;
  const introspection = liveAttempt({ ...live, method: 'remote-http' }, startedAt, {
    resolveMs: 0, installMs: 0, initializeMs: live.initializeMs, listMs: live.listMs, totalMs: Math.round(performance.now() - started),
  });
  await options.store.recordIntrospection(versionRecord.id, introspection, crawlRunId);
  return done(introspection);
}
