/**
 * A full disk in the package cache. The operating system's answer is faked at its seam, `node:fs/promises`: while
 * armed, writing an install's completion marker fails with ENOSPC, as the last write of an install does on a full
 * disk. The crawl must fail that package with a message that says so, keep nothing of the install (no staging folder,
 * no folder under the final name), count the failure as transient, and install it whole on the next crawl.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { installRoot } from '../crawler/registries/npm/install.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type Store } from '../db/index.ts';
import { retryable } from '../records/index.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const disk = vi.hoisted(() => ({ full: false, refused: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const writeFile: typeof fs.writeFile = async (file, ...rest) => {
    if (disk.full && String(file).endsWith('.installed.json')) {
      disk.refused += 1;
      throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }
    return fs.writeFile(file, ...rest);
  };
  return { ...fs, default: { ...fs, writeFile }, writeFile };
});

const fixtures = path.resolve(import.meta.dirname, 'fixtures/servers');

describe('a full disk in the package cache', () => {
  let registry: FakeRegistry;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let cacheDir: string;
  let full: CrawlSummary;
  let again: CrawlSummary;
  let afterFull: string[];
  let rootAfterFull: boolean;

  beforeAll(async () => {
    registry = await startFakeRegistry([packFixture(path.join(fixtures, 'notes-server'))]);
    work = sandboxTempDir('mcp-catalogue-full-disk-');
    chmodSync(work, 0o755);
    cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    const options = { store, http, npmRegistryUrl: registry.url, cacheDir, introspect: { timeoutMs: 20_000 } };
    disk.full = true;
    full = await crawl([parsePackageSpec('npm:notes-mcp-fixture')], options);
    disk.full = false;
    const root = installRoot(cacheDir, 'notes-mcp-fixture', '1.0.0');
    afterFull = existsSync(path.dirname(root)) ? readdirSync(path.dirname(root)) : [];
    rootAfterFull = existsSync(root);
    again = await crawl([parsePackageSpec('npm:notes-mcp-fixture')], options);
  }, 180_000);

  afterAll(async () => {
    await registry?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('fails the install with a message naming the full disk and the cache, counted as transient', () => {
    expect(disk.refused).toBe(1);
    const [result] = full.results;
    expect(result!.failureReason).toBe('install_failed');
    expect(result!.failureMessage).toMatch(new RegExp(`^no space left on device: the package cache ${cacheDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} filled up while installing notes-mcp-fixture@1\\.0\\.0; nothing of it was kept`));
    expect(retryable('install_failed', { failureMessage: result!.failureMessage, stderrTail: result!.stderrTail })).toBe(true);
    expect(full.installs).toBe(1); // the package's own files, unpacked for reading its source; not the install
  });

  it('keeps nothing of the install: no staging folder, no folder under its final name', () => {
    expect(afterFull).toEqual([]);
    expect(rootAfterFull).toBe(false);
  });

  it('installs it whole on the next crawl, and lists it live', () => {
    const [result] = again.results;
    expect(result).toMatchObject({ outcome: 'ok', method: 'live-stdio', failureReason: null });
    expect(again.installs).toBe(1);
    expect(existsSync(path.join(installRoot(cacheDir, 'notes-mcp-fixture', '1.0.0'), '.installed.json'))).toBe(true);
  });
});
