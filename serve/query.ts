/**
 * The registry API's reads over a {@link RegistryIndex}, apart from HTTP: the paged list with its filters, the
 * versions of one server, one version. Query parameters as the MCP Registry's OpenAPI document names them
 * (`GET /v0.1/servers`: `cursor`, `limit`, `search`, `updated_since`, `version`).
 * @internal
 */
import type { RegistryIndex, RegistryServer, RegistryVersion, ServerResponse } from './entries.ts';
import { RFC3339 } from './schema.ts';

/** Page size when `limit` is not given, and the largest allowed (as the official registry). */
export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

export type RegistryQueryErrorCode = 'BAD_LIMIT' | 'BAD_CURSOR' | 'BAD_UPDATED_SINCE' | 'SERVER_NOT_FOUND' | 'VERSION_NOT_FOUND';

/** A request the registry cannot answer: `status` 400 (a bad parameter) or 404 (no such server or version). */
export class RegistryQueryError extends Error {
  readonly code: RegistryQueryErrorCode;
  readonly status: 400 | 404;
  constructor(code: RegistryQueryErrorCode, message: string) {
    super(message);
    this.name = 'RegistryQueryError';
    this.code = code;
    this.status = code === 'SERVER_NOT_FOUND' || code === 'VERSION_NOT_FOUND' ? 404 : 400;
  }
}

/** `GET /v0.1/servers` parameters, as strings from the query (undefined: not given). */
export interface ListQuery {
  cursor?: string;
  limit?: string;
  search?: string;
  updated_since?: string;
  version?: string;
}

/** A `ServerList`. */
export interface ServerList {
  servers: ServerResponse[];
  metadata: { nextCursor?: string; count: number };
}

/** The paging order: by server name, then version string (code point order); the cursor names the last item. */
function compareKey(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** An opaque cursor: base64url of the JSON `[name, version]` of the page's last item. */
export function encodeCursor(name: string, version: string): string {
  return Buffer.from(JSON.stringify([name, version]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const bad = () => new RegistryQueryError('BAD_CURSOR', `cursor ${JSON.stringify(cursor.slice(0, 100))}: not a cursor this registry gave; use metadata.nextCursor of the previous page as it is`);
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string') throw bad();
  return [value[0], value[1]];
}

function parseLimit(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  const n = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new RegistryQueryError('BAD_LIMIT', `limit ${JSON.stringify(limit.slice(0, 100))}: expected an integer from 1 to ${MAX_LIMIT}`);
  return n;
}

function parseSince(since: string | undefined): number | null {
  if (since === undefined) return null;
  const ms = RFC3339.test(since) ? Date.parse(since) : NaN;
  if (Number.isNaN(ms)) throw new RegistryQueryError('BAD_UPDATED_SINCE', `updated_since ${JSON.stringify(since.slice(0, 100))}: expected an RFC 3339 date-time such as 2025-08-07T13:15:04Z`);
  return ms;
}

/**
 * One page of server versions. Without `version` every stored version of every server is an item; `version=latest`
 * keeps each server's newest, any other `version` the versions equal to it. `search` keeps names containing it
 * (case-insensitive); `updated_since` keeps versions whose `updatedAt` is later than it. Items come in name order,
 * then version; `metadata.nextCursor` is set when more items follow.
 * @throws {@link RegistryQueryError} BAD_LIMIT (not 1 to {@link MAX_LIMIT}), BAD_CURSOR, BAD_UPDATED_SINCE.
 */
export function listServers(index: RegistryIndex, query: ListQuery): ServerList {
  const limit = parseLimit(query.limit);
  const after = query.cursor === undefined || query.cursor === '' ? null : decodeCursor(query.cursor);
  const since = parseSince(query.updated_since);
  const search = query.search ? query.search.toLowerCase() : null;
  const version = query.version === undefined || query.version === '' ? null : query.version;
  const page: RegistryVersion[] = [];
  let more = false;
  for (const server of index.servers) {
    if (after && server.name < after[0]) continue;
    if (search !== null && !server.name.toLowerCase().includes(search)) continue;
    const candidates = version === 'latest' ? [server.latest] : [...server.versions].sort((a, b) => compareKey([a.name, a.version], [b.name, b.version]));
    for (const v of candidates) {
      if (version !== null && version !== 'latest' && v.version !== version) continue;
      if (since !== null && v.updatedAt.getTime() <= since) continue;
      if (after && compareKey([v.name, v.version], after) <= 0) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(v);
    }
    if (more) break;
  }
  const last = page.at(-1);
  return { servers: page.map((v) => v.response), metadata: { ...(more && last ? { nextCursor: encodeCursor(last.name, last.version) } : {}), count: page.length } };
}

/** The server named `name` (an exact match). @throws {@link RegistryQueryError} SERVER_NOT_FOUND. */
export function findServer(index: RegistryIndex, name: string): RegistryServer {
  let lo = 0;
  let hi = index.servers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = index.servers[mid]!.name;
    if (at === name) return index.servers[mid]!;
    if (at < name) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new RegistryQueryError('SERVER_NOT_FOUND', 'Server not found');
}

/** `GET /v0.1/servers/{serverName}/versions`: every version, newest first. @throws SERVER_NOT_FOUND. */
export function serverVersions(index: RegistryIndex, name: string): ServerList {
  const server = findServer(index, name);
  return { servers: server.versions.map((v) => v.response), metadata: { count: server.versions.length } };
}

/** `GET /v0.1/servers/{serverName}/versions/{version}`, `latest` for the newest. @throws SERVER_NOT_FOUND, VERSION_NOT_FOUND. */
export function serverVersion(index: RegistryIndex, name: string, version: string): ServerResponse {
  const server = findServer(index, name);
  const found = version === 'latest' ? server.latest : server.versions.find((v) => v.version === version);
  if (!found) throw new RegistryQueryError('VERSION_NOT_FOUND', 'Server version not found');
  return found.response;
}
