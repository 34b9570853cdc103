/**
 * The npm install step against hostile packages, through the real sandbox and a loopback registry: a package's file
 * modes never reach the package cache with setuid, setgid or sticky bits or group/world write, whether npm installed
 * the package or its own tarball was unpacked after the install failed; and no address a package names (a dependency
 * by URL or git, its own or a dependency's) is ever connected to, while registry dependencies still install.
 */
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { foreignDependencies, foreignDependencyMessage, isRegistrySpec } from '../crawler/registries/npm/dependencies.ts';
import { installNpmPackage, installRoot } from '../crawler/registries/npm/install.ts';
import { startRegistryProxy } from '../crawler/registries/npm/registry-proxy.ts';
import { sealPackageTree } from '../crawler/registries/npm/seal.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type Store } from '../db/index.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
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
    // npm creates files without a chmod, and in the sandbox (no CAP_FSETID) the kernel may already have dropped the
    // setuid and setgid bits there; node-tar on the host, unpacking as root, keeps them for sealing to clear and name.
    const catalogue = await store.catalogue();
    const tail = catalogue.find((e) => e.server.identifier === 'setuid-unresolved-mcp-fixture')?.introspection?.stderrTail ?? '';
    const note = tail.split('\n').find((l) => l.startsWith("[mcp-catalogue] the package's files came with modes that were cleared (setuid, setgid, sticky, group or world write): "));
    // The modes named are those the files had on disk before sealing: the crawler's umask may already have taken write.
    expect(note, tail).toMatch(/ package\/bin\/escalate \(4755\), package\/bin\/group-tool \(2755\)/);
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

/** Writes a package folder from `files` (relative path → text) for `packFixture`. */
function packageFolder(parent: string, name: string, files: Record<string, string>): string {
  const dir = path.join(parent, name.replace('/', '+'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('dependencies the install must not fetch', () => {
  let registry: FakeRegistry;
  let listener: Server;
  const hits: string[] = [];
  let connections = 0;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let cacheDir: string;
  let summary: CrawlSummary;
  const crawled = ['notes-mcp-fixture', 'registry-dep-mcp-fixture', 'url-dep-mcp-fixture', 'git-dep-mcp-fixture', 'transitive-url-dep-mcp-fixture', 'optional-url-dep-mcp-fixture'];

  beforeAll(async () => {
    // The address a package names: it serves a valid tarball, so only the install's refusal keeps npm from it.
    const sources = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-url-deps-'));
    const payload = packFixture(packageFolder(sources, 'payload', { 'package.json': JSON.stringify({ name: 'payload', version: '1.0.0' }), 'index.js': 'module.exports = 1;\n' }));
    listener = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(payload.tarball);
    });
    listener.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

    const server = (name: string, manifest: Record<string, unknown>, main = "require('./server.js');\n") => packageFolder(sources, name, {
      'package.json': JSON.stringify({ name, version: '1.0.0', bin: { [name]: 'index.js' }, ...manifest }),
      'index.js': `#!/usr/bin/env node\n${main}`,
      'server.js': readFileSync(notesServer, 'utf8'),
    });
    const folders = [
      path.resolve(import.meta.dirname, 'fixtures/servers/notes-server'),
      packageFolder(sources, 'greeting-lib', { 'package.json': JSON.stringify({ name: 'greeting-lib', version: '1.0.0' }), 'index.js': "module.exports = () => 'hello';\n" }),
      server('registry-dep-mcp-fixture', { dependencies: { 'greeting-lib': '^1.0.0' } }, "if (require('greeting-lib')() !== 'hello') process.exit(3);\nrequire('./server.js');\n"),
      server('url-dep-mcp-fixture', { dependencies: { payload: `${at}/payload.tgz` } }),
      server('git-dep-mcp-fixture', { dependencies: { payload: `git+${at}/payload.git` } }),
      packageFolder(sources, 'url-carrier', { 'package.json': JSON.stringify({ name: 'url-carrier', version: '1.0.0', dependencies: { payload: `${at}/carried.tgz` } }), 'index.js': 'module.exports = 2;\n' }),
      server('transitive-url-dep-mcp-fixture', { dependencies: { 'url-carrier': '1.0.0' } }),
      server('optional-url-dep-mcp-fixture', { optionalDependencies: { payload: `${at}/optional.tgz` } }),
    ];
    registry = await startFakeRegistry(folders.map(packFixture));
    rmSync(sources, { recursive: true, force: true });

    work = sandboxTempDir('mcp-catalogue-npm-deps-');
    chmodSync(work, 0o755); // the sandbox runs under an unprivileged uid that must reach the package cache
    cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    summary = await crawl(crawled.map((n) => parsePackageSpec(`npm:${n}`)), {
      store, http, npmRegistryUrl: registry.url, cacheDir, concurrency: 2, introspect: { timeoutMs: 20_000 },
    });
  }, 300_000);

  afterAll(async () => {
    await registry?.close();
    await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const resultOf = (name: string) => summary.results.find((r) => r.name === name);
  const installed = (name: string, dependency: string) => path.join(cacheDir, 'npm', name, '1.0.0', 'node_modules', dependency);

  it('never connects to an address a package names, directly or through a dependency', () => {
    expect(summary.results.map((r) => r.name).sort()).toEqual([...crawled].sort());
    expect(hits).toEqual([]);
    expect(connections).toBe(0);
  });

  it('refuses a dependency given by URL or git before npm runs, and reads the tools from the package itself', async () => {
    for (const [name, spec] of [['url-dep-mcp-fixture', /http:\/\/127\.0\.0\.1:\d+\/payload\.tgz/], ['git-dep-mcp-fixture', /git\+http:\/\/127\.0\.0\.1:\d+\/payload\.git/]] as const) {
      const result = resultOf(name);
      expect(result, name).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'install_failed', toolCount: 5 });
      expect(result?.failureMessage, name).toMatch(/^dependencies\.payload is not a version from the registry \(/);
      expect(result?.failureMessage, name).toMatch(spec);
      expect(result?.failureMessage, name).toMatch(/the install reaches only the registry/);
    }
    const entry = (await store.catalogue()).find((e) => e.server.identifier === 'url-dep-mcp-fixture');
    expect(entry?.introspection).toMatchObject({ failureReason: 'install_failed', method: 'static' });
  });

  it('fails the install of a package whose registry dependency names a URL, naming the request it refused', () => {
    const result = resultOf('transitive-url-dep-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'install_failed' });
    expect(result?.failureMessage).toMatch(/asked for GET http:\/\/127\.0\.0\.1:\d+\/carried\.tgz, which is not the registry/);
    expect(existsSync(path.join(cacheDir, 'npm', 'transitive-url-dep-mcp-fixture', '1.0.0'))).toBe(false);
  });

  it('installs a package without an optional dependency given by URL, and notes the refusal', () => {
    const result = resultOf('optional-url-dep-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 5 });
    expect(existsSync(installed('optional-url-dep-mcp-fixture', 'payload'))).toBe(false);
    expect(result?.stderrTail).toMatch(/^\[mcp-catalogue\] the install was refused GET http:\/\/127\.0\.0\.1:\d+\/optional\.tgz: only the registry is reachable; npm went on without it$/m);
  });

  it('installs registry dependencies through the sandboxed npm, and the other servers list live', () => {
    expect(resultOf('notes-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 5 });
    expect(resultOf('registry-dep-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio', toolCount: 5 });
    expect(JSON.parse(readFileSync(path.join(installed('registry-dep-mcp-fixture', 'greeting-lib'), 'package.json'), 'utf8')).version).toBe('1.0.0');
    expect(registry.requests).toEqual(expect.arrayContaining(['/greeting-lib', '/greeting-lib/-/greeting-lib-1.0.0.tgz']));
    // npm kept its cache in the package cache, where the sandboxed install finds it again.
    expect(existsSync(path.join(cacheDir, 'npm-cache', '_cacache'))).toBe(true);
  });
});

describe('which dependency specs npm takes from the registry', () => {
  it('accepts versions, ranges, dist-tags and aliases to them, and nothing npm would fetch or link from elsewhere', () => {
    const registry = ['', '*', '1.0.0', 'v1.0.0', '=1.0.0', '^1.2.3', '~1', '1.x', 'x', '>=1 <2', '1.0.0 - 2.0.0', '1 || 2', 'latest', 'next', 'beta-2',
      'npm:other', 'npm:other@^1', 'npm:@scope/other@1.0.0', 'npm:other@latest'];
    const elsewhere = ['http://127.0.0.1:9/x.tgz', 'https://example.com/x.tgz', 'git+https://github.com/a/b.git', 'git://github.com/a/b', 'git+ssh://git@github.com/a/b.git',
      'git@github.com:a/b.git', 'github:a/b', 'gitlab:a/b', 'bitbucket:a/b', 'gist:abc', 'a/b', 'a/b#main', 'file:../x', 'file:x.tgz', 'link:../x', '../x', './x', '/abs/x',
      '~/x', 'x.tgz', 'x.tar.gz', 'a:b', 'npm:other@http://x/y.tgz', 'npm:other@github:a/b', 'npm:other@npm:x@1', 'npm:../x@1', 'tag with space'];
    expect(registry.filter((s) => !isRegistrySpec(s))).toEqual([]);
    expect(elsewhere.filter((s) => isRegistrySpec(s))).toEqual([]);
  });

  it('names the dependencies and required peers that are not registry versions, whatever their shape', () => {
    const manifest = {
      dependencies: { ok: '^1', url: 'http://169.254.169.254/latest/meta-data', odd: 5, __proto__: 'github:a/b' },
      peerDependencies: { peer: 'file:../x', optionalPeer: 'link:../y', fine: '*' },
      peerDependenciesMeta: { optionalPeer: { optional: true } },
      optionalDependencies: { left: 'http://127.0.0.1:9/x.tgz' },
    };
    // JSON.parse, as a packument is read: "__proto__" is an own key there, not the prototype.
    const foreign = foreignDependencies(JSON.parse(JSON.stringify(manifest).replace('"odd":5', '"odd":5,"__proto__":"github:a/b"')));
    expect(foreign).toEqual([
      { field: 'dependencies', name: 'url', spec: 'http://169.254.169.254/latest/meta-data' },
      { field: 'dependencies', name: 'odd', spec: '5' },
      { field: 'dependencies', name: '__proto__', spec: 'github:a/b' },
      { field: 'peerDependencies', name: 'peer', spec: 'file:../x' },
    ]);
    expect(foreignDependencyMessage(foreign)).toBe(
      'dependencies.url is not a version from the registry ("http://169.254.169.254/latest/meta-data"); dependencies.odd is not a version from the registry ("5"); ' +
      'dependencies.__proto__ is not a version from the registry ("github:a/b"), and 1 more: npm would fetch or link it from there, and the install reaches only the registry, so it was not run',
    );
    expect(foreignDependencies({ dependencies: ['http://x/y.tgz'], peerDependencies: 'x' })).toEqual([]);
  });
});

describe('the registry proxy', () => {
  let registry: HttpServer;
  let elsewhere: HttpServer;
  let elsewhereHits = 0;
  let dir: string;
  const listen = async (server: HttpServer) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  /** One raw HTTP exchange over the proxy's socket; the answer's text until the proxy or the target closes. */
  const exchange = (socketPath: string, request: string) => new Promise<string>((resolve, reject) => {
    const socket = connect(socketPath, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (/^HTTP\/1\.1 200 Connection Established\r\n\r\n/.test(answer) && !answer.includes('tunnelled')) socket.write('GET /tunnelled HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-proxy-'));
    registry = createServer((req, res) => {
      const body = `registry saw ${req.method} ${req.url}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
    });
    elsewhere = createServer((_req, res) => {
      elsewhereHits += 1;
      res.end('elsewhere');
    });
  });
  afterAll(async () => {
    await Promise.all([registry, elsewhere].map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards GET and HEAD on an http registry and refuses any other origin, method or tunnel, noting each', async () => {
    const port = await listen(registry);
    const other = await listen(elsewhere);
    const proxy = await startRegistryProxy(`http://127.0.0.1:${port}/`, path.join(dir, 'http.sock'));
    try {
      expect(await exchange(proxy.socketPath, `GET http://127.0.0.1:${port}/some-package HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nconnection: close\r\n\r\n`))
        .toMatch(/^HTTP\/1\.1 200 [\s\S]*registry saw GET \/some-package$/);
      for (const request of [
        `GET http://127.0.0.1:${other}/x.tgz HTTP/1.1\r\nhost: 127.0.0.1:${other}\r\n\r\n`,
        `GET http://169.254.169.254/latest/meta-data HTTP/1.1\r\nhost: 169.254.169.254\r\n\r\n`,
        `POST http://127.0.0.1:${port}/-/v1/login HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-length: 0\r\n\r\n`,
        `GET /relative HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`,
        `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`,
      ]) {
        expect(await exchange(proxy.socketPath, request), request).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n[\s\S]*only the npm registry http:\/\/127\.0\.0\.1:\d+ is reachable during an install\n$/);
      }
      expect(proxy.refused).toEqual([
        `GET http://127.0.0.1:${other}/x.tgz`, 'GET http://169.254.169.254/latest/meta-data', `POST http://127.0.0.1:${port}/-/v1/login`, 'GET /relative', `CONNECT 127.0.0.1:${port}`,
      ]);
      expect(elsewhereHits).toBe(0);
    } finally {
      await proxy.close();
    }
    expect(existsSync(proxy.socketPath)).toBe(false);
  });

  it('tunnels CONNECT to an https registry host and port only', async () => {
    const port = (registry.address() as AddressInfo).port;
    const other = (elsewhere.address() as AddressInfo).port;
    // The registry is named https so that CONNECT is what passes; the tunnel then carries plain bytes to it.
    const proxy = await startRegistryProxy(`https://127.0.0.1:${port}`, path.join(dir, 'https.sock'));
    try {
      expect(await exchange(proxy.socketPath, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`))
        .toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 [\s\S]*registry saw GET \/tunnelled$/);
      for (const target of [`127.0.0.1:${other}`, `localhost:${port}`, '169.254.169.254:80', `[::1]:${port}`]) {
        expect(await exchange(proxy.socketPath, `CONNECT ${target} HTTP/1.1\r\nhost: ${target}\r\n\r\n`), target).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
      }
      expect(await exchange(proxy.socketPath, `GET http://127.0.0.1:${port}/x HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
      expect(proxy.refused).toEqual([`CONNECT 127.0.0.1:${other}`, `CONNECT localhost:${port}`, 'CONNECT 169.254.169.254:80', `CONNECT [::1]:${port}`, `GET http://127.0.0.1:${port}/x`]);
      expect(elsewhereHits).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});

describe('sealing an installed tree', () => {
  it('keeps links inside the tree, gives every entry to the owner, and fails on a link that leads out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-seal-'));
    try {
      const tree = path.join(dir, 'tree');
      mkdirSync(path.join(tree, 'node_modules', 'x', 'bin'), { recursive: true });
      writeFileSync(path.join(tree, 'node_modules', 'x', 'bin', 'x.js'), '');
      chmodSync(path.join(tree, 'node_modules', 'x', 'bin', 'x.js'), 0o775);
      mkdirSync(path.join(tree, 'node_modules', '.bin'));
      symlinkSync('../x/bin/x.js', path.join(tree, 'node_modules', '.bin', 'x'));
      const owner = { uid: process.getuid!(), gid: process.getgid!() };
      expect(await sealPackageTree(tree, { owner })).toEqual({ cleared: [{ path: 'node_modules/x/bin/x.js', mode: 0o775 }], removed: [] });
      expect(lstatSync(path.join(tree, 'node_modules', '.bin', 'x')).isSymbolicLink()).toBe(true);

      // What a `link:` dependency leaves: a folder link to a path outside the install.
      symlinkSync('../../../elsewhere', path.join(tree, 'node_modules', 'linked'));
      await expect(sealPackageTree(tree, { owner })).rejects.toThrow(/^the install made a symbolic link that leads out of the package folder: node_modules\/linked -> \.\.\/\.\.\/\.\.\/elsewhere$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
