/**
 * The npm install step against hostile tarballs, through the real sandbox and a loopback registry: a package's file
 * modes never reach the package cache with setuid, setgid or sticky bits or group/world write, whether npm installed
 * the package or its own tarball was unpacked after the install failed.
 */
import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { installNpmPackage, installRoot } from '../crawler/registries/npm/install.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type Store } from '../db/index.ts';
import { startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const notesServer = path.resolve(import.meta.dirname, 'fixtures/servers/notes-server/server.js');

/** One member of a fixture tarball: its path below `package/`, its mode, and its text (none for a folder). */
interface Member {
  path: string;
  mode: number;
  text?: string;
}

/**
 * A tarball as a hostile publisher would make it: the members' modes are written as given (node-tar, not portable,
 * so setuid, setgid, sticky and world-write bits are kept in the headers), with `package.json` from `manifest`.
 */
async function hostileTarball(manifest: Record<string, unknown>, members: Member[]): Promise<{ manifest: Record<string, unknown>; tarball: Buffer }> {
  const work = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-hostile-tarball-'));
  try {
    const root = path.join(work, 'package');
    mkdirSync(root);
    writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest));
    copyFileSync(notesServer, path.join(root, 'server.js'));
    chmodSync(path.join(root, 'server.js'), 0o755);
    for (const member of [...members].sort((a, b) => a.path.localeCompare(b.path))) {
      const full = path.join(root, member.path);
      mkdirSync(member.text === undefined ? full : path.dirname(full), { recursive: true });
      if (member.text !== undefined) writeFileSync(full, member.text);
    }
    for (const member of members) chmodSync(path.join(root, member.path), member.mode);
    const file = path.join(work, 'package.tgz');
    await create({ gzip: true, file, cwd: work, portable: false }, ['package']);
    return { manifest, tarball: readFileSync(file) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const HOSTILE_MEMBERS: Member[] = [
  { path: 'bin/escalate', mode: 0o4755, text: '#!/bin/sh\nid\n' },
  { path: 'bin/group-tool', mode: 0o2755, text: '#!/bin/sh\nid\n' },
  { path: 'notes.txt', mode: 0o666, text: 'anyone may write me\n' },
  { path: 'shared', mode: 0o1777 },
  { path: 'shared/drop.txt', mode: 0o646, text: 'world-writable\n' },
];

/** Every entry below `dir` (not following symbolic links) with its mode. */
function walk(dir: string): Array<{ path: string; mode: number; link: boolean }> {
  const out: Array<{ path: string; mode: number; link: boolean }> = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const stat = lstatSync(full);
    out.push({ path: full, mode: stat.mode & 0o7777, link: stat.isSymbolicLink() });
    if (stat.isDirectory()) out.push(...walk(full));
  }
  return out;
}

describe('file modes a package brings into the package cache', () => {
  let registry: FakeRegistry;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let cacheDir: string;
  let summary: CrawlSummary;

  beforeAll(async () => {
    const installed = await hostileTarball(
      { name: 'setuid-mcp-fixture', version: '1.0.0', description: 'A server whose tarball carries setuid and world-writable members.', bin: { 'setuid-mcp-fixture': 'server.js' } },
      HOSTILE_MEMBERS,
    );
    const unpacked = await hostileTarball(
      { name: 'setuid-unresolved-mcp-fixture', version: '1.0.0', bin: { 'setuid-unresolved-mcp-fixture': 'server.js' }, dependencies: { '@fixture/never-published': '1.0.0' } },
      HOSTILE_MEMBERS,
    );
    registry = await startFakeRegistry([installed, unpacked]);
    work = sandboxTempDir('mcp-catalogue-npm-install-');
    chmodSync(work, 0o755); // the sandbox runs under an unprivileged uid that must reach the package cache
    cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    summary = await crawl(['npm:setuid-mcp-fixture', 'npm:setuid-unresolved-mcp-fixture'].map((s) => parsePackageSpec(s)), {
      store, http, npmRegistryUrl: registry.url, cacheDir, concurrency: 2, introspect: { timeoutMs: 20_000 },
    });
  }, 240_000);

  afterAll(async () => {
    await registry?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const resultOf = (name: string) => summary.results.find((r) => r.name === name);

  it('installs the package and unpacks the one that cannot be installed, both with their members', () => {
    expect(resultOf('setuid-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 5 });
    expect(resultOf('setuid-unresolved-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'install_failed' });
    const installed = path.join(cacheDir, 'npm', 'setuid-mcp-fixture', '1.0.0', 'node_modules', 'setuid-mcp-fixture');
    const unpacked = path.join(cacheDir, 'npm-files', 'setuid-unresolved-mcp-fixture', '1.0.0', 'package');
    for (const dir of [installed, unpacked]) {
      expect(lstatSync(path.join(dir, 'bin/escalate')).mode & 0o7777, dir).toBe(0o755);
      expect(lstatSync(path.join(dir, 'bin/group-tool')).mode & 0o7777, dir).toBe(0o755);
      expect(lstatSync(path.join(dir, 'notes.txt')).mode & 0o7777, dir).toBe(0o644);
      expect(lstatSync(path.join(dir, 'shared')).mode & 0o7777, dir).toBe(0o755);
      expect(readFileSync(path.join(dir, 'shared/drop.txt'), 'utf8'), dir).toBe('world-writable\n');
    }
  });

  it('leaves nothing in the cache with a setuid, setgid or sticky bit, or writable by group or others', () => {
    const entries = walk(cacheDir).filter((e) => !e.link);
    expect(entries.length).toBeGreaterThan(10);
    const loose = entries.filter((e) => (e.mode & 0o7022) !== 0).map((e) => `${path.relative(cacheDir, e.path)} ${e.mode.toString(8)}`);
    expect(loose).toEqual([]);
  });

  it('notes on the stored attempt which modes it cleared', async () => {
    const catalogue = await store.catalogue();
    for (const name of ['setuid-mcp-fixture', 'setuid-unresolved-mcp-fixture']) {
      const tail = catalogue.find((e) => e.server.identifier === name)?.introspection?.stderrTail ?? '';
      // The modes named are those the files had on disk before sealing: the crawler's umask may already have taken write.
      const note = tail.split('\n').find((l) => l.startsWith("[mcp-catalogue] the package's files came with modes that were cleared (setuid, setgid, sticky, group or world write): "));
      expect(note, name).toMatch(/\bbin\/escalate \(4755\), [^,]*bin\/group-tool \(2755\)/);
    }
  });
});

describe('a package cache written before installs were sealed', () => {
  it('seals a cached install once, when it is next used, and keeps the note in its marker', async () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-legacy-cache-'));
    try {
      const root = installRoot(cacheDir, 'legacy-mcp-fixture', '1.0.0');
      const bin = path.join(root, 'node_modules', 'legacy-mcp-fixture', 'bin', 'escalate');
      mkdirSync(path.dirname(bin), { recursive: true });
      writeFileSync(bin, '#!/bin/sh\nid\n');
      chmodSync(bin, 0o4755);
      writeFileSync(path.join(root, '.installed.json'), JSON.stringify({ name: 'legacy-mcp-fixture', version: '1.0.0', installedAt: '2026-01-01T00:00:00.000Z' }));
      // A registry nothing listens on: a cached install must not reach it.
      const options = { cacheDir, registryUrl: 'http://127.0.0.1:9' };
      const first = await installNpmPackage('legacy-mcp-fixture', '1.0.0', options);
      expect(first).toMatchObject({ cached: true, notes: [expect.stringContaining('node_modules/legacy-mcp-fixture/bin/escalate (4755)')] });
      expect(lstatSync(bin).mode & 0o7777).toBe(0o755);
      expect(JSON.parse(readFileSync(path.join(root, '.installed.json'), 'utf8'))).toMatchObject({ sealed: true, notes: first.notes });
      expect(await installNpmPackage('legacy-mcp-fixture', '1.0.0', options)).toEqual(first);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
