/**
 * The npm source: the registry's search API for the MCP keywords, then the packument of every hit whose version
 * changed since the last run; or, for offline seeding, a names file (one `npm:<name>` a line) instead of search.
 *
 * Sources: npm registry API (github.com/npm/registry, docs/REGISTRY-API.md): `GET /-/v1/search?text=&size=&from=`
 * answers `{objects: [{package: {name, version, description, keywords, links}, downloads?: {monthly, weekly}}],
 * total}` (size at most 250); `GET /<name>` (scoped `@scope%2fname`) is the packument, answered with an ETag.
 * MCP markers (DESIGN.md §2): `mcpName` in package.json, a dependency on `@modelcontextprotocol/sdk` (or
 * `fastmcp`). A search hit without a marker is recorded as not a server until its version changes. Every other listing
 * (a marked search hit, every name of a names file) is judged by `decideServer` (`server-decision.ts`): one that is
 * not a server keeps its candidate with `notServer` set (a reason code and a sentence), so it is shown, not crawled.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CrawlError } from '../errors.ts';
import { packumentUrl, parsePackument, resolveVersion, type Manifest } from '../registries/npm/client.ts';
import { parsePackagesFile } from '../spec.ts';
import { DiscoveryError } from './errors.ts';
import type { HostLimit } from './fetch.ts';
import { normaliseRepositoryUrl } from './repository.ts';
import { decideServer } from './server-decision.ts';
import { expectOk, parseOrThrow } from './response.ts';
import { lenientArray, optNumber, optString, text } from './shapes.ts';
import type { Finding, ServerCandidate } from '../../records/index.ts';
import type { Source, SourceContext } from './types.ts';
import { DEFAULT_NPM_REGISTRY_URL } from '../defaults.ts';

export const DEFAULT_NPM_KEYWORDS = ['mcp', 'mcp-server', 'modelcontextprotocol'] as const;
/** Dependencies that mark a package as an MCP server. */
export const NPM_MARKER_DEPENDENCIES = ['@modelcontextprotocol/sdk', 'fastmcp'] as const;

export interface NpmSourceOptions {
  /** Registry base URL (`NPM_REGISTRY_URL`). @default "https://registry.npmjs.org" */
  baseUrl?: string;
  /** Keywords searched, each as `keywords:<k>`. @default ["mcp", "mcp-server", "modelcontextprotocol"] */
  keywords?: readonly string[];
  /** Hits per search page (≤ 250). @default 250 */
  pageSize?: number;
  /** Search pages per keyword before `DISCOVERY_PAGE_LIMIT`. @default 200 */
  maxPages?: number;
  /** A packages file (`npm:<name>` a line, `#` comments): its names are listed instead of searching. */
  namesFile?: string;
  /** Largest packument body, bytes. @default 32 MiB */
  maxPackumentBytes?: number;
  /** Request limits for the registry's host. @default 8 at once */
  hostLimit?: HostLimit;
}

const searchSchema = z.object({
  objects: z.array(z.unknown()),
  total: z.number().optional().catch(undefined),
});

const hitSchema = z.object({
  package: z.object({ name: z.string().min(1).max(214), version: z.string().max(256) }),
  downloads: z.object({ monthly: optNumber }).optional().catch(undefined),
});

const manifestExtras = z.object({
  keywords: lenientArray(z.string()),
  repository: z.object({ directory: optString }).passthrough().optional().catch(undefined),
  title: optString,
});

export function npmSource(options: NpmSourceOptions = {}): Source {
  const baseUrl = (options.baseUrl ?? DEFAULT_NPM_REGISTRY_URL).replace(/\/+$/, '');
  const limit = options.hostLimit ?? { concurrency: 8 };
  const maxBodyBytes = options.maxPackumentBytes ?? 32 * 1024 * 1024;

  /** The packument's latest version as a finding; `etagKey` makes the request conditional (null: unchanged). */
  async function packumentFinding(context: SourceContext, name: string, requireMarker: boolean, downloads: number | null, etagKey?: string): Promise<Finding | null> {
    const url = packumentUrl(baseUrl, name);
    const etag = etagKey ? context.state.get(etagKey) : undefined;
    const response = await context.fetch.getJson(url, {
      signal: context.signal, maxBodyBytes, limit, headers: typeof etag === 'string' ? { 'if-none-match': etag } : {},
    });
    if (response.statusCode === 304) return null;
    if (response.statusCode === 404) throw new CrawlError('VERSION_NOT_FOUND', `${name}: no such package on ${baseUrl}`);
    expectOk(url, response);
    const packument = parsePackument(url, response.json);
    const { version, manifest } = resolveVersion(packument, 'latest');
    if (etagKey && response.headers.etag) context.state.set(etagKey, response.headers.etag);
    const candidate = toCandidate(manifest, downloads, requireMarker ? [] : ['names-file']);
    // A search hit without an MCP marker is no candidate at all; every other listing is judged on its manifest.
    if (candidate.markers.length === 0) return { key: `npm:${packument.name}`, marker: version, candidate: null };
    candidate.notServer = decideServer(manifest);
    return { key: `npm:${packument.name}`, marker: version, candidate };
  }

  async function* fromNames(context: SourceContext, file: string): AsyncIterable<Finding> {
    let textContent: string;
    try {
      textContent = await readFile(file, 'utf8');
    } catch (cause) {
      throw new DiscoveryError('DISCOVERY_NAMES_FILE', `cannot read the names file ${file}: ${(cause as Error).message}`, { cause });
    }
    const { specs, errors } = parsePackagesFile(textContent);
    for (const e of errors) context.warn(`${file}:${e.line}: ${e.message}`);
    const names = [...new Set(specs.map((s) => s.name))].slice(0, context.limit ?? Infinity);
    yield* settle(context, names.map((name) => () => packumentFinding(context, name, false, null, `etag:${name}`)), names);
  }

  async function* fromSearch(context: SourceContext): AsyncIterable<Finding> {
    const pageSize = Math.min(options.pageSize ?? 250, 250, context.limit ?? 250);
    const handled = new Set<string>();
    for (const keyword of options.keywords ?? DEFAULT_NPM_KEYWORDS) {
      for (let from = 0, page = 0; ; page++) {
        if (page >= (options.maxPages ?? 200)) {
          throw new DiscoveryError('DISCOVERY_PAGE_LIMIT', `${baseUrl}: more than ${options.maxPages ?? 200} search pages for keywords:${keyword}`);
        }
        const url = `${baseUrl}/-/v1/search?text=${encodeURIComponent(`keywords:${keyword}`)}&size=${pageSize}&from=${from}`;
        const response = await context.fetch.getJson(url, { signal: context.signal, maxBodyBytes: 16 * 1024 * 1024, limit });
        expectOk(url, response);
        const body = parseOrThrow(url, searchSchema, response.json);
        const work: Array<() => Promise<Finding | null>> = [];
        const names: string[] = [];
        for (const object of body.objects) {
          const hit = hitSchema.safeParse(object);
          if (!hit.success) {
            context.warn(`${url}: skipped a search hit of the wrong shape`);
            continue;
          }
          const { name, version } = hit.data.package;
          if (handled.has(name)) continue;
          handled.add(name);
          if (context.state.seenMarker(`npm:${name}`) === version) continue;
          names.push(name);
          work.push(() => packumentFinding(context, name, true, hit.data.downloads?.monthly ?? null));
        }
        yield* settle(context, work, names);
        from += body.objects.length;
        if (body.objects.length === 0 || from >= (body.total ?? Infinity) || handled.size >= (context.limit ?? Infinity)) break;
      }
    }
  }

  return {
    name: 'npm',
    discover: (context) => (options.namesFile ? fromNames(context, options.namesFile) : fromSearch(context)),
  };
}

/** Runs packument work at once (the host queue limits it), yields findings in order, warns for each failure. */
async function* settle(context: SourceContext, work: Array<() => Promise<Finding | null>>, names: string[]): AsyncIterable<Finding> {
  const results = await Promise.allSettled(work.map((w) => w()));
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') {
      if (result.value) yield result.value;
    } else {
      if (context.signal.aborted) throw result.reason;
      context.warn(`npm ${names[i]}: ${(result.reason as Error).message}`);
    }
  }
}

function toCandidate(manifest: Manifest, downloads: number | null, extraMarkers: string[]): ServerCandidate {
  const extras = manifestExtras.safeParse(manifest);
  const deps = { ...(manifest.dependencies ?? {}) };
  const markers = [...extraMarkers];
  if (manifest.mcpName) markers.push('mcpName');
  for (const dep of NPM_MARKER_DEPENDENCIES) if (Object.hasOwn(deps, dep)) markers.push(`dependency:${dep}`);
  const repoUrl = normaliseRepositoryUrl(typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url);
  const directory = extras.success ? extras.data.repository?.directory : undefined;
  return {
    source: 'npm',
    registry: 'npm',
    identifier: manifest.name,
    version: manifest.version,
    name: manifest.name,
    description: text(manifest.description),
    repository: repoUrl ? { url: repoUrl, id: null, subfolder: text(directory, 512) } : null,
    downloads,
    stars: null,
    packages: [{ registryType: 'npm', identifier: manifest.name, version: manifest.version, transport: null, environmentVariables: [], arguments: [] }],
    remotes: [],
    status: manifest.deprecated ? 'deprecated' : 'active',
    fork: false,
    markers,
    mcpName: manifest.mcpName ?? null,
    updatedAt: null,
  };
}
