/**
 * Listings added when a store opens a database crawled before the change history (migration 0005), run on every
 * backend like `history.contract.ts`. The state before 0005 is made by deleting the history's rows with SQL.
 * @internal
 */
import { describe, expect, it } from 'vitest';
import { pinsOf } from '../changes/index.ts';
import { listingHash, toolHash, type HistoryListing, type Store, type StoredHistory } from '../records/index.ts';
import { failedAttempt, okAttempt, serverInput, tool } from './fixtures.ts';
import { scrub } from './scrub.ts';

export interface BackfillBackend {
  /** Opens a store on the backend's one database (migrations and backfill run here). */
  open(): Promise<Store>;
  /** Runs SQL on that database while no store has it open. */
  exec(sql: string): Promise<void>;
}

/** What a database crawled before 0005 holds after migrating: no listings, no definitions. */
const WITHOUT_HISTORY = 'delete from listing_tools; delete from listings; delete from tool_definitions;';

export function backfillContract(name: string, backend: () => Promise<BackfillBackend>): void {
  describe(`Store listing backfill: ${name}`, () => {
    const night = (n: number) => new Date(Date.UTC(2026, 0, n, 3));

    async function seed(db: BackfillBackend, work: (store: Store) => Promise<void>): Promise<void> {
      const store = await db.open();
      try {
        await work(store);
      } finally {
        await store.close();
      }
    }

    async function historyOf(db: BackfillBackend): Promise<{ history: StoredHistory }> {
      const store = await db.open();
      try {
        return { history: await store.history() };
      } finally {
        await store.close();
      }
    }

    const listingsOf = (listings: HistoryListing[], serverId: number) => listings.filter((l) => l.serverId === serverId);

    it('lists each version from its newest successful introspection, in time order, "same as" the one before, with pins', async () => {
      const db = await backend();
      // A definition holding U+0000: listed under the hash of what the server sent, stored scrubbed.
      const a = tool('read_note', 'Reads\u0000 a note.');
      const b = tool('write_note');
      const ids = { alpha: 0, beta: 0, v100: 0, v101: 0, v200: 0 };
      await seed(db, async (store) => {
        const alpha = await store.upsertServer(serverInput('alpha'));
        const v100 = await store.upsertServerVersion(alpha.id, '1.0.0');
        const v101 = await store.upsertServerVersion(alpha.id, '1.0.1');
        const v200 = await store.upsertServerVersion(alpha.id, '2.0.0');
        // 1.0.0 listed [b] first; its tools rows are from the newer success only.
        await store.recordIntrospection(v100.id, okAttempt([b], { startedAt: night(1) }));
        await store.recordIntrospection(v100.id, okAttempt([b, a], { startedAt: night(2), method: 'live-stdio-placeholders' }));
        await store.recordIntrospection(v100.id, failedAttempt({ startedAt: night(3) }));
        // Recorded before 1.0.1 but started after it: listed after it.
        await store.recordIntrospection(v200.id, okAttempt([a], { startedAt: night(6) }));
        await store.recordIntrospection(v101.id, okAttempt([a, b], { startedAt: night(4) }));
        const beta = await store.upsertServer(serverInput('beta'));
        const betaVersion = await store.upsertServerVersion(beta.id, '0.1.0');
        await store.recordIntrospection(betaVersion.id, failedAttempt({ startedAt: night(1) }));
        await store.recordIntrospection(betaVersion.id, okAttempt([], { startedAt: night(2), method: 'remote-http' }));
        const gamma = await store.upsertServer(serverInput('gamma'));
        await store.recordIntrospection((await store.upsertServerVersion(gamma.id, '1.0.0')).id, failedAttempt({ startedAt: night(1) }));
        Object.assign(ids, { alpha: alpha.id, beta: beta.id, v100: v100.id, v101: v101.id, v200: v200.id });
      });
      await db.exec(WITHOUT_HISTORY);

      const { history } = await historyOf(db);
      const alpha = listingsOf(history.listings, ids.alpha);
      const pair = [{ name: 'read_note', hash: toolHash(a) }, { name: 'write_note', hash: toolHash(b) }];
      expect(alpha.map((l) => [l.version, l.listedAt, l.method])).toEqual([
        ['1.0.0', night(2), 'live-stdio-placeholders'], ['1.0.1', night(4), 'live-stdio'], ['2.0.0', night(6), 'live-stdio'],
      ]);
      expect(alpha[0]).toMatchObject({ serverVersionId: ids.v100, sameAsId: null, listHash: listingHash(pair), tools: pair });
      expect(alpha[1]).toMatchObject({ serverVersionId: ids.v101, sameAsId: alpha[0]!.id, listHash: listingHash(pair), tools: pair });
      expect(alpha[2]).toMatchObject({ serverVersionId: ids.v200, sameAsId: null, tools: [{ name: 'read_note', hash: toolHash(a) }] });
      expect(history.definitions.get(toolHash(a))).toEqual(scrub(a));
      expect(history.definitions.get(toolHash(a))!.description).toBe('Reads\uFFFD a note.');
      expect(history.definitions.get(toolHash(b))).toEqual(b);
      expect(history.definitions.size).toBe(2);

      const beta = listingsOf(history.listings, ids.beta);
      expect(beta.map((l) => [l.version, l.listedAt, l.method, l.tools])).toEqual([['0.1.0', night(2), 'remote-http', []]]);
      expect(history.listings).toHaveLength(4);

      expect(pinsOf({ registry: 'npm', identifier: 'alpha' }, alpha)).toEqual({
        registry: 'npm', identifier: 'alpha', latest: '2.0.0',
        versions: {
          '1.0.0': { read_note: toolHash(a), write_note: toolHash(b) },
          '1.0.1': { read_note: toolHash(a), write_note: toolHash(b) },
          '2.0.0': { read_note: toolHash(a) },
        },
      });

      // Idempotent: opening again adds nothing and changes nothing.
      const again = await historyOf(db);
      expect(again.history.listings).toEqual(history.listings);
      expect(again.history.definitions).toEqual(history.definitions);
    });

    it('adds what is missing beside listings recorded after 0005, each compared with the listing before it in time', async () => {
      const db = await backend();
      const ids = { server: 0, v1: 0, v2: 0, v3: 0 };
      await seed(db, async (store) => {
        const server = await store.upsertServer(serverInput('mixed'));
        const v1 = await store.upsertServerVersion(server.id, '1.0.0');
        const v2 = await store.upsertServerVersion(server.id, '1.1.0');
        const v3 = await store.upsertServerVersion(server.id, '2.0.0');
        await store.recordIntrospection(v1.id, okAttempt([tool('a')], { startedAt: night(1) }));
        await store.recordIntrospection(v2.id, okAttempt([tool('a')], { startedAt: night(2) }));
        await store.recordIntrospection(v3.id, okAttempt([tool('a'), tool('b')], { startedAt: night(3) }));
        Object.assign(ids, { server: server.id, v1: v1.id, v2: v2.id, v3: v3.id });
      });
      // 1.1.0's listing ("same as" 1.0.0's) is missing; 2.0.0, listed after it, is not the one to compare with.
      await db.exec(`delete from listings where server_version_id = ${ids.v2};`);

      const { history } = await historyOf(db);
      const listings = listingsOf(history.listings, ids.server);
      expect(listings.map((l) => [l.version, l.listedAt])).toEqual([['1.0.0', night(1)], ['1.1.0', night(2)], ['2.0.0', night(3)]]);
      expect(listings.map((l) => l.sameAsId)).toEqual([null, listings[0]!.id, null]);
      expect(listings.map((l) => l.tools.map((t) => t.name))).toEqual([['a'], ['a'], ['a', 'b']]);

      const again = await historyOf(db);
      expect(again.history.listings).toEqual(history.listings);
    });
  });
}
