/**
 * `mcp-catalogue run` with discovery as its first stage: an MCP Registry entry and an npm package that are the same
 * server become one crawl; what the entry's `server.json` declares (a variable, an argument) starts a server that
 * would not start otherwise; a second run over unchanged sources crawls no new version, lists the crawled ones again
 * and finds no change.
 */
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../scripts/cli.ts';
import { registryEntry, registryHandler, startFake, type Fake } from './helpers/discovery-fakes.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures/servers');

describe('mcp-catalogue run: discover, then crawl only new versions', () => {
  let npm: FakeRegistry;
  let mcpRegistry: Fake;
  let canary: Fake;
  let work: string;
  const runs: Array<{ code: number; stdout: string }> = [];

  async function run(): Promise<void> {
    let stdout = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const previous = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const code = await main([
        'node', 'mcp-catalogue', 'run',
        '--source', 'mcp-registry', 'npm',
        '--names-file', path.join(work, 'names.txt'),
        '--mcp-registry-url', mcpRegistry.url,
        '--npm-registry-url', npm.url,
        '--data-dir', path.join(work, 'data'),
        '--site-out', path.join(work, 'site'),
        '--export-out', path.join(work, 'export'),
        '--timeout-ms', '20000',
      ]);
      runs.push({ code, stdout });
    } finally {
      if (previous !== undefined) process.env.DATABASE_URL = previous;
      out.mockRestore();
      err.mockRestore();
    }
  }

  beforeAll(async () => {
    canary = await startFake((_req, res) => void res.writeHead(500).end());
    const canaryPort = new URL(canary.url).port;
    npm = await startFakeRegistry(['notes-server', 'declared-server'].map((f) => packFixture(path.join(fixtures, f))));
    mcpRegistry = await startFake(registryHandler(() => [
      registryEntry('io.github.example/widgets', {
        description: 'Widgets over MCP.',
        version: '2.1.0',
        packages: [{
          registryType: 'npm', identifier: 'declared-mcp-fixture', version: '2.1.0', transport: { type: 'stdio' },
          environmentVariables: [{ name: 'WIDGET_TOKEN', description: 'API token for the widget service', isRequired: true, isSecret: true }],
          packageArguments: [{ type: 'named', name: '--workspace', valueHint: 'directory', isRequired: true }],
        }],
      }, { updatedAt: '2026-11-01T00:00:00Z' }),
      // Offered only as a remote, at an address on the crawler's own network: refused before any connection.
      registryEntry('io.github.example/hosted', {
        description: 'A hosted server.',
        remotes: [{ type: 'streamable-http', url: `http://127.0.0.1:${canaryPort}/mcp` }],
      }, { updatedAt: '2026-11-01T00:00:00Z' }),
    ]));
    work = sandboxTempDir('mcp-catalogue-run-discovery-');
    chmodSync(work, 0o755); // the sandbox's unprivileged uid reads the package cache
    writeFileSync(path.join(work, 'names.txt'), 'npm:notes-mcp-fixture\nnpm:declared-mcp-fixture\n');
    await run();
    await run();
  }, 300_000);

  afterAll(async () => {
    await npm?.close();
    await mcpRegistry?.close();
    await canary?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('merges the registry entry and the npm package into one server and crawls each server once', () => {
    expect(runs[0]!.code).toBe(0);
    expect(runs[0]!.stdout).toMatch(/servers:\s+3 \(3 new, 0 changed, 1 merged as duplicates\)/);
    expect(runs[0]!.stdout).toMatch(/crawl plan:\s+3 servers, 1 of them remote only\n/);
    expect(runs[0]!.stdout).toMatch(/servers tried:\s+3\n/);
  });

  it('starts the server with the variable and argument its server.json declares', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const declared = lines.find((l) => l.identifier === 'declared-mcp-fixture');
    expect(declared.introspection).toMatchObject({ outcome: 'ok', method: 'live-stdio-arguments', toolCount: 1 });
    expect(declared.tools.map((t: { name: string }) => t.name)).toEqual(['list_widgets']);
    expect(lines.find((l) => l.identifier === 'notes-mcp-fixture').introspection).toMatchObject({ outcome: 'ok', method: 'live-stdio' });
  });

  it('records a remote-only entry under its registry name, refused before connecting to a non-public address', () => {
    const lines = readFileSync(path.join(work, 'export/servers.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const hosted = lines.find((l) => l.identifier === 'io.github.example/hosted');
    expect(hosted).toMatchObject({ registry: 'mcp-registry', version: '1.0.0' });
    expect(hosted.introspection).toMatchObject({ outcome: 'failed', failureReason: 'sandbox_violation' });
    expect(canary.requests).toEqual([]);
  });

  it('crawls no new version on a second run over unchanged sources: it lists the live-listed ones again and finds no change', () => {
    expect(runs[1]!.code).toBe(0);
    expect(runs[1]!.stdout).toMatch(/servers:\s+3 \(0 new, 0 changed, 1 merged as duplicates\)/);
    expect(runs[1]!.stdout).toMatch(/crawl plan:\s+0 servers \(left out: 3 versions already crawled\); 2 crawled before listed again to look for changes\n/);
    expect(runs[1]!.stdout).toMatch(/servers tried:\s+2\n/);
    expect(runs[1]!.stdout).toMatch(/changes:\s+no changes\n/);
  });
});
