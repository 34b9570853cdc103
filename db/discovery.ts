/**
 * Discovery state and findings (issue 3): what each source keeps between runs, and every listing it reported.
 * @internal
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { discoveryFindings, discoveryState } from './schema.ts';
import { scrub } from './scrub.ts';
import type { DiscoveryFindingInput, DiscoveryFindingRecord } from '../records/index.ts';

// State values are stored wrapped as `{"v": <value>}`: drizzle passes a top-level JSON string to jsonb unquoted,
// which would turn the ETag `"abc"` into the string `abc`.

/** Rows per INSERT: 7 parameters a row stays far below PostgreSQL's 65,535 bind parameters. */
const BATCH = 1000;

export async function readDiscoveryState<H extends PgQueryResultHKT>(db: PgDatabase<H>, source: string): Promise<Record<string, unknown>> {
  const rows = await db.select({ key: discoveryState.key, value: discoveryState.value }).from(discoveryState).where(eq(discoveryState.source, source));
  return Object.fromEntries(rows.map((r) => [r.key, (r.value as { v: unknown }).v]));
}

export async function writeDiscoveryState<H extends PgQueryResultHKT>(db: PgDatabase<H>, source: string, values: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(values);
  const deleted = entries.filter(([, v]) => v === null || v === undefined).map(([k]) => k);
  const set = entries.filter(([, v]) => v !== null && v !== undefined).map(([key, value]) => scrub({ source, key, value: { v: value } }));
  await db.transaction(async (tx) => {
    for (let i = 0; i < deleted.length; i += BATCH) {
      await tx.delete(discoveryState).where(sql`${discoveryState.source} = ${source} and ${inArray(discoveryState.key, deleted.slice(i, i + BATCH))}`);
    }
    for (let i = 0; i < set.length; i += BATCH) {
      await tx
        .insert(discoveryState)
        .values(set.slice(i, i + BATCH))
        .onConflictDoUpdate({ target: [discoveryState.source, discoveryState.key], set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
    }
  });
}

export async function readDiscoveryFindings<H extends PgQueryResultHKT>(db: PgDatabase<H>, source?: string): Promise<DiscoveryFindingRecord[]> {
  const query = db.select().from(discoveryFindings);
  const rows = await (source === undefined ? query : query.where(eq(discoveryFindings.source, source))).orderBy(asc(discoveryFindings.source), asc(discoveryFindings.key));
  return rows.map((r) => ({ ...r }));
}

export async function writeDiscoveryFindings<H extends PgQueryResultHKT>(db: PgDatabase<H>, source: string, findings: DiscoveryFindingInput[]): Promise<void> {
  // One row per key: the last finding for a key wins.
  const byKey = new Map(findings.map((f) => [f.key, f]));
  const rows = [...byKey.values()].map((f) => scrub({ source, key: f.key, marker: f.marker, candidate: f.candidate }));
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += BATCH) {
      await tx
        .insert(discoveryFindings)
        .values(rows.slice(i, i + BATCH))
        .onConflictDoUpdate({
          target: [discoveryFindings.source, discoveryFindings.key],
          set: {
            marker: sql`excluded.marker`,
            candidate: sql`excluded.candidate`,
            lastSeenAt: sql`now()`,
            changedAt: sql`case when (${discoveryFindings.marker}, ${discoveryFindings.candidate})
              is distinct from (excluded.marker, excluded.candidate) then now() else ${discoveryFindings.changedAt} end`,
          },
        });
    }
  });
}
