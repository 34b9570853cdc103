/**
 * The registry API: the catalogue served in the MCP Registry's read API shapes (`GET /v0.1/servers`, a server's
 * versions, one version), each server.json carrying the catalogue's findings under `_meta`.
 * `loadRegistry` reads the store, `buildRegistry` makes the documents, `createRegistryApp` serves them (hono).
 */
export { createRegistryApp } from './app.ts';
export type { RegistryAppOptions } from './app.ts';
export { buildRegistry } from './entries.ts';
export type { RegistryIndex, RegistryInput, RegistryServer, RegistryVersion, ServerResponse } from './entries.ts';
export { loadRegistry, registryFacts } from './load.ts';
export { assignNames, derivedName, isServerName } from './names.ts';
export { DEFAULT_LIMIT, encodeCursor, listServers, MAX_LIMIT, RegistryQueryError, serverVersion, serverVersions } from './query.ts';
export type { ListQuery, RegistryQueryErrorCode, ServerList } from './query.ts';
export { CATALOGUE_META_KEY, OFFICIAL_META_KEY, validateDocument } from './schema.ts';
export type { DocumentKind } from './schema.ts';
