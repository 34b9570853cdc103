/**
 * The contract on PostgreSQL, when DATABASE_URL is set. Every store opens a fresh database
 * `mcp_catalogue_test_<random>`, created and dropped through DATABASE_URL's own connection.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { okAttempt, serverInput, tool } from './fixtures.ts';
import { openStore } from './index.ts';
import { backfillContract } from './backfill.contract.ts';
import { historyContract } from './history.contract.ts';
import { storeContract } from './store.contract.ts';
import { startTcpProxy } from '../test/helpers/tcp-proxy.ts';

const adminUrl = process.env.DATABASE_URL;

describe.skipIf(!adminUrl)('PostgreSQL (DATABASE_URL)', () => {
  const databases: string[] = [];

  async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  async function freshDatabaseUrl(): Promise<string> {
    const name = `mcp_catalogue_test_${randomBytes(6).toString('hex')}`;
    await admin((client) => client.query(`create database ${name}`));
    databases.push(name);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  afterAll(async () => {
    await admin(async (client) => {
      for (const name of databases) await client.query(`drop database if exists ${name} with (force)`);
    });
  });

  storeContract('PostgreSQL', async () => openStore({ databaseUrl: await freshDatabaseUrl() }));
  historyContract('PostgreSQL', async () => openStore({ databaseUrl: await freshDatabaseUrl() }));
  backfillContract('PostgreSQL', async () => {
    const databaseUrl = await freshDatabaseUrl();
    return {
      open: () => openStore({ databaseUrl }),
      exec: async (sql) => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      },
    };
  });

  it('migrates once when several stores open one database at the same time', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ databaseUrl })));
    await Promise.all(stores.map((store) => store.close()));
  });

  /**
   * Waits until a backend of `database` other than `admin`'s own waits for a lock, terminates it as a shutdown does
   * (SQLSTATE 57P01 admin_shutdown), and returns how many it terminated.
   */
  async function terminateWaiting(admin: pg.Client, database: string): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await admin.query<{ terminated: boolean }>(
        `select pg_terminate_backend(pid) as terminated from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and wait_event_type = 'Lock'`, [database]);
      if (rows.length > 0) return rows.filter((r) => r.terminated).length;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return 0;
  }

  it('runs an operation whose connection the server terminated (57P01) again, without a crash or a second row', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const database = new URL(databaseUrl).pathname.slice(1);
    const store = await openStore({ databaseUrl, retryMs: 30_000 });
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const server = await store.upsertServer(serverInput('terminated'));
      const version = await store.upsertServerVersion(server.id, '1.0.0');
      // The transaction waits for the version's row lock, held here; its connection is terminated while it waits.
      await admin.query('begin');
      await admin.query('select id from server_versions where id = $1 for update', [version.id]);
      const recording = store.recordIntrospection(version.id, okAttempt([tool('read_file'), tool('write_file')]));
      expect(await terminateWaiting(admin, database)).toBe(1);
      await admin.query('commit');
      const attempt = await recording;
      expect(attempt).toMatchObject({ serverVersionId: version.id, attempt: 1, toolCount: 2 });
      // A statement outside a transaction, terminated the same way.
      await admin.query('begin');
      await admin.query('lock table servers in access exclusive mode');
      const upsert = store.upsertServer(serverInput('after-termination'));
      expect(await terminateWaiting(admin, database)).toBe(1);
      await admin.query('commit');
      expect(await upsert).toMatchObject({ identifier: 'after-termination' });
      const { rows } = await admin.query<{ n: string }>('select count(*) as n from introspections');
      expect(rows).toEqual([{ n: '1' }]);
      expect((await store.catalogue()).map((e) => [e.server.identifier, e.tools.length])).toEqual([['after-termination', 0], ['terminated', 2]]);
    } finally {
      await admin.end();
      await store.close();
    }
  });

  it('fails an operation with DB_UNAVAILABLE once the connection stays lost past retryMs, and works again after', async () => {
    const databaseUrl = new URL(await freshDatabaseUrl());
    const proxy = await startTcpProxy(databaseUrl.hostname, Number(databaseUrl.port || 5432));
    databaseUrl.hostname = '127.0.0.1';
    databaseUrl.port = String(proxy.port);
    const store = await openStore({ databaseUrl: databaseUrl.toString(), retryMs: 500 });
    try {
      await store.upsertServer(serverInput('before'));
      await proxy.cut();
      const started = performance.now();
      const error = await store.upsertServer(serverInput('during')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DB_UNAVAILABLE', message: expect.stringMatching(/^PostgreSQL unreachable for 0\.\d s \(MCP_CATALOGUE_DB_RETRY_MS=500\); store\.upsertServer\(\) was not done: connect ECONNREFUSED 127\.0\.0\.1:\d+$/) });
      expect(performance.now() - started).toBeGreaterThanOrEqual(450);
      await proxy.restore();
      expect((await store.catalogue()).map((e) => e.server.identifier)).toEqual(['before']);
    } finally {
      await store.close();
      await proxy.close();
    }
  });

  it('fails with DB_OPEN_FAILED when the server cannot be reached', async () => {
    await expect(openStore({ databaseUrl: 'postgresql://nobody@127.0.0.1:1/none' })).rejects.toMatchObject({ code: 'DB_OPEN_FAILED' });
  });
});
