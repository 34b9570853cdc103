/**
 * The registry API over a real store, written once and run on every backend (`registry.pglite.test.ts`,
 * `registry.pg.test.ts`): records stored as a crawl stores them, read by `loadRegistry`, served by the hono app
 * through `app.request()`. Every answer is checked against the schemas of schema.ts.
 * @internal
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION } from '../classifier/index.ts';
import { toolHash, type Store, type ToolDefinition } from '../records/index.ts';
import { candidate, classification, failedAttempt, okAttempt, serverInput, tool } from '../db/fixtures.ts';
import { CATALOGUE_META_KEY, createRegistryApp, loadRegistry, OFFICIAL_META_KEY, validateDocument, type RegistryIndex } from './index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function listed(store: Store, identifier: string, version: string, tools: ToolDefinition[], at: string, overrides: Partial<Parameters<typeof serverInput>[1]> = {}) {
  const server = await store.upsertServer(serverInput(identifier, overrides));
  const v = await store.upsertServerVersion(server.id, version, new Date('2025-01-01T00:00:00Z'));
  await store.recordIntrospection(v.id, okAttempt(tools, { startedAt: new Date(at) }));
  for (const t of tools) await store.saveClassification(toolHash(t), classification(t.name, CLASSIFIER_VERSION, t.name.startsWith('write') ? { category: 'Write', risk: 'High' } : {}));
  return server;
}

export function registryContract(name: string, open: () => Promise<Store>): void {
  describe(`registry API over the store: ${name}`, () => {
    let store: Store;
    let index: RegistryIndex;
    let app: ReturnType<typeof createRegistryApp>;

    beforeAll(async () => {
      store = await open();
      await listed(store, '@acme/files', '1.0.0', [tool('read_file')], '2025-06-01T00:00:00Z');
      await listed(store, '@acme/files', '1.1.0', [tool('read_file'), tool('write_file', 'Writes a file.')], '2025-06-02T00:00:00Z');
      const failing = await store.upsertServer(serverInput('left-pad-mcp', { description: null, repositoryUrl: 'javascript:alert(1)' }));
      const fv = await store.upsertServerVersion(failing.id, '0.0.1');
      await store.recordIntrospection(fv.id, failedAttempt());
      await listed(store, '__proto__', '1.0.0', [tool('__proto__'), tool('constructor', '<script>alert(1)</script>')], '2025-06-03T00:00:00Z',
        { displayName: '<script>alert("x")</script>', description: '<img src=x onerror=alert(1)> and a description far longer than the hundred characters server.json allows, so it is cut' });
      await listed(store, '../../etc/passwd', '1.0.0+build/../x', [tool('read_secret')], '2025-06-04T00:00:00Z');
      await listed(store, 'mcp-time', '2.0.0', [tool('get_time')], '2025-06-05T00:00:00Z', { registry: 'pypi', repositoryUrl: null });
      await store.saveDiscoveryFindings('mcp-registry', [{
        key: 'mcp-registry:io.github.acme/files',
        marker: '1.1.0',
        candidate: candidate('io.github.acme/files', { source: 'mcp-registry', registry: 'mcp-registry', packages: [{ registryType: 'npm', identifier: '@acme/files', version: '1.1.0', transport: 'stdio', environmentVariables: [], arguments: [] }] }),
      }]);
      index = await loadRegistry(store);
      app = createRegistryApp(() => index);
    });
    afterAll(async () => {
      await store.close();
    });

    async function get(path: string, status = 200): Promise<Json> {
      const res = await app.request(path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      return (await res.json()) as Json;
    }

    async function list(path: string): Promise<Json> {
      const body = await get(path);
      expect(validateDocument('server-list', body).errors).toEqual([]);
      return body;
    }

    it('names servers: the MCP Registry name where discovery found one, derived names otherwise', () => {
      expect(index.problems).toEqual([]);
      expect(index.servers.map((s) => s.name)).toEqual(['com.npmjs/..-..-etc-passwd', 'com.npmjs/__proto__', 'com.npmjs/left-pad-mcp', 'io.github.acme/files', 'org.pypi/mcp-time']);
    });

    it('lists every server once with version=latest, as valid ServerResponses in name order', async () => {
      const body = await list('/v0.1/servers?version=latest');
      expect(body.metadata).toEqual({ count: 5 });
      expect(body.servers.map((s: Json) => [s.server.name, s.server.version])).toEqual([
        ['com.npmjs/..-..-etc-passwd', '1.0.0+build/../x'], ['com.npmjs/__proto__', '1.0.0'], ['com.npmjs/left-pad-mcp', '0.0.1'], ['io.github.acme/files', '1.1.0'], ['org.pypi/mcp-time', '2.0.0'],
      ]);
      for (const s of body.servers) expect(s._meta[OFFICIAL_META_KEY].isLatest).toBe(true);
    });

    it('lists every stored version without a version filter, and exact versions with one', async () => {
      const all = await list('/v0.1/servers');
      expect(all.servers.filter((s: Json) => s.server.name === 'io.github.acme/files').map((s: Json) => s.server.version)).toEqual(['1.0.0', '1.1.0']);
      expect(all.metadata.count).toBe(6);
      const exact = await list('/v0.1/servers?version=1.0.0');
      expect(exact.servers.map((s: Json) => s.server.name)).toEqual(['com.npmjs/__proto__', 'io.github.acme/files']);
    });

    it('builds server.json from the package: packages, repository, a one-line description of at most 100 characters', async () => {
      const files = await get('/v0.1/servers/io.github.acme%2Ffiles/versions/latest');
      expect(validateDocument('server-response', files).errors).toEqual([]);
      expect(files.server).toEqual({
        name: 'io.github.acme/files', description: 'The @acme/files server', version: '1.1.0',
        repository: { url: 'https://github.com/example/-acme-files', source: 'github' },
        packages: [{ registryType: 'npm', registryBaseUrl: 'https://registry.npmjs.org', identifier: '@acme/files', version: '1.1.0', transport: { type: 'stdio' } }],
      });
      const time = await get('/v0.1/servers/org.pypi%2Fmcp-time/versions/2.0.0');
      expect(time.server.packages).toEqual([{ registryType: 'pypi', registryBaseUrl: 'https://pypi.org', identifier: 'mcp-time', version: '2.0.0', transport: { type: 'stdio' } }]);
      expect(time.server.repository).toBeUndefined();
      const pad = await get('/v0.1/servers/com.npmjs%2Fleft-pad-mcp/versions/latest');
      expect(pad.server.description).toBe('npm package left-pad-mcp');
      expect(pad.server.repository).toBeUndefined();
      const proto = await get('/v0.1/servers/com.npmjs%2F__proto__/versions/latest');
      expect([...proto.server.description].length).toBeLessThanOrEqual(100);
      expect(proto.server.description).toMatch(/^<img src=x onerror=alert\(1\)> and a description .*…$/);
      expect(proto.server.title).toBe('<script>alert("x")</script>');
    });

    it("carries the catalogue's findings under its own _meta key: tools, classification, introspection, policy", async () => {
      const files = await get('/v0.1/servers/io.github.acme%2Ffiles/versions/latest');
      const meta = files._meta[CATALOGUE_META_KEY];
      expect(meta).toMatchObject({ registry: 'npm', identifier: '@acme/files', packagePublishedAt: '2025-01-01T00:00:00.000Z', toolCount: 2, highestRisk: 'High' });
      expect(meta.introspection).toEqual({ outcome: 'ok', method: 'live-stdio', failureReason: null, failureMessage: null, startedAt: '2025-06-02T00:00:00.000Z' });
      expect(meta.tools.map((t: Json) => [t.name, t.category, t.risk])).toEqual([['read_file', 'Read', 'Low'], ['write_file', 'Write', 'High']]);
      expect(meta.tools[0]).toMatchObject({ description: 'Does read_file.', confidence: 0.85, rationale: 'read_file retrieves data and changes nothing.', classificationMethod: 'heuristic' });
      expect(meta.policy).toMatchObject({ version: '1' });
      expect(Object.keys(meta.policy.tools).sort()).toEqual(['read_file', 'write_file']);
      const failed = (await get('/v0.1/servers/com.npmjs%2Fleft-pad-mcp/versions/0.0.1'))._meta[CATALOGUE_META_KEY];
      expect(failed).toMatchObject({ toolCount: 0, tools: [], highestRisk: null, policy: null, introspection: { outcome: 'failed', failureReason: 'needs_configuration' } });
    });

    it('lists the versions of one server newest first; an older version has its own tools and no policy', async () => {
      const body = await list('/v0.1/servers/io.github.acme%2Ffiles/versions');
      expect(body.metadata).toEqual({ count: 2 });
      expect(body.servers.map((s: Json) => [s.server.version, s._meta[OFFICIAL_META_KEY].isLatest])).toEqual([['1.1.0', true], ['1.0.0', false]]);
      const old = body.servers[1];
      expect(old._meta[CATALOGUE_META_KEY].tools.map((t: Json) => t.name)).toEqual(['read_file']);
      expect(old._meta[CATALOGUE_META_KEY].policy).toBeNull();
      expect(old._meta[CATALOGUE_META_KEY].introspection).toMatchObject({ outcome: 'ok', startedAt: '2025-06-01T00:00:00.000Z' });
      // The old version stopped being the latest when 1.1.0 arrived: its updatedAt is no earlier than that.
      const official = (s: Json) => s._meta[OFFICIAL_META_KEY];
      expect(Date.parse(official(old).updatedAt)).toBeGreaterThanOrEqual(Date.parse(official(body.servers[0]).publishedAt));
      const one = await get('/v0.1/servers/io.github.acme%2Ffiles/versions/1.0.0');
      expect(one).toEqual(old);
      // The name's slash may also come as it is.
      expect(await get('/v0.1/servers/io.github.acme/files/versions/1.0.0')).toEqual(old);
    });

    it('filters by search (case-insensitive substring of the name) and updated_since (later than)', async () => {
      expect((await list('/v0.1/servers?search=ACME&version=latest')).servers.map((s: Json) => s.server.name)).toEqual(['io.github.acme/files']);
      expect((await list('/v0.1/servers?search=nothing-like-this')).servers).toEqual([]);
      const all = await list('/v0.1/servers?version=latest');
      const times = all.servers.map((s: Json) => Date.parse(s._meta[OFFICIAL_META_KEY].updatedAt)).sort((a: number, b: number) => a - b);
      const newest = times.at(-1)!;
      expect((await list(`/v0.1/servers?version=latest&updated_since=${new Date(newest).toISOString()}`)).servers).toEqual([]);
      const since = await list(`/v0.1/servers?version=latest&updated_since=${encodeURIComponent(new Date(newest - 1).toISOString().replace('Z', '+00:00'))}`);
      expect(since.servers.length).toBe(times.filter((t: number) => t > newest - 1).length);
      expect(since.servers.length).toBeGreaterThan(0);
      expect((await list('/v0.1/servers?updated_since=2000-01-01T00:00:00Z')).metadata.count).toBe(6);
    });

    it('pages with limit and cursor until nextCursor is gone', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const body = await list(`/v0.1/servers?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(body.metadata.count).toBe(body.servers.length);
        seen.push(...body.servers.map((s: Json) => `${s.server.name}@${s.server.version}`));
        cursor = body.metadata.nextCursor;
        if (!cursor) break;
        expect(body.servers).toHaveLength(2);
      }
      expect(cursor).toBeUndefined();
      expect(seen).toHaveLength(6);
      expect(new Set(seen).size).toBe(6);
    });

    it('answers 404 with a JSON error for an unknown server, version or path', async () => {
      for (const path of ['/v0.1/servers/io.github.nobody%2Fnothing/versions', '/v0.1/servers/io.github.acme%2Ffiles/versions/9.9.9', '/v0.1/servers/..%2F..%2Fetc%2Fpasswd/versions',
        '/v0.1/servers/%E0%A4%A/versions', '/v0.1/servers/constructor/versions', '/v0.1/servers/__proto__/versions/latest', '/v0.1/nothing', '/v0.1/servers/io.github.acme%2Ffiles']) {
        const body = await get(path, 404);
        expect(validateDocument('error', body).errors, path).toEqual([]);
      }
      expect((await get('/v0.1/servers/io.github.acme%2Ffiles/versions/9.9.9', 404)).error).toBe('Server version not found');
      expect((await get('/v0.1/servers/io.github.nobody%2Fnothing/versions', 404)).error).toBe('Server not found');
    });

    it('answers 400 with a JSON error for a bad limit, cursor or updated_since', async () => {
      for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'limit=-1', 'cursor=%%%', 'cursor=bm90LWpzb24', `cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
        'updated_since=yesterday', 'updated_since=2025-13-45T00:00:00Z', 'updated_since=2025-01-01']) {
        const body = await get(`/v0.1/servers?${query}`, 400);
        expect(validateDocument('error', body).errors, query).toEqual([]);
      }
      expect((await get('/v0.1/servers?limit=100')).metadata.count).toBe(6);
    });

    it('serves hostile names as data: __proto__ and constructor tools, markup in strings, ../ in names and versions', async () => {
      const proto = await app.request('/v0.1/servers/com.npmjs%2F__proto__/versions/latest');
      expect(proto.headers.get('x-content-type-options')).toBe('nosniff');
      const body = (await proto.json()) as Json;
      expect(body._meta[CATALOGUE_META_KEY].tools.map((t: Json) => t.name)).toEqual(['__proto__', 'constructor']);
      expect(body._meta[CATALOGUE_META_KEY].tools[1].description).toBe('<script>alert(1)</script>');
      expect(Object.getPrototypeOf(body._meta[CATALOGUE_META_KEY].policy.tools)).toBe(Object.prototype);
      expect(Object.keys(body._meta[CATALOGUE_META_KEY].policy.tools).sort()).toEqual(['__proto__', 'constructor']);
      const etc = await get('/v0.1/servers/com.npmjs%2F..-..-etc-passwd/versions/1.0.0%2Bbuild%2F..%2Fx');
      expect(etc._meta[CATALOGUE_META_KEY].identifier).toBe('../../etc/passwd');
      expect(etc.server.packages[0].identifier).toBe('../../etc/passwd');
    });

    it('is read-only: other methods get 405', async () => {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const res = await app.request('/v0.1/servers', { method });
        expect(res.status).toBe(405);
      }
    });
  });
}
