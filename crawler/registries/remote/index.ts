/**
 * Remote servers: MCP Registry entries offered only as `remotes[]` endpoints, listed over Streamable HTTP at the URL
 * the entry gives and stored under `mcp-registry:<name>`. Nothing is installed; the session is `connect.ts`.
 */
import type { RemoteRegistryCrawler } from '../types.ts';
import { crawlRemoteServer, remoteLabel, remoteServerOf, type RemoteServer } from './crawl.ts';

export const remoteRegistry: RemoteRegistryCrawler<RemoteServer> = {
  registry: 'mcp-registry',
  label: remoteLabel,
  name: (server) => server.name,
  targetOf: remoteServerOf,
  versionKey: (server) => (server.version === null ? null : remoteLabel(server)),
  crawl: (server, crawlRunId, options, progress) =>
    crawlRemoteServer(server, crawlRunId, { store: options.store, introspect: options.introspect, signal: options.signal, now: options.now }, progress),
};

export { chooseRemote, crawlRemoteServer, remoteLabel, remoteServerOf } from './crawl.ts';
export type { RemoteCrawlOptions, RemoteServer } from './crawl.ts';
export { introspectRemote, isNonPublicAddress, refuseRemote } from './connect.ts';
export type { DeclaredHeader, RemoteOptions } from './connect.ts';
