/**
 * `Store.crawlState()`: every stored version's retry state, folded in memory from its attempts in start order.
 * @internal
 */
import { eq, isNull, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { retryable, type VersionCrawlState } from '../records/index.ts';
import { introspections, serverVersions, servers } from './schema.ts';

export async function readCrawlState<H extends PgQueryResultHKT>(db: PgDatabase<H>): Promise<Map<string, VersionCrawlState>> {
  // The evidence columns are read only for attempts stored before `transient` was kept: those are decided now.
  const undecided = isNull(introspections.transient);
  const rows = await db
    .select({
      registry: servers.registry,
      identifier: servers.identifier,
      version: serverVersions.version,
      outcome: introspections.outcome,
      failureReason: introspections.failureReason,
      transient: introspections.transient,
      crawlerVersion: introspections.crawlerVersion,
      failureMessage: sql<string | null>`case when ${undecided} then ${introspections.failureMessage} end`,
      stderrTail: sql<string | null>`case when ${undecided} then ${introspections.stderrTail} end`,
    })
    .from(introspections)
    .innerJoin(serverVersions, eq(serverVersions.id, introspections.serverVersionId))
    .innerJoin(servers, eq(servers.id, serverVersions.serverId))
    // Oldest first, so the last row folded is the newest attempt (the one the catalogue shows).
    .orderBy(introspections.serverVersionId, introspections.startedAt, introspections.id);
  const states = new Map<string, VersionCrawlState>();
  for (const row of rows) {
    const key = `${row.registry}:${row.identifier}@${row.version}`;
    const state = states.get(key) ?? { attempts: 0, lastReason: null, lastTransient: false, transientStreak: 0, lastCrawlerVersion: 0, listed: false };
    const transient = row.outcome === 'failed' && row.failureReason !== null && (row.transient ?? retryable(row.failureReason, row));
    states.set(key, {
      attempts: state.attempts + 1,
      lastReason: row.failureReason,
      lastTransient: transient,
      transientStreak: transient ? state.transientStreak + 1 : 0,
      lastCrawlerVersion: row.crawlerVersion,
      listed: state.listed || row.outcome === 'ok',
    });
  }
  return states;
}
