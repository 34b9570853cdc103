/**
 * The contract on PostgreSQL, when DATABASE_URL is set. Every store opens a fresh database
 * `mcp_catalogue_test_<random>`, created and dropped through DATABASE_URL's own connection.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './index.ts';
import { historyContract } from './history.contract.ts';
import { storeContract } from './store.contract.ts';

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

  it('migrates once when several stores open one database at the same time', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ databaseUrl })));
    await Promise.all(stores.map((store) => store.close()));
  });

  it('fails with DB_OPEN_FAILED when the server cannot be reached', async () => {
    await expect(openStore({ databaseUrl: 'postgresql://nobody@127.0.0.1:1/none' })).rejects.toMatchObject({ code: 'DB_OPEN_FAILED' });
  });
});
