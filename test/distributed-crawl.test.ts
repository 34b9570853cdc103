/**
 * The distributed crawl on pg-boss against the real local PostgreSQL, with fixture packages from a loopback npm
 * registry crawled in the real sandbox by real worker processes (`mcp-catalogue worker`, `run --workers N`):
 * - a worker killed with SIGKILL in the middle of a job: the job's lease runs out, another worker takes it, the run
 *   drains and every version has exactly one stored attempt;
 * - PostgreSQL cut off (a TCP proxy between every process and the database drops all connections and refuses new
 *   ones for 3 s) in the middle of a run: the workers and the run reconnect, the run drains, and every job is done
 *   exactly once.
 * Jobs are counted in pgboss.job and pgboss.archive, attempts in the store. Runs when DATABASE_URL is set, each test
 * on a database of its own. Without PostgreSQL, `worker` and `run --workers` are usage errors (exit 2).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT, main } from '../scripts/cli.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const adminUrl = process.env.DATABASE_URL;
const BIN = fileURLToPath(new URL('../bin/mcp-catalogue.js', import.meta.url));
const notesServer = path.resolve(import.meta.dirname, 'fixtures/servers/notes-server');
/** Servers that wait 4 s before they read stdin, so a job is surely in the middle of its session when its worker is killed. */
const SLOW = ['slow-a-mcp-fixture', 'slow-b-mcp-fixture', 'slow-c-mcp-fixture'];
const FAST = ['queue-a-mcp-fixture', 'queue-b-mcp-fixture', 'queue-c-mcp-fixture', 'queue-d-mcp-fixture'];
const INSERT_ATTEMPT = Buffer.from('insert into "introspections"');

/** The notes fixture server published under `name` (without its install script); `delayMs` before it starts. */
function notesCopy(name: string, delayMs = 0): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-queue-pkg-'));
  cpSync(notesServer, folder, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
  if (delayMs > 0) {
    cpSync(path.join(folder, 'server.js'), path.join(folder, 'notes.js'));
    writeFileSync(path.join(folder, 'server.js'), `#!/usr/bin/env node\n'use strict';\nsetTimeout(() => require('./notes.js'), ${delayMs});\n`);
  }
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, name, bin: { [name]: 'server.js' }, scripts: {} }));
  return folder;
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('without PostgreSQL', () => {
  let stderr = '';
  beforeEach(() => {
    stderr = '';
    vi.stubEnv('DATABASE_URL', '');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('worker and run --workers are usage errors (exit 2), naming DATABASE_URL; --deadline needs --workers', async () => {
    const dataDir = path.join(tmpdir(), `mcp-catalogue-queue-nodb-${randomBytes(4).toString('hex')}`);
    expect(await main(['node', 'mcp-catalogue', 'worker', '--data-dir', dataDir])).toBe(EXIT.usage);
    expect(stderr).toMatch(/worker needs PostgreSQL: set DATABASE_URL/);
    expect(await main(['node', 'mcp-catalogue', 'run', 'npm:x', '--workers', '1', '--data-dir', dataDir])).toBe(EXIT.usage);
    expect(stderr).toMatch(/run --workers needs PostgreSQL: set DATABASE_URL/);
    expect(await main(['node', 'mcp-catalogue', 'run', 'npm:x', '--deadline', '10', '--data-dir', dataDir])).toBe(EXIT.usage);
    expect(stderr).toMatch(/--deadline applies to --workers/);
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe.skipIf(!adminUrl)('distributed crawl on pg-boss (DATABASE_URL)', () => {
  let registry: FakeRegistry;
  let databaseUrl: string;
  let database: string;
  let work: string;
  let stdout: string;
  let stderr: string;
  const folders: string[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    folders.push(...SLOW.map((n) => notesCopy(n, 4000)), ...FAST.map((n) => notesCopy(n)));
    registry = await startFakeRegistry(folders.map(packFixture));
  }, 240_000);

  afterAll(async () => {
    await registry?.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(async () => {
    database = `mcp_catalogue_queue_${randomBytes(6).toString('hex')}`;
    await sql(adminUrl!, `create database ${database}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    work = sandboxTempDir('mcp-catalogue-queue-');
    chmodSync(work, 0o755); // the sandbox's unprivileged uid reads the package cache
    stdout = '';
    stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
    await sql(adminUrl!, `drop database if exists ${database} with (force)`);
  });

  function run(names: readonly string[], workers: number): Promise<number> {
    return main(['node', 'mcp-catalogue', 'run', ...names.map((n) => `npm:${n}`), '--workers', String(workers), '--deadline', '240',
      '--data-dir', path.join(work, 'data'), '--npm-registry-url', registry.url, '--concurrency', '2', '--timeout-ms', '20000',
      '--site-out', path.join(work, 'site'), '--export-out', path.join(work, 'export')]);
  }

  /** `mcp-catalogue worker` as a process of its own; its output is kept in `output`. */
  function worker(concurrency: number): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    let output = '';
    const child = spawn(process.execPath, [BIN, 'worker', '--data-dir', path.join(work, 'data'), '--npm-registry-url', registry.url,
      '--concurrency', String(concurrency), '--timeout-ms', '20000'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, output: () => output, exited };
  }

  /** Each job of the crawl queue, live or archived: its state and how many tries beyond the first it had. */
  async function jobs(): Promise<Array<{ id: string; state: string; retry_count: number; name: string }>> {
    return sql(databaseUrl, `select id::text, state::text, retry_count, data->'target'->'spec'->>'name' as name from pgboss.job where name = 'mcp-catalogue-crawl'
      union all select id::text, state::text, retry_count, data->'target'->'spec'->>'name' from pgboss.archive where name = 'mcp-catalogue-crawl' order by name`);
  }

  /** Stored attempts per package, with outcome and tool count. */
  async function attempts(): Promise<Array<{ identifier: string; outcome: string; tool_count: number }>> {
    return sql(databaseUrl, `select s.identifier, i.outcome, i.tool_count from introspections i join server_versions v on v.id = i.server_version_id
      join servers s on s.id = v.server_id order by s.identifier, i.attempt`);
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      // Until the run has started pg-boss, its schema does not exist yet.
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('a worker killed with SIGKILL in the middle of a job: the job is retried after its lease ran out, and each attempt is stored once', async () => {
    vi.stubEnv('DATABASE_URL', databaseUrl);
    vi.stubEnv('MCP_CATALOGUE_JOB_LEASE_SECONDS', '30');
    vi.stubEnv('MCP_CATALOGUE_JOB_RETRY_DELAY_SECONDS', '1');
    const running = run(SLOW, 0);
    const first = worker(1);
    // The job it took: active, its server sleeping in the sandbox (4 s) before it answers.
    const taken = await until('a job to be taken', async () => (await jobs()).find((j) => j.state === 'active'), 120_000);
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    expect((await jobs()).find((j) => j.id === taken.id)?.state).toBe('active');
    const second = worker(2);
    const code = await running;
    expect(code, stderr).toBe(0);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toMatch(/"msg":"worker summary"/);
    expect(second.output()).toMatch(/^jobs taken: +3 \(3 done, 0 failed transiently/m);

    const ended = await jobs();
    expect(ended.map((j) => ({ name: j.name, state: j.state, retries: j.retry_count }))).toEqual(
      SLOW.map((name) => ({ name, state: 'completed', retries: name === taken.name ? 1 : 0 })),
    );
    expect(await attempts()).toEqual(SLOW.map((identifier) => ({ identifier, outcome: 'ok', tool_count: 5 })));
    expect(stdout).toMatch(/^queue: +3 jobs \(3 done, 0 failed, 1 retries, 0 not finished\); drained$/m);
    expect(stdout).toMatch(/servers tried: +3\n/);
    const runs = await sql<{ tried: number; drained: boolean }>(databaseUrl, `select (summary->>'tried')::int as tried, (summary->'queue'->>'drained')::boolean as drained from crawl_runs`);
    expect(runs).toEqual([{ tried: 3, drained: true }]);
  }, 300_000);

  it('PostgreSQL cut off for 3 s in the middle of a run with two local workers: they reconnect, the run drains, every job done once', async () => {
    const cuts: number[] = [];
    const held: { proxy?: TcpProxy } = {};
    let inserts = 0;
    const target = new URL(databaseUrl);
    const proxy = (held.proxy = await startTcpProxy(target.hostname, Number(target.port || 5432), {
      tap: (chunk) => {
        // The second attempt's insert never reaches the server; every connection (run, workers) drops with it.
        if (chunk.includes(INSERT_ATTEMPT) && ++inserts === 2) {
          cuts.push(inserts);
          setTimeout(() => void held.proxy?.restore(), 3000);
          return 'cut-before';
        }
        return 'pass';
      },
    }));
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    vi.stubEnv('DATABASE_URL', url.toString());
    vi.stubEnv('MCP_CATALOGUE_DB_RETRY_MS', '60000');
    vi.stubEnv('MCP_CATALOGUE_JOB_LEASE_SECONDS', '120');
    let code: number;
    try {
      code = await run(FAST, 2);
    } finally {
      await proxy.close();
    }
    expect(cuts).toEqual([2]);
    expect(code, stderr).toBe(0);
    const ended = await jobs();
    expect(ended.map((j) => ({ name: j.name, state: j.state, retries: j.retry_count }))).toEqual(FAST.map((name) => ({ name, state: 'completed', retries: 0 })));
    expect(await attempts()).toEqual(FAST.map((identifier) => ({ identifier, outcome: 'ok', tool_count: 5 })));
    expect(stdout).toMatch(/^queue: +4 jobs \(4 done, 0 failed, 0 retries, 0 not finished\); drained$/m);
    // Both local workers logged their summary on the way out.
    expect(stderr.match(/"msg":"worker summary"/g)).toHaveLength(2);
  }, 300_000);
});
