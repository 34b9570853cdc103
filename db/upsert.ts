/**
 * The single-row writes of `Store.upsertServer()`, `upsertServerVersion()` and `saveClassification()`, over a
 * connection or inside a caller's transaction (`import.ts` runs them in one).
 * @internal
 */
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Classification, ServerInput, ServerRecord, ServerVersionRecord } from '../records/index.ts';
import { notFound, required } from './pg-error.ts';
import { classificationValues, toServer, toVersion } from './records.ts';
import { classifications, serverVersions, servers } from './schema.ts';
import { scrub } from './scrub.ts';

/** Creates or updates a server by (registry, identifier); `updated_at` moves only when something changed. */
export async function upsertServerRow<H extends PgQueryResultHKT>(db: PgDatabase<H>, input: ServerInput): Promise<ServerRecord> {
  const values = scrub({
    registry: input.registry,
    identifier: input.identifier,
    displayName: input.displayName,
    description: input.description,
    repositoryUrl: input.repositoryUrl,
  });
  const [row] = await db
    .insert(servers)
    .values(values)
    .onConflictDoUpdate({
      target: [servers.registry, servers.identifier],
      set: {
        displayName: sql`excluded.display_name`,
        description: sql`excluded.description`,
        repositoryUrl: sql`excluded.repository_url`,
        updatedAt: sql`case when (${servers.displayName}, ${servers.description}, ${servers.repositoryUrl})
          is distinct from (excluded.display_name, excluded.description, excluded.repository_url)
          then now() else ${servers.updatedAt} end`,
      },
    })
    .returning();
  return toServer(required(row));
}

/** Creates the version if new; a publication time learnt later fills the gap, a known one is never overwritten. */
export async function upsertVersionRow<H extends PgQueryResultHKT>(db: PgDatabase<H>, serverId: number, version: string, publishedAt: Date | null): Promise<ServerVersionRecord> {
  try {
    const [row] = await db
      .insert(serverVersions)
      .values(scrub({ serverId, version, publishedAt }))
      .onConflictDoUpdate({
        target: [serverVersions.serverId, serverVersions.version],
        set: { publishedAt: sql`coalesce(${serverVersions.publishedAt}, excluded.published_at)` },
      })
      .returning();
    return toVersion(required(row));
  } catch (error) {
    throw notFound(error, `upsertServerVersion(${serverId}, ${JSON.stringify(version)}): no server with id ${serverId}`);
  }
}

/** Stores a classification keyed by (tool hash, classifier version); a second save for the key replaces it. */
export async function saveClassificationRow<H extends PgQueryResultHKT>(db: PgDatabase<H>, hash: string, classification: Classification): Promise<void> {
  const values = scrub(classificationValues(classification));
  await db
    .insert(classifications)
    .values({ toolHash: hash, classifierVersion: classification.classifierVersion, ...values })
    .onConflictDoUpdate({
      target: [classifications.toolHash, classifications.classifierVersion],
      set: { ...values, createdAt: sql`now()` },
    });
}
