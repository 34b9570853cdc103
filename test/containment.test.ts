/**
 * Containment (issue 11): whatever one package does to the crawler, it ends as that package's recorded failure and
 * the crawl goes on. Fixture packages whose source trips each analysis step (a class with a `static {}` block, the
 * input that once stopped a nightly crawl; a 10 MB minified bundle; expressions nested 50,000 deep; a package.json
 * whose "main" is an array), published to a loopback npm registry and crawled through the real sandbox beside a
 * normal server; the static extractor's worker budget; and `contain()` itself.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contain, isFatal } from '../crawler/contain.ts';
import { emptyTimings, failed, withStaticFailure } from '../crawler/attempt.ts';
import { crawl, type CrawlSummary, type PackageResult } from '../crawler/index.ts';
import { CrawlError, SandboxUnavailableError } from '../crawler/errors.ts';
import { HttpClient } from '../crawler/http.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { extractFromSource } from '../crawler/static/extract.ts';
import { extractToolsInWorker } from '../crawler/static/budget.ts';
import { openStore, type Store } from '../db/index.ts';
import { StoreError } from '../db/index.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures/servers');
const repoRoot = path.resolve(import.meta.dirname, '..');

/** A one-line minified bundle of about `bytes` bytes that mentions tools throughout. */
function minifiedBundle(bytes: number): string {
  const chunk = '!function(e,t){var n={tool:"x",schema:{type:"object"}},r=[1,2,3].map(function(o){return o*2+e});t.exports=n;e.f=r}(this,module);';
  return chunk.repeat(Math.ceil(bytes / chunk.length));
}

/** Copies fixture `name` to a temporary folder and writes `files` (relative path → text) into it. */
function generatedFixture(name: string, files: Record<string, string>): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-containment-')), name);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const DEPTH = 50_000;
const deepFiles = {
  'dist/deep.js': `server.tool("deep_parens", "Nested parentheses.", ${'('.repeat(DEPTH)}{}${')'.repeat(DEPTH)}, async () => ({ content: [] }));\n`,
  'dist/arrays.js': `module.exports = { tools: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)} };\n`,
};

describe('class members without a key', () => {
  it('reads tool classes with static blocks and keeps private names apart from public ones', () => {
    const tools = extractFromSource(`
      class Base { static registry = []; }
      class SearchTool extends Base { static { Base.registry.push(this); } #name = "private_name"; name = "search"; description = "Searches."; schema = { q: z.string() }; async execute() {} }
      class Other { static {} static #n = 0; [Symbol.iterator]() {} }
      server.addTool(new SearchTool());
    `);
    expect(tools?.map((t) => t.name)).toEqual(['search']);
    expect(tools?.[0]).toMatchObject({ description: 'Searches.', inputSchema: { properties: { q: { type: 'string' } } } });
  });
});

describe('isFatal', () => {
  it('stops the crawl for no sandbox, a database that is gone, and an abort; not for a fault on one package', () => {
    expect(isFatal(new SandboxUnavailableError('no bwrap', { reason: 'missing' }))).toBe(true);
    expect(isFatal(new StoreError('DB_CLOSED', 'closed'))).toBe(true);
    expect(isFatal(new Error('Connection terminated unexpectedly'))).toBe(true);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isFatal(Object.assign(new Error('Failed query: insert into servers'), { name: 'DrizzleQueryError', cause: refused }))).toBe(true);
    expect(isFatal(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    const aborted = new AbortController();
    aborted.abort();
    expect(isFatal(new TypeError('anything'), aborted.signal)).toBe(true);

    expect(isFatal(new TypeError("Cannot read properties of undefined (reading 'type')"))).toBe(false);
    expect(isFatal(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    // A registry that refuses is one package's registry_error, not the database.
    expect(isFatal(new CrawlError('HTTP_NETWORK', 'fetch failed', { cause: refused }))).toBe(false);
    expect(isFatal(new StoreError('DB_NOT_FOUND', 'no such version'))).toBe(false);
  });
});

describe('contain', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ dataDir: 'memory://' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const target = { spec: 'npm:thrower@latest', name: 'thrower' };

  it('turns a throw after the version was stored into a crawler_error attempt stored under that version', async () => {
    const run = await store.startCrawlRun();
    const result = await contain(async (progress) => {
      const server = await store.upsertServer({ registry: 'npm', identifier: 'thrower', displayName: 'thrower', description: null, repositoryUrl: null });
      progress.version = '1.2.3';
      progress.versionId = (await store.upsertServerVersion(server.id, '1.2.3')).id;
      throw new TypeError('boom in a later step');
    }, target, { store, crawlRunId: run.id });
    expect(result).toMatchObject({
      spec: 'npm:thrower@latest', name: 'thrower', version: '1.2.3', outcome: 'failed', method: 'none', failureReason: 'crawler_error', toolCount: 0,
      failureMessage: 'the crawler failed on this package: TypeError: boom in a later step',
    });
    const lines = result.stderrTail.split('\n');
    expect(lines.every((l) => l.startsWith('[mcp-catalogue] '))).toBe(true);
    expect(lines.some((l) => /^\[mcp-catalogue\]\s+at .*containment\.test\.ts/.test(l))).toBe(true);
    const entry = (await store.catalogue()).find((e) => e.server.identifier === 'thrower');
    expect(entry?.version?.version).toBe('1.2.3');
    expect(entry?.introspection).toMatchObject({ outcome: 'failed', failureReason: 'crawler_error', crawlRunId: run.id });
    expect(entry?.introspection?.stderrTail).toContain('boom in a later step');
  });

  it('stores the server and version itself when the throw came between resolving and storing them', async () => {
    const run = await store.startCrawlRun();
    await contain(async (progress) => {
      progress.version = '0.0.1';
      progress.storeVersion = async () => {
        const server = await store.upsertServer({ registry: 'npm', identifier: 'early-thrower', displayName: 'early-thrower', description: null, repositoryUrl: null });
        return (await store.upsertServerVersion(server.id, '0.0.1')).id;
      };
      throw 'a string, not an Error';
    }, { spec: 'npm:early-thrower@latest', name: 'early-thrower' }, { store, crawlRunId: run.id });
    const entry = (await store.catalogue()).find((e) => e.server.identifier === 'early-thrower');
    expect(entry?.introspection).toMatchObject({ failureReason: 'crawler_error', failureMessage: 'the crawler failed on this package: thrown value: a string, not an Error' });
  });

  it('still returns the failure when storing it fails too, and throws what is fatal', async () => {
    const failingStore = { recordIntrospection: () => Promise.reject(new TypeError('the row is malformed')) };
    const work = async (progress: { version: string | null; versionId: number | null }): Promise<PackageResult> => {
      progress.version = '1.0.0';
      progress.versionId = 7;
      throw new Error('first fault');
    };
    const result = await contain(work, target, { store: failingStore, crawlRunId: 1 });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'crawler_error', version: '1.0.0' });
    expect(result.stderrTail).toMatch(/\[mcp-catalogue\] the attempt could not be stored either: TypeError: the row is malformed$/);

    const goneStore = { recordIntrospection: () => Promise.reject(new StoreError('DB_CLOSED', 'the store is closed')) };
    await expect(contain(work, target, { store: goneStore, crawlRunId: 1 })).rejects.toMatchObject({ code: 'DB_CLOSED' });
    await expect(contain(() => Promise.reject(new SandboxUnavailableError('no bwrap')), target, { store, crawlRunId: 1 })).rejects.toBeInstanceOf(SandboxUnavailableError);
  });
});

describe('the static extraction budget', () => {
  let slowPackage: string;
  beforeAll(() => {
    // About 4.5 MiB of source in one file: under the 5 MiB file cap, so it is parsed, which takes seconds.
    slowPackage = path.join(mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-budget-')), 'pkg');
    mkdirSync(slowPackage);
    writeFileSync(path.join(slowPackage, 'package.json'), JSON.stringify({ name: 'slow' }));
    writeFileSync(path.join(slowPackage, 'index.js'), minifiedBundle(4.5 * 1024 * 1024));
  });
  afterAll(() => {
    if (slowPackage) rmSync(path.dirname(slowPackage), { recursive: true, force: true });
  });

  it('reads a package in the worker, under vitest', async () => {
    const result = await extractToolsInWorker(path.join(fixtures, 'static-block-server'));
    expect(result.failure).toBeNull();
    expect(result.tools.map((t) => t.name)).toEqual(['search_issues', 'close_issue']);
  });

  it('stops an extraction that runs past its wall clock, within the budget, with a note', async () => {
    const started = performance.now();
    const result = await extractToolsInWorker(slowPackage, { budgetMs: 300 });
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ tools: [], failure: 'static extraction ran past its budget of 300 ms and was stopped' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 1500);
  });

  it('stops an extraction that runs out of its heap, with a note', async () => {
    const result = await extractToolsInWorker(slowPackage, { maxOldGenerationMb: 24, maxYoungGenerationMb: 4, budgetMs: 60_000 });
    expect(result.tools).toEqual([]);
    expect(result.failure).toBe('static extraction ran out of its 24 MiB heap and was stopped');
  });

  it("puts the extraction's failure on the live failure's message and tail", () => {
    const live = failed('crashed_on_start', 'exited with code 1 before answering initialize', new Date(), emptyTimings(), 'Error: boom\n');
    const noted = withStaticFailure(live, 'static extraction ran past its budget of 20000 ms and was stopped');
    expect(noted).toMatchObject({
      outcome: 'failed', failureReason: 'crashed_on_start',
      failureMessage: 'exited with code 1 before answering initialize; reading the source failed too: static extraction ran past its budget of 20000 ms and was stopped',
      stderrTail: 'Error: boom\n[mcp-catalogue] static extraction ran past its budget of 20000 ms and was stopped',
    });
    const full = withStaticFailure({ ...live, stderrTail: 'x'.repeat(5000) }, 'note');
    expect(Buffer.byteLength(full.stderrTail)).toBe(4096);
    expect(full.stderrTail.endsWith('\n[mcp-catalogue] note')).toBe(true);
  });

  it('ends on expressions nested 50,000 deep without a throw', async () => {
    const dir = generatedFixture('deep-nesting-server', deepFiles);
    try {
      const result = await extractToolsInWorker(dir);
      expect(result.tools).toEqual([]);
      expect(result.filesRead).toBe(3);
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('one crawl over packages that trip each analysis step', () => {
  let registry: FakeRegistry;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let summary: CrawlSummary;
  const generated: string[] = [];
  const names = ['static-block-mcp-fixture', 'huge-minified-mcp-fixture', 'deep-nesting-mcp-fixture', 'array-main-mcp-fixture', 'notes-mcp-fixture'];

  beforeAll(async () => {
    generated.push(generatedFixture('huge-minified-server', { 'dist/bundle.min.js': minifiedBundle(10 * 1024 * 1024) }));
    generated.push(generatedFixture('deep-nesting-server', deepFiles));
    const folders = [path.join(fixtures, 'static-block-server'), ...generated, path.join(fixtures, 'array-main-server'), path.join(fixtures, 'notes-server')];
    registry = await startFakeRegistry(folders.map(packFixture));
    work = sandboxTempDir('mcp-catalogue-containment-');
    chmodSync(work, 0o755); // the sandbox runs under an unprivileged uid that must reach the package cache
    const cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    summary = await crawl(names.map((n) => parsePackageSpec(`npm:${n}`)), {
      store, http, npmRegistryUrl: registry.url, cacheDir, concurrency: 2, introspect: { timeoutMs: 20_000 },
    });
  }, 240_000);

  afterAll(async () => {
    await registry?.close();
    await http?.close();
    await store?.close();
    for (const dir of [work, ...generated.map((g) => path.dirname(g))]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const resultOf = (name: string) => summary.results.find((r) => r.name === name);

  it('finishes with every package recorded, each with an attempt in the store', async () => {
    expect(summary.tried).toBe(names.length);
    expect(summary.results.map((r) => r.name).sort()).toEqual([...names].sort());
    expect(summary.results.filter((r) => r.failureReason === 'registry_error')).toEqual([]);
    const catalogue = await store.catalogue();
    for (const name of names) {
      const entry = catalogue.find((e) => e.server.identifier === name);
      expect(entry?.introspection, name).toMatchObject({ crawlRunId: summary.crawlRunId });
      expect(entry?.version?.version, name).toBe('1.0.0');
    }
  });

  it('lists the normal server live', async () => {
    expect(resultOf('notes-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 5 });
    const entry = (await store.catalogue()).find((e) => e.server.identifier === 'notes-mcp-fixture');
    expect(entry?.tools.map((t) => t.tool.name).sort()).toEqual(['create_refund', 'delete_all_notes', 'read_note', 'run_shell_command', 'write_note']);
    // Its tools/list answers from a literal table and no tools/call handler exists: no handler to follow.
    expect(entry?.tools.map((t) => t.codeEffects)).toEqual(Array(5).fill({ handlerFound: false, effects: [] }));
  });

  it('reads the tools of classes with static blocks from source, where the crawl once stopped', async () => {
    expect(resultOf('static-block-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'crashed_on_start', toolCount: 2 });
    const entry = (await store.catalogue()).find((e) => e.server.identifier === 'static-block-mcp-fixture');
    expect(entry?.tools.map((t) => t.tool.name).sort()).toEqual(['close_issue', 'search_issues']);
    // What the handlers do is read from the same source: each class's execute(), with no side effect.
    expect(entry?.tools.map((t) => [t.tool.name, t.codeEffects])).toEqual([
      ['close_issue', { handlerFound: true, handler: { file: 'server.js', line: 33 }, effects: [] }],
      ['search_issues', { handlerFound: true, handler: { file: 'server.js', line: 20 }, effects: [] }],
    ]);
  });

  it('reads past a 10 MB minified bundle and expressions nested 50,000 deep', () => {
    expect(resultOf('huge-minified-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'static', toolCount: 1 });
    expect(resultOf('deep-nesting-mcp-fixture')).toMatchObject({ outcome: 'failed', failureReason: 'crashed_on_start', toolCount: 0 });
  });

  it('records a package whose package.json makes our entry-point search throw as its own crawler_error', async () => {
    const result = resultOf('array-main-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'crawler_error', version: '1.0.0' });
    expect(result?.failureMessage).toMatch(/^the crawler failed on this package: TypeError: The "paths\[1\]" argument must be of type string/);
    const entry = (await store.catalogue()).find((e) => e.server.identifier === 'array-main-mcp-fixture');
    expect(entry?.introspection).toMatchObject({ outcome: 'failed', failureReason: 'crawler_error' });
    expect(entry?.introspection?.stderrTail).toMatch(/^\[mcp-catalogue\] +at findEntryPoint /m);
  });

  it('runs the extraction worker under the CLI too (bin/mcp-catalogue.js, tsx)', async () => {
    const dataDir = path.join(work, 'cli-data');
    const env: NodeJS.ProcessEnv = { ...process.env, MCP_CATALOGUE_CACHE_DIR: path.join(work, 'cache') };
    delete env.DATABASE_URL;
    const { stdout } = await promisify(execFile)(process.execPath, [
      path.join(repoRoot, 'bin/mcp-catalogue.js'), 'crawl', 'npm:static-block-mcp-fixture', 'npm:array-main-mcp-fixture',
      '--data-dir', dataDir, '--npm-registry-url', registry.url, '--timeout-ms', '20000',
    ], { env, cwd: repoRoot });
    expect(stdout).toMatch(/^servers tried: +2$/m);
    expect(stdout).toMatch(/^listed from source: +1 /m);
    expect(stdout).toMatch(/^live starts failed: +2 \(.*crawler_error 1/m);
  }, 120_000);
});
