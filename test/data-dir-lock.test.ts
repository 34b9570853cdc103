/**
 * One process at a time on a PGlite data directory, through the real command line: two `mcp-catalogue crawl`
 * processes on one `--data-dir` (the second stops at once, exit code 4, naming the first), and a holder killed with
 * SIGKILL that must not keep the next process out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../db/index.ts';
import { EXIT } from '../scripts/cli.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const BIN = path.resolve(import.meta.dirname, '../bin/mcp-catalogue.js');

/** An npm registry on loopback that holds every packument request until `release()`, then answers 404. */
interface HeldRegistry {
  url: string;
  /** Resolves when the first request arrived: the crawl that sent it has its store open. */
  firstRequest: Promise<void>;
  release(): void;
  close(): Promise<void>;
}

async function startHeldRegistry(): Promise<HeldRegistry> {
  const held: ServerResponse[] = [];
  let released = false;
  let arrived!: () => void;
  const firstRequest = new Promise<void>((resolve) => (arrived = resolve));
  const answer = (res: ServerResponse) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
  const server: Server = createServer((_req, res) => {
    arrived();
    if (released) answer(res);
    else held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    firstRequest,
    release: () => {
      released = true;
      for (const res of held.splice(0)) answer(res);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface Cli {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) once the process exited. */
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
}

function cli(args: string[]): Cli {
  const env: NodeJS.ProcessEnv = { ...process.env, MCP_CATALOGUE_LOG: 'json' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  children.push(child);
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

const children: ChildProcess[] = [];
let registry: HeldRegistry;
let work: string;

beforeEach(async () => {
  registry = await startHeldRegistry();
  work = sandboxTempDir('mcp-catalogue-lock-');
  chmodSync(work, 0o755); // the sandbox's unprivileged uid must reach the package cache
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await registry.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a PGlite data directory is opened by one process at a time', () => {
  it('a second crawl on the same --data-dir stops at once with exit code 4 and names the first; the first finishes', async () => {
    const dataDir = path.join(work, 'data');
    const first = cli(['crawl', 'npm:first-server', '--data-dir', dataDir, '--npm-registry-url', registry.url]);
    await registry.firstRequest;

    const second = cli(['crawl', 'npm:second-server', '--data-dir', dataDir, '--npm-registry-url', registry.url]);
    const code = await Promise.race([second.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 90_000))]);
    expect(code, second.stderr()).toBe(EXIT.dataDirInUse);
    expect(second.stderr()).toContain(`the data directory ${path.join(dataDir, 'pglite')} is in use by process ${first.child.pid} (mcp-catalogue crawl, started `);
    expect(second.stderr()).toMatch(/wait for it to finish, or give another data directory \(--data-dir\)/);
    expect(second.stdout()).not.toMatch(/servers tried/);
    // The first was never disturbed: it is still waiting on the registry, and finishes once answered.
    expect(first.child.exitCode).toBeNull();
    registry.release();
    expect(await first.exited, first.stderr()).toBe(EXIT.ok);
    expect(first.stdout()).toMatch(/servers tried: +1\n/);

    // With the first gone, the directory is free again.
    const again = cli(['crawl', 'npm:second-server', '--data-dir', dataDir, '--npm-registry-url', registry.url]);
    expect(await again.exited, again.stderr()).toBe(EXIT.ok);
    expect(again.stdout()).toMatch(/servers tried: +1\n/);
  }, 300_000);

  it('a holder killed with SIGKILL does not keep the next process out', async () => {
    const dataDir = path.join(work, 'data');
    const holder = cli(['crawl', 'npm:first-server', '--data-dir', dataDir, '--npm-registry-url', registry.url]);
    await registry.firstRequest;
    holder.child.kill('SIGKILL');
    expect(await holder.exited).toBeNull();

    // The killed holder left its holder file behind (nothing ran to remove it); the lock went with the process.
    const pglite = path.join(dataDir, 'pglite');
    expect(JSON.parse(readFileSync(`${pglite}.holder.json`, 'utf8'))).toMatchObject({ pid: holder.child.pid, command: 'mcp-catalogue crawl' });
    const store = await openStore({ dataDir: pglite });
    try {
      const server = await store.upsertServer({ registry: 'npm', identifier: 'after-kill', displayName: 'after-kill', description: null, repositoryUrl: null });
      expect((await store.upsertServerVersion(server.id, '1.0.0')).serverId).toBe(server.id);
    } finally {
      await store.close();
    }
  }, 300_000);
});
