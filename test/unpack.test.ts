/**
 * unpackNpmPackage: the package's own files from its tarball, for static extraction when `npm install` fails. The
 * tarball comes from a loopback registry, fetched by npm in the sandbox; links and paths outside the package folder
 * are never written.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrawlError } from '../crawler/errors.ts';
import { unpackNpmPackage } from '../crawler/registries/npm/install.ts';
import { startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

describe('unpackNpmPackage', () => {
  let registry: FakeRegistry;
  let work: string;

  beforeAll(async () => {
    work = sandboxTempDir('mcp-catalogue-unpack-');
    chmodSync(work, 0o755); // npm pack runs in the sandbox, whose uid must reach the package cache
    const src = path.join(work, 'src');
    mkdirSync(path.join(src, 'package', 'dist'), { recursive: true });
    const manifest = { name: '@fixture/tarball-only', version: '3.1.0', bin: { 'tarball-only': 'dist/index.js' } };
    writeFileSync(path.join(src, 'package', 'package.json'), JSON.stringify(manifest));
    writeFileSync(path.join(src, 'package', 'dist', 'index.js'), "server.tool('ping', 'Answers pong', async () => ({}));\n");
    symlinkSync('/etc/hostname', path.join(src, 'package', 'dist', 'linked.js'));
    mkdirSync(path.join(src, 'outside'));
    writeFileSync(path.join(src, 'outside', 'escape.js'), 'escaped');
    const file = path.join(work, 'tarball-only-3.1.0.tgz');
    // `package/../outside/escape.js` is kept as written (preservePaths), as a hostile tarball would carry it.
    await create({ gzip: true, file, cwd: src, portable: true, preservePaths: true }, ['package/package.json', 'package/dist/index.js', 'package/dist/linked.js', 'package/../outside/escape.js']);
    registry = await startFakeRegistry([{ manifest, tarball: readFileSync(file) }]);
  });

  afterAll(async () => {
    await registry?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('unpacks regular files only, inside the package folder, once per version', async () => {
    const cacheDir = path.join(work, 'cache');
    const { packageDir: dir, notes } = await unpackNpmPackage('@fixture/tarball-only', '3.1.0', { cacheDir, registryUrl: registry.url });
    expect(notes).toEqual([]);
    expect(dir).toBe(path.join(cacheDir, 'npm-files', '@fixture+tarball-only', '3.1.0', 'package'));
    expect(readFileSync(path.join(dir, 'dist', 'index.js'), 'utf8')).toMatch(/server\.tool\('ping'/);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version).toBe('3.1.0');
    expect(() => lstatSync(path.join(dir, 'dist', 'linked.js'))).toThrow();
    expect(existsSync(path.join(cacheDir, 'npm-files', '@fixture+tarball-only', '3.1.0', 'outside'))).toBe(false);
    expect(existsSync(path.join(cacheDir, 'npm-files', '@fixture+tarball-only', 'outside'))).toBe(false);

    const tarballRequests = () => registry.requests.filter((r) => r.endsWith('.tgz')).length;
    const before = tarballRequests();
    expect((await unpackNpmPackage('@fixture/tarball-only', '3.1.0', { cacheDir, registryUrl: registry.url })).packageDir).toBe(dir);
    expect(tarballRequests()).toBe(before);
  });

  it('fails with INSTALL_FAILED for a version the registry does not have, leaving nothing behind', async () => {
    const cacheDir = path.join(work, 'cache-missing');
    const error = await unpackNpmPackage('@fixture/tarball-only', '9.9.9', { cacheDir, registryUrl: registry.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrawlError);
    expect((error as CrawlError).code).toBe('INSTALL_FAILED');
    expect((error as CrawlError).message).toMatch(/npm pack @fixture\/tarball-only@9\.9\.9 failed \(exit code 1\): npm error code ETARGET\n/);
    expect(existsSync(path.join(cacheDir, 'npm-files', '@fixture+tarball-only', '9.9.9'))).toBe(false);
  });
});
