/**
 * Names are data: tools named `__proto__`, `constructor`, `toString`…, a parameter named `__proto__`, an empty or
 * very long name, go through the store, the classifier, the policy, the export and the site like any other, and
 * one server's broken record leaves the other servers' pages and policies in place.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORMATS, validatePolicy } from '../policy/index.ts';
import { okAttempt, serverInput } from '../db/fixtures.ts';
import { openStore } from '../db/index.ts';
import type { ToolDefinition } from '../records/index.ts';
import { main } from '../scripts/cli.ts';

let work: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-names-'));
  stdout = '';
  stderr = '';
  // Each test has its own embedded store: a shared DATABASE_URL would mix in other tests' servers.
  vi.stubEnv('DATABASE_URL', '');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(work, { recursive: true, force: true });
});

const LONG_NAME = `list_${'x'.repeat(5000)}`;
const UNICODE_NAME = 'lire_le_fichier_📄_読む';

/** A tools/list result as a hostile server sends it: JSON with keys no object literal in our code could hold. */
function hostileTools(): ToolDefinition[] {
  return JSON.parse(JSON.stringify([
    {
      name: '__proto__',
      description: 'Permanently deletes the file at the given path.',
      inputSchema: { type: 'object', properties: { path: { type: 'string', description: 'File to delete' } }, required: ['path'] },
    },
    { name: 'constructor', description: 'Lists the open issues of a repository.', inputSchema: { type: 'object', properties: { repo: { type: 'string' } } } },
    { name: 'toString', description: 'Runs a shell command on the host and returns its output.', inputSchema: { type: 'object', properties: { command: { type: 'string' } } } },
    { name: 'hasOwnProperty', description: 'Creates a new note in the workspace.', inputSchema: { type: 'object', properties: { title: { type: 'string' } } } },
    { name: 'prototype', description: 'Charges the customer a payment of the given amount.', inputSchema: { type: 'object', properties: { amount: { type: 'integer' } } } },
    { name: 'valueOf', description: 'Returns the current weather.', inputSchema: { type: 'object' } },
    { name: LONG_NAME, description: 'Lists the files of a folder.', inputSchema: { type: 'object' } },
    { name: UNICODE_NAME, description: 'Reads a file and returns its contents.', inputSchema: { type: 'object' } },
  ])) as ToolDefinition[];
}

/** `read_file` whose one parameter is named `__proto__`, and one whose parameter is named `constructor`. */
function parameterTools(): ToolDefinition[] {
  return JSON.parse(
    '[{"name":"read_file","description":"Reads the file at a path and returns its contents.",' +
      '"inputSchema":{"type":"object","properties":{"__proto__":{"type":"string","format":"path","description":"Path of the file to read"}},"required":["__proto__"]},' +
      '"annotations":{"readOnlyHint":true,"__proto__":{"polluted":true}}},' +
      '{"name":"write_file","description":"Writes text to a file at a path.",' +
      '"inputSchema":{"type":"object","properties":{"constructor":{"type":"string","format":"path","description":"Path of the file to write"},"text":{"type":"string"}}}}]',
  ) as ToolDefinition[];
}

async function seed(dataDir: string, extra?: (store: Awaited<ReturnType<typeof openStore>>) => Promise<void>): Promise<void> {
  const store = await openStore({ dataDir: path.join(dataDir, 'pglite') });
  try {
    const hostile = await store.upsertServer(serverInput('hostile-names', { displayName: 'constructor', description: '__proto__' }));
    await store.recordIntrospection((await store.upsertServerVersion(hostile.id, '1.0.0')).id, okAttempt([...hostileTools(), ...parameterTools()]));
    const plain = await store.upsertServer(serverInput('plain-notes'));
    await store.recordIntrospection((await store.upsertServerVersion(plain.id, '2.0.0')).id, okAttempt([
      { name: 'list_notes', description: 'Lists the notes.', inputSchema: { type: 'object' } },
      { name: 'delete_note', description: 'Deletes a note for good.', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
    ]));
    await extra?.(store);
  } finally {
    await store.close();
  }
}

function cli(...args: string[]): Promise<number> {
  return main(['node', 'mcp-catalogue', ...args]);
}

type Json = Record<string, unknown>;
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Json;
const own = (object: unknown, key: string) => Object.hasOwn(object as object, key);

describe('tools and parameters named like Object.prototype members', () => {
  it('classify, export and site publish them with their rules; the policy validates and keeps every name', async () => {
    const dataDir = path.join(work, 'data');
    await seed(dataDir);
    expect(await cli('classify', '--data-dir', dataDir)).toBe(0);
    const exportDir = path.join(work, 'export');
    const siteDir = path.join(work, 'site');
    expect(await cli('export', '--data-dir', dataDir, '--out', exportDir), stderr).toBe(0);
    expect(await cli('site', '--data-dir', dataDir, '--out', siteDir), stderr).toBe(0);

    const policy = readJson(path.join(exportDir, 'policies/hostile-names.json'));
    expect(validatePolicy(policy)).toEqual({ valid: true, errors: [] });
    const tools = policy.tools as Json;
    expect(Object.getPrototypeOf(tools)).toBe(Object.prototype); // JSON.parse kept "__proto__" as data
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', LONG_NAME, UNICODE_NAME]) expect(own(tools, name), name).toBe(true);
    // Destructive: hidden and approval-gated; Execute: rate-limited with shell patterns; Financial: approval and a cap.
    expect(policy.hide).toEqual(expect.arrayContaining(['__proto__']));
    expect(tools['__proto__']).toEqual({ deny_if: [{ conditions: [], on_deny: 'Requires human approval.' }] });
    expect(tools['constructor']).toEqual({});
    expect((tools['toString'] as Json).limits).toEqual([{ counter: 'toString_rate', window: 'minute', max: 10, scope: 'grant' }]);
    expect(JSON.stringify((tools['toString'] as Json).deny_if)).toContain('"path":"args.command"');
    expect((tools['hasOwnProperty'] as Json).limits).toEqual([{ counter: 'hasOwnProperty_rate', window: 'minute', max: 30, scope: 'grant' }]);
    expect(JSON.stringify((tools['prototype'] as Json).deny_if)).toContain('"path":"args.amount","op":"gt"');
    // A parameter named "__proto__" (or "constructor") is a parameter like any other: its path conditions are there.
    expect(JSON.stringify((tools['read_file'] as Json).deny_if)).toContain('"path":"args.__proto__"');
    expect(JSON.stringify((tools['write_file'] as Json).deny_if)).toContain('"path":"args.constructor"');
    expect(readFileSync(path.join(exportDir, 'policies/hostile-names.json'), 'utf8')).toContain('"__proto__": {');
    // Every export format carries the hostile names and passes its check; none lets the hidden "__proto__" through.
    for (const format of FORMATS) {
      const text = readFileSync(path.join(exportDir, format.dir, `hostile-names.${format.ext}`), 'utf8');
      expect(format.validate(text, { serverName: 'hostile-names' }), format.id).toEqual([]);
    }
    const claude = readJson(path.join(exportDir, 'claude-code/hostile-names.json')) as { permissions: { allow: string[]; deny: string[] } };
    expect(claude.permissions.deny).toContain('mcp__hostile-names____proto__');
    expect(claude.permissions.allow).toContain('mcp__hostile-names__constructor');
    expect(claude.permissions.allow).not.toContain('mcp__hostile-names____proto__');
    const cedarPolicies = (readJson(path.join(exportDir, 'cedar/hostile-names.json')) as { cedar: { policies: string[] } }).cedar.policies;
    expect(cedarPolicies).toContain('forbid(principal, action == Action::"call_tool", resource == Tool::"__proto__");');

    // servers.jsonl keeps the stored definitions whole: the parameter and the annotation named "__proto__".
    const lines = readFileSync(path.join(exportDir, 'servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines.map((l) => l.identifier)).toEqual(['hostile-names', 'plain-notes']);
    const exported = lines[0]!.tools as Array<{ name: string; hash: string; definition: ToolDefinition; classification: Json | null }>;
    expect(exported.map((t) => t.name)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString', LONG_NAME, UNICODE_NAME]));
    const readFile = exported.find((t) => t.name === 'read_file')!;
    expect(own(readFile.definition.inputSchema.properties, '__proto__')).toBe(true);
    expect((readFile.definition.inputSchema.properties as Json)['__proto__']).toEqual({ type: 'string', format: 'path', description: 'Path of the file to read' });
    expect(own(readFile.definition.annotations, '__proto__')).toBe(true);
    expect(exported.find((t) => t.name === '__proto__')!.classification).toMatchObject({ category: 'Destructive' });

    // The pins keep every name as its own key, with the hash of the definition as stored.
    const pins = readJson(path.join(exportDir, 'pins/hostile-names.json')) as { latest: string; versions: Record<string, Json> };
    const pinned = pins.versions[pins.latest]!;
    for (const name of ['__proto__', 'constructor', 'toString', LONG_NAME, UNICODE_NAME]) expect(own(pinned, name), name).toBe(true);
    expect(pinned['__proto__']).toBe(exported.find((t) => t.name === '__proto__')!.hash);

    // The site: a page per tool, the server's policy.json and JSON document with the same rules.
    const pages = readdirSync(path.join(siteDir, 'servers/hostile-names/tools'));
    expect(pages).toHaveLength(10);
    expect(pages).toEqual(expect.arrayContaining(['proto.html', 'constructor.html', 'tostring.html', 'hasownproperty.html', 'prototype.html']));
    const protoPage = readFileSync(path.join(siteDir, 'servers/hostile-names/tools/proto.html'), 'utf8');
    expect(protoPage).toContain('<h1 id="tool-name">__proto__</h1>');
    expect(protoPage).toContain('Hidden by the recommended policy');
    expect(protoPage).toContain('&quot;__proto__&quot;: {');
    const readPage = readFileSync(path.join(siteDir, 'servers/hostile-names/tools/read-file.html'), 'utf8');
    expect(readPage).toContain('<td><code>__proto__</code></td><td>string</td><td>yes</td>');
    expect(readPage).toContain('&quot;path&quot;: &quot;args.__proto__&quot;');
    expect(readJson(path.join(siteDir, 'servers/hostile-names/policy.json'))).toEqual(policy);
    const api = readJson(path.join(siteDir, 'api/servers/hostile-names.json'));
    expect(own(api.policy && (api.policy as Json).tools, '__proto__')).toBe(true);
    const serverPage = readFileSync(path.join(siteDir, 'servers/hostile-names/index.html'), 'utf8');
    expect(serverPage).toContain('data-tool="__proto__"');
    expect(existsSync(path.join(siteDir, 'servers/plain-notes/index.html'))).toBe(true);

    // The static registry API: the same names as data, in the tools array and the policy's own keys.
    const latest = readJson(path.join(siteDir, 'v0.1/servers/hostile-names/versions/latest.json')) as { server: Json; _meta: Record<string, Json> };
    expect(latest.server).toMatchObject({ name: 'com.npmjs/hostile-names', title: 'constructor', description: '__proto__', version: '1.0.0' });
    const catalogue = latest._meta['io.github.mcp-catalogue/catalogue']!;
    expect((catalogue.tools as Array<{ name: string }>).map((t) => t.name)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'toString', LONG_NAME, UNICODE_NAME]));
    expect(catalogue.policy).toEqual(policy);
    const page = readJson(path.join(siteDir, 'v0.1/servers/page-1.json')) as { servers: Array<{ server: Json }>; metadata: Json };
    expect(page.servers.map((s) => s.server.name)).toEqual(['com.npmjs/hostile-names', 'com.npmjs/plain-notes']);
    expect(page.metadata).toEqual({ count: 2 });
  }, 240_000);
});

describe('a server whose stored records are of the wrong shape', () => {
  it('gets no policy and stand-in pages, named on stderr with exit code 3; every other server is published whole', async () => {
    const dataDir = path.join(work, 'data');
    await seed(dataDir, async (store) => {
      const broken = await store.upsertServer(serverInput('broken-records'));
      await store.recordIntrospection((await store.upsertServerVersion(broken.id, '0.1.0')).id, okAttempt([
        { name: 'list_items', description: 'Lists the items.', inputSchema: { type: 'object' } },
        { name: 'add_item', description: 'Adds an item to the list.', inputSchema: { type: 'object' } },
      ]));
    });
    expect(await cli('classify', '--data-dir', dataDir)).toBe(0);
    // Rows as an older or hand-edited database may hold them: JSON of the wrong shape where arrays belong.
    const db = await PGlite.create(path.join(dataDir, 'pglite'));
    try {
      await db.query(`update classifications set rule_ids = 'null'::jsonb where name = 'list_items'`);
      await db.query(`update classifications set evidence = '{"quote": 1}'::jsonb where name = 'add_item'`);
    } finally {
      await db.close();
    }
    const exportDir = path.join(work, 'export');
    const siteDir = path.join(work, 'site');
    expect(await cli('export', '--data-dir', dataDir, '--out', exportDir)).toBe(3);
    expect(stdout).toMatch(/problems: +1 server not published whole/);
    expect(stderr).toMatch(/npm:broken-records: no recommended policy: TypeError/);
    expect(existsSync(path.join(exportDir, 'policies/broken-records.json'))).toBe(false);
    for (const slug of ['hostile-names', 'plain-notes']) expect(validatePolicy(readJson(path.join(exportDir, `policies/${slug}.json`))).valid).toBe(true);
    const lines = readFileSync(path.join(exportDir, 'servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines.map((l) => l.identifier)).toEqual(['broken-records', 'hostile-names', 'plain-notes']);
    expect(lines[0]).toMatchObject({ policy: null, policyError: expect.stringMatching(/^TypeError: /) });
    expect(lines[1]).toMatchObject({ policy: 'policies/hostile-names.json', policyError: null });

    stderr = '';
    stdout = '';
    expect(await cli('site', '--data-dir', dataDir, '--out', siteDir)).toBe(3);
    expect(stderr).toMatch(/npm:broken-records: servers\/broken-records\/tools\/list-items\.html not built: TypeError/);
    expect(stderr).toMatch(/npm:broken-records: servers\/broken-records\/tools\/add-item\.html not built: TypeError/);
    const serverPage = readFileSync(path.join(siteDir, 'servers/broken-records/index.html'), 'utf8');
    expect(serverPage).toMatch(/<p id="policy-error">No recommended policy: it could not be built from the records stored for this server \(TypeError: /);
    const standIn = readFileSync(path.join(siteDir, 'servers/broken-records/tools/list-items.html'), 'utf8');
    expect(standIn).toMatch(/<p id="unavailable">This page could not be built from the records stored for <code>npm:broken-records<\/code>: TypeError: /);
    expect(readFileSync(path.join(siteDir, 'servers/plain-notes/tools/delete-note.html'), 'utf8')).toContain('<h1 id="tool-name">delete_note</h1>');
    expect(readFileSync(path.join(siteDir, 'servers/hostile-names/tools/proto.html'), 'utf8')).toContain('&quot;__proto__&quot;: {');
    expect(readFileSync(path.join(siteDir, 'index.html'), 'utf8')).toContain('broken-records');
    // The registry API serves it too: its tools with what classification could be read, and no policy.
    const broken = readJson(path.join(siteDir, 'v0.1/servers/broken-records/versions/latest.json')) as { _meta: Record<string, Json> };
    expect(broken._meta['io.github.mcp-catalogue/catalogue']).toMatchObject({ toolCount: 2, policy: null });
  }, 240_000);
});
