/**
 * PostgreSQL lost in the middle of a crawl: a TCP proxy between the store and the real local PostgreSQL drops every
 * connection and refuses new ones while `mcp-catalogue crawl` stores the attempts of fixture packages from a loopback
 * npm registry, run in the real sandbox. Once just before an attempt's insert reaches the server (the transaction
 * rolls back) and once just after its commit did (the commit holds, its answer is lost); a few seconds later the
 * database is back. The crawl finishes with exit 0 and every server stored exactly once. When the outage outlasts
 * `MCP_CATALOGUE_DB_RETRY_MS`, the crawl stops with exit 5, one line saying why and how far it got, and nothing
 * half-written. Runs when DATABASE_URL is set, on a database of its own.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../scripts/cli.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';
import { startTcpProxy, type TapVerdict, type TcpProxy } from './helpers/tcp-proxy.ts';

const adminUrl = process.env.DATABASE_URL;
const notesServer = path.resolve(import.meta.dirname, 'fixtures/servers/notes-server');
const NAMES = ['outage-a-mcp-fixture', 'outage-b-mcp-fixture', 'outage-c-mcp-fixture', 'outage-d-mcp-fixture', 'outage-e-mcp-fixture'];

/** The attempt's INSERT as drizzle sends it (in a Parse message), and a simple-query `commit` ('Q', length 11). */
const INSERT_ATTEMPT = Buffer.from('insert into "introspections"');
const COMMIT = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 11]), Buffer.from('commit\0')]);

/** The notes fixture server published under `name` (without its install script). */
function notesCopy(name: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-outage-pkg-'));
  cpSync(notesServer, folder, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, name, bin: { [name]: 'server.js' }, scripts: {} }));
  return folder;
}

describe.skipIf(!adminUrl)('PostgreSQL lost during a crawl (DATABASE_URL)', () => {
  let registry: FakeRegistry;
  let databaseUrl: string;
  let database: string;
  let work: string;
  let stdout: string;
  let stderr: string;
  const folders: string[] = [];

  async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    folders.push(...NAMES.map(notesCopy));
    registry = await startFakeRegistry(folders.map(packFixture));
  }, 240_000);

  afterAll(async () => {
    await registry?.close();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  beforeEach(async () => {
    database = `mcp_catalogue_outage_${randomBytes(6).toString('hex')}`;
    await sql(adminUrl!, `create database ${database}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
    work = sandboxTempDir('mcp-catalogue-outage-');
    chmodSync(work, 0o755); // the sandbox's unprivileged uid reads the package cache
    stdout = '';
    stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(work, { recursive: true, force: true });
    await sql(adminUrl!, `drop database if exists ${database} with (force)`);
  });

  /** A proxy to this test's database, and the DATABASE_URL through it. */
  async function proxied(tap: (chunk: Buffer, connection: number) => TapVerdict): Promise<{ proxy: TcpProxy; url: string }> {
    const target = new URL(databaseUrl);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432), { tap });
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    return { proxy, url: url.toString() };
  }

  function crawl(names: readonly string[]): Promise<number> {
    return main(['node', 'mcp-catalogue', 'crawl', ...names.map((n) => `npm:${n}`), '--data-dir', path.join(work, 'data'),
      '--npm-registry-url', registry.url, '--concurrency', '2', '--timeout-ms', '20000']);
  }

  it('rides out two outages of 3 s (one before an insert, one after a commit): exit 0, every server stored exactly once', async () => {
    const cuts: string[] = [];
    const inserting = new Set<number>();
    let inserts = 0;
    let commits = 0;
    const held: { proxy?: TcpProxy } = {};
    /** Cuts, and restores 3 s later. */
    const outage = (what: string, verdict: TapVerdict): TapVerdict => {
      cuts.push(what);
      setTimeout(() => void held.proxy?.restore(), 3000);
      return verdict;
    };
    const tapped = await proxied((chunk, connection) => {
      if (chunk.includes(INSERT_ATTEMPT)) {
        inserting.add(connection);
        // The second attempt's insert never reaches the server: its transaction (version lock, numbering) rolls back.
        if (++inserts === 2) return outage('before insert', 'cut-before');
      }
      if (chunk.includes(COMMIT) && inserting.delete(connection)) {
        // The fourth attempt's commit reaches the server, its acknowledgement does not.
        if (++commits === 4) return outage('after commit', 'cut-after');
      }
      return 'pass';
    });
    const proxy = (held.proxy = tapped.proxy);
    vi.stubEnv('DATABASE_URL', tapped.url);
    vi.stubEnv('MCP_CATALOGUE_DB_RETRY_MS', '60000');
    try {
      const code = await crawl(NAMES);
      expect(code, stderr).toBe(0);
    } finally {
      await proxy.close();
    }
    expect(cuts).toEqual(['before insert', 'after commit']);
    expect(stdout).toMatch(/servers tried: +5\n/);
    expect(stdout).toMatch(/introspected live: +5 /);

    const attempts = await sql<{ identifier: string; outcome: string; attempt: number; tool_count: number }>(databaseUrl,
      `select s.identifier, i.outcome, i.attempt, i.tool_count from introspections i join server_versions v on v.id = i.server_version_id join servers s on s.id = v.server_id order by s.identifier`);
    expect(attempts).toEqual(NAMES.map((identifier) => ({ identifier, outcome: 'ok', attempt: 1, tool_count: 5 })));
    const tools = await sql<{ identifier: string; n: string }>(databaseUrl,
      `select s.identifier, count(*) as n from tools t join server_versions v on v.id = t.server_version_id join servers s on s.id = v.server_id group by s.identifier order by s.identifier`);
    expect(tools).toEqual(NAMES.map((identifier) => ({ identifier, n: '5' })));
    const runs = await sql<{ finished: boolean; tried: number }>(databaseUrl, `select finished_at is not null as finished, (summary->>'tried')::int as tried from crawl_runs`);
    expect(runs).toEqual([{ finished: true, tried: 5 }]);
  }, 300_000);

  it('stops with exit 5 and one clear line when the outage outlasts MCP_CATALOGUE_DB_RETRY_MS; nothing is half-written', async () => {
    let cut = false;
    const tapped = await proxied((chunk) => {
      // The first attempt's insert never arrives, and the database does not come back.
      if (cut || !chunk.includes(INSERT_ATTEMPT)) return 'pass';
      cut = true;
      return 'cut-before';
    });
    vi.stubEnv('DATABASE_URL', tapped.url);
    vi.stubEnv('MCP_CATALOGUE_DB_RETRY_MS', '2000');
    const names = NAMES.slice(0, 3);
    let code: number;
    try {
      code = await crawl(names);
    } finally {
      await tapped.proxy.close();
    }
    expect(cut).toBe(true);
    expect(code, stderr).toBe(5);
    const line = stderr.split('\n').filter((l) => l.startsWith('mcp-catalogue: '));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(/^mcp-catalogue: PostgreSQL unreachable for \d+\.\d s \(MCP_CATALOGUE_DB_RETRY_MS=2000\); store\.\w+\(\) was not done: .+ \[DB_UNAVAILABLE\]$/);
    expect(stdout).toMatch(/^crawl stopped: +0 of 3 servers crawled and stored, 3 not crawled \(the database was lost; run again to crawl them\)$/m);
    expect(stdout).not.toMatch(/servers tried:/);

    // The database itself (not through the proxy): no attempt, no tool, no finished run.
    expect(await sql(databaseUrl, 'select id from introspections')).toEqual([]);
    expect(await sql(databaseUrl, 'select id from tools')).toEqual([]);
    expect(await sql(databaseUrl, 'select id from crawl_runs where finished_at is not null')).toEqual([]);
  }, 300_000);
});
