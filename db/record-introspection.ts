/**
 * `Store.recordIntrospection()`.
 * @internal
 */
import { and, count, eq, isNull } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { toolHash, type Introspection, type IntrospectionRecord, type ToolDefinition } from '../records/index.ts';
import { StoreError } from './errors.ts';
import { notFound, required } from './pg-error.ts';
import { recordListing } from './history.ts';
import { introspectionValues, toIntrospection } from './records.ts';
import { introspections, serverVersions, tools } from './schema.ts';
import { scrub } from './scrub.ts';

/** Rows per multi-row INSERT, far below PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK_ROWS = 1000;

/**
 * One attempt, in one transaction: the attempt row (numbered after the version's earlier attempts, with its retry
 * state), and on success the version's tools replaced and a listing added to the server's history (`history.ts`). The version row is locked first so two concurrent recordings
 * of one version (PostgreSQL) number their attempts and replace its tools one after the other.
 * `retried` (a second try after a lost connection, `reconnect.ts`): when the first try's commit went through and
 * only its acknowledgement was lost, the attempt row it stored (same version, run, start time, outcome, reason and
 * method) is returned instead of a second one being stored.
 */
export async function recordIntrospection<H extends PgQueryResultHKT>(
  db: PgDatabase<H>,
  serverVersionId: number,
  introspection: Introspection,
  crawlRunId: number | null,
  retried = false,
): Promise<IntrospectionRecord> {
  // Hash what the server listed; store it scrubbed (scrub.ts).
  const listed = uniqueByName(
    introspection.tools.map((definition) => ({ hash: toolHash(definition), definition: scrub(definition) })),
  );
  try {
    return await db.transaction(async (tx) => {
      const [version] = await tx
        .select({ id: serverVersions.id })
        .from(serverVersions)
        .where(eq(serverVersions.id, serverVersionId))
        .for('update');
      if (!version) {
        throw new StoreError('DB_NOT_FOUND', `recordIntrospection(${serverVersionId}): no server version with id ${serverVersionId}; create it with upsertServerVersion()`);
      }
      if (retried) {
        const [earlier] = await tx
          .select()
          .from(introspections)
          .where(and(
            eq(introspections.serverVersionId, serverVersionId),
            crawlRunId === null ? isNull(introspections.crawlRunId) : eq(introspections.crawlRunId, crawlRunId),
            eq(introspections.startedAt, introspection.startedAt),
            eq(introspections.outcome, introspection.outcome),
            eq(introspections.method, introspection.method),
            introspection.failureReason === null ? isNull(introspections.failureReason) : eq(introspections.failureReason, introspection.failureReason),
          ))
          .limit(1);
        if (earlier) return toIntrospection(earlier);
      }
      // Numbered under the version's lock: concurrent recordings of one version get 1, 2, … in turn.
      const [stored] = await tx.select({ attempts: count() }).from(introspections).where(eq(introspections.serverVersionId, serverVersionId));
      const attempt = (stored?.attempts ?? 0) + 1;
      const [row] = await tx
        .insert(introspections)
        .values(scrub({ ...introspectionValues(introspection), serverVersionId, crawlRunId, toolCount: listed.length, attempt }))
        .returning();
      if (introspection.outcome === 'ok') {
        await tx.delete(tools).where(eq(tools.serverVersionId, serverVersionId));
        const rows = listed.map(({ hash, definition }) => ({ serverVersionId, name: definition.name, hash, definition }));
        for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
          await tx.insert(tools).values(rows.slice(start, start + INSERT_CHUNK_ROWS));
        }
        const stored = required(row);
        await recordListing(tx, { serverVersionId, introspectionId: stored.id, listedAt: stored.startedAt, method: stored.method, tools: listed });
      }
      return toIntrospection(required(row));
    });
  } catch (error) {
    throw notFound(error, `recordIntrospection(${serverVersionId}, …, ${crawlRunId}): no crawl run with id ${crawlRunId}`);
  }
}

/** A server that lists one name twice keeps the first definition: tools are unique by (version, name). */
function uniqueByName<T extends { definition: ToolDefinition }>(listed: T[]): T[] {
  const seen = new Set<string>();
  return listed.filter(({ definition }) => !seen.has(definition.name) && (seen.add(definition.name), true));
}
