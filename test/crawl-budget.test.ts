/**
 * One package's crawl ends within its limits whatever its source costs to read: packages generated here, published
 * to a loopback npm registry and crawled through the real install, sandbox and readers. A small tarball that expands
 * to tens of thousands of files is refused before npm or our unpack writes them (`registries/npm/tarball.ts`), and
 * so is a wheel of more than 100,000 members before pip unpacks it (`registries/pypi/wheel-size.ts`); a 5 MB file of
 * 30,000 tool registrations is read within the package's reading budget, and each failure is recorded with its note.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { checkTarball, MAX_TARBALL_ENTRIES } from '../crawler/registries/npm/tarball.ts';
import { unpackNpmPackage } from '../crawler/registries/npm/install.ts';
import { checkWheels, MAX_WHEEL_ENTRIES } from '../crawler/registries/pypi/wheel-size.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { ReadingBudget } from '../crawler/static/budget.ts';
import { openStore, type Store } from '../db/index.ts';
import { startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { buildWheel, pypiPrerequisitesMissing, startPypiIndex, type FakeIndex } from './helpers/pypi-index.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

/** A gzipped npm tarball (`package/…` entries) of `files` (path → text), written in memory. */
function tarball(files: Array<[string, string]>): Buffer {
  const blocks: Buffer[] = [];
  for (const [file, text] of files) {
    const body = Buffer.from(text);
    const header = Buffer.alloc(512);
    new Header({ path: `package/${file}`, mode: 0o644, size: body.length, type: 'File', mtime: new Date(0), uid: 0, gid: 0 }).encode(header, 0);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

/** A package whose start exits at once with nothing said, so that the crawl goes on to read its source. */
function published(name: string, extra: Array<[string, string]>) {
  const manifest = { name, version: '1.0.0', bin: { [name]: 'index.js' }, dependencies: {} };
  const files: Array<[string, string]> = [['package.json', JSON.stringify(manifest)], ['index.js', 'process.exit(3);\n'], ...extra];
  return { manifest, tarball: tarball(files) };
}

const MANY_FILES = MAX_TARBALL_ENTRIES + 5000;
/** Tens of thousands of empty files in folders of 1,000: a tarball of a few hundred KB. */
const manyFiles = Array.from({ length: MANY_FILES }, (_, i): [string, string] => [`lib/d${Math.floor(i / 1000)}/f${i % 1000}.js`, '']);

/** About 4.9 MB of `server.registerTool(…)` lines, each tool its own: under the 5 MiB file cap, so it is parsed. */
function repeatedRegistrations(): string {
  const lines = ['const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");', 'const { z } = require("zod");', 'const server = new McpServer({ name: "many", version: "1.0.0" });'];
  for (let i = 0, size = 0; size < 4.9 * 1024 * 1024; i += 1) {
    const line = `server.registerTool("tool_${i}", { description: "Tool ${i}.", inputSchema: { q: z.string() } }, async ({ q }) => ({ content: [{ type: "text", text: q }] }));`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

const SESSION_MS = 10_000;
const READING_MS = 3000;
/** Install (npm pack and npm install on a loaded machine), the sandbox's start and stop, storing: generous. */
const MARGIN_MS = 30_000;

describe('one package within its limits', () => {
  let registry: FakeRegistry;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let cacheDir: string;
  let summary: CrawlSummary;
  const names = ['many-files-mcp-fixture', 'many-registrations-mcp-fixture'];

  beforeAll(async () => {
    registry = await startFakeRegistry([
      published('many-files-mcp-fixture', manyFiles),
      published('many-registrations-mcp-fixture', [['dist/tools.js', repeatedRegistrations()]]),
    ]);
    work = sandboxTempDir('mcp-catalogue-budget-');
    chmodSync(work, 0o755);
    cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    summary = await crawl(names.map((n) => parsePackageSpec(`npm:${n}`)), {
      store, http, npmRegistryUrl: registry.url, cacheDir, concurrency: 2, introspect: { timeoutMs: SESSION_MS }, readingBudgetMs: READING_MS,
    });
  }, 300_000);

  afterAll(async () => {
    await registry?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const resultOf = (name: string) => summary.results.find((r) => r.name === name)!;

  it('refuses a small tarball that expands to tens of thousands of files before anything unpacks it, and records why', async () => {
    const result = resultOf('many-files-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'too_large', toolCount: 0 });
    expect(result.failureMessage).toBe(`many-files-mcp-fixture@1.0.0: the tarball holds more than ${MAX_TARBALL_ENTRIES} entries (files and folders); it is not unpacked`);
    expect(result.durationMs).toBeLessThan(SESSION_MS + READING_MS + MARGIN_MS);
    const entry = (await store.catalogue()).find((e) => e.server.identifier === 'many-files-mcp-fixture');
    expect(entry?.introspection).toMatchObject({ failureReason: 'too_large', stderrTail: `[mcp-catalogue] ${result.failureMessage}` });
    // Nothing of it was written to the cache.
    await expect(unpackNpmPackage('many-files-mcp-fixture', '1.0.0', { cacheDir, registryUrl: registry.url })).rejects.toMatchObject({ code: 'PACKAGE_TOO_LARGE' });
  });

  it('reads 5 MB of tool registrations within the reading budget, and records that it ran out', async () => {
    const result = resultOf('many-registrations-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'crashed_on_start', toolCount: 0 });
    expect(result.failureMessage).toBe(`exited with code 3 before answering initialize; reading the source failed too: static extraction ran past its budget of ${READING_MS} ms and was stopped`);
    expect(result.durationMs).toBeLessThan(SESSION_MS + READING_MS + MARGIN_MS);
    expect(result.stderrTail).toMatch(/\[mcp-catalogue\] static extraction ran past its budget of 3000 ms and was stopped$/);
  });
});

describe('the tarball check', () => {
  it('counts what a tarball holds without writing it, and stops at the first limit', async () => {
    const dir = sandboxTempDir('mcp-catalogue-tarball-');
    try {
      const file = path.join(dir, 'p.tgz');
      writeFileSync(file, tarball([['package.json', '{}'], ['a.js', 'x'.repeat(1000)], ['b.js', 'y'.repeat(3000)]]));
      expect(await checkTarball(file, 'p@1.0.0')).toEqual({ entries: 3, unpackedBytes: 4002 });
      await expect(checkTarball(file, 'p@1.0.0', { maxEntries: 2 })).rejects.toMatchObject({ code: 'PACKAGE_TOO_LARGE', message: 'p@1.0.0: the tarball holds more than 2 entries (files and folders); it is not unpacked' });
      await expect(checkTarball(file, 'p@1.0.0', { maxUnpackedBytes: 2 * 1024 * 1024 })).resolves.toMatchObject({ entries: 3 });
      writeFileSync(file, tarball([['big.bin', '\0'.repeat(3 * 1024 * 1024)]]));
      await expect(checkTarball(file, 'p@1.0.0', { maxUnpackedBytes: 2 * 1024 * 1024 })).rejects.toMatchObject({ code: 'PACKAGE_TOO_LARGE', message: 'p@1.0.0: the tarball unpacks to more than 2 MiB; it is not unpacked' });
      writeFileSync(file, Buffer.from('not a tarball at all'));
      await expect(checkTarball(file, 'p@1.0.0')).rejects.toMatchObject({ code: 'INSTALL_FAILED' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the reading budget', () => {
  it('gives each reader what the ones before left, and nothing once spent', async () => {
    const budget = new ReadingBudget(300);
    const seen: number[] = [];
    await budget.use(async (ms) => {
      seen.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    await budget.use(async (ms) => {
      seen.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 150));
    });
    await budget.use(async (ms) => seen.push(ms));
    expect(seen[0]).toBe(300);
    expect(seen[1]).toBeGreaterThan(0);
    expect(seen[1]).toBeLessThanOrEqual(100);
    expect(seen[2]).toBe(0);
  });
});

const missingPython = pypiPrerequisitesMissing();

describe.skipIf(missingPython !== null)('the wheel check', () => {
  let dir: string;
  beforeAll(() => {
    dir = sandboxTempDir('mcp-catalogue-wheels-');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A zip written by Python's zipfile (what pip unpacks with): `count` members of `size` bytes each. */
  const zip = (name: string, count: number, size: number, compression = 'ZIP_DEFLATED'): { path: string; name: string } => {
    const file = path.join(dir, name);
    execFileSync('/usr/bin/python3', ['-I', '-c', `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.${compression}) as z:
    for i in range(int(sys.argv[2])):
        z.writestr("pkg/f%d.py" % i, b"\\0" * int(sys.argv[3]))`, file, String(count), String(size)]);
    return { path: file, name };
  };

  it('counts the members and their unpacked bytes as Python\'s zipfile lists them, ZIP64 included', async () => {
    const small = zip('small.whl', 3, 1000);
    expect(await checkWheels([small])).toEqual({ entries: 3, unpackedBytes: 3000 });
    // More than 65,535 members: the counts are in the ZIP64 end records.
    const many = zip('many.whl', 70_000, 0, 'ZIP_STORED');
    expect(await checkWheels([small, many])).toEqual({ entries: 70_003, unpackedBytes: 3000 });
  });

  it('stops at the first limit, across the wheels of one install, and refuses what is not a zip', async () => {
    const a = zip('a.whl', 10, 1024 * 1024);
    const b = zip('b.whl', 10, 1024 * 1024);
    await expect(checkWheels([a, b], { maxEntries: 15 })).rejects.toMatchObject({
      code: 'PACKAGE_TOO_LARGE', message: 'the wheels of this install hold more than 15 files (passed in b.whl); they are not unpacked',
    });
    await expect(checkWheels([a, b], { maxUnpackedBytes: 12 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'PACKAGE_TOO_LARGE', message: 'the wheels of this install unpack to more than 12 MiB (passed in b.whl); they are not unpacked',
    });
    writeFileSync(path.join(dir, 'junk.whl'), 'not a zip');
    await expect(checkWheels([{ path: path.join(dir, 'junk.whl'), name: 'junk.whl' }])).rejects.toMatchObject({ code: 'INSTALL_FAILED', message: 'junk.whl cannot be read as a wheel: no end of central directory record' });
  });
});

describe.skipIf(missingPython !== null)('one PyPI package within its limits', () => {
  let index: FakeIndex;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let summary: CrawlSummary;

  beforeAll(async () => {
    const files: Record<string, string> = { 'pyfix_many/__init__.py': 'def main():\n    return 0\n' };
    for (let i = 0; i < MAX_WHEEL_ENTRIES; i += 1) files[`pyfix_many/m${Math.floor(i / 1000)}/f${i % 1000}.py`] = '';
    index = await startPypiIndex([{ name: 'pyfix-many-files', files: [buildWheel({ name: 'pyfix-many-files', version: '1.0.0', consoleScripts: { 'pyfix-many-files': 'pyfix_many:main' }, files })] }]);
    work = sandboxTempDir('mcp-catalogue-pypi-budget-');
    chmodSync(work, 0o755);
    const cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    summary = await crawl([parsePackageSpec('pypi:pyfix-many-files')], {
      store, http, npmRegistryUrl: 'http://127.0.0.1:9', pypiUrl: index.url, cacheDir, introspect: { timeoutMs: SESSION_MS },
    });
  }, 300_000);

  afterAll(async () => {
    await index?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('refuses a wheel of more than 100,000 members before pip unpacks it, and records why', () => {
    const [result] = summary.results;
    expect(result).toMatchObject({ name: 'pyfix-many-files', outcome: 'failed', failureReason: 'too_large', toolCount: 0 });
    expect(result!.failureMessage).toBe(`the wheels of this install hold more than ${MAX_WHEEL_ENTRIES} files (passed in pyfix_many_files-1.0.0-py3-none-any.whl); they are not unpacked`);
    expect(result!.durationMs).toBeLessThan(SESSION_MS + MARGIN_MS);
    // Nothing was unpacked, and the staging folder is gone.
    expect(readdirSync(path.join(work, 'cache/pypi/pyfix-many-files'))).toEqual([]);
  });
});
