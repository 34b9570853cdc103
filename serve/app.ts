/**
 * The registry API over HTTP (hono): the read endpoints of the MCP Registry's OpenAPI document, read-only.
 *
 * - `GET /v0.1/servers?cursor&limit&search&updated_since&version` → `ServerList`
 * - `GET /v0.1/servers/{serverName}/versions` → `ServerList` of every version, newest first
 * - `GET /v0.1/servers/{serverName}/versions/{version}` (`latest` allowed) → `ServerResponse`
 *
 * `serverName` and `version` are URL-encoded path segments (`io.github.acme%2Fweather`). Errors are JSON
 * `{ "error": "<message>" }`: 400 for a bad `limit`, `cursor` or `updated_since`, 404 for an unknown server, version
 * or path, 405 for a method other than GET or HEAD, 500 (with no detail) for a fault of ours.
 * @internal
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import type { RegistryIndex } from './entries.ts';
import { listServers, RegistryQueryError, serverVersion, serverVersions } from './query.ts';

export interface RegistryAppOptions {
  /** Called with each unexpected error (a 500); the client sees only "Internal server error". */
  onError?: (error: unknown) => void;
}

/** Decodes one URL-encoded path segment; null when it is not valid percent-encoding. */
function decodeSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * `{serverName}` and `{version}` of `/v0.1/servers/{serverName}/versions[/{version}]`, decoded, read from the raw
 * path: the name may come URL-encoded (`io.github.acme%2Fweather`, as the spec asks) or with its slash as it is.
 * Null when the path is not of that form or a segment is not valid percent-encoding.
 */
function namedPath(c: Context): { name: string; version: string | null } | null {
  const segments = new URL(c.req.url).pathname.slice('/v0.1/servers/'.length).split('/');
  const at = segments.at(-1) === 'versions' ? segments.length - 1 : segments.at(-2) === 'versions' ? segments.length - 2 : -1;
  if (at < 1) return null;
  const name = decodeSegment(segments.slice(0, at).join('/'));
  const version = at === segments.length - 1 ? null : decodeSegment(segments.at(-1)!);
  if (name === null || version === '' || (at === segments.length - 2 && version === null)) return null;
  return { name, version };
}

/**
 * The hono app. `index` is read at each request, so a new index (a reload) serves from the next request on.
 */
export function createRegistryApp(index: () => RegistryIndex, options: RegistryAppOptions = {}): Hono {
  const app = new Hono();
  app.use('*', cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'] }));
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', (c) => c.json({ error: 'Method not allowed: this registry is read-only' }, 405));

  app.get('/v0.1/servers', (c) => {
    const q = (name: string) => c.req.query(name);
    return c.json(listServers(index(), { cursor: q('cursor'), limit: q('limit'), search: q('search'), updated_since: q('updated_since'), version: q('version') }));
  });

  app.get('/v0.1/servers/*', (c) => {
    const path = namedPath(c);
    if (path === null) return c.json({ error: 'Not found' }, 404);
    return c.json(path.version === null ? serverVersions(index(), path.name) : serverVersion(index(), path.name, path.version));
  });

  app.notFound((c) => c.json({ error: 'Not found' }, 404));
  app.onError((error, c) => {
    if (error instanceof RegistryQueryError) return c.json({ error: error.message }, error.status);
    options.onError?.(error);
    return c.json({ error: 'Internal server error' }, 500);
  });
  return app;
}
