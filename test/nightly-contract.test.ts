/**
 * The nightly job's contract, over five nights of `mcp-catalogue run --report` against a loopback npm registry behind
 * a front that fails as registries do (503s, reset connections):
 * 1. the registry is down all night: every discovery source fails, the run exits 6 and says so;
 * 2. it answers discovery, then goes down for the crawl: both packages fail with `registry_error`, nothing is stored
 *    for them, the run exits 0;
 * 3. it fails the first two requests of each packument, then answers: the retries get through, both packages are
 *    installed and listed;
 * 4. nothing changed (warm): nothing is installed; the versions listed before are listed again from the cache;
 * 5. the same with `--no-relist`: nothing is installed and nothing is started.
 * Each night's JSON run report is read back and checked against the summary.
 */
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../db/index.ts';
import { main } from '../scripts/cli.ts';
import { RUN_REPORT_VERSION, type RunReport } from '../scripts/run-report.ts';
import { startFlakyFront, type FlakyFront, type FrontVerdict } from './helpers/flaky-front.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures/servers');
const NAMES = ['notes-mcp-fixture', 'tools-file-mcp-fixture'];

/** A packument request (not a tarball's). */
const packument = (p: string) => !p.includes('/-/');
/** Alternates the two ways a registry fails: a 503, then a reset connection. */
const failing = (count: number): FrontVerdict => (count % 2 === 1 ? '503' : 'reset');

describe('the nightly contract: exit codes, the run report, faults and warm runs', () => {
  let registry: FakeRegistry;
  let front: FlakyFront;
  let work: string;
  const nights: Array<{ code: number; stdout: string; report: RunReport | null }> = [];
  const storedVersions: number[] = [];

  async function night(extra: string[] = []): Promise<void> {
    let stdout = '';
    const reportFile = path.join(work, `report-${nights.length + 1}.json`);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const previous = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const code = await main([
        'node', 'mcp-catalogue', 'run', '--source', 'npm', '--names-file', path.join(work, 'names.txt'),
        '--npm-registry-url', front.url, '--data-dir', path.join(work, 'data'),
        '--site-out', path.join(work, 'site'), '--export-out', path.join(work, 'export'),
        '--timeout-ms', '20000', '--report', reportFile, ...extra,
      ]);
      let report: RunReport | null = null;
      try {
        report = JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport;
      } catch {
        // no report: the test on that night fails on it
      }
      nights.push({ code, stdout, report });
    } finally {
      if (previous !== undefined) process.env.DATABASE_URL = previous;
      out.mockRestore();
      err.mockRestore();
    }
    const store = await openStore({ dataDir: path.join(work, 'data', 'pglite') });
    try {
      storedVersions.push((await store.attemptedVersions()).length);
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    work = sandboxTempDir('mcp-catalogue-nightly-');
    chmodSync(work, 0o755); // the sandbox's unprivileged uid reads the package cache
    const toolsFile = path.join(work, 'tools-file');
    mkdirSync(toolsFile);
    copyFileSync(path.join(fixtures, 'changing-server', 'server.js'), path.join(toolsFile, 'server.js'));
    writeFileSync(path.join(toolsFile, 'package.json'), JSON.stringify({ name: NAMES[1], version: '1.0.0', description: 'Lists the tools in its tools.json.', bin: { [NAMES[1]!]: 'server.js' }, license: 'Apache-2.0' }));
    writeFileSync(path.join(toolsFile, 'tools.json'), JSON.stringify([{ name: 'list_files', description: 'Lists the files in a folder.', inputSchema: { type: 'object', properties: { folder: { type: 'string' } } } }]));
    registry = await startFakeRegistry([packFixture(path.join(fixtures, 'notes-server')), packFixture(toolsFile)]);
    front = await startFlakyFront(registry.url);
    writeFileSync(path.join(work, 'names.txt'), NAMES.map((n) => `npm:${n}`).join('\n'));

    front.policy = (_path, count) => failing(count);
    await night();
    front.reset();
    // Discovery asks for each packument once; every request after that fails.
    front.policy = (p, count) => (packument(p) && count === 1 ? 'pass' : failing(count));
    await night();
    front.reset();
    front.policy = (p, count) => (packument(p) && count <= 2 ? failing(count) : 'pass');
    await night();
    front.reset();
    front.policy = () => 'pass';
    await night();
    await night(['--no-relist']);
  }, 600_000);

  afterAll(async () => {
    await front?.close();
    await registry?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('night 1: every discovery source failed, so the run exits 6 and its summary and report say why', () => {
    const [first] = nights;
    expect(first!.code).toBe(6);
    expect(first!.stdout).toMatch(/discovery: +every source failed/);
    expect(first!.stdout).toMatch(/alert: +every discovery source failed \(npm: no answer to 2 request\(s\)\).*\(exit 6\)/);
    const report = first!.report!;
    expect(report.version).toBe(RUN_REPORT_VERSION);
    expect(report.exitCode).toBe(6);
    expect(report.discovery!.allFailed).toBe(true);
    expect(report.discovery!.sources).toEqual([expect.objectContaining({ source: 'npm', candidates: 0, requests: 2, warnings: 2, error: null, failed: true })]);
    expect(report.crawl).toMatchObject({ planned: 0, tried: 0, installs: 0, starts: 0, drained: true });
    // Each packument was asked for four times: once, then three retries.
    expect(front.log.length).toBeGreaterThan(0);
    expect(storedVersions[0]).toBe(0);
  });

  it('night 2: a registry lost during the crawl fails each package with registry_error, stores nothing for them, and exits 0', () => {
    const report = nights[1]!.report!;
    expect(nights[1]!.code).toBe(0);
    expect(report.alerts).toEqual([]);
    expect(report.discovery!.allFailed).toBe(false);
    expect(report.discovery!.sources[0]).toMatchObject({ candidates: 2, failed: false });
    expect(report.crawl).toMatchObject({ planned: 2, tried: 2, outcomes: { live: 0, static: 0, failed: 2 }, reasons: { registry_error: 2 }, installs: 0, starts: 0 });
    expect(nights[1]!.stdout).toMatch(/live starts failed: +2 \(registry_error 2\)/);
    expect(storedVersions[1]).toBe(0);
  });

  it('night 3: the packages are crawled again; 503s and resets within the retries are got past; both are installed and listed', () => {
    const report = nights[2]!.report!;
    expect(nights[2]!.code).toBe(0);
    expect(report.crawl).toMatchObject({ planned: 2, tried: 2, outcomes: { live: 2, static: 0, failed: 0 }, reasons: {}, installs: 2 });
    expect(report.crawl.starts).toBeGreaterThanOrEqual(2);
    expect(report.crawl.tools).toBeGreaterThan(1);
    expect(storedVersions[2]).toBe(2);
    expect(nights[2]!.stdout).toMatch(/installs, starts: +2 packages installed/);
  });

  it('night 4 (warm): installs nothing; lists the two versions again from the package cache, one start each', () => {
    const report = nights[3]!.report!;
    expect(nights[3]!.code).toBe(0);
    expect(report.crawl).toMatchObject({ planned: 2, relisted: 2, tried: 2, installs: 0, starts: 2, outcomes: { live: 2, static: 0, failed: 0 } });
    expect(report.changes).toMatchObject({ servers: 0, added: 0, removed: 0, changed: 0 });
    expect(nights[3]!.stdout).toMatch(/installs, starts: +0 packages installed \(the others came from the package cache\), 2 starts/);
  });

  it('night 5 (warm, --no-relist): installs and starts nothing', () => {
    const report = nights[4]!.report!;
    expect(nights[4]!.code).toBe(0);
    expect(report.crawl).toMatchObject({ planned: 0, relisted: 0, tried: 0, installs: 0, starts: 0 });
    expect(storedVersions[4]).toBe(2);
  });

  it('every report gives per-stage times and the published counts', () => {
    for (const { report } of nights) {
      expect(report).not.toBeNull();
      for (const ms of [report!.ms, report!.discovery!.ms, report!.discovery!.sources[0]!.ms, report!.crawl.ms, report!.classify.ms, report!.export.ms, report!.site.ms]) {
        expect(ms).toBeGreaterThanOrEqual(0);
      }
    }
    expect(nights[4]!.report!.site.servers).toBe(2);
    expect(nights[4]!.report!.export.files).toBeGreaterThan(0);
  });
});
