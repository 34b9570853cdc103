/**
 * The store's contract, written once and run against every backend (`store.pglite.test.ts`, `store.pg.test.ts`).
 * `open` must return a store over an empty, migrated database each time it is called.
 * @internal
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CRAWLER_VERSION, toolHash, type Store, type ToolDefinition } from '../records/index.ts';
import { candidate, classification, failedAttempt, okAttempt, serverInput, tool } from './fixtures.ts';

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    /** A server with one version; returns the version id. */
    async function version(identifier: string, v = '1.0.0'): Promise<number> {
      const server = await store.upsertServer(serverInput(identifier));
      return (await store.upsertServerVersion(server.id, v)).id;
    }

    async function entry(identifier: string, classifierVersion?: string) {
      const found = (await store.catalogue(classifierVersion)).find((e) => e.server.identifier === identifier);
      if (!found) throw new Error(`${identifier} is not in the catalogue`);
      return found;
    }

    describe('servers', () => {
      it('creates a server and updates it by identity (registry, identifier)', async () => {
        const created = await store.upsertServer(serverInput('@acme/files'));
        expect(created).toMatchObject({ registry: 'npm', identifier: '@acme/files', displayName: '@acme/files' });
        expect(created.createdAt).toBeInstanceOf(Date);
        expect(created.updatedAt).toBeInstanceOf(Date);

        const updated = await store.upsertServer(
          serverInput('@acme/files', { displayName: 'Acme Files', description: null, repositoryUrl: 'https://github.com/acme/files' }),
        );
        expect(updated).toMatchObject({ id: created.id, displayName: 'Acme Files', description: null, repositoryUrl: 'https://github.com/acme/files' });
        expect(updated.createdAt).toEqual(created.createdAt);
        expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

        const otherRegistry = await store.upsertServer(serverInput('@acme/files', { registry: 'pypi' }));
        expect(otherRegistry.id).not.toBe(created.id);
        expect(await store.catalogue()).toHaveLength(2);
      });

      it('keeps updatedAt when an upsert changes nothing', async () => {
        const created = await store.upsertServer(serverInput('same'));
        const again = await store.upsertServer(serverInput('same'));
        expect(again.updatedAt).toEqual(created.updatedAt);
      });
    });

    describe('catalogue by batch, and stamps', () => {
      it('reads only the servers asked for, and none for an empty list', async () => {
        const a = await version('batch-a');
        await version('batch-b');
        await store.recordIntrospection(a, okAttempt([tool('one'), tool('two')]));
        const all = await store.catalogue();
        const wanted = all.find((e) => e.server.identifier === 'batch-a')!.server.id;
        const part = await store.catalogue(undefined, { serverIds: [wanted] });
        expect(part.map((e) => [e.server.identifier, e.tools.map((t) => t.tool.name)])).toEqual([['batch-a', ['one', 'two']]]);
        expect(await store.catalogue(undefined, { serverIds: [] })).toEqual([]);
        expect((await store.history({ serverIds: [wanted] })).listings.map((l) => l.serverId)).toEqual([wanted]);
        expect((await store.history({ serverIds: [] })).listings).toEqual([]);
      });

      it('gives each server a stamp that moves with its own records only', async () => {
        const a = await version('stamp-a');
        const b = await version('stamp-b');
        await store.recordIntrospection(a, okAttempt([tool('read_a')]));
        await store.recordIntrospection(b, okAttempt([tool('read_b')]));
        const first = await store.catalogueStamps('v-test');
        expect(first.map((s) => [s.identifier, s.listings])).toEqual([['stamp-a', 1], ['stamp-b', 1]]);
        expect(await store.catalogueStamps('v-test')).toEqual(first);

        // A classification of a's tool at this version moves a's stamp, not b's; at another version, neither.
        await store.saveClassification(toolHash(tool('read_a')), classification('read_a', 'v-other'));
        expect(await store.catalogueStamps('v-test')).toEqual(first);
        await store.saveClassification(toolHash(tool('read_a')), classification('read_a', 'v-test'));
        const second = await store.catalogueStamps('v-test');
        expect(second[0]!.stamp).not.toBe(first[0]!.stamp);
        expect(second[1]).toEqual(first[1]);

        // A new attempt of b with a changed tool moves b's.
        await store.recordIntrospection(b, okAttempt([tool('read_b', 'Reads b, now paged.')], { startedAt: new Date(Date.now() + 1000) }));
        const third = await store.catalogueStamps('v-test');
        expect(third[0]).toEqual(second[0]);
        expect(third[1]!.stamp).not.toBe(second[1]!.stamp);
        expect(third[1]!.listings).toBe(2);
      });
    });

    describe('server versions', () => {
      it('creates a version once per (server, version) and returns it either way', async () => {
        const server = await store.upsertServer(serverInput('versions'));
        const published = new Date('2025-05-01T12:00:00.000Z');
        const first = await store.upsertServerVersion(server.id, '1.0.0', published);
        expect(first).toMatchObject({ serverId: server.id, version: '1.0.0', publishedAt: published });
        expect(first.firstSeenAt).toBeInstanceOf(Date);

        const again = await store.upsertServerVersion(server.id, '1.0.0');
        expect(again).toEqual(first);
        const second = await store.upsertServerVersion(server.id, '1.1.0');
        expect(second.id).not.toBe(first.id);
        expect(second.publishedAt).toBeNull();
      });

      it('fills a publication time learnt later, never overwrites a known one', async () => {
        const server = await store.upsertServer(serverInput('published'));
        await store.upsertServerVersion(server.id, '1.0.0');
        const filled = await store.upsertServerVersion(server.id, '1.0.0', new Date('2025-01-01T00:00:00Z'));
        expect(filled.publishedAt).toEqual(new Date('2025-01-01T00:00:00Z'));
        const kept = await store.upsertServerVersion(server.id, '1.0.0', new Date('2026-01-01T00:00:00Z'));
        expect(kept.publishedAt).toEqual(new Date('2025-01-01T00:00:00Z'));
      });

      it('lists every version of every server by server, oldest first (serverVersions)', async () => {
        const a = await store.upsertServer(serverInput('b-second'));
        const b = await store.upsertServer(serverInput('a-first'));
        const a1 = await store.upsertServerVersion(a.id, '2.0.0');
        const b1 = await store.upsertServerVersion(b.id, '1.0.0', new Date('2025-02-01T00:00:00Z'));
        const a2 = await store.upsertServerVersion(a.id, '1.0.0');
        const listed = await store.serverVersions();
        expect(listed.map((v) => [v.serverId, v.version])).toEqual([[a.id, '2.0.0'], [a.id, '1.0.0'], [b.id, '1.0.0']]);
        expect(listed).toEqual([a1, a2, b1]);
      });

      it('rejects a version of an unknown server with DB_NOT_FOUND', async () => {
        await expect(store.upsertServerVersion(999_999, '1.0.0')).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
      });
    });

    describe('introspections', () => {
      it('stores the tools of an ok attempt with their canonical hashes', async () => {
        const versionId = await version('ok');
        const listed = [tool('read_file'), tool('write_file', 'Writes a file.', { annotations: { destructiveHint: false } })];
        const record = await store.recordIntrospection(versionId, okAttempt(listed));
        expect(record).toMatchObject({
          serverVersionId: versionId,
          crawlRunId: null,
          outcome: 'ok',
          toolCount: 2,
          method: 'live-stdio',
          serverInfo: { name: 'example', version: '1.0.0' },
          protocolVersion: '2025-06-18',
          capabilities: { tools: { listChanged: true } },
          timings: { totalMs: 515 },
        });
        expect(record.startedAt).toEqual(new Date('2025-06-01T00:00:00.000Z'));

        const { tools, introspection } = await entry('ok');
        expect(introspection).toEqual(record);
        expect(tools.map((t) => t.tool)).toEqual([
          { id: expect.any(Number), serverVersionId: versionId, name: 'read_file', hash: toolHash(listed[0]!), definition: listed[0] },
          { id: expect.any(Number), serverVersionId: versionId, name: 'write_file', hash: toolHash(listed[1]!), definition: listed[1] },
        ]);
        expect(tools[0]!.tool.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
      });

      it('keeps the previous tools after a failed attempt and records why it failed', async () => {
        const versionId = await version('flaky');
        await store.recordIntrospection(versionId, okAttempt([tool('search')]));
        const failed = await store.recordIntrospection(versionId, failedAttempt());
        expect(failed).toMatchObject({
          outcome: 'failed',
          failureReason: 'needs_configuration',
          failureMessage: 'exited with code 1 before initialize: API_KEY is not set',
          stderrTail: 'Error: API_KEY is not set\n    at main (index.js:3:9)\n',
          toolCount: 0,
          serverInfo: null,
          capabilities: null,
        });

        const { introspection, tools } = await entry('flaky');
        expect(introspection).toEqual(failed);
        expect(tools.map((t) => t.tool.name)).toEqual(['search']);
      });

      it('stores the prompts, resources, resource templates and optional-list failures of an attempt', async () => {
        const versionId = await version('offerings');
        const prompts = [{ name: 'summarise', description: 'Sum <b>up</b>', arguments: [{ name: 'folder', required: true }] }, { name: 'nul\u0000prompt' }];
        const resources = [{ uri: 'http://169.254.169.254/latest', name: 'Never opened', mimeType: 'text/plain', size: 12 }];
        const resourceTemplates = [{ uriTemplate: 'notes://{id}', name: 'Note', title: '東京 🚀' }];
        const listFailures = [{ method: 'resources/templates/list' as const, message: 'MCP error -32603: template index is corrupt' }];
        const record = await store.recordIntrospection(versionId, okAttempt([tool('t')], { prompts, resources, resourceTemplates, listFailures }));
        expect(record).toMatchObject({ prompts: [prompts[0], { name: 'nul\uFFFDprompt' }], resources, resourceTemplates, listFailures });
        expect((await entry('offerings')).introspection).toEqual(record);

        const failed = await store.recordIntrospection(versionId, failedAttempt({ startedAt: new Date('2025-06-05T00:00:00Z') }));
        expect(failed).toMatchObject({ prompts: null, resources: null, resourceTemplates: null, listFailures: [] });
        expect((await entry('offerings')).introspection).toEqual(failed);
      });

      it('stores null lists for an attempt that did not list them', async () => {
        const record = await store.recordIntrospection(await version('tools-only'), okAttempt([tool('t')], { prompts: null }));
        expect(record).toMatchObject({ prompts: null, resources: null, resourceTemplates: null, listFailures: [] });
      });

      it('replaces the tools when an ok attempt is recorded again', async () => {
        const versionId = await version('changing');
        await store.recordIntrospection(versionId, okAttempt([tool('a'), tool('b')]));
        const changed = tool('b', 'Now does something else.');
        await store.recordIntrospection(versionId, okAttempt([changed, tool('c')], { startedAt: new Date('2025-06-03T00:00:00Z') }));
        const { tools } = await entry('changing');
        expect(tools.map((t) => [t.tool.name, t.tool.hash])).toEqual([
          ['b', toolHash(changed)],
          ['c', toolHash(tool('c'))],
        ]);
      });

      it('keeps the first definition when a server lists one name twice', async () => {
        const versionId = await version('dupes');
        const record = await store.recordIntrospection(versionId, okAttempt([tool('x', 'first'), tool('x', 'second')]));
        expect(record.toolCount).toBe(1);
        const { tools } = await entry('dupes');
        expect(tools.map((t) => t.tool.definition.description)).toEqual(['first']);
      });

      it('rejects an attempt on an unknown version or crawl run with DB_NOT_FOUND and stores nothing', async () => {
        await expect(store.recordIntrospection(999_999, okAttempt([]))).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
        const versionId = await version('orphan');
        await expect(store.recordIntrospection(versionId, okAttempt([tool('t')]), 999_999)).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
        const { introspection, tools } = await entry('orphan');
        expect(introspection).toBeNull();
        expect(tools).toEqual([]);
      });

      it('records concurrent attempts on one version without losing or mixing tools', async () => {
        const versionId = await version('busy');
        const lists = Array.from({ length: 12 }, (_, i) => [tool(`t${i}`), tool('shared', `v${i}`)]);
        await Promise.all(lists.map((list) => store.recordIntrospection(versionId, okAttempt(list))));
        const { tools } = await entry('busy');
        expect(tools).toHaveLength(2);
        const i = Number(tools[1]!.tool.name.slice(1));
        expect(tools[0]!.tool.definition.description).toBe(`v${i}`);
      });
    });

    describe('classifications', () => {
      it('keys classifications by (tool hash, classifier version); a second save replaces', async () => {
        const versionId = await version('classified');
        const t = tool('read_file');
        const hash = toolHash(t);
        await store.recordIntrospection(versionId, okAttempt([t]));

        await store.saveClassification(hash, classification('read_file', 'heuristic-1'));
        await store.saveClassification(hash, classification('read_file', 'heuristic-2', { category: 'Write', risk: 'Medium' }));
        const v1 = (await entry('classified', 'heuristic-1')).tools[0]!.classification;
        expect(v1).toEqual({ ...classification('read_file', 'heuristic-1'), toolHash: hash, createdAt: expect.any(Date) });
        expect((await entry('classified', 'heuristic-2')).tools[0]!.classification).toMatchObject({ category: 'Write' });
        expect((await entry('classified', 'heuristic-3')).tools[0]!.classification).toBeNull();
        expect((await entry('classified')).tools[0]!.classification).toMatchObject({ classifierVersion: 'heuristic-2' });

        await store.saveClassification(hash, classification('read_file', 'heuristic-1', { risk: 'High', confidence: 0.5, method: 'llm' }));
        const replaced = (await entry('classified', 'heuristic-1')).tools[0]!.classification;
        expect(replaced).toMatchObject({ risk: 'High', confidence: 0.5, method: 'llm' });
        // The replacement is now the newest of any version.
        expect((await entry('classified')).tools[0]!.classification).toMatchObject({ classifierVersion: 'heuristic-1', risk: 'High' });
      });

      it('lists each unclassified hash once, with server context, until classified at that version', async () => {
        const shared = tool('shared_tool');
        const a = await store.upsertServer(serverInput('a', { displayName: 'Server A', description: 'Pays invoices' }));
        const b = await store.upsertServer(serverInput('b', { displayName: 'Server B', description: null }));
        await store.recordIntrospection((await store.upsertServerVersion(a.id, '1')).id, okAttempt([shared, tool('pay')]));
        await store.recordIntrospection((await store.upsertServerVersion(b.id, '1')).id, okAttempt([shared]));

        const needing = await store.toolsNeedingClassification('heuristic-1');
        expect(needing.map((n) => n.hash).sort()).toEqual([toolHash(shared), toolHash(tool('pay'))].sort());
        const pay = needing.find((n) => n.definition.name === 'pay');
        expect(pay).toEqual({ hash: toolHash(tool('pay')), definition: tool('pay'), server: { name: 'Server A', description: 'Pays invoices', introspectionMethod: 'live-stdio' } });
        expect(['Server A', 'Server B']).toContain(needing.find((n) => n.definition.name === 'shared_tool')!.server.name);

        await store.saveClassification(toolHash(shared), classification('shared_tool', 'heuristic-1'));
        expect((await store.toolsNeedingClassification('heuristic-1')).map((n) => n.definition.name)).toEqual(['pay']);
        // Classified only at an older version: still needed at the newer one.
        expect(await store.toolsNeedingClassification('heuristic-2')).toHaveLength(2);
      });

      it('omits the server description when the server has none', async () => {
        await store.recordIntrospection(
          (await store.upsertServerVersion((await store.upsertServer(serverInput('bare', { displayName: 'Bare', description: null }))).id, '1')).id,
          okAttempt([tool('only')]),
        );
        expect((await store.toolsNeedingClassification('v'))[0]!.server).toEqual({ name: 'Bare', introspectionMethod: 'live-stdio' });
      });

      it('says how each tool was listed, preferring a live listing of the same definition', async () => {
        const shared = tool('shared_tool');
        const read = await store.upsertServer(serverInput('read-from-source', { displayName: 'From source', description: null }));
        const live = await store.upsertServer(serverInput('listed-live', { displayName: 'Live', description: null }));
        const readVersion = (await store.upsertServerVersion(read.id, '1')).id;
        await store.recordIntrospection(readVersion, okAttempt([shared, tool('only_in_source')], { method: 'static' }));
        // A later failed live attempt keeps the statically read tools, and their method.
        await store.recordIntrospection(readVersion, failedAttempt({ startedAt: new Date('2025-07-01T00:00:00.000Z') }));
        await store.recordIntrospection((await store.upsertServerVersion(live.id, '1')).id, okAttempt([shared]));

        const needing = await store.toolsNeedingClassification('v');
        expect(needing.find((n) => n.definition.name === 'only_in_source')!.server).toEqual({ name: 'From source', introspectionMethod: 'static' });
        expect(needing.find((n) => n.definition.name === 'shared_tool')!.server).toEqual({ name: 'Live', introspectionMethod: 'live-stdio' });
      });
    });

    describe('code effects', () => {
      const unlink = { kind: 'fs.delete' as const, detail: 'unlinkSync', file: 'dist/notes.js', line: 3, call: 'fs.unlinkSync(`/notes/${id}`)' };
      // One effect as rows were stored before scopes existed, one with a housekeeping scope: both read back as stored.
      const found = { handlerFound: true, handler: { file: 'dist/index.js', line: 6 }, effects: [unlink, { ...unlink, line: 4, call: 'fs.unlinkSync(tmp)', scope: 'temp' as const }] };

      it('stores effects per (version, tool name), replaces them, and reads them back with the catalogue and classification', async () => {
        const versionId = await version('effects');
        await store.recordIntrospection(versionId, okAttempt([tool('remove_note'), tool('list_notes'), tool('__proto__')]));
        expect((await store.versionsNeedingCodeEffects('npm')).map((v) => [v.identifier, v.version, v.toolNames])).toEqual([
          ['effects', '1.0.0', ['__proto__', 'list_notes', 'remove_note']],
        ]);
        expect(await store.versionsNeedingCodeEffects('pypi')).toEqual([]);

        await store.recordCodeEffects(versionId, [
          { name: 'remove_note', effects: found },
          { name: '__proto__', effects: { handlerFound: false, effects: [], truncated: true } },
        ]);
        const tools = new Map((await entry('effects')).tools.map((t) => [t.tool.name, t.codeEffects]));
        expect(tools.get('remove_note')).toEqual(found);
        expect(tools.get('__proto__')).toEqual({ handlerFound: false, effects: [], truncated: true });
        expect(tools.get('list_notes')).toBeNull();
        expect(await store.versionsNeedingCodeEffects('npm')).toEqual([]);

        const pending = new Map((await store.toolsNeedingClassification('heuristic-1')).map((p) => [p.definition.name, p.server]));
        expect(pending.get('remove_note')?.codeEffects).toEqual(found);
        expect(pending.get('list_notes')).not.toHaveProperty('codeEffects');

        // A second recording replaces the version's rows.
        await store.recordCodeEffects(versionId, [{ name: 'list_notes', effects: { handlerFound: true, effects: [] } }]);
        const replaced = new Map((await entry('effects')).tools.map((t) => [t.tool.name, t.codeEffects]));
        expect(replaced.get('remove_note')).toBeNull();
        expect(replaced.get('list_notes')).toEqual({ handlerFound: true, effects: [] });
      });

      it('stores hostile text in names and calls, and refuses an unknown version', async () => {
        const versionId = await version('effects-text');
        const name = 'x\u0000y';
        await store.recordIntrospection(versionId, okAttempt([tool(name)]));
        const call = '<script>"\u0000"</script> 東京';
        await store.recordCodeEffects(versionId, [{ name, effects: { handlerFound: true, effects: [{ ...unlink, call }] } }]);
        const stored = (await entry('effects-text')).tools[0]!;
        expect(stored.tool.name).toBe('x\uFFFDy');
        expect(stored.codeEffects?.effects[0]?.call).toBe('<script>"\uFFFD"</script> 東京');
        await expect(store.recordCodeEffects(999_999, [])).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
      });
    });

    describe('crawl runs', () => {
      it('starts and finishes a run and links attempts to it', async () => {
        const run = await store.startCrawlRun();
        expect(run).toMatchObject({ id: expect.any(Number), finishedAt: null, summary: null });
        expect(run.startedAt).toBeInstanceOf(Date);

        const attempt = await store.recordIntrospection(await version('in-run'), failedAttempt(), run.id);
        expect(attempt.crawlRunId).toBe(run.id);

        const finished = await store.finishCrawlRun(run.id, { servers: 1, failed: { needs_configuration: 1 } });
        expect(finished).toMatchObject({ id: run.id, startedAt: run.startedAt, summary: { servers: 1, failed: { needs_configuration: 1 } } });
        expect(finished.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt.getTime());
        await expect(store.finishCrawlRun(999_999, {})).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
      });
    });

    describe('attemptedVersions', () => {
      it('lists versions with an attempt (ok or failed), not versions or servers without one', async () => {
        expect(await store.attemptedVersions()).toEqual([]);
        const a = await store.upsertServer(serverInput('@scope/a'));
        const b = await store.upsertServer(serverInput('b', { registry: 'pypi' }));
        await store.upsertServer(serverInput('never-versioned'));
        const a1 = await store.upsertServerVersion(a.id, '1.0.0');
        await store.upsertServerVersion(a.id, '2.0.0');
        const b1 = await store.upsertServerVersion(b.id, '0.3.1');
        await store.recordIntrospection(a1.id, okAttempt([tool('x')]));
        await store.recordIntrospection(a1.id, failedAttempt());
        await store.recordIntrospection(b1.id, failedAttempt());
        expect(await store.attemptedVersions()).toEqual(['npm:@scope/a@1.0.0', 'pypi:b@0.3.1']);
      });

      it('with crawlRunId, lists only versions with an attempt stored in that run', async () => {
        const run = await store.startCrawlRun();
        const other = await store.startCrawlRun();
        const a = await store.upsertServer(serverInput('a'));
        const b = await store.upsertServer(serverInput('b'));
        const a1 = await store.upsertServerVersion(a.id, '1.0.0');
        const b1 = await store.upsertServerVersion(b.id, '2.0.0');
        await store.recordIntrospection(a1.id, okAttempt([tool('x')]), run.id);
        await store.recordIntrospection(b1.id, failedAttempt(), other.id);
        await store.recordIntrospection(b1.id, failedAttempt());
        expect(await store.attemptedVersions({ crawlRunId: run.id })).toEqual(['npm:a@1.0.0']);
        expect(await store.attemptedVersions({ crawlRunId: other.id })).toEqual(['npm:b@2.0.0']);
        expect(await store.attemptedVersions()).toEqual(['npm:a@1.0.0', 'npm:b@2.0.0']);
        // Settled: listed tools, or failed for a permanent reason; a transient failure (registry_error) is not.
        const c = await store.upsertServer(serverInput('c'));
        const c1 = await store.upsertServerVersion(c.id, '3.0.0');
        await store.recordIntrospection(c1.id, { ...failedAttempt(), failureReason: 'registry_error' }, run.id);
        await store.recordIntrospection(b1.id, { ...failedAttempt(), failureReason: 'no_entry_point' }, run.id);
        expect(await store.attemptedVersions({ crawlRunId: run.id })).toEqual(['npm:a@1.0.0', 'npm:b@2.0.0', 'npm:c@3.0.0']);
        expect(await store.attemptedVersions({ crawlRunId: run.id, settled: true })).toEqual(['npm:a@1.0.0', 'npm:b@2.0.0']);
      });
    });

    describe('retry state', () => {
      it('numbers the attempts of each version and stores whether the failure is transient, and the crawler version', async () => {
        const a = await version('numbered');
        const b = await version('numbered-other');
        const first = await store.recordIntrospection(a, failedAttempt({ failureReason: 'timed_out', failureMessage: 'no answer to initialize before the timeout' }));
        const otherFirst = await store.recordIntrospection(b, failedAttempt());
        const second = await store.recordIntrospection(a, failedAttempt({
          failureReason: 'install_failed', failureMessage: 'npm install failed (exit 1)', stderrTail: 'npm error code ECONNRESET\n', startedAt: new Date('2025-06-03T00:00:00Z'),
        }));
        const third = await store.recordIntrospection(a, okAttempt([tool('t')], { startedAt: new Date('2025-06-04T00:00:00Z'), crawlerVersion: 7 }));
        expect(first).toMatchObject({ attempt: 1, transient: true, crawlerVersion: CRAWLER_VERSION });
        expect(otherFirst).toMatchObject({ attempt: 1, transient: false });
        expect(second).toMatchObject({ attempt: 2, transient: true });
        expect(third).toMatchObject({ attempt: 3, transient: null, crawlerVersion: 7 });
        expect((await entry('numbered')).introspection).toEqual(third);
        const npmOnly = await store.recordIntrospection(b, failedAttempt({ failureReason: 'install_failed', stderrTail: 'npm error code E404\n' }));
        expect(npmOnly).toMatchObject({ attempt: 2, transient: false });
      });

      it('numbers concurrent recordings of one version 1, 2, 3', async () => {
        const v = await version('concurrent');
        const records = await Promise.all([1, 2, 3].map(() => store.recordIntrospection(v, failedAttempt())));
        expect(records.map((r) => r.attempt).sort()).toEqual([1, 2, 3]);
      });

      it('crawlState: per attempted version, attempts, the newest reason, its transience and crawler version, the transient streak, listed', async () => {
        expect(await store.crawlState()).toEqual(new Map());
        const server = await store.upsertServer(serverInput('@scope/state'));
        const py = await store.upsertServer(serverInput('state-py', { registry: 'pypi' }));
        const v1 = await store.upsertServerVersion(server.id, '1.0.0');
        const v2 = await store.upsertServerVersion(server.id, '2.0.0');
        await store.upsertServerVersion(server.id, '3.0.0');
        const p1 = await store.upsertServerVersion(py.id, '0.1.0');
        const at = (day: number) => new Date(`2025-06-${String(day).padStart(2, '0')}T00:00:00Z`);
        // v1: listed once, then failed transiently twice.
        await store.recordIntrospection(v1.id, okAttempt([tool('x')], { startedAt: at(1) }));
        await store.recordIntrospection(v1.id, failedAttempt({ failureReason: 'timed_out', startedAt: at(2) }));
        await store.recordIntrospection(v1.id, failedAttempt({ failureReason: 'crawler_error', startedAt: at(3) }));
        // v2: permanent, then two transient (recorded out of start order: the newest by start time is last).
        await store.recordIntrospection(v2.id, failedAttempt({ startedAt: at(1), crawlerVersion: 0 }));
        await store.recordIntrospection(v2.id, failedAttempt({ failureReason: 'unreachable', startedAt: at(5) }));
        await store.recordIntrospection(v2.id, failedAttempt({ failureReason: 'timed_out', startedAt: at(4) }));
        // p1: one permanent failure by an older crawler.
        await store.recordIntrospection(p1.id, failedAttempt({ failureReason: 'no_entry_point', crawlerVersion: 0 }));
        const state = await store.crawlState();
        expect([...state.keys()].sort()).toEqual(['npm:@scope/state@1.0.0', 'npm:@scope/state@2.0.0', 'pypi:state-py@0.1.0']);
        expect(state.get('npm:@scope/state@1.0.0')).toEqual({
          attempts: 3, lastReason: 'crawler_error', lastTransient: true, transientStreak: 2, lastCrawlerVersion: CRAWLER_VERSION, listed: true,
        });
        expect(state.get('npm:@scope/state@2.0.0')).toEqual({
          attempts: 3, lastReason: 'unreachable', lastTransient: true, transientStreak: 2, lastCrawlerVersion: CRAWLER_VERSION, listed: false,
        });
        expect(state.get('pypi:state-py@0.1.0')).toEqual({
          attempts: 1, lastReason: 'no_entry_point', lastTransient: false, transientStreak: 0, lastCrawlerVersion: 0, listed: false,
        });
        expect([...state.keys()].sort()).toEqual(await store.attemptedVersions());
      });

      it('crawlState: a static listing after a transient live failure counts as listed, not as a transient failure', async () => {
        const v = await version('static-listed');
        await store.recordIntrospection(v, okAttempt([tool('t')], { method: 'static', failureReason: 'install_failed', stderrTail: 'npm error code ETIMEDOUT' }));
        expect((await store.crawlState()).get('npm:static-listed@1.0.0')).toMatchObject({ attempts: 1, lastReason: 'install_failed', lastTransient: false, transientStreak: 0, listed: true });
      });
    });

    describe('catalogue', () => {
      it('returns every server sorted by registry then identifier, with newest version, attempt and sorted tools', async () => {
        for (const [registry, identifier] of [['pypi', 'zeta'], ['npm', 'beta'], ['npm', '@scope/alpha'], ['github', 'owner/repo']] as const) {
          await store.upsertServer(serverInput(identifier, { registry }));
        }
        const beta = (await store.catalogue()).find((e) => e.server.identifier === 'beta')!.server;
        const old = await store.upsertServerVersion(beta.id, '2.0.0');
        await store.recordIntrospection(old.id, okAttempt([tool('old_tool')]));
        const newest = await store.upsertServerVersion(beta.id, '1.9.9-backport');
        const later = await store.recordIntrospection(newest.id, okAttempt([tool('zebra'), tool('apple'), tool('Mango')], { startedAt: new Date('2025-06-10T00:00:00Z') }));
        await store.recordIntrospection(newest.id, failedAttempt({ startedAt: new Date('2025-06-09T00:00:00Z') }));

        const catalogue = await store.catalogue();
        expect(catalogue.map((e) => `${e.server.registry}:${e.server.identifier}`)).toEqual([
          'github:owner/repo',
          'npm:@scope/alpha',
          'npm:beta',
          'pypi:zeta',
        ]);
        const empty = catalogue[0]!;
        expect(empty).toEqual({ server: expect.objectContaining({ identifier: 'owner/repo' }), version: null, introspection: null, tools: [] });

        const entryBeta = catalogue[2]!;
        expect(entryBeta.version).toEqual(newest);
        expect(entryBeta.introspection).toEqual(later);
        expect(entryBeta.tools.map((t) => t.tool.name)).toEqual(['Mango', 'apple', 'zebra']);
        expect(entryBeta.tools.every((t) => t.classification === null)).toBe(true);
      });

      it('shows a new version with no attempt yet as version without introspection or tools', async () => {
        const server = await store.upsertServer(serverInput('fresh'));
        await store.recordIntrospection((await store.upsertServerVersion(server.id, '1')).id, okAttempt([tool('t')]));
        const v2 = await store.upsertServerVersion(server.id, '2');
        expect(await entry('fresh')).toMatchObject({ version: v2, introspection: null, tools: [] });
      });
    });

    describe('text round-trips', () => {
      it('stores HTML, unicode and a 1 MB description unchanged', async () => {
        const html = '<script>alert("x")</script> & <b>bold</b> \'quoted\' \\ backslash';
        const unicode = 'Zürich 東京 مرحبا 🚀👩‍💻 \u200b\u202e\u{e0041} 𝕏';
        const big = 'd'.repeat(1024 * 1024 - 1) + 'é';
        const server = await store.upsertServer(serverInput('<b>tags</b> 東京', { displayName: html, description: big, repositoryUrl: unicode }));
        const listed = [tool(unicode, html, { inputSchema: { type: 'object', description: big } }), tool('<img src=x onerror=alert(1)>', unicode)];
        const attempt = failedAttempt({ stderrTail: `${unicode}\n${html}`, failureMessage: html });
        const versionId = (await store.upsertServerVersion(server.id, '1.0.0-β')).id;
        await store.recordIntrospection(versionId, okAttempt(listed, { instructions: big }));
        await store.recordIntrospection(versionId, attempt);
        await store.saveClassification(toolHash(listed[0]!), classification(unicode, 'v', { rationale: big, evidence: [{ source: 'description', quote: html }] }));

        const found = await entry('<b>tags</b> 東京', 'v');
        expect(found.server).toMatchObject({ displayName: html, description: big, repositoryUrl: unicode });
        expect(found.version!.version).toBe('1.0.0-β');
        expect(found.introspection).toMatchObject({ stderrTail: attempt.stderrTail, failureMessage: html });
        const byName = new Map(found.tools.map((t) => [t.tool.name, t]));
        expect(byName.get(unicode)!.tool.definition).toEqual(listed[0]);
        expect(byName.get(unicode)!.classification).toMatchObject({ rationale: big, evidence: [{ source: 'description', quote: html }] });
        expect(byName.get('<img src=x onerror=alert(1)>')!.tool.definition).toEqual(listed[1]);
      });

      it('replaces NUL characters, which PostgreSQL cannot store, and hashes the definition as listed', async () => {
        const versionId = await version('nul');
        const listed = tool('nul\u0000tool', 'before\u0000after', { inputSchema: { type: 'object', properties: { 'k\u0000': { type: 'string' } } } });
        await store.recordIntrospection(versionId, okAttempt([listed], { stderrTail: 'bin\u0000ary' }));
        const { tools, introspection } = await entry('nul');
        expect(introspection!.stderrTail).toBe('bin\uFFFDary');
        expect(tools[0]!.tool).toMatchObject({
          name: 'nul\uFFFDtool',
          hash: toolHash(listed),
          definition: { description: 'before\uFFFDafter', inputSchema: { properties: { 'k\uFFFD': { type: 'string' } } } },
        });
      });

      it('keeps names that are Object.prototype members: a tool, a parameter and an annotation named __proto__, a server named constructor', async () => {
        // Parsed, as a server's tools/list is: "__proto__" is an own key here, which no object literal can write.
        const listed = JSON.parse(`[
          {"name": "__proto__", "description": "Deletes the file.",
           "inputSchema": {"type": "object", "properties": {"__proto__": {"type": "string"}, "path": {"type": "string"}}}},
          {"name": "constructor", "description": "Lists files.", "inputSchema": {"type": "object"},
           "annotations": {"__proto__": {"readOnlyHint": true}, "toString": 1}}
        ]`) as ToolDefinition[];
        expect(Object.keys(listed[0]!.inputSchema.properties as object)).toEqual(['__proto__', 'path']);
        const server = await store.upsertServer(serverInput('constructor', { displayName: '__proto__' }));
        const versionId = (await store.upsertServerVersion(server.id, '1.0.0')).id;
        await store.recordIntrospection(versionId, okAttempt(listed));
        await store.saveClassification(toolHash(listed[0]!), classification('__proto__', 'v', { category: 'Destructive', risk: 'High' }));

        const found = await entry('constructor', 'v');
        expect(found.server.displayName).toBe('__proto__');
        expect(found.tools.map((t) => t.tool.name)).toEqual(['__proto__', 'constructor']);
        const [proto, ctor] = found.tools;
        expect(proto!.tool.hash).toBe(toolHash(listed[0]!));
        // jsonb orders keys its own way; the canonical hash of what is read back is that of what was listed.
        expect(Object.keys(proto!.tool.definition.inputSchema.properties as object).sort()).toEqual(['__proto__', 'path']);
        expect(toolHash(proto!.tool.definition)).toBe(toolHash(listed[0]!));
        expect(toolHash(ctor!.tool.definition)).toBe(toolHash(listed[1]!));
        expect(Object.hasOwn(ctor!.tool.definition.annotations!, '__proto__')).toBe(true);
        expect(proto!.classification).toMatchObject({ name: '__proto__', category: 'Destructive' });
        const pending = await store.toolsNeedingClassification('w');
        expect(pending.map((p) => toolHash(p.definition)).sort()).toEqual(listed.map((t) => toolHash(t)).sort());
      });
    });

    describe('discovery', () => {
      it('keeps state per source; null deletes a key, other keys stay', async () => {
        expect(await store.discoveryState('mcp-registry')).toEqual({});
        await store.saveDiscoveryState('mcp-registry', { cursor: 'abc', updatedSince: '2026-01-01T00:00:00Z', etags: { a: 'W/"1"' } });
        // A strong ETag is a quoted string: the quotes must survive the round-trip.
        await store.saveDiscoveryState('github', { 'etag:q|1': { etag: '"x"', total: 3 }, 'etag:list': '"abc"', count: 3 });
        await store.saveDiscoveryState('mcp-registry', { cursor: null, updatedSince: '2026-02-01T00:00:00Z' });
        expect(await store.discoveryState('mcp-registry')).toEqual({ updatedSince: '2026-02-01T00:00:00Z', etags: { a: 'W/"1"' } });
        expect(await store.discoveryState('github')).toEqual({ 'etag:q|1': { etag: '"x"', total: 3 }, 'etag:list': '"abc"', count: 3 });
      });

      it('upserts findings by (source, key); changedAt moves only when the marker or candidate changes', async () => {
        await store.saveDiscoveryFindings('npm', [
          { key: 'npm:a', marker: '1.0.0', candidate: candidate('a') },
          { key: 'npm:not-a-server', marker: '0.1.0', candidate: null },
        ]);
        await store.saveDiscoveryFindings('pypi', [{ key: 'pypi:a', marker: '7', candidate: candidate('a', { source: 'pypi', registry: 'pypi' }) }]);
        const first = await store.discoveryFindings('npm');
        expect(first.map((f) => [f.source, f.key, f.marker, f.candidate?.identifier ?? null])).toEqual([
          ['npm', 'npm:a', '1.0.0', 'a'],
          ['npm', 'npm:not-a-server', '0.1.0', null],
        ]);
        expect(first[0]!.candidate).toEqual(candidate('a'));
        expect((await store.discoveryFindings()).map((f) => f.source)).toEqual(['npm', 'npm', 'pypi']);

        await new Promise((resolve) => setTimeout(resolve, 20));
        await store.saveDiscoveryFindings('npm', [
          { key: 'npm:a', marker: '1.0.0', candidate: candidate('a') },
          { key: 'npm:not-a-server', marker: '0.2.0', candidate: null },
        ]);
        const [same, changed] = await store.discoveryFindings('npm');
        expect(same!.changedAt).toEqual(first[0]!.changedAt);
        expect(same!.firstSeenAt).toEqual(first[0]!.firstSeenAt);
        expect(same!.lastSeenAt.getTime()).toBeGreaterThan(first[0]!.lastSeenAt.getTime());
        expect(changed!.marker).toBe('0.2.0');
        expect(changed!.changedAt.getTime()).toBeGreaterThan(first[1]!.changedAt.getTime());
      });

      it('stores a thousands-strong batch, duplicate keys last-wins, NUL characters scrubbed', async () => {
        const many = Array.from({ length: 2500 }, (_, i) => ({ key: `npm:p${i}`, marker: String(i), candidate: candidate(`p${i}`) }));
        many.push({ key: 'npm:p0', marker: 'last', candidate: candidate('p0', { description: 'nul\u0000here' }) });
        await store.saveDiscoveryFindings('npm', many);
        const stored = await store.discoveryFindings('npm');
        expect(stored).toHaveLength(2500);
        const p0 = stored.find((f) => f.key === 'npm:p0')!;
        expect(p0.marker).toBe('last');
        expect(p0.candidate!.description).toBe('nul\uFFFDhere');
      });
    });

    describe('lifecycle', () => {
      it('rejects operations after close with DB_CLOSED', async () => {
        const closed = await open();
        await closed.close();
        await expect(closed.catalogue()).rejects.toMatchObject({ code: 'DB_CLOSED' });
        await closed.close();
      });
    });
  });
}
