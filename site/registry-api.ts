/**
 * The registry API as static files, for a host that serves files and cannot read query parameters. Layout, under
 * the site root (`<slug>` is the server's site slug, as in `servers/<slug>/`):
 *
 * - `v0.1/servers/page-<n>.json`: a `ServerList` of every server's newest version, {@link STATIC_PAGE_SIZE} to a
 *   page in name order, `page-1.json` first; `metadata.nextCursor` is the file name of the next page
 *   (`page-2.json`), absent on the last.
 * - `v0.1/servers/names.json`: `{ servers: [{ name, path }] }`, each server.json name with the folder of its versions
 *   (`v0.1/servers/<slug>/versions/`), for a client that knows a name.
 * - `v0.1/servers/<slug>/versions/index.json`: the `ServerList` of `GET /v0.1/servers/{serverName}/versions`;
 *   `versions/latest.json` and `versions/<version>.json`: the `ServerResponse` of one version. A version string of
 *   letters, digits, `.`, `_` and `-` (other than `latest` and `index`) names its file; any other is written as
 *   `v-<first 16 hex digits of its SHA-256>.json`, and `names.json` and the `ServerList`s serve to find it.
 *
 * The documents are those of `mcp-catalogue serve` (serve/), byte for byte in content. Hook into a build with
 * {@link registryServerPages} per server and {@link registryIndexPages} once at the end, or {@link registryApiPages}
 * for both.
 */
import { createHash } from 'node:crypto';
import type { RegistryIndex, RegistryServer } from '../serve/index.ts';
import { json, JSON_TYPE } from './render-feeds.ts';
import type { SitePage } from './types.ts';

/** Servers on one static list page (the API's largest `limit`). */
export const STATIC_PAGE_SIZE = 100;
export const REGISTRY_API_ROOT = 'v0.1/servers';

/** The file name of a version's document in `versions/`. */
export function versionFileName(version: string): string {
  if (/^[A-Za-z0-9._-]+$/.test(version) && version !== 'latest' && version !== 'index' && version !== '.' && version !== '..') return `${version}.json`;
  return `v-${createHash('sha256').update(version, 'utf8').digest('hex').slice(0, 16)}.json`;
}

/** The folder of one server's version documents. */
export function versionsDir(slug: string): string {
  return `${REGISTRY_API_ROOT}/${slug}/versions`;
}

/** One server's files: `versions/index.json`, `versions/latest.json` and one file per version. */
export function registryServerPages(server: RegistryServer, slug: string): SitePage[] {
  const dir = versionsDir(slug);
  const pages: SitePage[] = [
    { path: `${dir}/index.json`, contentType: JSON_TYPE, body: json({ servers: server.versions.map((v) => v.response), metadata: { count: server.versions.length } }) },
    { path: `${dir}/latest.json`, contentType: JSON_TYPE, body: json(server.latest.response) },
  ];
  for (const v of server.versions) pages.push({ path: `${dir}/${versionFileName(v.version)}`, contentType: JSON_TYPE, body: json(v.response) });
  return pages;
}

/**
 * The list pages and `names.json`, over every server of `index` that has a slug.
 * @param slugs site slug by server id (`assignServerSlugs`); a server without one is left out.
 */
export function registryIndexPages(index: RegistryIndex, slugs: ReadonlyMap<number, string>): SitePage[] {
  const servers = index.servers.filter((s) => slugs.has(s.serverId));
  const count = registryListPageCount(servers.length);
  const pages: SitePage[] = [];
  for (let n = 1; n <= count; n++) pages.push(registryListPage(servers.slice((n - 1) * STATIC_PAGE_SIZE, n * STATIC_PAGE_SIZE).map((s) => s.latest.response), n, count));
  pages.push(registryNamesPage(servers.map((s) => ({ name: s.name, slug: slugs.get(s.serverId)! }))));
  return pages;
}

/** How many list pages `servers` servers take (at least one, empty when there are none). */
export function registryListPageCount(servers: number): number {
  return Math.max(1, Math.ceil(servers / STATIC_PAGE_SIZE));
}

/** List page `n` of `count`: the newest-version documents of its (at most {@link STATIC_PAGE_SIZE}) servers, in name order. */
export function registryListPage(responses: readonly unknown[], n: number, count: number): SitePage {
  const metadata = { ...(n < count ? { nextCursor: `page-${n + 1}.json` } : {}), count: responses.length };
  return { path: `${REGISTRY_API_ROOT}/page-${n}.json`, contentType: JSON_TYPE, body: json({ servers: responses, metadata }) };
}

/** `names.json`: each server.json name, in name order, with the folder of its version documents. */
export function registryNamesPage(servers: ReadonlyArray<{ name: string; slug: string }>): SitePage {
  return { path: `${REGISTRY_API_ROOT}/names.json`, contentType: JSON_TYPE, body: json({ servers: servers.map((s) => ({ name: s.name, path: `${versionsDir(s.slug)}/` })) }) };
}

/** Every file of the static registry API: each server's, then the index pass. */
export function registryApiPages(index: RegistryIndex, slugs: ReadonlyMap<number, string>): SitePage[] {
  const pages: SitePage[] = [];
  for (const server of index.servers) {
    const slug = slugs.get(server.serverId);
    if (slug !== undefined) pages.push(...registryServerPages(server, slug));
  }
  pages.push(...registryIndexPages(index, slugs));
  return pages;
}
