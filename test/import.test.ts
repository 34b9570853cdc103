/**
 * `import`: an export's servers.jsonl read back into an empty store exports to the same file, byte for byte; bad
 * lines are reported by number and skipped; names such as `__proto__` stay data; a second import adds nothing.
 * On PGlite always, on PostgreSQL too when DATABASE_URL is set (a fresh database per store).
 */
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { failedAttempt, okAttempt, serverInput, tool } from '../db/fixtures.ts';
import { openStore } from '../db/index.ts';
import type { Store } from '../records/index.ts';
import { importJsonl, renderExport } from '../site/index.ts';
import { classifyStoredTools, loadCatalogue } from '../scripts/stages.ts';

const adminUrl = process.env.DATABASE_URL;
const databases: string[] = [];

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  if (databases.length === 0) return;
  await admin(async (client) => {
    for (const name of databases) await client.query(`drop database if exists ${name} with (force)`);
  });
});

const backends: Array<[string, () => Promise<Store>]> = [['PGlite', () => openStore({ dataDir: 'memory://' })]];
if (adminUrl) {
  backends.push(['PostgreSQL', async () => {
    const name = `mcp_catalogue_test_${randomBytes(6).toString('hex')}`;
    await admin((client) => client.query(`create database ${name}`));
    databases.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return openStore({ databaseUrl: url.toString() });
  }]);
}

/** Every file `export` writes, by path, from the store as `mcp-catalogue export` reads it. */
async function exportFiles(store: Store): Promise<Map<string, string>> {
  const snapshot = await loadCatalogue(store);
  const problems: unknown[] = [];
  const pages = renderExport(snapshot.entries, snapshot.policies, { listings: snapshot.listings, onProblem: (p) => problems.push(p) });
  expect(problems).toEqual([]);
  return new Map(pages.map((p) => [p.path, typeof p.body === 'string' ? p.body : Buffer.from(p.body).toString('base64')]));
}

async function runImport(store: Store, text: string, maxLineBytes?: number) {
  let errors = '';
  const sink = new Writable({ write(chunk, _encoding, done) { errors += String(chunk); done(); } });
  const summary = await importJsonl(store, Readable.from([Buffer.from(text)]), sink, { maxLineBytes });
  return { summary, errors };
}

/** A catalogue with every kind of line: listed live with prompts and resources and code effects, listed then failed, only failed, no attempt, no version. */
async function populate(store: Store): Promise<void> {
  const files = await store.upsertServer(serverInput('@acme/files', { displayName: 'Acme Files' }));
  const filesV = await store.upsertServerVersion(files.id, '1.2.0');
  const protoTool = tool('__proto__', 'Deletes the file at the given path.', {
    inputSchema: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"},"path":{"type":"string"}}}') as Record<string, unknown>,
  });
  await store.recordIntrospection(filesV.id, okAttempt([
    tool('read_file', 'Reads a file and returns its text.'),
    tool('write_file', 'Writes text to a file, replacing it.', { annotations: { destructiveHint: true } }),
    tool('run_command', 'Runs a shell command on the host.', { inputSchema: { type: 'object', properties: { command: { type: 'string' } } } }),
    // Read, but its policy rule comes from a rule id (risk.sql-read-only): the mirror's policy must keep it.
    tool('query', 'Run a read-only SQL query against the database.', { inputSchema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] } }),
    protoTool,
  ], {
    startedAt: new Date('2026-11-01T10:00:00.123Z'),
    prompts: [{ name: 'summarise', description: 'Summarise a file' }],
    resources: [{ uri: 'file:///etc/hosts', name: 'hosts' }],
    resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'any file' }],
    listFailures: [{ method: 'resources/templates/list', message: 'dropped 1 malformed entry' }],
  }));
  await store.recordCodeEffects(filesV.id, [
    { name: 'write_file', effects: { handlerFound: true, handler: { file: 'dist/index.js', line: 40 }, effects: [{ kind: 'fs.write', detail: 'writeFile', file: 'dist/index.js', line: 42, call: 'fs.writeFile(p, text)' }] } },
    { name: 'read_file', effects: { handlerFound: false, effects: [], truncated: true } },
  ]);

  const flaky = await store.upsertServer(serverInput('flaky-server', { description: null, repositoryUrl: null }));
  await store.upsertServerVersion(flaky.id, '0.9.0');
  const flakyV = await store.upsertServerVersion(flaky.id, '1.0.0');
  await store.recordIntrospection(flakyV.id, okAttempt([tool('get_weather', 'Gets the weather for a city.')], { method: 'static', startedAt: new Date('2026-10-01T00:00:00Z') }));
  await store.recordIntrospection(flakyV.id, failedAttempt({ failureReason: 'timed_out', failureMessage: 'no answer to initialize in 30 s', startedAt: new Date('2026-11-02T00:00:00Z') }));

  const broken = await store.upsertServer(serverInput('broken', { registry: 'pypi' }));
  const brokenV = await store.upsertServerVersion(broken.id, '2.0.0');
  await store.recordIntrospection(brokenV.id, failedAttempt({ startedAt: new Date('2026-11-03T00:00:00Z') }));

  const pending = await store.upsertServer(serverInput('pending'));
  await store.upsertServerVersion(pending.id, '0.1.0');
  await store.upsertServer(serverInput('io.github.acme/remote', { registry: 'mcp-registry', displayName: 'Remote' }));

  // The real classifier, as `classify` runs it.
  const classified = await classifyStoredTools(store);
  expect(classified.classified).toBe(6);
}

describe.each(backends)('import on %s', (_name, open) => {
  it('export → import → export gives the same files, and a second import adds nothing', { timeout: 60_000 }, async () => {
    const source = await open();
    let first: Map<string, string>;
    try {
      await populate(source);
      first = await exportFiles(source);
    } finally {
      await source.close();
    }
    const jsonl = first.get('servers.jsonl')!;
    expect(jsonl.split('\n').filter(Boolean)).toHaveLength(5);
    expect(jsonl).toContain('"name":"__proto__"');
    expect(jsonl).toContain('"risk.sql-read-only"');
    const filesPolicy = [...first.entries()].find(([path]) => path.startsWith('policies/') && path.includes('acme'));
    expect(filesPolicy?.[1]).toContain('args.sql');
    expect(jsonl).toContain('"outcome":"failed","failureReason":"timed_out"');

    const target = await open();
    try {
      const { summary, errors } = await runImport(target, jsonl);
      expect(errors).toBe('');
      expect(summary).toEqual({ servers: 5, versions: 4, tools: 6, skipped: 0 });
      const second = await exportFiles(target);
      expect(second.get('servers.jsonl')).toBe(jsonl);
      // The policies in every format come out the same too; pins carry listing times the line does not (the
      // flaky server's earlier listing is dated 1 ms before its failed attempt), so they are compared apart.
      const withoutPins = (files: Map<string, string>) => [...files].filter(([p]) => !p.startsWith('pins/')).sort(([a], [b]) => a.localeCompare(b));
      expect(withoutPins(second)).toEqual(withoutPins(first));
      // A server whose only listing is its newest attempt has the same pins.
      expect(second.get('pins/acme-files.json')).toBeDefined();
      expect(second.get('pins/acme-files.json')).toBe(first.get('pins/acme-files.json'));
      expect(second.get('pins/flaky-server.json')).toBeDefined();

      const stateBefore = await target.crawlState();
      const listingsBefore = (await target.history()).listings.length;
      const again = await runImport(target, jsonl);
      expect(again.summary).toEqual(summary);
      expect(await target.crawlState()).toEqual(stateBefore);
      expect([...stateBefore.values()].map((s) => s.attempts).sort()).toEqual([1, 1, 2]);
      expect((await target.history()).listings.length).toBe(listingsBefore);
      expect((await target.catalogue()).flatMap((e) => e.tools).length).toBe(6);
      expect((await exportFiles(target)).get('servers.jsonl')).toBe(jsonl);
    } finally {
      await target.close();
    }
  });

  it('skips bad lines by number, imports the rest, and keeps __proto__ names as data', { timeout: 60_000 }, async () => {
    const store = await open();
    try {
      const definition = '{"name":"__proto__","description":"Deletes everything.","inputSchema":{"type":"object","properties":{"__proto__":{"type":"string"}}}}';
      const good = `{"registry":"npm","identifier":"proto-server","slug":"x","displayName":"proto","description":null,"repositoryUrl":null,"version":"1.0.0","introspection":{"outcome":"ok","failureReason":null,"failureMessage":null,"method":"live-stdio","startedAt":"2026-11-01T00:00:00.000Z","toolCount":1,"prompts":null,"resources":null,"resourceTemplates":null,"listFailures":[]},"policy":null,"policyFiles":{},"policyError":null,"tools":[{"name":"__proto__","hash":"sha256:forged","definition":${definition},"classification":{"category":"Destructive","risk":"High","confidence":0.9,"rationale":"It deletes.","evidence":[],"signals":[],"method":"heuristic","classifierVersion":"heuristic-test"},"codeEffects":null}]}`;
      const badShape = good.replace('"risk":"High"', '"risk":"Huge"').replace('proto-server', 'bad-shape');
      const mismatched = good.replace('"tools":[{"name":"__proto__"', '"tools":[{"name":"other"').replace('proto-server', 'mismatched');
      const tooLong = good.replace('proto-server', `long-${'x'.repeat(5000)}`);
      const text = [good, '{not json', badShape, '', mismatched, tooLong, good.replace('proto-server', 'second')].join('\n');
      const { summary, errors } = await runImport(store, text, 4096);
      expect(summary).toEqual({ servers: 2, versions: 2, tools: 2, skipped: 4 });
      const lines = errors.trim().split('\n');
      expect(lines.map((l) => l.split(':')[0])).toEqual(['line 2', 'line 3', 'line 5', 'line 6']);
      expect(lines[0]).toContain('invalid JSON');
      expect(lines[1]).toContain('tools.0.classification.risk');
      expect(lines[2]).toContain('name differs from definition.name');
      expect(lines[3]).toContain('over the line limit of 4,096 bytes');

      const catalogue = await store.catalogue();
      expect(catalogue.map((e) => e.server.identifier)).toEqual(['proto-server', 'second']);
      const stored = catalogue[0]!.tools[0]!;
      expect(stored.tool.name).toBe('__proto__');
      expect(stored.tool.hash).not.toBe('sha256:forged');
      expect(Object.getPrototypeOf(stored.tool.definition)).toBe(Object.prototype);
      expect(Object.keys((stored.tool.definition.inputSchema as { properties: object }).properties)).toEqual(['__proto__']);
      expect(stored.classification).toMatchObject({ category: 'Destructive', risk: 'High', classifierVersion: 'heuristic-test' });
      const exported = (await exportFiles(store)).get('servers.jsonl')!;
      expect(exported).toContain(definition);
    } finally {
      await store.close();
    }
  });
});
