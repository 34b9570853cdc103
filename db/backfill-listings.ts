/**
 * Listings for a database crawled before the change history (migration 0005): run when the store opens.
 * @internal
 */
import { and, asc, desc, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { insertListing, type Tx } from './history.ts';
import { introspections, listings, serverVersions, servers, tools } from './schema.ts';

export interface BackfillResult {
  /** Servers that gained at least one listing. */
  servers: number;
  /** Listings added. */
  listings: number;
}

interface Candidate {
  introspectionId: number;
  serverVersionId: number;
  serverId: number;
  startedAt: Date;
  method: (typeof introspections.$inferSelect)['method'];
  toolCount: number;
}

/**
 * Adds the listing a server version would have had, had its successful introspection been recorded after migration
 * 0005: for every version whose newest successful introspection (the one its `tools` rows come from: the
 * highest id, as `recordIntrospection` replaces the rows on each success) has no listing, a listing of those rows,
 * dated at the introspection's start, with its method. The rows already hold what `recordListing` stores: the
 * hash of the definition as listed and the scrubbed definition. Older successful introspections keep no tools and
 * get no listing.
 *
 * One transaction per server, the server's candidate versions in chronological order, each compared with the
 * server's listing just before it so an unchanged one is stored "same as" it. Idempotent: a version whose newest
 * successful introspection has a listing is left alone, so a second run, or one on a database crawled after 0005,
 * adds nothing and costs one query. Safe beside concurrent crawls (PostgreSQL): each version row and then the server
 * row are locked, in `recordIntrospection`'s order, and the candidate is checked again under the locks.
 * A version whose `tools` rows do not number the introspection's `tool_count` is skipped.
 */
export async function backfillListings<H extends PgQueryResultHKT>(db: PgDatabase<H>): Promise<BackfillResult> {
  const newestOk = db
    .selectDistinctOn([introspections.serverVersionId], {
      introspectionId: sql<number>`${introspections.id}`.as('newest_introspection_id'),
      serverVersionId: sql<number>`${introspections.serverVersionId}`.as('newest_server_version_id'),
      startedAt: introspections.startedAt,
      method: introspections.method,
      toolCount: introspections.toolCount,
    })
    .from(introspections)
    .where(eq(introspections.outcome, 'ok'))
    .orderBy(introspections.serverVersionId, desc(introspections.id))
    .as('newest_ok');
  const candidates: Candidate[] = await db
    .select({
      introspectionId: newestOk.introspectionId, serverVersionId: newestOk.serverVersionId, serverId: serverVersions.serverId,
      startedAt: newestOk.startedAt, method: newestOk.method, toolCount: newestOk.toolCount,
    })
    .from(newestOk)
    .innerJoin(serverVersions, eq(serverVersions.id, newestOk.serverVersionId))
    .where(notExists(db.select({ one: sql`1` }).from(listings).where(eq(listings.introspectionId, newestOk.introspectionId))));
  if (candidates.length === 0) return { servers: 0, listings: 0 };

  const byServer = new Map<number, Candidate[]>();
  for (const candidate of candidates) {
    let list = byServer.get(candidate.serverId);
    if (!list) byServer.set(candidate.serverId, (list = []));
    list.push({ ...candidate, introspectionId: Number(candidate.introspectionId), serverVersionId: Number(candidate.serverVersionId) });
  }
  const result: BackfillResult = { servers: 0, listings: 0 };
  for (const [serverId, list] of byServer) {
    list.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.introspectionId - b.introspectionId);
    const added = await db.transaction((tx) => backfillServer(tx, serverId, list));
    if (added > 0) {
      result.servers += 1;
      result.listings += added;
    }
  }
  return result;
}

async function backfillServer(tx: Tx, serverId: number, list: Candidate[]): Promise<number> {
  const versionIds = [...new Set(list.map((c) => c.serverVersionId))].sort((a, b) => a - b);
  await tx.select({ id: serverVersions.id }).from(serverVersions).where(inArray(serverVersions.id, versionIds)).orderBy(asc(serverVersions.id)).for('update');
  await tx.select({ id: servers.id }).from(servers).where(eq(servers.id, serverId)).for('update');
  let added = 0;
  for (const candidate of list) {
    // Under the locks: still the version's newest success, still without a listing.
    const [newest] = await tx
      .select({ id: introspections.id })
      .from(introspections)
      .where(and(eq(introspections.serverVersionId, candidate.serverVersionId), eq(introspections.outcome, 'ok')))
      .orderBy(desc(introspections.id))
      .limit(1);
    if (newest?.id !== candidate.introspectionId) continue;
    const [listed] = await tx.select({ id: listings.id }).from(listings).where(eq(listings.introspectionId, candidate.introspectionId)).limit(1);
    if (listed) continue;
    const rows = await tx
      .select({ hash: tools.hash, definition: tools.definition })
      .from(tools)
      .where(eq(tools.serverVersionId, candidate.serverVersionId))
      .orderBy(asc(tools.id));
    if (rows.length !== candidate.toolCount) continue;
    await insertListing(tx, serverId, {
      serverVersionId: candidate.serverVersionId, introspectionId: candidate.introspectionId,
      listedAt: candidate.startedAt, method: candidate.method, tools: rows,
    }, 'earlier');
    added += 1;
  }
  return added;
}
