/**
 * "Not a server" as a discovery outcome, against a loopback npm registry: a names file lists one server and four
 * packages that are not servers (a platform binary, a plugin, a client library, an SDK). `discover` shows them in the
 * summary and in `--json` with their reason, keeps them stored across runs, and `run` plans and crawls none of them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../scripts/cli.ts';
import { npmHandler, startFake, type Fake, type NpmPackage } from './helpers/discovery-fakes.ts';

const SERVER: NpmPackage = {
  name: 'weather-mcp-server', version: '1.0.0', keywords: ['mcp'],
  manifest: { description: 'MCP server for weather forecasts', bin: { 'weather-mcp': 'dist/index.js' }, dependencies: { '@modelcontextprotocol/sdk': '^1.20.0' } },
};
const NOT_SERVERS: NpmPackage[] = [
  {
    name: 'weather-mcp-server-linux-x64', version: '1.0.0', keywords: ['mcp'],
    manifest: { description: 'Weather MCP server binary for linux x64', bin: undefined, os: ['linux'], cpu: ['x64'] },
  },
  {
    name: 'editor-mcp-bridge', version: '0.2.0', keywords: ['mcp', 'editor-plugin'],
    manifest: { description: 'Talk to MCP from the editor', bin: undefined, main: 'lib/plugin.js', peerDependencies: { 'editor-core': '^3' } },
  },
  {
    name: 'tiny-mcp-client', version: '0.1.0', keywords: ['mcp'],
    manifest: { description: 'A small MCP client for Node.js', bin: undefined, main: 'index.js', dependencies: { '@modelcontextprotocol/sdk': '^1.20.0' } },
  },
  {
    name: 'mcp-kit', version: '3.0.0', keywords: ['mcp'],
    manifest: { description: 'A TypeScript framework for building MCP servers', bin: undefined, exports: { '.': './dist/index.js' } },
  },
];

let work: string;
let stdout: string;
let stderr: string;
let npm: Fake;
let databaseUrl: string | undefined;

beforeEach(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-not-server-'));
  stdout = '';
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  process.env.MCP_CATALOGUE_LOG = 'json';
  databaseUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  npm = await startFake(npmHandler(() => [SERVER, ...NOT_SERVERS]));
});

afterEach(async () => {
  vi.restoreAllMocks();
  delete process.env.MCP_CATALOGUE_LOG;
  if (databaseUrl !== undefined) process.env.DATABASE_URL = databaseUrl;
  await npm.close();
  rmSync(work, { recursive: true, force: true });
});

function namesFile(packages: NpmPackage[]): string {
  const file = path.join(work, 'names.txt');
  writeFileSync(file, `# test names\n${packages.map((p) => p.name).join('\n')}\n`);
  return file;
}

describe('not a server: a discovery outcome', () => {
  it('is shown with its reason in the summary and in discover --json, and stays stored on the next run', async () => {
    const args = ['node', 'mcp-catalogue', 'discover', '--data-dir', work, '--source', 'npm', '--npm-registry-url', npm.url, '--names-file', namesFile([SERVER, ...NOT_SERVERS])];
    expect(await main([...args, '--json'])).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; change: string; notServer: { code: string; reason: string } | null });
    expect(lines.every((l) => l.change === 'new')).toBe(true);
    expect(lines.map((l) => [l.id, l.notServer?.code ?? null])).toEqual([
      ['npm:weather-mcp-server', null],
      ['npm:editor-mcp-bridge', 'plugin'],
      ['npm:mcp-kit', 'sdk'],
      ['npm:tiny-mcp-client', 'client'],
      ['npm:weather-mcp-server-linux-x64', 'platform-binary'],
    ]);
    expect(lines.find((l) => l.id === 'npm:editor-mcp-bridge')!.notServer!.reason).toMatch(/plugin for another tool \(keyword "editor-plugin"\)/);
    expect(stderr).toMatch(/npm:\s+1 candidates \(1 new, 0 changed\), 4 not servers/);
    expect(stderr).toMatch(/servers:\s+1 \(1 new, 0 changed/);
    expect(stderr).toMatch(/not servers:\s+4 \(platform-binary 1, plugin 1, client 1, sdk 1\), not crawled/);

    // Unchanged packuments answer 304; the decisions come back from the store.
    stdout = '';
    expect(await main([...args, '--json'])).toBe(0);
    const again = stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; change: string; notServer: { code: string } | null });
    expect(again.map((l) => [l.id, l.notServer?.code ?? null, l.change])).toEqual(lines.map((l) => [l.id, l.notServer?.code ?? null, 'unchanged']));
    stdout = '';
    expect(await main(args)).toBe(0);
    expect(stdout).toMatch(/npm:\s+0 candidates \(0 new, 0 changed\),/);
    expect(stdout).toMatch(/not servers:\s+4 \(platform-binary 1, plugin 1, client 1, sdk 1\), not crawled/);
  });

  it('is never crawled by run: the plan leaves them out and counts them, no tarball is fetched', async () => {
    const code = await main([
      'node', 'mcp-catalogue', 'run', '--source', 'npm', '--npm-registry-url', npm.url, '--names-file', namesFile(NOT_SERVERS),
      '--data-dir', path.join(work, 'data'), '--site-out', path.join(work, 'site'), '--export-out', path.join(work, 'export'),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/crawl plan:\s+0 servers \(left out: 4 not MCP servers\)/);
    expect(stdout).toMatch(/servers tried:\s+0\n/);
    // Only the four packuments were asked for.
    expect(npm.requests.map((r) => r.split('?')[0]).sort()).toEqual(NOT_SERVERS.map((p) => `/${p.name}`).sort());
  }, 120_000);
});
