/**
 * `Store.recordCodeEffects()` and `Store.versionsNeedingCodeEffects()`: what tools' handlers do, per (server
 * version, tool name).
 * @internal
 */
import { and, eq, notExists, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { NamedCodeEffects, Registry, ToolCodeEffects, VersionNeedingCodeEffects } from '../records/index.ts';
import { StoreError } from './errors.ts';
import { serverVersions, servers, toolCodeEffects, tools } from './schema.ts';
import { scrub } from './scrub.ts';

/** Rows per multi-row INSERT. */
const INSERT_CHUNK_ROWS = 500;

type CodeEffectsRow = typeof toolCodeEffects.$inferSelect;

/** A stored row as the record the classifier and the site read. */
export function toCodeEffects(row: Pick<CodeEffectsRow, 'handlerFound' | 'handlerFile' | 'handlerLine' | 'effects' | 'truncated'>): ToolCodeEffects {
  return {
    handlerFound: row.handlerFound,
    ...(row.handlerFile !== null && row.handlerLine !== null ? { handler: { file: row.handlerFile, line: row.handlerLine } } : {}),
    effects: row.effects,
    ...(row.truncated ? { truncated: true } : {}),
  };
}

export async function recordCodeEffects<H extends PgQueryResultHKT>(db: PgDatabase<H>, serverVersionId: number, named: readonly NamedCodeEffects[]): Promise<void> {
  // Names are stored scrubbed, as tool rows are (scrub.ts), so the two join; the last of duplicate names wins.
  const byName = new Map<string, ToolCodeEffects>();
  for (const { name, effects } of named) byName.set(scrub(name), effects);
  const rows = [...byName].map(([toolName, e]) => scrub({
    serverVersionId,
    toolName,
    handlerFound: e.handlerFound,
    handlerFile: e.handler?.file ?? null,
    handlerLine: e.handler ? Math.max(0, Math.min(2_147_483_647, Math.trunc(e.handler.line))) : null,
    effects: e.effects,
    truncated: e.truncated === true,
  }));
  await db.transaction(async (tx) => {
    const [version] = await tx.select({ id: serverVersions.id }).from(serverVersions).where(eq(serverVersions.id, serverVersionId)).for('update');
    if (!version) throw new StoreError('DB_NOT_FOUND', `recordCodeEffects(${serverVersionId}): no server version with id ${serverVersionId}; create it with upsertServerVersion()`);
    await tx.delete(toolCodeEffects).where(eq(toolCodeEffects.serverVersionId, serverVersionId));
    for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) await tx.insert(toolCodeEffects).values(rows.slice(start, start + INSERT_CHUNK_ROWS));
  });
}

export async function readVersionsNeedingCodeEffects<H extends PgQueryResultHKT>(db: PgDatabase<H>, registry: Registry): Promise<VersionNeedingCodeEffects[]> {
  const analysed = db.select({ one: sql`1` }).from(toolCodeEffects).where(eq(toolCodeEffects.serverVersionId, tools.serverVersionId));
  const rows = await db
    .select({ serverVersionId: tools.serverVersionId, registry: servers.registry, identifier: servers.identifier, version: serverVersions.version, name: tools.name })
    .from(tools)
    .innerJoin(serverVersions, eq(serverVersions.id, tools.serverVersionId))
    .innerJoin(servers, eq(servers.id, serverVersions.serverId))
    .where(and(eq(servers.registry, registry), notExists(analysed)))
    .orderBy(tools.serverVersionId, sql`${tools.name} collate "C"`);
  const out: VersionNeedingCodeEffects[] = [];
  for (const row of rows) {
    const last = out[out.length - 1];
    if (last?.serverVersionId === row.serverVersionId) last.toolNames.push(row.name);
    else out.push({ serverVersionId: row.serverVersionId, registry: row.registry, identifier: row.identifier, version: row.version, toolNames: [row.name] });
  }
  return out;
}
