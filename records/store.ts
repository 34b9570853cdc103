/**
 * The store interface: every stage reads and writes typed records through it.
 * Implemented once over one drizzle schema (`db/schema.ts`) for two backends: embedded PGlite and PostgreSQL (`pg`).
 */
import type { Classification, ServerContext, ToolDefinition } from './tool.ts';
import type { ServerCandidate } from './discovery.ts';
import type {
  FailureReason,
  Introspection,
  IntrospectionMethod,
  OptionalListFailure,
  PromptDefinition,
  ResourceDefinition,
  ResourceTemplateDefinition,
} from './introspection.ts';
import type { Registry } from './registry.ts';
import type { NamedCodeEffects, ToolCodeEffects } from './code-effects.ts';

/** A server's identity is (registry, identifier): `npm` + `@scope/name`. Never the display name. */
export interface ServerIdentity {
  registry: Registry;
  identifier: string;
}

export interface ServerInput extends ServerIdentity {
  displayName: string;
  description: string | null;
  repositoryUrl: string | null;
}

export interface ServerRecord extends ServerInput {
  id: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ServerVersionRecord {
  id: number;
  serverId: number;
  version: string;
  /** Publication time from the registry, when known. */
  publishedAt: Date | null;
  firstSeenAt: Date;
}

/** A stored introspection attempt (tools are stored separately, per server version). */
export interface IntrospectionRecord extends Omit<Introspection, 'tools' | 'prompts' | 'resources' | 'resourceTemplates' | 'listFailures' | 'crawlerVersion'> {
  id: number;
  serverVersionId: number;
  crawlRunId: number | null;
  toolCount: number;
  /** The version's 1st, 2nd, … recorded attempt. */
  attempt: number;
  /** Whether the failure reason is transient (`retryable()`, `crawler/retry.ts`) as decided when recorded; null when the attempt has no failure reason or was stored before this was kept. */
  transient: boolean | null;
  /** `CRAWLER_VERSION` of the crawler that made the attempt; 0 when stored before crawler versions. */
  crawlerVersion: number;
  /** Null when the server did not declare prompts, the list failed, or the attempt did not list at all. */
  prompts: PromptDefinition[] | null;
  resources: ResourceDefinition[] | null;
  resourceTemplates: ResourceTemplateDefinition[] | null;
  listFailures: OptionalListFailure[];
}

/** A tool as stored: its full definition and the canonical hash of that definition (`records/tool-hash.ts`). */
export interface ToolRecord {
  id: number;
  serverVersionId: number;
  name: string;
  hash: string;
  definition: ToolDefinition;
}

export interface ClassificationRecord extends Classification {
  toolHash: string;
  createdAt: Date;
}

export interface CrawlRunRecord {
  id: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** Free-form summary written at the end: counts by outcome and reason, tools, duration. */
  summary: Record<string, unknown> | null;
}

/** What the crawl plan needs to know of a stored server version's attempts (`Store.crawlState()`). */
export interface VersionCrawlState {
  /** Recorded attempts, ok or failed. */
  attempts: number;
  /** Failure reason of the newest attempt (by start time); null when it listed live. */
  lastReason: FailureReason | null;
  /** The newest attempt failed, transiently. */
  lastTransient: boolean;
  /** How many of the newest attempts in a row failed transiently: 0 when the newest did not. */
  transientStreak: number;
  /** `CRAWLER_VERSION` of the newest attempt; 0 when stored before crawler versions. */
  lastCrawlerVersion: number;
  /** Some attempt listed tools: outcome ok, live or read from source. */
  listed: boolean;
}

/** A server with what the site and the export need: its newest crawled version, newest attempt and tools. */
export interface CatalogueEntry {
  server: ServerRecord;
  version: ServerVersionRecord | null;
  introspection: IntrospectionRecord | null;
  /** `codeEffects`: what the tool's handler does, when the version's source was read (null: not read). */
  tools: Array<{ tool: ToolRecord; classification: ClassificationRecord | null; codeEffects?: ToolCodeEffects | null }>;
}

/** A stored server version whose listed tools have no code effects yet (`Store.versionsNeedingCodeEffects`). */
export interface VersionNeedingCodeEffects {
  serverVersionId: number;
  registry: Registry;
  identifier: string;
  version: string;
  /** The version's stored tool names, sorted. */
  toolNames: string[];
}

/**
 * One stored listing of a server (issue 15): the tools a successful introspection listed, by name and canonical
 * definition hash. A listing equal to the server's previous one is stored as `sameAsId` and carries that listing's
 * tools here.
 */
export interface HistoryListing {
  id: number;
  serverId: number;
  serverVersionId: number;
  version: string;
  /** When the introspection started (the crawl's clock). */
  listedAt: Date;
  method: IntrospectionMethod;
  /** `listingHash` of the tools (records/tool-hash.ts). */
  listHash: string;
  /** The listing whose tool rows this one shares; null when it holds its own. */
  sameAsId: number | null;
  /** Sorted by name. */
  tools: Array<{ name: string; hash: string }>;
}

/** Everything the change history needs (`Store.history()`); maps keyed by hash, never bare objects. */
export interface StoredHistory {
  /** Sorted by server id, then listedAt, then id. */
  listings: HistoryListing[];
  /** Every definition a listing points at. */
  definitions: Map<string, ToolDefinition>;
  /** The classification of each hash at the classifier version asked for (or the newest of any), when there is one. */
  classifications: Map<string, ClassificationRecord>;
}

/** A listing reported by a discovery source: its key in that source, change marker and candidate (null: not a server). */
export interface DiscoveryFindingInput {
  /** `<registry>:<identifier>`, unique within the source. */
  key: string;
  /** The source's change marker: a version, a serial, an update time. */
  marker: string;
  candidate: ServerCandidate | null;
}

export interface DiscoveryFindingRecord extends DiscoveryFindingInput {
  source: string;
  firstSeenAt: Date;
  /** When the marker or the candidate last changed (first seen, if never). */
  changedAt: Date;
  lastSeenAt: Date;
}

/**
 * One server as `export` writes it in `servers.jsonl` (site/export.ts), parsed for `Store.importServer()`. The line
 * carries no stderr, timings, `initialize` result or crawler version of the attempt: they are stored empty (stderr
 * `''`, timings 0, the rest null) and the crawler version is the current one. A classification's `ruleIds` are
 * carried (the recommended policy reads some of them); a line written before they were exported stores them empty.
 */
export interface ServerImport {
  server: ServerInput;
  /** The server's newest version; null: none was recorded. */
  version: string | null;
  /** The version's newest attempt; null: none was recorded. */
  introspection: {
    outcome: 'ok' | 'failed';
    failureReason: FailureReason | null;
    failureMessage: string | null;
    method: IntrospectionMethod;
    startedAt: Date;
    prompts: PromptDefinition[] | null;
    resources: ResourceDefinition[] | null;
    resourceTemplates: ResourceTemplateDefinition[] | null;
    listFailures: OptionalListFailure[];
  } | null;
  /** The version's stored tools, each with its classification (null: none) and code effects (null: source not read). */
  tools: Array<{ definition: ToolDefinition; classification: Omit<Classification, 'name'> | null; codeEffects: ToolCodeEffects | null }>;
}

export interface Store {
  /** Creates or updates a server by identity; returns the stored record. */
  upsertServer(input: ServerInput): Promise<ServerRecord>;
  /** Creates the version if new; returns it either way. */
  upsertServerVersion(serverId: number, version: string, publishedAt?: Date | null): Promise<ServerVersionRecord>;
  /**
   * Records one attempt. On `outcome: "ok"` the version's tools are replaced by `introspection.tools`, each stored
   * with its canonical hash. A failed attempt leaves the tools of earlier successful attempts in place.
   */
  recordIntrospection(serverVersionId: number, introspection: Introspection, crawlRunId?: number | null): Promise<IntrospectionRecord>;
  /** Stores a classification keyed by (tool hash, classifier version); a second save for the same key replaces it. */
  saveClassification(toolHash: string, classification: Classification): Promise<void>;
  /**
   * Distinct stored tools (by hash) with no classification at `classifierVersion`. `server.introspectionMethod` is
   * the method of the successful introspection that listed the tool; a hash listed both live and from source
   * comes with a live listing.
   */
  toolsNeedingClassification(classifierVersion: string): Promise<Array<{ hash: string; definition: ToolDefinition; server: ServerContext }>>;
  /**
   * Replaces the code effects stored for a server version (one row per tool name; the last of duplicate names
   * wins). `server.codeEffects` of {@link toolsNeedingClassification} and `codeEffects` of {@link catalogue} read
   * them back for the tool of that name.
   */
  recordCodeEffects(serverVersionId: number, tools: readonly NamedCodeEffects[]): Promise<void>;
  /** Server versions of a registry with stored tools and no stored code effects, by version id. */
  versionsNeedingCodeEffects(registry: Registry): Promise<VersionNeedingCodeEffects[]>;
  startCrawlRun(): Promise<CrawlRunRecord>;
  finishCrawlRun(id: number, summary: Record<string, unknown>): Promise<CrawlRunRecord>;
  /** Every stored version of every server, sorted by server id, then firstSeenAt, then id (oldest first). */
  serverVersions(): Promise<ServerVersionRecord[]>;
  /** Every server with its newest version (by firstSeenAt), that version's newest attempt, and tools with their classification at `classifierVersion` (or the newest of any version when omitted). Sorted by registry then identifier. */
  catalogue(classifierVersion?: string, options?: { serverIds?: readonly number[] }): Promise<CatalogueEntry[]>;
  /**
   * Every server's identity with a stamp that changes whenever anything `catalogue(classifierVersion)` or the change
   * history gives for it changes (its row, newest version and attempt, tools, their classifications at
   * `classifierVersion` and code effects, how many listings and versions it has). Same order as {@link catalogue}.
   * The site build re-renders only servers whose stamp moved (site/build.ts). `listings`: how many it has.
   */
  catalogueStamps(classifierVersion: string): Promise<Array<{ id: number; registry: Registry; identifier: string; stamp: string; listings: number }>>;
  /**
   * Every server version with at least one introspection attempt, as `<registry>:<identifier>@<version>`
   * (`npm:@scope/name@1.2.3`), sorted. Discovery's crawl plan skips these: only new versions are crawled. With
   * `crawlRunId`, only attempts stored in that crawl run count; with `settled`, only attempts that listed tools or
   * failed for a permanent reason (not `transient`). A distributed crawl's worker asks for both before it crawls a
   * retried job, whose earlier try may have stored its attempt before its worker died.
   */
  attemptedVersions(options?: { crawlRunId?: number; settled?: boolean }): Promise<string[]>;
  /**
   * The retry state of every server version with at least one attempt, keyed as in {@link attemptedVersions}. Reads
   * every attempt's reason, not its lists. Attempts stored before `transient` was kept are decided by `retryable()`
   * from their reason, message and stderr tail.
   */
  crawlState(): Promise<Map<string, VersionCrawlState>>;
  /** A discovery source's state (cursors, `updated_since` marks, ETags) as key → JSON value; `{}` when none. */
  discoveryState(source: string): Promise<Record<string, unknown>>;
  /** Sets a source's state values in one transaction; a `null` value deletes its key, other keys are kept. */
  saveDiscoveryState(source: string, values: Record<string, unknown>): Promise<void>;
  /** Stored findings of one source, or of every source, sorted by source then key. */
  discoveryFindings(source?: string): Promise<DiscoveryFindingRecord[]>;
  /**
   * Creates or updates findings of a source by key in one transaction (the last of duplicate keys wins):
   * `lastSeenAt` always moves, `changedAt` only when the marker or the candidate changed.
   */
  saveDiscoveryFindings(source: string, findings: DiscoveryFindingInput[]): Promise<void>;
  /**
   * The change history: every stored listing with its tools, the definitions they point at and their
   * classifications at `classifierVersion` (the newest of any version when omitted). `serverId` narrows to one
   * server, `serverIds` to those.
   */
  history(options?: { serverId?: number; serverIds?: readonly number[]; classifierVersion?: string }): Promise<StoredHistory>;
  /**
   * Writes one `servers.jsonl` line (`ServerImport`) in one transaction through the paths a crawl takes: the server
   * and version upserted, the attempt recorded as `recordIntrospection()` records it (hashes, scrubbing, tools and
   * the listing of a successful one), each tool's classification under its hash and the version's code effects. A
   * failed newest attempt that still shows tools (kept from an earlier successful one) is preceded by a successful
   * attempt 1 ms earlier with those tools and the same method. Idempotent: an attempt equal to a stored one (same
   * version, start time, outcome, method and reason, no crawl run) is not recorded again.
   * @returns how many tools the version now has from this line (0 without a version or attempt).
   */
  importServer(line: ServerImport): Promise<{ tools: number }>;
  close(): Promise<void>;
}
