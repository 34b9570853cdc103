/** `mcp-catalogue serve`: starts on a PGlite data directory, answers, leaves the directory free, stops on SIGINT. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { okAttempt, serverInput, tool } from '../db/fixtures.ts';
import { openStore } from '../db/index.ts';
import { main } from '../scripts/cli.ts';

let work: string;
let stdout: string;
let stderr: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-serve-'));
  stdout = '';
  stderr = '';
  // The PGlite data directory is what is tested: a DATABASE_URL in the environment would take its place.
  vi.stubEnv('DATABASE_URL', '');
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(work, { recursive: true, force: true });
});

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out; stdout: ${stdout}; stderr: ${stderr}`);
}

describe('mcp-catalogue serve', () => {
  it('serves the stored catalogue, keeps the PGlite directory free, reads it again on SIGHUP and exits 0 on SIGINT', async () => {
    const dataDir = path.join(work, 'pglite');
    let store = await openStore({ dataDir });
    const server = await store.upsertServer(serverInput('@acme/files'));
    const version = await store.upsertServerVersion(server.id, '1.0.0');
    await store.recordIntrospection(version.id, okAttempt([tool('read_file')]));
    await store.close();

    const exit = main(['node', 'mcp-catalogue', 'serve', '--data-dir', work, '--port', '0']);
    const url = await until(() => /serving: +(http:\/\/127\.0\.0\.1:\d+)\/v0\.1\/servers \(1 servers, 1 versions\)/.exec(stdout)?.[1]);
    const res = await request(`${url}/v0.1/servers?version=latest`);
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { servers: Array<{ server: { name: string; version: string } }> };
    expect(body.servers.map((s) => [s.server.name, s.server.version])).toEqual([['com.npmjs.acme/files', '1.0.0']]);

    // The directory is not held while serving: another process (here, this one) can open it and add a server.
    store = await openStore({ dataDir });
    await store.upsertServerVersion((await store.upsertServer(serverInput('second'))).id, '2.0.0');
    await store.close();
    process.emit('SIGHUP');
    await until(() => (stderr.includes('read the database again: 2 servers') ? true : undefined));
    const again = await request(`${url}/v0.1/servers/com.npmjs%2Fsecond/versions/latest`);
    expect(again.statusCode).toBe(200);
    await again.body.dump();

    process.emit('SIGINT');
    expect(await exit).toBe(0);
    expect(stdout).toMatch(/stopped: +the registry API is closed/);
    await expect(request(`${url}/v0.1/servers`)).rejects.toThrow();
  }, 240_000);

  it('exits 2 on a bad --port and on an address already in use', async () => {
    expect(await main(['node', 'mcp-catalogue', 'serve', '--data-dir', work, '--port', '70000'])).toBe(2);
    expect(stderr).toMatch(/--port 70000: expected a port number/);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (taken.address() as AddressInfo).port;
      expect(await main(['node', 'mcp-catalogue', 'serve', '--data-dir', work, '--port', String(port)])).toBe(2);
      expect(stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: .*\[EADDRINUSE\]/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, 240_000);
});
