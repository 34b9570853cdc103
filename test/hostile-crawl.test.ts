/**
 * One nightly job over the hostile packages of issue 12 together, through the real CLI, the real sandbox and a
 * loopback npm registry: a server listing a tool named `__proto__`, a tarball with a setuid member, a dependency
 * given as a URL of another loopback server, and tools declared in classes with `static { … }` blocks.
 * `mcp-catalogue run` finishes with exit code 0, exports and builds the site with the `__proto__` tool in both,
 * leaves no setuid or setgid file anywhere under its directories, and never sends a request to the URL.
 */
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create, list } from 'tar';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validatePolicy } from '../policy/index.ts';
import { EXIT, main } from '../scripts/cli.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const notesSource = readFileSync(path.resolve(import.meta.dirname, 'fixtures/servers/notes-server/server.js'), 'utf8');
const staticBlockServer = path.resolve(import.meta.dirname, 'fixtures/servers/static-block-server');

const PROTO = 'proto-tool-mcp-fixture';
const SETUID = 'setuid-member-mcp-fixture';
const URL_DEP = 'url-dependency-mcp-fixture';
const STATIC_BLOCK = 'static-block-mcp-fixture';
const CRAWLED = [PROTO, SETUID, URL_DEP, STATIC_BLOCK];

type Json = Record<string, unknown>;

/** A package folder under `root` holding `files` (path → text). */
function packageFolder(root: string, name: string, files: Record<string, string>): string {
  const folder = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
    writeFileSync(path.join(folder, file), text);
  }
  return folder;
}

/** The notes server as a package `name` with `manifest` merged into its package.json. */
function notesPackage(root: string, name: string, source: string, manifest: Json = {}): string {
  return packageFolder(root, name, {
    'package.json': JSON.stringify({ name, version: '1.0.0', description: `Fixture ${name}.`, bin: { [name]: 'server.js' }, ...manifest }),
    'server.js': source,
  });
}

/**
 * Packs `folder` as a publisher who sets modes by hand would: node-tar, not portable, so a member's setuid bit is
 * kept in its header (npm pack would clear it).
 */
async function packWithModes(folder: string, modes: Record<string, number>): Promise<{ manifest: Json; tarball: Buffer }> {
  const work = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-hostile-crawl-tar-'));
  try {
    cpSync(folder, path.join(work, 'package'), { recursive: true });
    for (const [member, mode] of Object.entries(modes)) chmodSync(path.join(work, 'package', member), mode);
    const file = path.join(work, 'package.tgz');
    await create({ gzip: true, file, cwd: work, portable: false }, ['package']);
    return { manifest: JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as Json, tarball: readFileSync(file) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every file, folder and link below `dir` (links not followed), with its mode bits. */
function walk(dir: string): Array<{ path: string; mode: number }> {
  const out: Array<{ path: string; mode: number }> = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const stat = lstatSync(full);
    out.push({ path: full, mode: stat.mode & 0o7777 });
    if (stat.isDirectory()) out.push(...walk(full));
  }
  return out;
}

describe('mcp-catalogue run over hostile packages', () => {
  let registry: FakeRegistry;
  let elsewhere: Server;
  const hits: string[] = [];
  let connections = 0;
  /** Member path → mode, as the setuid package's tarball gives them. */
  const tarballModes = new Map<string, number>();
  let work: string;
  let exitCode: number;
  let stdout = '';
  let stderr = '';

  beforeAll(async () => {
    // The address the URL dependency names. It would serve a tarball, so only the crawler keeps npm away from it.
    elsewhere = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    elsewhere.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;

    const sources = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-hostile-crawl-'));
    try {
      // The destructive tool of the notes server renamed `__proto__`.
      const protoSource = notesSource.replace("name: 'delete_all_notes'", "name: '__proto__'");
      expect(protoSource).not.toBe(notesSource);
      const setuid = notesPackage(sources, SETUID, notesSource);
      writeFileSync(path.join(setuid, 'escalate'), '#!/bin/sh\nid\n');
      const setuidPackage = await packWithModes(setuid, { escalate: 0o4755, 'server.js': 0o6755 });
      await new Promise<void>((resolve, reject) => {
        const parser = list({ onReadEntry: (entry) => void tarballModes.set(String(entry.path), Number(entry.mode)) });
        parser.on('end', resolve).on('error', reject).end(setuidPackage.tarball);
      });
      registry = await startFakeRegistry([
        packFixture(notesPackage(sources, PROTO, protoSource)),
        setuidPackage,
        packFixture(notesPackage(sources, URL_DEP, notesSource, { dependencies: { payload: `${at}/payload.tgz` } })),
        packFixture(staticBlockServer),
      ]);
    } finally {
      rmSync(sources, { recursive: true, force: true });
    }

    work = sandboxTempDir('mcp-catalogue-hostile-crawl-');
    chmodSync(work, 0o755); // the sandbox's unprivileged uid reads the package cache
    vi.stubEnv('DATABASE_URL', ''); // the embedded database in the data directory, walked below with the rest
    vi.stubEnv('MCP_CATALOGUE_CACHE_DIR', '');
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    try {
      exitCode = await main([
        'node', 'mcp-catalogue', 'run', ...CRAWLED.map((n) => `npm:${n}`),
        '--data-dir', path.join(work, 'data'),
        '--site-out', path.join(work, 'site'),
        '--export-out', path.join(work, 'export'),
        '--npm-registry-url', registry.url,
        '--concurrency', '2',
        '--timeout-ms', '20000',
      ]);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
  }, 300_000);

  afterAll(async () => {
    await registry?.close();
    await new Promise<void>((resolve) => (elsewhere ? elsewhere.close(() => resolve()) : resolve()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const exported = () => readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json);
  const serverLine = (identifier: string) => exported().find((l) => l.identifier === identifier) as Json & { introspection: Json; tools: Array<{ name: string }> };

  it('finishes with exit code 0, every package crawled and published', () => {
    expect(exitCode, `${stdout}\n${stderr}`).toBe(EXIT.ok);
    expect(stdout).toMatch(/servers tried: +4\n/);
    expect(exported().map((l) => l.identifier)).toEqual([...CRAWLED].sort());
    expect(readFileSync(path.join(work, 'site/index.html'), 'utf8')).toContain(PROTO);
  });

  it('publishes the tool named __proto__ in the export, the policy and its own page', () => {
    const line = serverLine(PROTO);
    expect(line.introspection).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 5 });
    expect(line.tools.map((t) => t.name)).toContain('__proto__');
    const policy = JSON.parse(readFileSync(path.join(work, `export/policies/${PROTO}.json`), 'utf8')) as Json;
    expect(validatePolicy(policy)).toEqual({ valid: true, errors: [] });
    expect(Object.hasOwn(policy.tools as Json, '__proto__')).toBe(true);
    const page = readFileSync(path.join(work, `site/servers/${PROTO}/tools/proto.html`), 'utf8');
    expect(page).toContain('<h1 id="tool-name">__proto__</h1>');
    expect(readFileSync(path.join(work, `site/servers/${PROTO}/index.html`), 'utf8')).toContain('data-tool="__proto__"');
  });

  it('installs the package with a setuid member, and leaves no setuid or setgid file anywhere under its directories', () => {
    expect(tarballModes.get('package/escalate')).toBe(0o4755);
    expect(tarballModes.get('package/server.js')).toBe(0o6755);
    expect(serverLine(SETUID).introspection).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 5 });
    const installed = path.join(work, 'data/cache/npm', SETUID, '1.0.0/node_modules', SETUID);
    expect(lstatSync(path.join(installed, 'escalate')).mode & 0o7777).toBe(0o755);
    expect(lstatSync(path.join(installed, 'server.js')).mode & 0o7777).toBe(0o755);
    const entries = walk(work);
    expect(entries.length).toBeGreaterThan(50);
    expect(entries.filter((e) => e.mode & 0o6000)).toEqual([]);
  });

  it('never sends a request to the address the URL dependency names, and reads that package from its source', () => {
    expect(hits).toEqual([]);
    expect(connections).toBe(0);
    expect(serverLine(URL_DEP).introspection).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'install_failed', toolCount: 5 });
    expect(String(serverLine(URL_DEP).introspection.failureMessage)).toMatch(/^dependencies\.payload is not a version from the registry \(/);
    // The registry saw requests for the four packages only.
    const names = new Set(registry.requests.map((r) => r.split('/')[1]));
    expect([...names].sort()).toEqual([...CRAWLED].sort());
  });

  it('lists the tools declared in classes with static blocks from the source', () => {
    const line = serverLine(STATIC_BLOCK);
    expect(line.introspection).toMatchObject({ outcome: 'ok', method: 'static' });
    expect(line.tools.map((t) => t.name).sort()).toEqual(['close_issue', 'search_issues']);
  });
});
