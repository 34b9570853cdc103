/**
 * `Store.importServer()`: one `servers.jsonl` line (site/export.ts) written in one transaction through the crawl's
 * own write paths, so hashes, scrubbing and listings are the same as a crawl's.
 * @internal
 */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { toolHash, type Introspection, type NamedCodeEffects, type ServerImport } from '../records/index.ts';
import { recordCodeEffects } from './code-effects.ts';
import { recordIntrospection } from './record-introspection.ts';
import { saveClassificationRow, upsertServerRow, upsertVersionRow } from './upsert.ts';

/** An attempt's timings when the line does not carry them (it never does). */
const NO_TIMINGS = { resolveMs: 0, installMs: 0, initializeMs: 0, listMs: 0, totalMs: 0 };

export async function importServerLine<H extends PgQueryResultHKT>(db: PgDatabase<H>, line: ServerImport): Promise<{ tools: number }> {
  return db.transaction(async (tx) => {
    const server = await upsertServerRow(tx, line.server);
    if (line.version === null || line.introspection === null) {
      if (line.version !== null) await upsertVersionRow(tx, server.id, line.version, null);
      return { tools: 0 };
    }
    const version = await upsertVersionRow(tx, server.id, line.version, null);
    const i = line.introspection;
    const definitions = line.tools.map((t) => t.definition);
    const attempt: Introspection = {
      outcome: i.outcome, failureReason: i.failureReason, failureMessage: i.failureMessage, stderrTail: '', method: i.method, startedAt: i.startedAt,
      timings: NO_TIMINGS, serverInfo: null, protocolVersion: null, capabilities: null, instructions: null,
      tools: i.outcome === 'ok' ? definitions : [],
      prompts: i.prompts, resources: i.resources, resourceTemplates: i.resourceTemplates, listFailures: i.listFailures,
    };
    // `retried`: an equal attempt already stored (an earlier import of the same line) is returned, not added again.
    if (i.outcome === 'failed' && definitions.length > 0) {
      const listed: Introspection = {
        ...attempt, outcome: 'ok', failureReason: null, failureMessage: null, startedAt: new Date(i.startedAt.getTime() - 1),
        tools: definitions, prompts: null, resources: null, resourceTemplates: null, listFailures: [],
      };
      await recordIntrospection(tx, version.id, listed, null, true);
    }
    await recordIntrospection(tx, version.id, attempt, null, true);
    // Classifications and code effects by the first tool of each name, as the tools themselves are stored.
    const seen = new Set<string>();
    const effects: NamedCodeEffects[] = [];
    for (const { definition, classification, codeEffects } of line.tools) {
      if (seen.has(definition.name)) continue;
      seen.add(definition.name);
      if (classification) await saveClassificationRow(tx, toolHash(definition), { ...classification, name: definition.name });
      if (codeEffects) effects.push({ name: definition.name, effects: codeEffects });
    }
    if (effects.length > 0) await recordCodeEffects(tx, version.id, effects);
    return { tools: seen.size };
  });
}
