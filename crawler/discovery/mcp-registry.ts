/**
 * The MCP Registry source.
 *
 * Source: the registry's OpenAPI (`GET /v0.1/servers?limit=&cursor=&updated_since=RFC3339`): a page is
 * `{servers: [{server: <server.json>, _meta: {"io.modelcontextprotocol.registry/official": {status, updatedAt,
 * isLatest}}}], metadata: {nextCursor, count}}`. Older deployments answer with flat items, snake_case keys and
 * `metadata.next_cursor`; both are read. Each published version is an item; items with `isLatest: false` are
 * skipped. Deprecated and deleted entries are yielded with their status, never dropped.
 *
 * Incremental: a finished pass stores the newest `updatedAt` it saw as `updatedSince`, sent on the next pass. A
 * pass that stops part-way stores its cursor and the next run continues from it.
 */
import { z } from 'zod';
import { DiscoveryError } from './errors.ts';
import type { HostLimit } from './fetch.ts';
import { normaliseRepositoryUrl } from './repository.ts';
import { expectOk, parseOrThrow } from './response.ts';
import { camelKeys, lenientArray, optBool, optString, text } from './shapes.ts';
import type { DeclaredArgument, DeclaredEnvVar, Finding, PackageRef, ServerCandidate } from '../../records/index.ts';
import type { Source, SourceContext } from './types.ts';
import { DEFAULT_MCP_REGISTRY_URL } from '../defaults.ts';

const OFFICIAL_META = 'io.modelcontextprotocol.registry/official';

export interface McpRegistrySourceOptions {
  /** Base URL (`MCP_REGISTRY_URL`). @default "https://registry.modelcontextprotocol.io" */
  baseUrl?: string;
  /** Items per page (`limit`). @default 100 */
  pageSize?: number;
  /** Pages followed in one pass before `DISCOVERY_PAGE_LIMIT`. @default 2000 */
  maxPages?: number;
  /** Largest page body, bytes. @default 8 MiB */
  maxBodyBytes?: number;
  /** Request limits for the registry's host. @default 4 at once, 20 per second */
  hostLimit?: HostLimit;
}

const envVarSchema = z.object({
  name: z.string().min(1).max(256),
  description: optString,
  isRequired: optBool,
  isSecret: optBool,
  default: optString,
  placeholder: optString,
});

const argumentSchema = z.object({
  type: z.enum(['positional', 'named']).catch('positional'),
  name: optString,
  value: optString,
  valueHint: optString,
  default: optString,
  isRequired: optBool,
});

const packageSchema = z.object({
  registryType: z.string().min(1).max(64).optional().catch(undefined),
  registryName: optString,
  identifier: z.string().min(1).max(1024).optional().catch(undefined),
  name: optString,
  version: optString,
  transport: z.union([z.object({ type: z.string() }).passthrough(), z.string()]).optional().catch(undefined),
  environmentVariables: lenientArray(envVarSchema),
  packageArguments: lenientArray(argumentSchema),
  runtimeArguments: lenientArray(argumentSchema),
});

const headerSchema = z.object({
  name: z.string().min(1).max(256),
  description: optString,
  isRequired: optBool,
  isSecret: optBool,
  value: optString,
});

const serverSchema = z.object({
  name: z.string().min(1).max(512),
  title: optString,
  description: optString,
  version: optString,
  status: optString,
  repository: z.object({ url: optString, id: z.union([z.string(), z.number()]).optional().catch(undefined), subfolder: optString }).optional().catch(undefined),
  packages: lenientArray(packageSchema),
  remotes: lenientArray(z.object({ type: z.string().max(64), url: z.string().max(2048), headers: lenientArray(headerSchema) })),
});

const metaSchema = z.object({ status: optString, updatedAt: optString, publishedAt: optString, isLatest: optBool }).passthrough();

const pageSchema = z.object({
  servers: z.array(z.unknown()),
  metadata: z.object({ nextCursor: z.string().nullish(), count: z.unknown() }).passthrough().optional(),
});

export function mcpRegistrySource(options: McpRegistrySourceOptions = {}): Source {
  const baseUrl = (options.baseUrl ?? DEFAULT_MCP_REGISTRY_URL).replace(/\/+$/, '');
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 2000;
  const limit = options.hostLimit ?? { concurrency: 4, intervalCap: 20, intervalMs: 1000 };
  return {
    name: 'mcp-registry',
    async *discover(context: SourceContext): AsyncIterable<Finding> {
      const { state } = context;
      // Resume an interrupted pass, or start a new one from the last finished pass's mark.
      let cursor = typeof state.get('cursor') === 'string' ? (state.get('cursor') as string) : null;
      const since = cursor ? (state.get('passSince') as string | null) ?? null : (state.get('updatedSince') as string | null) ?? null;
      let newest = (state.get('passNewest') as string | null) ?? since;
      if (!cursor) state.set('passSince', since);
      const followed = new Set<string>(cursor ? [cursor] : []);
      for (let page = 0; ; page++) {
        if (page >= maxPages) {
          state.set('cursor', null);
          throw new DiscoveryError('DISCOVERY_PAGE_LIMIT', `${baseUrl}: more than ${maxPages} pages in one pass; the cursor never ends`);
        }
        const url = new URL(`${baseUrl}/v0.1/servers`);
        url.searchParams.set('limit', String(pageSize));
        if (cursor) url.searchParams.set('cursor', cursor);
        if (since) url.searchParams.set('updated_since', since);
        const response = await context.fetch.getJson(url.toString(), { signal: context.signal, maxBodyBytes: options.maxBodyBytes ?? 8 * 1024 * 1024, limit });
        expectOk(url.toString(), response);
        const body = parseOrThrow(url.toString(), pageSchema, camelKeys(response.json));
        for (const item of body.servers) {
          const found = toFinding(item);
          if (found === 'skip') continue;
          if (found === null) {
            context.warn(`${url}: skipped a server entry of the wrong shape`);
            continue;
          }
          if (found.candidate?.updatedAt && (!newest || found.candidate.updatedAt > newest)) newest = found.candidate.updatedAt;
          yield found;
        }
        const next = body.metadata?.nextCursor ?? null;
        if (!next || body.servers.length === 0) break;
        if (followed.has(next)) {
          state.set('cursor', null);
          throw new DiscoveryError('DISCOVERY_CURSOR_LOOP', `${url}: the cursor ${JSON.stringify(next.slice(0, 80))} was already followed in this pass`, { url: url.toString() });
        }
        followed.add(next);
        cursor = next;
        state.set('cursor', cursor);
        state.set('passNewest', newest);
        await context.checkpoint();
      }
      state.set('cursor', null);
      state.set('passNewest', null);
      state.set('passSince', null);
      state.set('updatedSince', newest);
    },
  };
}

/** One page item to a finding; `null` for a malformed item, `'skip'` for a superseded version. */
function toFinding(item: unknown): Finding | null | 'skip' {
  if (item === null || typeof item !== 'object') return null;
  const record = item as Record<string, unknown>;
  const parsed = serverSchema.safeParse(record.server ?? record);
  if (!parsed.success) return null;
  const server = parsed.data;
  const metaHolder = (record._meta ?? (record.server as Record<string, unknown> | undefined)?._meta) as Record<string, unknown> | undefined;
  const meta = metaSchema.safeParse(metaHolder?.[OFFICIAL_META]);
  const official = meta.success ? meta.data : {};
  if (official.isLatest === false) return 'skip';
  const statusText = official.status ?? server.status ?? 'active';
  const status = statusText === 'deleted' ? 'deleted' : statusText === 'deprecated' ? 'deprecated' : 'active';
  const packages = server.packages.flatMap((p): PackageRef[] => {
    const registryType = (p.registryType ?? p.registryName)?.toLowerCase();
    const identifier = p.identifier ?? p.name;
    if (!registryType || !identifier) return [];
    return [{
      registryType,
      identifier,
      version: p.version ?? null,
      transport: typeof p.transport === 'string' ? p.transport : p.transport?.type ?? null,
      environmentVariables: p.environmentVariables.map(toEnvVar),
      arguments: [...p.packageArguments.map((a) => toArgument(a, 'package')), ...p.runtimeArguments.map((a) => toArgument(a, 'runtime'))],
    }];
  });
  const repoUrl = normaliseRepositoryUrl(server.repository?.url);
  const updatedAt = official.updatedAt && !Number.isNaN(Date.parse(official.updatedAt)) ? official.updatedAt : null;
  const candidate: ServerCandidate = {
    source: 'mcp-registry',
    registry: 'mcp-registry',
    identifier: server.name,
    version: server.version ?? null,
    name: text(server.title, 200) ?? server.name,
    description: text(server.description),
    repository: repoUrl
      ? { url: repoUrl, id: server.repository?.id === undefined ? null : String(server.repository.id), subfolder: text(server.repository?.subfolder, 512) }
      : null,
    downloads: null,
    stars: null,
    packages,
    remotes: server.remotes.map((r) => ({
      type: r.type,
      url: r.url,
      ...(r.headers.length > 0 ? { headers: r.headers.map((h) => ({ name: h.name, description: text(h.description, 500), isRequired: h.isRequired ?? false, isSecret: h.isSecret ?? false, value: h.value ?? null })) } : {}),
    })),
    status,
    fork: false,
    markers: ['mcp-registry'],
    mcpName: server.name,
    updatedAt,
  };
  return { key: `mcp-registry:${server.name}`, marker: `${candidate.version ?? ''}|${status}|${updatedAt ?? ''}`, candidate };
}

function toEnvVar(v: z.infer<typeof envVarSchema>): DeclaredEnvVar {
  return {
    name: v.name,
    description: text(v.description, 500),
    isRequired: v.isRequired ?? false,
    isSecret: v.isSecret ?? false,
    default: v.default ?? null,
    placeholder: v.placeholder ?? null,
  };
}

function toArgument(a: z.infer<typeof argumentSchema>, scope: 'package' | 'runtime'): DeclaredArgument {
  return { type: a.type, name: a.name ?? null, value: a.value ?? a.default ?? null, valueHint: a.valueHint ?? null, isRequired: a.isRequired ?? false, scope };
}
