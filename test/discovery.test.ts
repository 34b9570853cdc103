/**
 * `discover` against loopback fakes of all four sources: one server listed on the MCP Registry, npm and GitHub ends
 * as one entry; a second run over unchanged sources fetches almost nothing; a changed version is all a third run
 * fetches again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discover, DiscoveryFetcher, githubSource, mcpRegistrySource, npmSource, pypiSource, type DiscoverResult, type Source } from '../crawler/discovery/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { openStore, type Store } from '../db/index.ts';
import {
  githubHandler, npmHandler, pypiHandler, registryEntry, registryHandler, startFake,
  type Fake, type GithubRepo, type NpmPackage, type PypiProject, type RegistryEntry,
} from './helpers/discovery-fakes.ts';

const NOW = () => new Date('2026-06-01T00:00:00Z');

let registryEntries: RegistryEntry[];
let npmPackages: NpmPackage[];
let pypiProjects: PypiProject[];
let githubRepos: GithubRepo[];
let fakes: Record<'registry' | 'npm' | 'pypi' | 'github', Fake>;
let store: Store;
let http: HttpClient;

beforeEach(async () => {
  registryEntries = [
    registryEntry('io.github.acme/weather', {
      title: 'Acme Weather', description: 'Forecasts from Acme.', version: '1.2.0',
      repository: { url: 'https://github.com/acme/weather-mcp', source: 'github', id: '101' },
      packages: [{
        registryType: 'npm', registryBaseUrl: 'https://registry.npmjs.org', identifier: '@acme/weather-mcp', version: '1.2.0',
        transport: { type: 'stdio' },
        environmentVariables: [{ name: 'WEATHER_API_KEY', description: 'API key', isRequired: true, isSecret: true }],
        packageArguments: [{ type: 'named', name: '--units', value: 'metric' }],
      }],
    }, { updatedAt: '2026-05-01T00:00:00Z' }),
    registryEntry('com.example/remote-only', {
      description: 'A hosted server.', remotes: [{ type: 'streamable-http', url: 'https://mcp.example.com/mcp' }],
    }, { updatedAt: '2026-05-02T00:00:00Z' }),
    registryEntry('io.github.old/gone', { description: 'Removed.' }, { status: 'deleted', updatedAt: '2026-05-03T00:00:00Z' }),
  ];
  npmPackages = [
    {
      name: '@acme/weather-mcp', version: '1.2.0', keywords: ['mcp', 'mcp-server'], monthly: 1200,
      manifest: { mcpName: 'io.github.acme/weather', repository: { type: 'git', url: 'git+https://github.com/Acme/weather-mcp.git' }, dependencies: { '@modelcontextprotocol/sdk': '^1.20.0' } },
    },
    { name: 'files-mcp', version: '0.3.0', keywords: ['modelcontextprotocol'], manifest: { dependencies: { '@modelcontextprotocol/sdk': '^1.0.0' }, repository: 'github:someone/files-mcp' } },
    { name: 'minecraft-mcp-pack', version: '4.0.0', keywords: ['mcp'], manifest: { dependencies: { lodash: '^4' } } },
  ];
  pypiProjects = [
    { name: 'Notes_MCP', serial: 11, version: '0.9.0', summary: 'Notes over MCP', requires: ['mcp>=1.2', 'httpx'], projectUrls: { Source: 'https://github.com/notes/notes-mcp' } },
    { name: 'mcp-claimed', serial: 12, version: '2.0.0', description: '# Claimed\n\nmcp-name: com.example/remote-only\n' },
    { name: 'mcpstats', serial: 13, version: '1.0.0', requires: ['numpy', 'mcp; extra == "server"'] },
    { name: 'requests', serial: 14, version: '2.32.0', requires: ['mcp'] },
  ];
  githubRepos = [
    { id: 101, full_name: 'Acme/weather-mcp', created_at: '2025-03-04T00:00:00Z', topics: ['mcp-server', 'mcp'], description: 'Weather MCP server', stargazers_count: 42 },
    { id: 202, full_name: 'fork-owner/weather-mcp', created_at: '2025-08-04T00:00:00Z', topics: ['mcp-server'], fork: true },
    { id: 303, full_name: 'lone/tooling', created_at: '2026-02-01T00:00:00Z', topics: ['mcp'], archived: true },
  ];
  fakes = {
    registry: await startFake(registryHandler(() => registryEntries)),
    npm: await startFake(npmHandler(() => npmPackages)),
    pypi: await startFake(pypiHandler(() => pypiProjects)),
    github: await startFake(githubHandler(() => githubRepos)),
  };
  store = await openStore({ dataDir: 'memory://' });
  http = new HttpClient({ minTimeoutMs: 10, maxRetries: 2 });
});

afterEach(async () => {
  await store.close();
  await http.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
});

function sources(): Source[] {
  return [
    mcpRegistrySource({ baseUrl: fakes.registry.url, pageSize: 2 }),
    npmSource({ baseUrl: fakes.npm.url, pageSize: 2 }),
    pypiSource({ baseUrl: fakes.pypi.url }),
    githubSource({ baseUrl: fakes.github.url, now: NOW, startYear: 2025 }),
  ];
}

async function run(): Promise<DiscoverResult> {
  return discover({ store, sources: sources(), fetch: new DiscoveryFetcher(http) });
}

function clearRequests(): void {
  for (const fake of Object.values(fakes)) fake.requests.length = 0;
}

describe('discover over the four sources', () => {
  it('merges the same server across registry, npm and GitHub, keeps the rest apart, marks deleted entries', async () => {
    const result = await run();
    expect(result.sources.map((s) => [s.source, s.candidates, s.error])).toEqual([
      ['mcp-registry', 3, null],
      ['npm', 2, null],
      ['pypi', 2, null],
      ['github', 3, null],
    ]);
    const byId = new Map(result.servers.map((s) => [s.id, s]));
    expect([...byId.keys()]).toEqual([
      'mcp-registry:com.example/remote-only',
      'mcp-registry:io.github.acme/weather',
      'mcp-registry:io.github.old/gone',
      'npm:files-mcp',
      'pypi:notes-mcp',
      'github:fork-owner/weather-mcp',
      'github:lone/tooling',
    ]);
    const weather = byId.get('mcp-registry:io.github.acme/weather')!;
    expect(weather).toMatchObject({
      name: 'Acme Weather',
      identities: ['mcp-registry:io.github.acme/weather', 'npm:@acme/weather-mcp', 'github:acme/weather-mcp'],
      sources: ['github', 'mcp-registry', 'npm'],
      packages: [{ registryType: 'npm', identifier: '@acme/weather-mcp', version: '1.2.0' }],
      repositories: [{ url: 'https://github.com/acme/weather-mcp', id: '101', subfolder: null }],
      versions: { 'mcp-registry:io.github.acme/weather': '1.2.0', 'npm:@acme/weather-mcp': '1.2.0' },
      downloads: 1200,
      stars: 42,
      transports: ['stdio'],
      status: 'active',
      change: 'new',
    });
    expect(weather.environmentVariables).toEqual([expect.objectContaining({ name: 'WEATHER_API_KEY', isSecret: true, isRequired: true })]);
    expect(weather.arguments).toEqual([expect.objectContaining({ type: 'named', name: '--units', value: 'metric', scope: 'package' })]);
    // The PyPI package that claims a registry name through `mcp-name:` joins that entry.
    expect(byId.get('mcp-registry:com.example/remote-only')).toMatchObject({
      identities: ['mcp-registry:com.example/remote-only', 'pypi:mcp-claimed'], transports: ['streamable-http'],
    });
    expect(byId.get('mcp-registry:io.github.old/gone')!.status).toBe('deleted');
    expect(byId.get('github:lone/tooling')!.status).toBe('deprecated');
    expect(byId.get('pypi:notes-mcp')).toMatchObject({ name: 'Notes_MCP', repositories: [{ url: 'https://github.com/notes/notes-mcp' }] });
    expect(result.totals).toMatchObject({ candidates: 10, servers: 7, new: 7, changed: 0, mergedDuplicates: 3 });
    // Listings looked at and found not to be servers are remembered.
    const npmFindings = await store.discoveryFindings('npm');
    expect(npmFindings.find((f) => f.key === 'npm:minecraft-mcp-pack')).toMatchObject({ marker: '4.0.0', candidate: null });
  });

  it('fetches almost nothing on a second run over unchanged sources, and only what changed on a third', async () => {
    await run();
    const firstPackuments = fakes.npm.requests.filter((r) => !r.startsWith('/-/v1/search')).length;
    expect(firstPackuments).toBe(3);
    clearRequests();

    const second = await run();
    expect(second.totals).toMatchObject({ servers: 7, new: 0, changed: 0 });
    // Registry: one page since the last mark; npm: search pages only; PyPI: the list, answered 304; GitHub: one 304 a window.
    expect(fakes.registry.requests).toEqual([expect.stringMatching(/updated_since=2026-05-03/)]);
    expect(fakes.npm.requests.every((r) => r.startsWith('/-/v1/search'))).toBe(true);
    expect(fakes.npm.requests).toHaveLength(3);
    expect(fakes.pypi.requests).toEqual(['/simple/']);
    expect(fakes.github.requests).toHaveLength(4);
    expect(second.sources.map((s) => s.candidates)).toEqual([1, 0, 0, 0]);

    npmPackages[1]!.version = '0.4.0';
    pypiProjects.push({ name: 'fresh-mcp', serial: 20, version: '0.1.0', requires: ['fastmcp'] });
    clearRequests();
    const third = await run();
    expect(fakes.npm.requests.filter((r) => !r.startsWith('/-/v1/search'))).toEqual(['/files-mcp']);
    expect(fakes.pypi.requests).toEqual(['/simple/', '/pypi/fresh-mcp/json']);
    expect(third.servers.filter((s) => s.change !== 'unchanged').map((s) => [s.id, s.change])).toEqual([
      ['npm:files-mcp', 'changed'],
      ['pypi:fresh-mcp', 'new'],
    ]);
    expect(third.servers.find((s) => s.id === 'npm:files-mcp')!.versions).toEqual({ 'npm:files-mcp': '0.4.0' });
  });

  it('keeps every other source\'s candidates when one source fails', async () => {
    fakes.pypi.override = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' }).end('{"projects": "not a list"}');
      return true;
    };
    fakes.github.override = (_req, res) => {
      res.writeHead(503).end();
      return true;
    };
    const result = await run();
    expect(result.sources.map((s) => [s.source, s.candidates, s.error?.code ?? null])).toEqual([
      ['mcp-registry', 3, null],
      ['npm', 2, null],
      ['pypi', 0, 'DISCOVERY_BAD_RESPONSE'],
      ['github', 0, 'HTTP_STATUS'],
    ]);
    expect(fakes.github.requests.length).toBe(3);
    expect(result.servers.map((s) => s.id)).toContain('mcp-registry:io.github.acme/weather');
  });

  it('stops each source at --limit candidates', async () => {
    const result = await discover({ store, sources: sources(), fetch: new DiscoveryFetcher(http), limit: 1 });
    expect(result.sources.map((s) => s.candidates)).toEqual([1, 1, 1, 1]);
  });
});
