/** `mcp-catalogue discover` against loopback fakes: JSON lines, the summary, --source, --limit and usage errors. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../scripts/cli.ts';
import { npmHandler, registryEntry, registryHandler, startFake, type Fake } from './helpers/discovery-fakes.ts';

let work: string;
let stdout: string;
let stderr: string;
let fakes: Fake[];
let databaseUrl: string | undefined;

beforeEach(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-discover-'));
  stdout = '';
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  process.env.MCP_CATALOGUE_LOG = 'json';
  // Each test gets its own embedded store in `work`; a shared DATABASE_URL would carry discovery state across tests.
  databaseUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  const registry = await startFake(registryHandler(() => [
    registryEntry('io.github.acme/one', { packages: [{ registryType: 'npm', identifier: 'acme-one', version: '1.0.0' }] }, { updatedAt: '2026-01-01T00:00:00Z' }),
  ]));
  const npm = await startFake(npmHandler(() => [
    { name: 'acme-one', version: '1.0.0', keywords: ['mcp'], manifest: { mcpName: 'io.github.acme/one' } },
    { name: 'acme-two', version: '1.0.0', keywords: ['mcp'], manifest: { dependencies: { fastmcp: '^3' } } },
  ]));
  fakes = [registry, npm];
  process.env.MCP_REGISTRY_URL = registry.url;
  process.env.NPM_REGISTRY_URL = npm.url;
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const name of ['MCP_CATALOGUE_LOG', 'MCP_REGISTRY_URL', 'NPM_REGISTRY_URL']) delete process.env[name];
  if (databaseUrl !== undefined) process.env.DATABASE_URL = databaseUrl;
  await Promise.all(fakes.map((f) => f.close()));
  rmSync(work, { recursive: true, force: true });
});

describe('mcp-catalogue discover', () => {
  it('prints deduplicated servers as JSON lines and the summary on stderr; a second run finds nothing new', async () => {
    const args = ['node', 'mcp-catalogue', 'discover', '--data-dir', work, '--source', 'mcp-registry,npm', '--json'];
    expect(await main(args)).toBe(0);
    const servers = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; identities: string[]; change: string });
    expect(servers.map((s) => [s.id, s.identities, s.change])).toEqual([
      ['mcp-registry:io.github.acme/one', ['mcp-registry:io.github.acme/one', 'npm:acme-one'], 'new'],
      ['npm:acme-two', ['npm:acme-two'], 'new'],
    ]);
    expect(stderr).toMatch(/mcp-registry:\s+1 candidates \(1 new, 0 changed\)/);
    expect(stderr).toMatch(/servers:\s+2 \(2 new, 0 changed, 1 merged as duplicates\)/);

    stdout = '';
    expect(await main(['node', 'mcp-catalogue', 'discover', '--data-dir', work, '--source', 'npm'])).toBe(0);
    expect(stdout).toMatch(/npm:\s+0 candidates \(0 new, 0 changed\)/);
    expect(stdout).toMatch(/servers:\s+2 \(0 new, 0 changed, 1 merged as duplicates\)/);
  });

  it('limits candidates per source and rejects unknown sources and bad limits with exit code 2', async () => {
    expect(await main(['node', 'mcp-catalogue', 'discover', '--data-dir', work, '--source', 'npm', '--limit', '1'])).toBe(0);
    expect(stdout).toMatch(/npm:\s+1 candidates/);
    expect(await main(['node', 'mcp-catalogue', 'discover', '--data-dir', work, '--source', 'cpan'])).toBe(2);
    expect(stderr).toMatch(/--source cpan: expected one of mcp-registry, npm, pypi, github/);
    expect(await main(['node', 'mcp-catalogue', 'discover', '--data-dir', work, '--limit', '0'])).toBe(2);
  });
});
