import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolHash } from '../records/index.ts';
import { okAttempt, serverInput, tool } from './fixtures.ts';
import { openStore } from './index.ts';
import { storeContract } from './store.contract.ts';

storeContract('PGlite (memory://)', () => openStore({ dataDir: 'memory://' }));

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

  it('fails with DB_OPEN_FAILED when the directory cannot be created', async () => {
    const file = join(await tempDir(), 'file');
    await writeFile(file, 'not a directory');
    await expect(openStore({ dataDir: join(file, 'pglite') })).rejects.toMatchObject({ code: 'DB_OPEN_FAILED' });
  });
});
