/**
 * `Store.catalogue()`: six queries in one read-only snapshot, grouped in memory (no query per server or tool).
 * Text is ordered with `COLLATE "C"` (code point order), the same on PGlite and PostgreSQL whatever their locale.
 * @internal
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { toClassification, toIntrospection, toServer, toTool, toVersion } from './records.ts';
import { toCodeEffects } from './code-effects.ts';
import { classifications, introspections, serverVersions, servers, toolCodeEffects, tools } from './schema.ts';
import type { CatalogueEntry, ClassificationRecord, IntrospectionRecord, ServerVersionRecord, ToolCodeEffects, ToolRecord } from '../records/index.ts';

export async function readCatalogue<H extends PgQueryResultHKT>(
  db: PgDatabase<H>,
  classifierVersion: string | undefined,
): Promise<CatalogueEntry[]> {
  return db.transaction(
    async (tx) => {
      // Each server's newest version: by first_seen_at, then id.
      const newestVersionIds = tx
        .selectDistinctOn([serverVersions.serverId], { id: serverVersions.id })
        .from(serverVersions)
        .orderBy(serverVersions.serverId, desc(serverVersions.firstSeenAt), desc(serverVersions.id));
      const catalogueHashes = tx
        .select({ hash: tools.hash })
        .from(tools)
        .where(inArray(tools.serverVersionId, newestVersionIds));

      const serverRows = await tx
        .select()
        .from(servers)
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
