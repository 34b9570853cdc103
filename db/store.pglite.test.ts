import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { CRAWLER_VERSION, toolHash } from '../records/index.ts';
import { okAttempt, serverInput, tool } from './fixtures.ts';
import { openStore } from './index.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { backfillContract } from './backfill.contract.ts';
import { historyContract } from './history.contract.ts';
import { storeContract } from './store.contract.ts';

storeContract('PGlite (memory://)', () => openStore({ dataDir: 'memory://' }));
historyContract('PGlite (memory://)', () => openStore({ dataDir: 'memory://' }));

const backfillDirs: string[] = [];
afterAll(async () => {
  await Promise.all(backfillDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
backfillContract('PGlite (directory)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'mcp-catalogue-backfill-'));
  backfillDirs.push(dataDir);
  return {
    open: () => openStore({ dataDir }),
    exec: async (sql) => {
      const client = await PGlite.create(dataDir);
      try {
        await client.exec(sql);
      } finally {
        await client.close();
      }
    },
  };
});

describe('PGlite data directory', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-catalogue-db-'));
    dirs.push(dir);
    return dir;
  }

  it('creates a missing directory and keeps its data across reopen', async () => {
    const dataDir = join(await tempDir(), 'nested', 'pglite');
    const first = await openStore({ dataDir });
    const server = await first.upsertServer(serverInput('persisted'));
    const version = await first.upsertServerVersion(server.id, '1.0.0');
    await first.recordIntrospection(version.id, okAttempt([tool('kept')]));
    await first.close();

    const second = await openStore({ dataDir });
    try {
      const [entry] = await second.catalogue();
      expect(entry).toMatchObject({ server: { id: server.id, identifier: 'persisted' }, version: { id: version.id } });
      expect(entry!.tools.map((t) => t.tool.hash)).toEqual([toolHash(tool('kept'))]);
      // Ids continue after reopen.
      expect((await second.upsertServer(serverInput('next'))).id).toBeGreaterThan(server.id);
    } finally {
      await second.close();
    }
  });

  it('migration 0003 numbers earlier attempts in start order, marks them crawler version 0, and crawlState decides their transience', async () => {
    // A database migrated up to 0002 only, holding attempts from before retry state.
    const dataDir = join(await tempDir(), 'pglite');
    const older = join(await tempDir(), 'migrations');
    await cp(MIGRATIONS_FOLDER, older, { recursive: true });
    const journal = JSON.parse(await readFile(join(older, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0003_retry_state'));
    await writeFile(join(older, 'meta/_journal.json'), JSON.stringify(journal));
    const client = await PGlite.create(dataDir);
    await migrate(drizzle({ client }), { migrationsFolder: older });
    await client.exec(`
      insert into servers (registry, identifier, display_name) values ('npm', 'old', 'old');
      insert into server_versions (server_id, version) values (1, '1.0.0'), (1, '2.0.0');
      insert into introspections (server_version_id, outcome, failure_reason, failure_message, stderr_tail, method, started_at, timings, tool_count) values
        (1, 'failed', 'install_failed', 'npm install failed', 'npm error code ETIMEDOUT', 'none', '2025-06-03T00:00:00Z', '{}', 0),
        (1, 'failed', 'install_failed', 'npm install failed', 'npm error code ECONNRESET', 'none', '2025-06-01T00:00:00Z', '{}', 0),
        (2, 'failed', 'install_failed', 'npm install failed', 'npm error code E404', 'none', '2025-06-01T00:00:00Z', '{}', 0);
    `);
    await client.close();

    const store = await openStore({ dataDir });
    try {
      const [entry] = await store.catalogue();
      expect(entry!.introspection).toMatchObject({ attempt: 1, transient: null, crawlerVersion: 0 });
      const state = await store.crawlState();
      expect(state.get('npm:old@1.0.0')).toEqual({ attempts: 2, lastReason: 'install_failed', lastTransient: true, transientStreak: 2, lastCrawlerVersion: 0, listed: false });
      expect(state.get('npm:old@2.0.0')).toMatchObject({ attempts: 1, lastTransient: false, transientStreak: 0 });
      const next = await store.recordIntrospection(entry!.version!.id, okAttempt([tool('t')], { startedAt: new Date('2025-06-09T00:00:00Z') }));
      expect(next).toMatchObject({ attempt: 2, crawlerVersion: CRAWLER_VERSION });
    } finally {
      await store.close();
    }
    const reopened = await PGlite.create(dataDir);
    try {
      const { rows } = await reopened.query('select id, attempt, crawler_version, transient from introspections order by id');
      expect(rows).toEqual([
        { id: 1, attempt: 2, crawler_version: 0, transient: null },
        { id: 2, attempt: 1, crawler_version: 0, transient: null },
        { id: 3, attempt: 1, crawler_version: 0, transient: null },
        { id: 4, attempt: 2, crawler_version: CRAWLER_VERSION, transient: null },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('is held by one store at a time: a second open fails with DB_LOCKED naming the holder, and close() frees it', async () => {
    const dataDir = join(await tempDir(), 'pglite');
    const first = await openStore({ dataDir, holder: 'mcp-catalogue test' });
    try {
      const refused = openStore({ dataDir: join(dataDir, '..', 'pglite') });
      await expect(refused).rejects.toMatchObject({ code: 'DB_LOCKED' });
      await expect(refused).rejects.toThrow(`the data directory ${dataDir} is in use by process ${process.pid} (mcp-catalogue test, started `);
    } finally {
      await first.close();
    }
    await expect(readFile(`${dataDir}.holder.json`)).rejects.toMatchObject({ code: 'ENOENT' });
    const second = await openStore({ dataDir });
    await second.close();
  }, 240_000);

  it('fails with DB_OPEN_FAILED when the directory cannot be created', async () => {
    const file = join(await tempDir(), 'file');
    await writeFile(file, 'not a directory');
    await expect(openStore({ dataDir: join(file, 'pglite') })).rejects.toMatchObject({ code: 'DB_OPEN_FAILED' });
  });
});
