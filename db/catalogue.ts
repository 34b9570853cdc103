/**
 * `Store.catalogue()`: six queries in one read-only snapshot, grouped in memory (no query per server or tool), over
 * every server or the ones asked for; and `Store.catalogueStamps()`, one query.
 * Text is ordered with `COLLATE "C"` (code point order), the same on PGlite and PostgreSQL whatever their locale.
 * @internal
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { toClassification, toIntrospection, toServer, toTool, toVersion } from './records.ts';
import { toCodeEffects } from './code-effects.ts';
import { classifications, introspections, serverVersions, servers, toolCodeEffects, tools } from './schema.ts';
import type { CatalogueEntry, ClassificationRecord, IntrospectionRecord, Registry, ServerVersionRecord, ToolCodeEffects, ToolRecord } from '../records/index.ts';

export async function readCatalogue<H extends PgQueryResultHKT>(
  db: PgDatabase<H>,
  classifierVersion: string | undefined,
  serverIds?: readonly number[],
): Promise<CatalogueEntry[]> {
  if (serverIds !== undefined && serverIds.length === 0) return [];
  const onlyServers = serverIds === undefined ? undefined : inArray(servers.id, [...serverIds]);
  const onlyVersionsOf = serverIds === undefined ? undefined : inArray(serverVersions.serverId, [...serverIds]);
  return db.transaction(
    async (tx) => {
      // Each server's newest version: by first_seen_at, then id.
      const newestVersionIds = tx
        .selectDistinctOn([serverVersions.serverId], { id: serverVersions.id })
        .from(serverVersions)
        .where(onlyVersionsOf)
        .orderBy(serverVersions.serverId, desc(serverVersions.firstSeenAt), desc(serverVersions.id));
      const catalogueHashes = tx
        .select({ hash: tools.hash })
        .from(tools)
        .where(inArray(tools.serverVersionId, newestVersionIds));

      const serverRows = await tx
        .select()
        .from(servers)
        .where(onlyServers)
        .orderBy(sql`${servers.registry} collate "C"`, sql`${servers.identifier} collate "C"`);
      const versionRows = await tx.select().from(serverVersions).where(inArray(serverVersions.id, newestVersionIds));
      const attemptRows = await tx
        .selectDistinctOn([introspections.serverVersionId])
        .from(introspections)
        .where(inArray(introspections.serverVersionId, newestVersionIds))
        .orderBy(introspections.serverVersionId, desc(introspections.startedAt), desc(introspections.id));
      const toolRows = await tx
        .select()
        .from(tools)
        .where(inArray(tools.serverVersionId, newestVersionIds))
        .orderBy(tools.serverVersionId, sql`${tools.name} collate "C"`);
      const effectRows = await tx.select().from(toolCodeEffects).where(inArray(toolCodeEffects.serverVersionId, newestVersionIds));
      const classificationRows =
        classifierVersion === undefined
          ? await tx
              .selectDistinctOn([classifications.toolHash])
              .from(classifications)
              .where(inArray(classifications.toolHash, catalogueHashes))
              // Newest of any version; ties (one transaction) go to the greater version string.
              .orderBy(classifications.toolHash, desc(classifications.createdAt), desc(classifications.classifierVersion))
          : await tx
              .select()
              .from(classifications)
              .where(and(eq(classifications.classifierVersion, classifierVersion), inArray(classifications.toolHash, catalogueHashes)));

      const versionByServer = new Map<number, ServerVersionRecord>();
      for (const row of versionRows) versionByServer.set(row.serverId, toVersion(row));
      const attemptByVersion = new Map<number, IntrospectionRecord>();
      for (const row of attemptRows) attemptByVersion.set(row.serverVersionId, toIntrospection(row));
      const toolsByVersion = new Map<number, ToolRecord[]>();
      for (const row of toolRows) {
        const list = toolsByVersion.get(row.serverVersionId) ?? [];
        if (list.length === 0) toolsByVersion.set(row.serverVersionId, list);
        list.push(toTool(row));
      }
      const classificationByHash = new Map<string, ClassificationRecord>();
      for (const row of classificationRows) classificationByHash.set(row.toolHash, toClassification(row));

      const effectsByVersion = new Map<number, Map<string, ToolCodeEffects>>();
      for (const row of effectRows) {
        let named = effectsByVersion.get(row.serverVersionId);
        if (!named) effectsByVersion.set(row.serverVersionId, (named = new Map()));
        named.set(row.toolName, toCodeEffects(row));
      }

      return serverRows.map((row): CatalogueEntry => {
        const version = versionByServer.get(row.id) ?? null;
        return {
          server: toServer(row),
          version,
          introspection: version ? (attemptByVersion.get(version.id) ?? null) : null,
          tools: (version ? (toolsByVersion.get(version.id) ?? []) : []).map((tool) => ({
            tool,
            classification: classificationByHash.get(tool.hash) ?? null,
            codeEffects: effectsByVersion.get(tool.serverVersionId)?.get(tool.name) ?? null,
          })),
        };
      });
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/**
 * One row per server, in catalogue order (registry, then identifier, code point order, then id), with a stamp: the
 * MD5 (hex) of everything {@link readCatalogue} and the site read for it at `classifierVersion`: the server row, its
 * newest version row, the id of that version's newest attempt (attempts are never updated), its tools (name, hash)
 * with the time of their classification at `classifierVersion` (a classification written again gets a new
 * `created_at`) and of their code effects (written anew each time), and the count and greatest id of its listings and of its versions. Two
 * reads give the same stamp exactly when none of these changed (up to MD5 collisions); and how many listings it
 * has. One query; no tool definition leaves the database.
 */
export async function readCatalogueStamps<H extends PgQueryResultHKT>(
  db: PgDatabase<H>,
  classifierVersion: string,
): Promise<Array<{ id: number; registry: Registry; identifier: string; stamp: string; listings: number }>> {
  const result = await db.execute(sql`
    with nv as (
      select distinct on (server_id) id, server_id from server_versions order by server_id, first_seen_at desc, id desc
    ),
    attempt as (
      select distinct on (i.server_version_id) i.server_version_id, i.id from introspections i join nv on nv.id = i.server_version_id
      order by i.server_version_id, i.started_at desc, i.id desc
    ),
    listed as (
      select t.server_version_id, md5(string_agg(t.name || ':' || t.hash || ':' || coalesce(c.created_at::text, '') || ':' || coalesce(e.recorded_at::text, ''), ',' order by t.name collate "C", t.id)) as h
      from tools t join nv on nv.id = t.server_version_id
      left join classifications c on c.tool_hash = t.hash and c.classifier_version = ${classifierVersion}
      left join tool_code_effects e on e.server_version_id = t.server_version_id and e.tool_name = t.name
      group by t.server_version_id
    ),
    history as (select server_id, count(*) as n, max(id) as m from listings group by server_id),
    versions as (select server_id, count(*) as n, max(id) as m from server_versions group by server_id)
    select s.id, s.registry, s.identifier, md5(
      s::text || '|' || coalesce(v::text, '') || '|' || coalesce(attempt.id::text, '') || '|' || coalesce(listed.h, '')
      || '|' || coalesce(history.n::text || '/' || history.m::text, '') || '|' || coalesce(versions.n::text || '/' || versions.m::text, '')
    ) as stamp, coalesce(history.n, 0) as listings
    from servers s
    left join nv on nv.server_id = s.id
    left join server_versions v on v.id = nv.id
    left join attempt on attempt.server_version_id = nv.id
    left join listed on listed.server_version_id = nv.id
    left join history on history.server_id = s.id
    left join versions on versions.server_id = s.id
    order by s.registry collate "C", s.identifier collate "C", s.id`);
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Array<Record<string, unknown>>;
  return rows.map((r) => ({ id: Number(r.id), registry: String(r.registry) as Registry, identifier: String(r.identifier), stamp: String(r.stamp), listings: Number(r.listings) }));
}
