/**
 * `mcp-catalogue serve`: the registry API (serve/) on a local port. The store is read once at start and closed
 * again, so a PGlite data directory stays free for the nightly `run`; SIGHUP reads it again (the old documents stay
 * served if that fails), SIGINT or SIGTERM stop the server.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type ServerType } from '@hono/node-server';
import { buildRegistry, createRegistryApp, loadRegistry, registryFacts, type RegistryIndex } from '../serve/index.ts';
import type { Store } from '../records/index.ts';
import type { PublishProblem } from '../site/index.ts';
import type { CatalogueSnapshot } from './stages.ts';

export interface RegistryServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Address to listen on. @default "127.0.0.1" (loopback only) */
  host: string;
  /** Opens the store, runs `work`, closes it (the CLI's `withStore`). */
  withStore: <T>(work: (store: Store) => Promise<T>) => Promise<T>;
  /** Each server left out of the documents, and each request that failed on our side. */
  onWarning?: (message: string) => void;
}

export interface RunningRegistry {
  /** `http://<host>:<port>`: the registry's base URL (the API is under `/v0.1/`). */
  url: string;
  /** Servers and versions served, and servers left out because a document failed its schema (each warned of). */
  counts(): { servers: number; versions: number; leftOut: number };
  /** Reads the store again and serves the new documents from the next request on. @throws what the store throws. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** An error of `listen` (EADDRINUSE, EACCES…), with its code. */
export class ListenError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'ListenError';
    this.code = code;
  }
}

/**
 * Reads the registry documents from the store and serves them on `host:port`.
 * @throws {@link ListenError} when the address cannot be listened on (code `EADDRINUSE`, `EACCES`, …); what the
 *   store throws when it cannot be read.
 */
export async function startRegistryServer(options: RegistryServerOptions): Promise<RunningRegistry> {
  const read = async (): Promise<RegistryIndex> => {
    const index = await options.withStore((store) => loadRegistry(store));
    for (const p of index.problems) if (p.code === 'SCHEMA') options.onWarning?.(`${p.identity}: not served: ${p.message}`);
    return index;
  };
  let index = await read();
  const app = createRegistryApp(() => index, { onError: (error) => options.onWarning?.(`request failed: ${(error as Error).message}`) });
  const server: ServerType = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new ListenError(error.code ?? 'LISTEN_FAILED', `cannot listen on ${options.host}:${options.port}: ${error.message}; choose another --port or --host`, { cause: error }));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    counts: () => ({ servers: index.servers.length, versions: index.servers.reduce((n, s) => n + s.versions.length, 0), leftOut: index.problems.filter((p) => p.code === 'SCHEMA').length }),
    reload: async () => {
      index = await read();
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      if ('closeAllConnections' in server) server.closeAllConnections();
    }),
  };
}

/**
 * The registry documents for the static site (`buildSite`'s `registry` option), from the job's snapshot and the
 * store's versions and MCP Registry names; the servers whose documents failed their schema as publish problems.
 */
export async function siteRegistry(store: Store, snapshot: CatalogueSnapshot): Promise<{ registry: RegistryIndex; problems: PublishProblem[] }> {
  const registry = buildRegistry({
    entries: snapshot.entries, policies: snapshot.policies, listings: snapshot.listings,
    definitions: snapshot.definitions ?? new Map(), classifications: snapshot.classifications ?? new Map(),
    versions: await store.serverVersions(), ...(await registryFacts(store)),
  });
  const problems = registry.problems.filter((p) => p.code === 'SCHEMA').map((p): PublishProblem => ({ serverId: p.serverId, server: p.identity, step: 'page', path: 'v0.1/servers/', message: p.message }));
  return { registry, problems };
}
