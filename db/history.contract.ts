/**
 * The change history's part of the store contract (issue 15), run on every backend like `store.contract.ts`.
 * @internal
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listingHash, toolHash, type Store } from '../records/index.ts';
import { classification, failedAttempt, okAttempt, serverInput, tool } from './fixtures.ts';

export function historyContract(name: string, open: () => Promise<Store>): void {
  describe(`Store history contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const night = (n: number) => new Date(Date.UTC(2026, 0, n, 3));

    async function versionOf(identifier: string, v: string): Promise<{ serverId: number; versionId: number }> {
      const server = await store.upsertServer(serverInput(identifier));
      return { serverId: server.id, versionId: (await store.upsertServerVersion(server.id, v)).id };
    }

    it('stores a listing per successful introspection, at its start time, with each tool by canonical hash', async () => {
      const { serverId, versionId } = await versionOf('history', '1.0.0');
      const read = tool('read_note');
      const write = tool('write_note');
      await store.recordIntrospection(versionId, okAttempt([write, read], { startedAt: night(1) }));
      await store.recordIntrospection(versionId, failedAttempt({ startedAt: night(2) }));
      const { listings, definitions } = await store.history();
      expect(listings).toHaveLength(1);
      expect(listings[0]).toMatchObject({
        serverId, serverVersionId: versionId, version: '1.0.0', listedAt: night(1), method: 'live-stdio', sameAsId: null,
        listHash: listingHash([{ name: 'read_note', hash: toolHash(read) }, { name: 'write_note', hash: toolHash(write) }]),
        tools: [{ name: 'read_note', hash: toolHash(read) }, { name: 'write_note', hash: toolHash(write) }],
      });
      expect(definitions.get(toolHash(read))).toEqual(read);
    });

    it('stores an unchanged listing as "same as" the listing holding the definitions, across versions too', async () => {
      const first = await versionOf('unchanged', '1.0.0');
      await store.recordIntrospection(first.versionId, okAttempt([tool('a')], { startedAt: night(1) }));
      await store.recordIntrospection(first.versionId, okAttempt([tool('a')], { startedAt: night(2) }));
      const second = await versionOf('unchanged', '1.0.1');
      await store.recordIntrospection(second.versionId, okAttempt([tool('a')], { startedAt: night(3) }));
      const { listings } = await store.history();
      expect(listings.map((l) => l.sameAsId)).toEqual([null, listings[0]!.id, listings[0]!.id]);
      expect(listings.map((l) => l.version)).toEqual(['1.0.0', '1.0.0', '1.0.1']);
      expect(listings.every((l) => l.tools.length === 1 && l.tools[0]!.name === 'a')).toBe(true);
    });

    it('stores a changed listing with its own rows, definitions shared by hash, and narrows to one server', async () => {
      const { serverId, versionId } = await versionOf('changed', '1.0.0');
      const other = await versionOf('other', '1.0.0');
      await store.recordIntrospection(versionId, okAttempt([tool('a')], { startedAt: night(1) }));
      await store.recordIntrospection(versionId, okAttempt([tool('a'), tool('b', 'Deletes b.')], { startedAt: night(2) }));
      await store.recordIntrospection(other.versionId, okAttempt([tool('a')], { startedAt: night(1) }));
      const all = await store.history();
      expect(all.listings).toHaveLength(3);
      expect(all.definitions.size).toBe(2);
      const one = await store.history({ serverId });
      expect(one.listings.map((l) => [l.sameAsId, l.tools.map((t) => t.name)])).toEqual([[null, ['a']], [null, ['a', 'b']]]);
    });

    it('orders listings by listedAt, whatever order they were recorded in, and reads classifications by hash', async () => {
      const { versionId } = await versionOf('ordered', '1.0.0');
      await store.recordIntrospection(versionId, okAttempt([tool('late')], { startedAt: night(5) }));
      await store.recordIntrospection(versionId, okAttempt([tool('early')], { startedAt: night(4) }));
      await store.saveClassification(toolHash(tool('late')), classification('late', 'h1', { category: 'Destructive', risk: 'Critical' }));
      const { listings, classifications } = await store.history();
      expect(listings.map((l) => l.tools[0]!.name)).toEqual(['early', 'late']);
      expect(classifications.get(toolHash(tool('late')))).toMatchObject({ category: 'Destructive', risk: 'Critical', classifierVersion: 'h1' });
      expect((await store.history({ classifierVersion: 'h2' })).classifications.size).toBe(0);
    });

    it('keeps a hostile tool name as data', async () => {
      const { versionId } = await versionOf('hostile', '1.0.0');
      await store.recordIntrospection(versionId, okAttempt([tool('__proto__'), tool('constructor')], { startedAt: night(1) }));
      const { listings } = await store.history();
      expect(listings[0]!.tools.map((t) => t.name)).toEqual(['__proto__', 'constructor']);
    });
  });
}
