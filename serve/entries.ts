/**
 * The registry API's documents, built in memory from stored records: per server, one `ServerResponse` per stored
 * version (a server.json and its `_meta`), newest first. Pure: no clock, no I/O; the same input gives the same
 * documents. Every string of a crawled package is data here: names go through `assignNames`, tools stay in arrays,
 * and maps are keyed by server id or tool hash, never by a name.
 * Shapes: MCP Registry OpenAPI `ServerResponse` (see schema.ts for the source).
 * @internal
 */
import type { CatalogueEntry, ClassificationRecord, HistoryListing, Policy, RemoteRef, Risk, ServerVersionRecord, ToolDefinition } from '../records/index.ts';
import { RISKS } from '../records/index.ts';
import { assignNames } from './names.ts';
import { CATALOGUE_META_KEY, OFFICIAL_META_KEY, validateDocument } from './schema.ts';

/** What the documents are built from; `Store` methods give each (see load.ts). */
export interface RegistryInput {
  /** `Store.catalogue(CLASSIFIER_VERSION)`: each server with its newest version, newest attempt and tools. */
  entries: readonly CatalogueEntry[];
  /** `Store.serverVersions()`: every stored version. */
  versions: readonly ServerVersionRecord[];
  /** `Store.history().listings` by server id: the tools each version listed, for versions older than the newest. */
  listings: ReadonlyMap<number, readonly HistoryListing[]>;
  /** `Store.history().definitions` and `.classifications`, by tool hash. */
  definitions: ReadonlyMap<string, ToolDefinition>;
  classifications: ReadonlyMap<string, ClassificationRecord>;
  /** Each server's recommended policy (of its newest version), by server id. */
  policies: ReadonlyMap<number, Policy>;
  /** MCP Registry names by identity key (`npm:@acme/files`), from the `mcp-registry` discovery source. */
  officialNames: ReadonlyMap<string, readonly string[]>;
  /** Remote endpoints by identity key, from the MCP Registry entries of remote servers. */
  remotes?: ReadonlyMap<string, readonly RemoteRef[]>;
  /**
   * Each server's name by server id, when `entries` are part of a larger catalogue whose names were assigned over all
   * of it (`assignNames`); absent: assigned over `entries`.
   */
  names?: ReadonlyMap<number, string>;
}

/** A `ServerResponse` as served: plain JSON data. */
export type ServerResponse = { server: Record<string, unknown>; _meta: Record<string, unknown> };

/** One version of one server. */
export interface RegistryVersion {
  name: string;
  version: string;
  isLatest: boolean;
  /** When the version entered the catalogue (`firstSeenAt`); the registry's `publishedAt`. */
  publishedAt: Date;
  /** The last time anything served for the version changed (see {@link buildRegistry}). */
  updatedAt: Date;
  response: ServerResponse;
}

/** One server with every stored version, newest first (by `publishedAt`, then version id). */
export interface RegistryServer {
  serverId: number;
  name: string;
  identity: string;
  latest: RegistryVersion;
  versions: RegistryVersion[];
}

/** Every server's documents, sorted by name (code point order). */
export interface RegistryIndex {
  servers: RegistryServer[];
  /**
   * Servers left out, each with why: `NO_VERSION` (none stored yet, as after a registry error on the first try: not a
   * fault) or `SCHEMA` (a document that failed its schema: a stored record of an unexpected shape).
   */
  problems: Array<{ serverId: number; identity: string; code: 'NO_VERSION' | 'SCHEMA'; message: string }>;
}

const REGISTRY_BASE_URLS = new Map([['npm', 'https://registry.npmjs.org'], ['pypi', 'https://pypi.org'], ['nuget', 'https://api.nuget.org/v3/index.json']]);
const PACKAGE_TYPES = new Set(['npm', 'pypi', 'nuget', 'oci', 'mcpb']);

/** At most `max` code points of `text` on one line, `…` marking a cut. */
export function oneLine(text: string, max: number): string {
  const points = [...text.replace(/\s+/g, ' ').trim()];
  return points.length <= max ? points.join('') : `${points.slice(0, max - 1).join('').trimEnd()}…`;
}

function iso(date: Date): string {
  return date.toISOString();
}

function latestDate(dates: ReadonlyArray<Date | null | undefined>): Date {
  let best = 0;
  for (const d of dates) if (d && d.getTime() > best) best = d.getTime();
  return new Date(best);
}

/** A repository URL fit for `repository.url`: http(s) only, re-serialised; `source` named after the host. */
function repositoryOf(url: string | null): { url: string; source: string } | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const host = parsed.hostname.toLowerCase();
  const source = host === 'github.com' ? 'github' : host === 'gitlab.com' ? 'gitlab' : host;
  return { url: parsed.href, source };
}

function remotesOf(refs: readonly RemoteRef[] | undefined): Array<{ type: string; url: string }> {
  const out: Array<{ type: string; url: string }> = [];
  for (const r of refs ?? []) {
    if ((r.type !== 'streamable-http' && r.type !== 'sse') || !URL.canParse(r.url)) continue;
    const protocol = new URL(r.url).protocol;
    if (protocol === 'https:' || protocol === 'http:') out.push({ type: r.type, url: r.url });
  }
  return out;
}

interface ToolRow {
  definition: ToolDefinition;
  classification: ClassificationRecord | null;
}

function toolMeta({ definition, classification }: ToolRow) {
  const c = classification;
  return {
    name: String(definition.name),
    ...(typeof definition.title === 'string' ? { title: definition.title } : {}),
    description: typeof definition.description === 'string' ? definition.description : null,
    annotations: typeof definition.annotations === 'object' && definition.annotations !== null && !Array.isArray(definition.annotations) ? definition.annotations : null,
    category: c?.category ?? null,
    risk: c?.risk ?? null,
    confidence: c?.confidence ?? null,
    rationale: c?.rationale ?? null,
    classificationMethod: c?.method ?? null,
  };
}

function highestRisk(tools: readonly ToolRow[]): Risk | null {
  let best = -1;
  for (const t of tools) if (t.classification) best = Math.max(best, RISKS.indexOf(t.classification.risk));
  return best < 0 ? null : RISKS[best]!;
}

/** The tools a stored listing of `versionId` showed (its newest), with their classifications; null when none. */
function listedTools(input: RegistryInput, listings: readonly HistoryListing[], versionId: number): { listing: HistoryListing; tools: ToolRow[] } | null {
  let newest: HistoryListing | null = null;
  for (const l of listings) if (l.serverVersionId === versionId && (!newest || l.listedAt.getTime() >= newest.listedAt.getTime())) newest = l;
  if (!newest) return null;
  const tools: ToolRow[] = [];
  for (const t of newest.tools) {
    const definition = input.definitions.get(t.hash);
    if (definition) tools.push({ definition, classification: input.classifications.get(t.hash) ?? null });
  }
  return { listing: newest, tools };
}

/**
 * Builds every server's documents.
 *
 * - `server` (server.json): `name` from `assignNames`; `description` the package's, on one line, cut to 100
 *   characters (or "<registry> package <identifier>" when it has none); `title` the display name when it differs
 *   from the identifier; `version`; `repository` when the stored URL is http(s); `packages` one item for an npm,
 *   PyPI, NuGet, OCI or MCPB server (`transport` stdio); `remotes` for a remote server whose registry entry lists them.
 * - `_meta["io.modelcontextprotocol.registry/official"]`: `status` "active"; `publishedAt` when the version entered
 *   the catalogue; `updatedAt` the latest of that, the server record's update, the version's newest attempt and
 *   listing, its tools' classifications, and (for an older version) when the next version arrived, as that turned
 *   its `isLatest` false; `isLatest` for the server's newest version.
 * - `_meta["io.github.mcp-catalogue/catalogue"]`: the identity, the package's own publication time, the newest
 *   attempt (newest version) or listing (older ones), the tools with their classification, the highest risk and the
 *   recommended policy (newest version only; null for older ones).
 *
 * A version whose document fails its schema (schema.ts) is left out, and so is a server with no stored version or
 * whose newest version's document fails; each is named in `problems`.
 */
export function buildRegistry(input: RegistryInput): RegistryIndex {
  const names = input.names ?? assignNames(input.entries.map((e) => ({ serverId: e.server.id, registry: e.server.registry, identifier: e.server.identifier })), input.officialNames);
  const versionsOf = new Map<number, ServerVersionRecord[]>();
  for (const v of input.versions) {
    let list = versionsOf.get(v.serverId);
    if (!list) versionsOf.set(v.serverId, (list = []));
    list.push(v);
  }
  const servers: RegistryServer[] = [];
  const problems: RegistryIndex['problems'] = [];
  for (const entry of input.entries) {
    const identity = `${entry.server.registry}:${entry.server.identifier}`;
    try {
      const built = buildServer(input, entry, names.get(entry.server.id)!, versionsOf.get(entry.server.id) ?? [], problems);
      if (built) servers.push(built);
    } catch (error) {
      // A stored record of an unexpected shape: this server is left out, every other one is served.
      problems.push({ serverId: entry.server.id, identity, code: 'SCHEMA', message: `could not be built from its stored records: ${String(error)}` });
    }
  }
  servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { servers, problems };
}

/** One server's documents (see {@link buildRegistry}); null when it is left out, with the reason added to `problems`. */
function buildServer(input: RegistryInput, entry: CatalogueEntry, name: string, storedVersions: readonly ServerVersionRecord[], problems: RegistryIndex['problems']): RegistryServer | null {
  const s = entry.server;
  const identity = `${s.registry}:${s.identifier}`;
  const newest = entry.version;
  if (!newest) {
    problems.push({ serverId: s.id, identity, code: 'NO_VERSION', message: 'no stored version: a server.json needs one' });
    return null;
  }
  const stored = [...storedVersions];
  if (!stored.some((v) => v.id === newest.id)) stored.push(newest);
  stored.sort((a, b) => b.firstSeenAt.getTime() - a.firstSeenAt.getTime() || b.id - a.id);
  const description = oneLine(s.description ?? '', 100) || oneLine(`${s.registry} package ${s.identifier}`, 100);
  const title = s.displayName && s.displayName !== s.identifier ? oneLine(s.displayName, 100) : '';
  const repository = repositoryOf(s.repositoryUrl);
  const remotes = remotesOf(input.remotes?.get(identity));
  const listings = input.listings.get(s.id) ?? [];
  const versions: RegistryVersion[] = [];
  let successor: ServerVersionRecord | null = null;
  for (const v of stored) {
    const isLatest = v.id === newest.id;
    let tools: ToolRow[];
    let introspection: Record<string, unknown> | null;
    let toolDates: Array<Date | null>;
    if (isLatest) {
      tools = entry.tools.map((t) => ({ definition: t.tool.definition, classification: t.classification }));
      const i = entry.introspection;
      introspection = i ? { outcome: i.outcome, method: i.method, failureReason: i.failureReason, failureMessage: i.failureMessage, startedAt: iso(i.startedAt) } : null;
      toolDates = [i?.startedAt ?? null];
    } else {
      const listed = listedTools(input, listings, v.id);
      tools = listed?.tools ?? [];
      introspection = listed ? { outcome: 'ok', method: listed.listing.method, failureReason: null, failureMessage: null, startedAt: iso(listed.listing.listedAt) } : null;
      toolDates = [listed?.listing.listedAt ?? null];
    }
    const updatedAt = latestDate([v.firstSeenAt, s.updatedAt, successor?.firstSeenAt, ...toolDates, ...tools.map((t) => t.classification?.createdAt)]);
    const server: Record<string, unknown> = { name, description };
    if (title) server.title = title;
    server.version = v.version;
    if (repository) server.repository = repository;
    if (PACKAGE_TYPES.has(s.registry)) {
      const base = REGISTRY_BASE_URLS.get(s.registry);
      server.packages = [{ registryType: s.registry, ...(base ? { registryBaseUrl: base } : {}), identifier: s.identifier, version: v.version, transport: { type: 'stdio' } }];
    }
    if (remotes.length > 0) server.remotes = remotes;
    const catalogue = {
      registry: s.registry,
      identifier: s.identifier,
      packagePublishedAt: v.publishedAt ? iso(v.publishedAt) : null,
      introspection,
      toolCount: tools.length,
      highestRisk: highestRisk(tools),
      tools: tools.map(toolMeta),
      policy: isLatest ? (input.policies.get(s.id) ?? null) : null,
    };
    const meta: Record<string, unknown> = {};
    meta[OFFICIAL_META_KEY] = { status: 'active', publishedAt: iso(v.firstSeenAt), updatedAt: iso(updatedAt), isLatest };
    meta[CATALOGUE_META_KEY] = catalogue;
    versions.push({ name, version: v.version, isLatest, publishedAt: v.firstSeenAt, updatedAt, response: { server, _meta: meta } });
    successor = v;
  }
  const valid = versions.filter((v) => {
    const check = validateDocument('server-response', v.response);
    if (!check.valid) problems.push({ serverId: s.id, identity, code: 'SCHEMA', message: `version ${JSON.stringify(v.version)} does not fit the registry schema${v.isLatest ? '' : ' (the others are served)'}: ${check.errors.slice(0, 3).join('; ')}` });
    return check.valid;
  });
  const latest = valid.find((v) => v.isLatest);
  return latest ? { serverId: s.id, name, identity, latest, versions: valid } : null;
}
