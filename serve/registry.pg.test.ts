/**
 * The registry API contract on PostgreSQL, when DATABASE_URL is set: a fresh database `mcp_catalogue_test_<random>`,
 * created and dropped through DATABASE_URL's own connection (as db/store.pg.test.ts).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe } from 'vitest';
import { openStore } from '../db/index.ts';
import { registryContract } from './registry.contract.ts';

const adminUrl = process.env.DATABASE_URL;

describe.skipIf(!adminUrl)('PostgreSQL (DATABASE_URL)', () => {
  const databases: string[] = [];

  async function admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    for (const name of databases) await admin(`drop database if exists ${name} with (force)`);
  });

  registryContract('PostgreSQL', async () => {
    const name = `mcp_catalogue_test_${randomBytes(6).toString('hex')}`;
    await admin(`create database ${name}`);
    databases.push(name);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    return openStore({ databaseUrl: url.toString() });
  });
});
