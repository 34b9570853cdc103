/**
 * The one drizzle schema (pg-core) behind both backends, embedded PGlite and PostgreSQL.
 * Change it, then run `npx drizzle-kit generate` to write a migration into `db/migrations/`.
 *
 * Timestamps are `timestamptz` read back as `Date`. Ids of the high-churn tables (`introspections`, `tools`) are
 * `bigint` identities read as JS numbers (safe to 2^53).
 * @internal
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Category, ClassificationMethod, CodeEffect, Evidence, FailureReason, IntrospectionMethod, IntrospectionTimings, OptionalListFailure, PromptDefinition, Registry, ResourceDefinition, ResourceTemplateDefinition, Risk, ServerCandidate, Signal, ToolDefinition } from '../records/index.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One server, identified by (registry, identifier): `npm` + `@scope/name` (DESIGN.md §2). */
export const servers = pgTable(
  'servers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    registry: text('registry').$type<Registry>().notNull(),
    identifier: text('identifier').notNull(),
    displayName: text('display_name').notNull(),
    description: text('description'),
    repositoryUrl: text('repository_url'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('servers_registry_identifier_key').on(t.registry, t.identifier),
    index('servers_repository_url_idx').on(t.repositoryUrl),
  ],
);

/** One published version of a server, as first seen by a crawl. */
export const serverVersions = pgTable(
  'server_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    serverId: integer('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    version: text('version').notNull(),
    publishedAt: timestamptz('published_at'),
    firstSeenAt: timestamptz('first_seen_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('server_versions_server_id_version_key').on(t.serverId, t.version),
    // Newest version per server: DISTINCT ON (server_id) ORDER BY first_seen_at DESC, id DESC.
    index('server_versions_newest_idx').on(t.serverId, t.firstSeenAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

/** One nightly (or manual) crawl. */
export const crawlRuns = pgTable('crawl_runs', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  startedAt: timestamptz('started_at').notNull().defaultNow(),
  finishedAt: timestamptz('finished_at'),
  summary: jsonb('summary').$type<Record<string, unknown>>(),
});

/** Every introspection attempt, successful or not, with why it failed (DESIGN.md §3). */
export const introspections = pgTable(
  'introspections',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    serverVersionId: integer('server_version_id')
      .notNull()
      .references(() => serverVersions.id, { onDelete: 'cascade' }),
    crawlRunId: integer('crawl_run_id').references(() => crawlRuns.id, { onDelete: 'set null' }),
    outcome: text('outcome').$type<'ok' | 'failed'>().notNull(),
    failureReason: text('failure_reason').$type<FailureReason>(),
    failureMessage: text('failure_message'),
    stderrTail: text('stderr_tail').notNull().default(''),
    method: text('method').$type<IntrospectionMethod>().notNull(),
    startedAt: timestamptz('started_at').notNull(),
    timings: jsonb('timings').$type<IntrospectionTimings>().notNull(),
    serverInfo: jsonb('server_info').$type<{ name: string; version: string }>(),
    protocolVersion: text('protocol_version'),
    capabilities: jsonb('capabilities').$type<Record<string, unknown>>(),
    instructions: text('instructions'),
    toolCount: integer('tool_count').notNull(),
    /** `prompts/list`, `resources/list`, `resources/templates/list` where declared (null: not declared or failed). */
    prompts: jsonb('prompts').$type<PromptDefinition[]>(),
    resources: jsonb('resources').$type<ResourceDefinition[]>(),
    resourceTemplates: jsonb('resource_templates').$type<ResourceTemplateDefinition[]>(),
    /** What went wrong with those optional lists; they never fail an attempt. */
    listFailures: jsonb('list_failures').$type<OptionalListFailure[]>().notNull().default([]),
    /** 1 for a version's first recorded attempt, then 2, 3, … (attempts stored before numbering: in start order). */
    attempt: integer('attempt').notNull().default(1),
    /** `retryable()` of the failure reason when recorded (`crawler/retry.ts`); null: no failure reason, or stored before. */
    transient: boolean('transient'),
    /** `CRAWLER_VERSION` of the crawler that made the attempt; 0: stored before crawler versions. */
    crawlerVersion: integer('crawler_version').notNull().default(0),
  },
  (t) => [
    check('introspections_outcome_check', sql`${t.outcome} in ('ok', 'failed')`),
    // Newest attempt per version: DISTINCT ON (server_version_id) ORDER BY started_at DESC, id DESC.
    index('introspections_newest_idx').on(t.serverVersionId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('introspections_crawl_run_id_idx').on(t.crawlRunId),
  ],
);

/** The tools of a server version, as listed by its newest successful introspection. */
export const tools = pgTable(
  'tools',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    serverVersionId: integer('server_version_id')
      .notNull()
      .references(() => serverVersions.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** `sha256:<hex>` from `toolHash` (records/tool-hash.ts). */
    hash: text('hash').notNull(),
    definition: jsonb('definition').$type<ToolDefinition>().notNull(),
  },
  (t) => [
    uniqueIndex('tools_server_version_id_name_key').on(t.serverVersionId, t.name),
    index('tools_hash_idx').on(t.hash),
  ],
);

/**
 * What a tool's handler does, read from the package's source (`crawler/static/effects.ts`), per (server version,
 * tool name): written whenever a crawl lists the version's tools (or the `effects` backfill reads a cached install),
 * replacing the version's earlier rows. Keyed by name like `tools`, not by definition hash: the same definition in
 * two packages has different code.
 */
export const toolCodeEffects = pgTable(
  'tool_code_effects',
  {
    serverVersionId: integer('server_version_id')
      .notNull()
      .references(() => serverVersions.id, { onDelete: 'cascade' }),
    toolName: text('tool_name').notNull(),
    handlerFound: boolean('handler_found').notNull(),
    /** Package-relative file and 1-based line of the handler; null when none was found. */
    handlerFile: text('handler_file'),
    handlerLine: integer('handler_line'),
    effects: jsonb('effects').$type<CodeEffect[]>().notNull(),
    truncated: boolean('truncated').notNull().default(false),
    recordedAt: timestamptz('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'tool_code_effects_pkey', columns: [t.serverVersionId, t.toolName] })],
);

/** What a classifier version concluded of a tool definition, keyed by the definition's hash. */
export const classifications = pgTable(
  'classifications',
  {
    toolHash: text('tool_hash').notNull(),
    classifierVersion: text('classifier_version').notNull(),
    name: text('name').notNull(),
    category: text('category').$type<Category>().notNull(),
    risk: text('risk').$type<Risk>().notNull(),
    confidence: real('confidence').notNull(),
    rationale: text('rationale').notNull(),
    evidence: jsonb('evidence').$type<Evidence[]>().notNull(),
    signals: jsonb('signals').$type<Signal[]>().notNull(),
    ruleIds: jsonb('rule_ids').$type<string[]>().notNull(),
    method: text('method').$type<ClassificationMethod>().notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'classifications_pkey', columns: [t.toolHash, t.classifierVersion] }),
    // Newest classification of any version: DISTINCT ON (tool_hash) ORDER BY created_at DESC.
    index('classifications_newest_idx').on(t.toolHash, t.createdAt.desc().nullsFirst()),
  ],
);

/** What a discovery source keeps between runs: cursors, `updated_since` marks, ETags (issue 3). */
export const discoveryState = pgTable(
  'discovery_state',
  {
    source: text('source').notNull(),
    key: text('key').notNull(),
    value: jsonb('value').$type<unknown>().notNull(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'discovery_state_pkey', columns: [t.source, t.key] })],
);

/**
 * Every listing a discovery source reported, with its change marker (version, serial, update time) and the
 * candidate it yielded (null: looked at, not an MCP server). Deduplication reads the candidates of every source.
 */
export const discoveryFindings = pgTable(
  'discovery_findings',
  {
    source: text('source').notNull(),
    key: text('key').notNull(),
    marker: text('marker').notNull(),
    candidate: jsonb('candidate').$type<ServerCandidate>(),
    firstSeenAt: timestamptz('first_seen_at').notNull().defaultNow(),
    changedAt: timestamptz('changed_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'discovery_findings_pkey', columns: [t.source, t.key] })],
);

/**
 * A tool definition stored once, by its canonical hash (`toolHash`, records/tool-hash.ts): what the history's
 * listings point at. The definition is the first one stored under the hash (scrubbed, as in `tools`).
 */
export const toolDefinitions = pgTable('tool_definitions', {
  hash: text('hash').primaryKey(),
  name: text('name').notNull(),
  definition: jsonb('definition').$type<ToolDefinition>().notNull(),
  firstSeenAt: timestamptz('first_seen_at').notNull().defaultNow(),
});

/**
 * Every successful listing of a server (issue 15): one row per `ok` introspection, at the time the attempt started.
 * `listHash` is `listingHash` of its tools (records/tool-hash.ts). A listing whose hash equals the server's previous
 * listing stores `sameAsId` (the listing holding the definitions) and no `listing_tools` rows.
 */
export const listings = pgTable(
  'listings',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    serverId: integer('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    serverVersionId: integer('server_version_id')
      .notNull()
      .references(() => serverVersions.id, { onDelete: 'cascade' }),
    introspectionId: bigint('introspection_id', { mode: 'number' })
      .notNull()
      .references(() => introspections.id, { onDelete: 'cascade' }),
    listedAt: timestamptz('listed_at').notNull(),
    method: text('method').$type<IntrospectionMethod>().notNull(),
    listHash: text('list_hash').notNull(),
    toolCount: integer('tool_count').notNull(),
    sameAsId: bigint('same_as_id', { mode: 'number' }).references((): AnyPgColumn => listings.id, { onDelete: 'cascade' }),
  },
  (t) => [index('listings_server_listed_idx').on(t.serverId, t.listedAt, t.id)],
);

/** The tools of a listing that holds its own definitions: tool name → definition hash. */
export const listingTools = pgTable(
  'listing_tools',
  {
    listingId: bigint('listing_id', { mode: 'number' })
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    toolHash: text('tool_hash')
      .notNull()
      .references(() => toolDefinitions.hash),
  },
  (t) => [primaryKey({ name: 'listing_tools_pkey', columns: [t.listingId, t.name] })],
);
