/**
 * The change history (issue 15): a listing stored for every successful introspection, each tool definition stored
 * once by its canonical hash, and `Store.history()` reading them back.
 * @internal
 */
import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { listingHash, type ClassificationRecord, type HistoryListing, type IntrospectionMethod, type StoredHistory, type ToolDefinition } from '../records/index.ts';
import { toClassification } from './records.ts';
import { classifications, listingTools, listings, serverVersions, servers, toolDefinitions } from './schema.ts';

/** Rows per multi-row INSERT, far below PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK_ROWS = 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Tx = PgTransaction<any, any, any>;

export interface ListingInput {
  serverVersionId: number;
  introspectionId: number;
  listedAt: Date;
  method: IntrospectionMethod;
  /** Unique by name; `definition` already scrubbed, `hash` computed before scrubbing. */
  tools: ReadonlyArray<{ hash: string; definition: ToolDefinition }>;
}

/**
 * Stores one listing inside the caller's transaction. The server row is locked so two listings of one server are
 * compared with each other one after the other. When the list hash equals the server's newest listing (by listedAt,
 * then id), the new listing points at the listing holding the definitions and adds no rows of its own.
 */
export async function recordListing(tx: Tx, input: ListingInput): Promise<void> {
  const [version] = await tx.select({ serverId: serverVersions.serverId }).from(serverVersions).where(eq(serverVersions.id, input.serverVersionId));
  if (!version) return;
  await tx.select({ id: servers.id }).from(servers).where(eq(servers.id, version.serverId)).for('update');
  await insertListing(tx, version.serverId, input, 'newest');
}

/**
 * Inserts one listing of `serverId` (whose row the caller has locked) and, unless it is "same as" the listing it is
 * compared with, its tools and their definitions. `compareWith`: `'newest'` compares with the server's newest
 * listing (by listedAt, then id); `'earlier'` with the newest one listed at or before `input.listedAt`, for a
 * listing dated in the past (`backfill-listings.ts`).
 */
export async function insertListing(tx: Tx, serverId: number, input: ListingInput, compareWith: 'newest' | 'earlier'): Promise<void> {
  const hash = listingHash(input.tools.map((t) => ({ name: t.definition.name, hash: t.hash })));
  const [previous] = await tx
    .select({ id: listings.id, listHash: listings.listHash, sameAsId: listings.sameAsId })
    .from(listings)
    .where(compareWith === 'newest' ? eq(listings.serverId, serverId) : and(eq(listings.serverId, serverId), lte(listings.listedAt, input.listedAt)))
    .orderBy(desc(listings.listedAt), desc(listings.id))
    .limit(1);
  const sameAsId = previous && previous.listHash === hash ? (previous.sameAsId ?? previous.id) : null;
  const [row] = await tx
    .insert(listings)
    .values({
      serverId, serverVersionId: input.serverVersionId, introspectionId: input.introspectionId,
      listedAt: input.listedAt, method: input.method, listHash: hash, toolCount: input.tools.length, sameAsId,
    })
    .returning({ id: listings.id });
  if (sameAsId !== null || !row) return;
  const definitions = input.tools.map((t) => ({ hash: t.hash, name: t.definition.name, definition: t.definition }));
  for (let start = 0; start < definitions.length; start += INSERT_CHUNK_ROWS) {
    await tx.insert(toolDefinitions).values(definitions.slice(start, start + INSERT_CHUNK_ROWS)).onConflictDoNothing();
  }
  const links = input.tools.map((t) => ({ listingId: row.id, name: t.definition.name, toolHash: t.hash }));
  for (let start = 0; start < links.length; start += INSERT_CHUNK_ROWS) {
    await tx.insert(listingTools).values(links.slice(start, start + INSERT_CHUNK_ROWS));
  }
}

/** `Store.history()`: four queries in one read-only snapshot, grouped in memory. */
export async function readHistory<H extends PgQueryResultHKT>(
  db: PgDatabase<H>,
  options: { serverId?: number; serverIds?: readonly number[]; classifierVersion?: string } = {},
): Promise<StoredHistory> {
  return db.transaction(
    async (tx) => {
      const where = and(
        options.serverId === undefined ? undefined : eq(listings.serverId, options.serverId),
        options.serverIds === undefined ? undefined : options.serverIds.length === 0 ? sql`false` : inArray(listings.serverId, [...options.serverIds]),
      );
      const listingRows = await tx
        .select({
          id: listings.id, serverId: listings.serverId, serverVersionId: listings.serverVersionId, version: serverVersions.version,
          listedAt: listings.listedAt, method: listings.method, listHash: listings.listHash, sameAsId: listings.sameAsId,
        })
        .from(listings)
        .innerJoin(serverVersions, eq(serverVersions.id, listings.serverVersionId))
        .where(where)
        .orderBy(asc(listings.serverId), asc(listings.listedAt), asc(listings.id));
      const holders = [...new Set(listingRows.map((l) => l.sameAsId ?? l.id))];
      const linkRows = holders.length === 0 ? [] : await tx
        .select()
        .from(listingTools)
        .where(inArray(listingTools.listingId, holders))
        .orderBy(asc(listingTools.listingId), sql`${listingTools.name} collate "C"`);
      const hashes = [...new Set(linkRows.map((l) => l.toolHash))];
      const definitionRows = hashes.length === 0 ? [] : await tx.select().from(toolDefinitions).where(inArray(toolDefinitions.hash, hashes));
      const classificationRows = hashes.length === 0 ? [] : options.classifierVersion === undefined
        ? await tx
            .selectDistinctOn([classifications.toolHash])
            .from(classifications)
            .where(inArray(classifications.toolHash, hashes))
            .orderBy(classifications.toolHash, desc(classifications.createdAt), desc(classifications.classifierVersion))
        : await tx
            .select()
            .from(classifications)
            .where(and(eq(classifications.classifierVersion, options.classifierVersion), inArray(classifications.toolHash, hashes)));

      const toolsOf = new Map<number, Array<{ name: string; hash: string }>>();
      for (const link of linkRows) {
        let list = toolsOf.get(link.listingId);
        if (!list) toolsOf.set(link.listingId, (list = []));
        list.push({ name: link.name, hash: link.toolHash });
      }
      const definitions = new Map<string, ToolDefinition>();
      for (const row of definitionRows) definitions.set(row.hash, row.definition);
      const classified = new Map<string, ClassificationRecord>();
      for (const row of classificationRows) classified.set(row.toolHash, toClassification(row));
      return {
        listings: listingRows.map((l): HistoryListing => ({ ...l, tools: toolsOf.get(l.sameAsId ?? l.id) ?? [] })),
        definitions,
        classifications: classified,
      };
    },
    { accessMode: 'read only', isolationLevel: 'repeatable read' },
  );
}
