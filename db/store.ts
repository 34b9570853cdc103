/**
 * The store, written once over drizzle's pg-core query API; `pglite.ts` and `postgres.ts` only open a connection,
 * migrate it and hand it here.
 * @internal
 */
import { and, eq, isNull, not, notExists, or, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Classification, CrawlRunRecord, ServerInput, Store } from '../records/index.ts';
import { readCatalogue, readCatalogueStamps } from './catalogue.ts';
import { readVersionsNeedingCodeEffects, recordCodeEffects, toCodeEffects } from './code-effects.ts';
import { readCrawlState } from './crawl-state.ts';
import { readDiscoveryFindings, readDiscoveryState, writeDiscoveryFindings, writeDiscoveryState } from './discovery.ts';
import { StoreError } from './errors.ts';
import { readHistory } from './history.ts';
import { required } from './pg-error.ts';
import { importServerLine } from './import.ts';
import { recordIntrospection } from './record-introspection.ts';
import type { Retryable, RetryRunner } from './reconnect.ts';
import { classifications, crawlRuns, introspections, serverVersions, servers, toolCodeEffects, tools } from './schema.ts';
import { scrub } from './scrub.ts';
import { saveClassificationRow, upsertServerRow, upsertVersionRow } from './upsert.ts';
import type { Runner } from './serial.ts';

export interface StoreConnection<H extends PgQueryResultHKT> {
  db: PgDatabase<H>;
  /** Runs each store operation: one at a time on PGlite, at once on a `pg` pool. */
  run: Runner;
  /** Releases the connection; called once, after every running operation settled. */
  close: () => Promise<void>;
  /**
   * Runs each operation again while its connection is lost (PostgreSQL, `reconnect.ts`); none: each runs once.
   * Every operation is one statement or one transaction, so a lost connection leaves nothing of it behind; the ones
   * that insert a row look for the row of their earlier try first, in case only the acknowledgement of its commit
   * was lost.
   */
  retry?: RetryRunner;
}

export function createStore<H extends PgQueryResultHKT>({ db, run, close, retry }: StoreConnection<H>): Store {
  let closing: Promise<void> | undefined;
  const pending = new Set<Promise<unknown>>();

  /** Runs one operation unless the store is closed, and tracks it so `close()` can wait for it. */
  function op<T>(name: string, operation: Retryable<T>): Promise<T> {
    if (closing) return Promise.reject(new StoreError('DB_CLOSED', `store.${name}(): the store is closed; open a new one with openStore()`));
    const result = run(() => (retry ? retry(name, operation) : operation(false)));
    pending.add(result);
    void result.finally(() => pending.delete(result)).catch(() => undefined);
    return result;
  }

  return {
    upsertServer: (input: ServerInput) => op('upsertServer', () => upsertServerRow(db, input)),

    upsertServerVersion: (serverId, version, publishedAt = null) =>
      op('upsertServerVersion', () => upsertVersionRow(db, serverId, version, publishedAt)),

    recordIntrospection: (serverVersionId, introspection, crawlRunId = null) =>
      op('recordIntrospection', (retried) => recordIntrospection(db, serverVersionId, introspection, crawlRunId, retried)),

    saveClassification: (hash: string, classification: Classification) =>
      op('saveClassification', () => saveClassificationRow(db, hash, classification)),

    importServer: (line) => op('importServer', () => importServerLine(db, line)),

    toolsNeedingClassification: (classifierVersion) =>
      op('toolsNeedingClassification', async () => {
        const classified = db
          .select({ one: sql`1` })
          .from(classifications)
          .where(and(eq(classifications.toolHash, tools.hash), eq(classifications.classifierVersion, classifierVersion)));
        // How the tool row was listed: the method of its version's newest successful introspection.
        const listedBy = sql<string | null>`(select ${introspections.method} from ${introspections} where ${introspections.serverVersionId} = ${tools.serverVersionId} and ${introspections.outcome} = 'ok' order by ${introspections.startedAt} desc, ${introspections.id} desc limit 1)`;
        // One row per hash; the server context comes from the oldest stored tool row with that hash, a live listing first.
        const rows = await db
          .selectDistinctOn([tools.hash], {
            hash: tools.hash,
            definition: tools.definition,
            serverName: servers.displayName,
            serverDescription: servers.description,
            method: listedBy,
            handlerFound: toolCodeEffects.handlerFound,
            handlerFile: toolCodeEffects.handlerFile,
            handlerLine: toolCodeEffects.handlerLine,
            effects: toolCodeEffects.effects,
            truncated: toolCodeEffects.truncated,
          })
          .from(tools)
          .innerJoin(serverVersions, eq(serverVersions.id, tools.serverVersionId))
          .innerJoin(servers, eq(servers.id, serverVersions.serverId))
          // What that same row's handler does, when its package's source was read.
          .leftJoin(toolCodeEffects, and(eq(toolCodeEffects.serverVersionId, tools.serverVersionId), eq(toolCodeEffects.toolName, tools.name)))
          .where(notExists(classified))
          .orderBy(tools.hash, sql`coalesce(${listedBy}, '') = 'static'`, tools.id);
        return rows.map((row) => ({
          hash: row.hash,
          definition: row.definition,
          server: {
            name: row.serverName,
            ...(row.serverDescription === null ? {} : { description: row.serverDescription }),
            ...(row.method === null ? {} : { introspectionMethod: row.method }),
            ...(row.handlerFound === null || row.effects === null ? {} : {
              codeEffects: toCodeEffects({ handlerFound: row.handlerFound, handlerFile: row.handlerFile, handlerLine: row.handlerLine, effects: row.effects, truncated: row.truncated ?? false }),
            }),
          },
        }));
      }),

    recordCodeEffects: (serverVersionId, named) => op('recordCodeEffects', () => recordCodeEffects(db, serverVersionId, named)),
    versionsNeedingCodeEffects: (registry) => op('versionsNeedingCodeEffects', () => readVersionsNeedingCodeEffects(db, registry)),

    startCrawlRun: () => {
      // The start time is chosen here, not by the database, so that a retry can find the row of a try whose commit
      // went through unacknowledged (an unfinished run started at that very microsecond) instead of adding a second.
      const startedAt = new Date();
      return op('startCrawlRun', async (retried) => {
        if (retried) {
          const [earlier] = await db.select().from(crawlRuns).where(and(eq(crawlRuns.startedAt, startedAt), isNull(crawlRuns.finishedAt))).limit(1);
          if (earlier) return earlier satisfies CrawlRunRecord;
        }
        const [row] = await db.insert(crawlRuns).values({ startedAt }).returning();
        return required(row) satisfies CrawlRunRecord;
      });
    },

    finishCrawlRun: (id, summary) =>
      op('finishCrawlRun', async () => {
        const [row] = await db
          .update(crawlRuns)
          .set({ finishedAt: sql`now()`, summary: scrub(summary) })
          .where(eq(crawlRuns.id, id))
          .returning();
        if (!row) throw new StoreError('DB_NOT_FOUND', `finishCrawlRun(${id}): no crawl run with id ${id}; start one with startCrawlRun()`);
        return row satisfies CrawlRunRecord;
      }),

    catalogue: (classifierVersion, options) => op('catalogue', () => readCatalogue(db, classifierVersion, options?.serverIds)),
    catalogueStamps: (classifierVersion) => op('catalogueStamps', () => readCatalogueStamps(db, classifierVersion)),

    serverVersions: () =>
      op('serverVersions', () => db.select().from(serverVersions).orderBy(serverVersions.serverId, serverVersions.firstSeenAt, serverVersions.id)),

    attemptedVersions: (options) =>
      op('attemptedVersions', async () => {
        const rows = await db
          .selectDistinct({ registry: servers.registry, identifier: servers.identifier, version: serverVersions.version })
          .from(serverVersions)
          .innerJoin(servers, eq(servers.id, serverVersions.serverId))
          .innerJoin(introspections, eq(introspections.serverVersionId, serverVersions.id))
          .where(and(
            options?.crawlRunId === undefined ? undefined : eq(introspections.crawlRunId, options.crawlRunId),
            options?.settled ? or(eq(introspections.outcome, 'ok'), not(eq(introspections.transient, true))) : undefined,
          ));
        return rows.map((r) => `${r.registry}:${r.identifier}@${r.version}`).sort();
      }),

    crawlState: () => op('crawlState', () => readCrawlState(db)),

    discoveryState: (source) => op('discoveryState', () => readDiscoveryState(db, source)),
    saveDiscoveryState: (source, values) => op('saveDiscoveryState', () => writeDiscoveryState(db, source, values)),
    discoveryFindings: (source) => op('discoveryFindings', () => readDiscoveryFindings(db, source)),
    saveDiscoveryFindings: (source, findings) => op('saveDiscoveryFindings', () => writeDiscoveryFindings(db, source, findings)),

    history: (options) => op('history', () => readHistory(db, options)),

    close: () => {
      closing ??= Promise.allSettled([...pending]).then(close);
      return closing;
    },
  };
}
