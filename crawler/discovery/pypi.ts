/**
 * The PyPI source: the Simple API project list, filtered by name, each match confirmed through the JSON API.
 *
 * Sources: PEP 691 (`GET /simple/` with `Accept: application/vnd.pypi.simple.v1+json` answers `{meta:
 * {"api-version"}, projects: [{name, "_last-serial"?}]}`), PEP 503 name normalisation, and PyPI's JSON API
 * (`GET /pypi/<name>/json` answers `{info: {name, version, summary, description, project_urls, home_page,
 * requires_dist}}`). MCP markers (DESIGN.md §2): a `mcp-name: <server name>` line in the README (the
 * description), a dependency on `mcp` or `fastmcp`. The list is requested with its ETag, and a project whose
 * `_last-serial` is unchanged is not fetched again.
 */
import { z } from 'zod';
import { DiscoveryError } from './errors.ts';
import type { HostLimit } from './fetch.ts';
import { normaliseRepositoryUrl } from './repository.ts';
import { expectOk, parseOrThrow } from './response.ts';
import { lenientArray, text } from './shapes.ts';
import type { Finding, ServerCandidate } from '../../records/index.ts';
import type { Source, SourceContext } from './types.ts';
import { DEFAULT_PYPI_URL } from '../defaults.ts';
import { normalisePypiName, SIMPLE_JSON } from '../registries/pypi/client.ts';

/** Project names worth confirming. */
export const DEFAULT_PYPI_NAME_FILTER = /mcp|model-?context-?protocol/i;
/** Requirements that mark a distribution as an MCP server. */
export const PYPI_MARKER_REQUIREMENTS = ['mcp', 'fastmcp'] as const;

export interface PypiSourceOptions {
  /** Base URL (`PYPI_URL`). @default "https://pypi.org" */
  baseUrl?: string;
  /** Names (as listed) to confirm. @default /mcp|model-?context-?protocol/i */
  nameFilter?: RegExp;
  /** Largest project list body, bytes (pypi.org's is tens of MB). @default 128 MiB */
  maxListBytes?: number;
  /** Largest JSON API body, bytes. @default 16 MiB */
  maxProjectBytes?: number;
  /** Request limits for the index's host. @default 8 at once */
  hostLimit?: HostLimit;
}


const listSchema = z.object({
  meta: z.object({ 'api-version': z.string() }).passthrough().optional().catch(undefined),
  projects: z.array(z.unknown()),
});
const projectSchema = z.object({ name: z.string().min(1).max(256), '_last-serial': z.number().optional().catch(undefined) });

const infoSchema = z.object({
  info: z.object({
    name: z.string().min(1),
    version: z.string(),
    summary: z.string().nullish().catch(undefined),
    description: z.string().nullish().catch(undefined),
    home_page: z.string().nullish().catch(undefined),
    project_urls: z.record(z.string(), z.string()).nullish().catch(undefined),
    requires_dist: lenientArray(z.string()).nullish(),
    yanked: z.boolean().optional().catch(undefined),
    classifiers: lenientArray(z.string()).nullish(),
  }),
});

export function pypiSource(options: PypiSourceOptions = {}): Source {
  const baseUrl = (options.baseUrl ?? DEFAULT_PYPI_URL).replace(/\/+$/, '');
  const filter = options.nameFilter ?? DEFAULT_PYPI_NAME_FILTER;
  const limit = options.hostLimit ?? { concurrency: 8 };

  async function project(context: SourceContext, name: string, serial: string): Promise<Finding | null> {
    const key = `pypi:${name}`;
    const url = `${baseUrl}/pypi/${encodeURIComponent(name)}/json`;
    const etagKey = `etag:${name}`;
    const etag = context.state.get(etagKey);
    const response = await context.fetch.getJson(url, {
      signal: context.signal, limit, maxBodyBytes: options.maxProjectBytes ?? 16 * 1024 * 1024,
      headers: typeof etag === 'string' && context.state.seenMarker(key) !== undefined ? { 'if-none-match': etag } : {},
    });
    if (response.statusCode === 304) return null;
    if (response.statusCode === 404) return { key, marker: serial, candidate: null };
    expectOk(url, response);
    const { info } = parseOrThrow(url, infoSchema, response.json);
    if (response.headers.etag) context.state.set(etagKey, response.headers.etag);
    return { key, marker: serial || info.version, candidate: toCandidate(info) };
  }

  return {
    name: 'pypi',
    async *discover(context) {
      const listUrl = `${baseUrl}/simple/`;
      const etag = context.state.get('etag:simple');
      const response = await context.fetch.get(listUrl, {
        signal: context.signal, accept: SIMPLE_JSON, maxBodyBytes: options.maxListBytes ?? 128 * 1024 * 1024, limit,
        headers: typeof etag === 'string' ? { 'if-none-match': etag } : {},
      });
      if (response.statusCode === 304) return;
      expectOk(listUrl, response);
      let json: unknown;
      try {
        json = JSON.parse(response.body);
      } catch (cause) {
        throw new DiscoveryError('DISCOVERY_BAD_RESPONSE', `[GET] ${listUrl}: not PEP 691 JSON (content-type ${response.headers['content-type'] ?? 'none'})`, { cause, url: listUrl });
      }
      const list = parseOrThrow(listUrl, listSchema, json);
      const matches: Array<{ name: string; serial: string }> = [];
      const names = new Set<string>();
      for (const item of list.projects) {
        const parsed = projectSchema.safeParse(item);
        if (!parsed.success || !filter.test(parsed.data.name)) continue;
        const name = normalisePypiName(parsed.data.name);
        if (names.has(name)) continue;
        names.add(name);
        const serial = parsed.data['_last-serial'] === undefined ? '' : String(parsed.data['_last-serial']);
        if (serial && context.state.seenMarker(`pypi:${name}`) === serial) continue;
        matches.push({ name, serial });
      }
      const wanted = matches.slice(0, context.limit ?? Infinity);
      for (let i = 0; i < wanted.length; i += 100) {
        const chunk = wanted.slice(i, i + 100);
        const results = await Promise.allSettled(chunk.map((m) => project(context, m.name, m.serial)));
        for (const [j, result] of results.entries()) {
          if (result.status === 'fulfilled') {
            if (result.value) yield result.value;
          } else {
            if (context.signal.aborted) throw result.reason;
            context.warn(`pypi ${chunk[j]!.name}: ${(result.reason as Error).message}`);
          }
        }
        await context.checkpoint();
      }
      // The list's ETag is stored only once every project on it was handled.
      if (response.headers.etag && wanted.length === matches.length) context.state.set('etag:simple', response.headers.etag);
    },
  };
}

type Info = z.infer<typeof infoSchema>['info'];

function requirementName(requirement: string): string | null {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement);
  return match ? normalisePypiName(match[1]!) : null;
}

function toCandidate(info: Info): ServerCandidate | null {
  const markers: string[] = [];
  const mcpName = /^[ \t>*-]*mcp-name:\s*([^\s<>`"']+)/im.exec(info.description ?? '')?.[1] ?? null;
  if (mcpName) markers.push('mcp-name');
  for (const requirement of info.requires_dist ?? []) {
    // `extra == "…"` requirements are optional; only unconditional ones count.
    if (/extra\s*==/.test(requirement)) continue;
    const name = requirementName(requirement);
    if (name && (PYPI_MARKER_REQUIREMENTS as readonly string[]).includes(name)) markers.push(`dependency:${name}`);
  }
  if (markers.length === 0) return null;
  const urls = [...Object.entries(info.project_urls ?? {})]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([, url]) => url);
  if (info.home_page) urls.push(info.home_page);
  const repoUrl = urls.map(normaliseRepositoryUrl).find((u) => u && /^https:\/\/(github\.com|gitlab\.com|codeberg\.org|bitbucket\.org)\//.test(u)) ?? null;
  const name = normalisePypiName(info.name);
  const inactive = (info.classifiers ?? []).some((c) => c.startsWith('Development Status :: 7'));
  return {
    source: 'pypi',
    registry: 'pypi',
    identifier: name,
    version: info.version,
    name: info.name,
    description: text(info.summary),
    repository: repoUrl ? { url: repoUrl, id: null, subfolder: null } : null,
    downloads: null,
    stars: null,
    packages: [{ registryType: 'pypi', identifier: name, version: info.version, transport: null, environmentVariables: [], arguments: [] }],
    remotes: [],
    status: info.yanked || inactive ? 'deprecated' : 'active',
    fork: false,
    markers,
    mcpName,
    updatedAt: null,
  };
}

/** Repository-looking project URL labels first. */
function rank(label: string): number {
  const l = label.toLowerCase();
  if (/^(source|source code|repository|code|github)$/.test(l)) return 0;
  if (/source|repo|code|git/.test(l)) return 1;
  return 2;
}

