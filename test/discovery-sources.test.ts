/**
 * Each discovery source against a loopback fake misbehaving the ways real registries do: legacy shapes, 429 with
 * Retry-After, 5xx bursts, malformed and oversized bodies, looping and endless cursors, rate limits, and the
 * GitHub 1,000-result cap.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discover, DiscoveryFetcher, githubSource, mcpRegistrySource, npmSource, type Source } from '../crawler/discovery/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { openStore, type Store } from '../db/index.ts';
import { githubHandler, npmHandler, registryEntry, registryHandler, startFake, type Fake, type GithubRepo, type RegistryEntry } from './helpers/discovery-fakes.ts';

let store: Store;
let http: HttpClient;
const fakes: Fake[] = [];

beforeEach(async () => {
  store = await openStore({ dataDir: 'memory://' });
  http = new HttpClient({ minTimeoutMs: 10, maxRetries: 3 });
});
afterEach(async () => {
  await store.close();
  await http.close();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fake(handler: Parameters<typeof startFake>[0]): Promise<Fake> {
  const f = await startFake(handler);
  fakes.push(f);
  return f;
}

function run(...sources: Source[]) {
  const warnings: string[] = [];
  return discover({ store, sources, fetch: new DiscoveryFetcher(http), onWarning: (s, m) => warnings.push(`${s}: ${m}`) }).then((r) => ({ ...r, warnings }));
}

function entries(n: number): RegistryEntry[] {
  return Array.from({ length: n }, (_, i) =>
    registryEntry(`io.github.owner${i}/server`, { description: `Server ${i}`, packages: [{ registryType: 'npm', identifier: `server-${i}`, version: '1.0.0', transport: { type: 'stdio' } }] }, { updatedAt: `2026-01-${String(i + 1).padStart(2, '0')}T00:00:00Z` }));
}

describe('MCP Registry source', () => {
  it('reads the older shape: flat items, snake_case keys, metadata.next_cursor', async () => {
    const legacy = entries(5).map((e) => ({
      ...e.server,
      name: String(e.server.name),
      packages: [{ registry_type: 'npm', identifier: String(e.server.name).replace(/\W/g, '-'), version: '1.0.0', environment_variables: [{ name: 'TOKEN', is_secret: true }] }],
      _meta: e._meta,
    }));
    const registry = await fake(registryHandler(() => entries(5), { legacy: true }));
    registry.override = (_req, res, url) => {
      const start = url.searchParams.get('cursor') ? legacy.findIndex((e) => e.name === url.searchParams.get('cursor')) + 1 : 0;
      const page = legacy.slice(start, start + 2);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ servers: page, metadata: { next_cursor: start + 2 < legacy.length ? page[1]!.name : null } }));
      return true;
    };
    const result = await run(mcpRegistrySource({ baseUrl: registry.url, pageSize: 2 }));
    expect(result.sources[0]).toMatchObject({ candidates: 5, error: null });
    expect(registry.requests).toHaveLength(3);
    expect(result.servers[0]!.environmentVariables).toEqual([expect.objectContaining({ name: 'TOKEN', isSecret: true })]);
  });

  it('waits out 429 Retry-After and a 5xx burst, then goes on', async () => {
    let calls = 0;
    const registry = await fake(registryHandler(() => entries(3)));
    registry.override = (_req, res) => {
      calls += 1;
      if (calls === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else if (calls === 2 || calls === 3) res.writeHead(502).end();
      else return false;
      return true;
    };
    const started = Date.now();
    const result = await run(mcpRegistrySource({ baseUrl: registry.url }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(result.sources[0]).toMatchObject({ candidates: 3, error: null });
  });

  it('ends a looping cursor with DISCOVERY_CURSOR_LOOP, keeps what it read, and another source still delivers', async () => {
    const registry = await fake(registryHandler(() => entries(6)));
    registry.override = (_req, res, url) => {
      if (url.searchParams.get('cursor') !== 'io.github.owner3/server') return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ servers: entries(6).slice(0, 2), metadata: { nextCursor: 'io.github.owner1/server' } }));
      return true;
    };
    const npm = await fake(npmHandler(() => [{ name: 'ok-mcp', version: '1.0.0', keywords: ['mcp'], manifest: { mcpName: 'x.y/ok' } }]));
    const result = await run(mcpRegistrySource({ baseUrl: registry.url, pageSize: 2 }), npmSource({ baseUrl: npm.url }));
    expect(result.sources.map((s) => [s.source, s.candidates, s.error?.code ?? null])).toEqual([
      ['mcp-registry', 6, 'DISCOVERY_CURSOR_LOOP'],
      ['npm', 1, null],
    ]);
    expect(result.servers.map((s) => s.id)).toContain('npm:ok-mcp');
    // A broken cursor is not resumed: the next pass starts over.
    expect(await store.discoveryState('mcp-registry')).not.toHaveProperty('cursor');
  });

  it('ends an endless cursor with DISCOVERY_PAGE_LIMIT', async () => {
    let n = 0;
    const registry = await fake(() => undefined);
    registry.override = (_req, res) => {
      n += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ servers: entries(1), metadata: { nextCursor: `c${n}` } }));
      return true;
    };
    const result = await run(mcpRegistrySource({ baseUrl: registry.url, maxPages: 5 }));
    expect(result.sources[0]!.error?.code).toBe('DISCOVERY_PAGE_LIMIT');
    expect(registry.requests).toHaveLength(5);
  });

  it('records a 10 MB body, a wrong top-level type and malformed items without crashing', async () => {
    const huge = await fake((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(`{"servers": ["${'x'.repeat(10 * 1024 * 1024)}"]}`));
    const wrong = await fake((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"servers": {"a": 1}, "metadata": {"nextCursor": 7}}'));
    const mixed = await fake((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      servers: [42, { server: { name: 17 } }, { server: { name: 'ok.example/server', packages: 'nope', remotes: [{ type: 'sse', url: 'https://x.example/sse' }, { type: 5 }] } }],
      metadata: {},
    })));
    for (const [f, code] of [[huge, 'HTTP_BODY_TOO_LARGE'], [wrong, 'DISCOVERY_BAD_RESPONSE']] as const) {
      const result = await run(mcpRegistrySource({ baseUrl: f.url }));
      expect(result.sources[0]!.error?.code).toBe(code);
    }
    const result = await run(mcpRegistrySource({ baseUrl: mixed.url }));
    expect(result.sources[0]).toMatchObject({ candidates: 1, warnings: 2, error: null });
    expect(result.servers.find((s) => s.id === 'mcp-registry:ok.example/server')).toMatchObject({ remotes: [{ type: 'sse', url: 'https://x.example/sse' }], packages: [] });
  });

  it('resumes from the stored cursor after a pass failed mid-way', async () => {
    let failing = true;
    const registry = await fake(registryHandler(() => entries(6)));
    registry.override = (_req, res, url) => {
      if (!failing || url.searchParams.get('cursor') !== 'io.github.owner3/server') return false;
      res.writeHead(500).end();
      return true;
    };
    const first = await run(mcpRegistrySource({ baseUrl: registry.url, pageSize: 2 }));
    expect(first.sources[0]).toMatchObject({ candidates: 4, error: { code: 'HTTP_STATUS' } });
    failing = false;
    registry.requests.length = 0;
    const second = await run(mcpRegistrySource({ baseUrl: registry.url, pageSize: 2 }));
    expect(registry.requests).toEqual([expect.stringContaining('cursor=io.github.owner3%2Fserver')]);
    expect(second.sources[0]).toMatchObject({ candidates: 2, error: null });
    expect(second.totals.servers).toBe(6);
    // The finished pass leaves a mark for the next: only entries updated since are asked for.
    expect(await store.discoveryState('mcp-registry')).toEqual({ updatedSince: '2026-01-06T00:00:00Z' });
  });
});

describe('GitHub source', () => {
  const manyRepos: GithubRepo[] = Array.from({ length: 1500 }, (_, i) => ({
    id: 10_000 + i, full_name: `owner${i}/repo${i}`, created_at: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`, topics: ['mcp-server'],
  }));

  it('splits a year over 1,000 results into months and lists every repository; a second run is all 304s', async () => {
    const github = await fake(githubHandler(() => manyRepos));
    const source = () => githubSource({ baseUrl: github.url, topics: ['mcp-server'], startYear: 2025, now: () => new Date('2025-12-31T00:00:00Z') });
    const first = await run(source());
    expect(first.sources[0]).toMatchObject({ candidates: 1500, error: null });
    expect(github.requests).toHaveLength(1 + 12 * 2);
    expect(github.requests.filter((r) => r.includes('created%3A2025-01-01..2025-12-31'))).toHaveLength(1);
    github.requests.length = 0;
    const second = await run(source());
    expect(second.sources[0]).toMatchObject({ candidates: 0, error: null });
    expect(second.totals.servers).toBe(1500);
    expect(github.requests).toHaveLength(25);
  });

  it('waits for X-RateLimit-Reset on a 403, sends the token, and gives up on a reset too far away', async () => {
    const repos: GithubRepo[] = [{ id: 1, full_name: 'a/b', created_at: '2025-05-05T00:00:00Z', topics: ['mcp'] }];
    let calls = 0;
    const auth: string[] = [];
    const github = await fake(githubHandler(() => repos));
    github.override = (req, res) => {
      auth.push(String(req.headers.authorization));
      calls += 1;
      if (calls > 1) return false;
      res.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) }).end('{"message":"API rate limit exceeded"}');
      return true;
    };
    const source = githubSource({ baseUrl: github.url, token: 'test-token', topics: ['mcp'], startYear: 2025, now: () => new Date('2025-06-01T00:00:00Z') });
    const result = await run(source);
    expect(result.sources[0]).toMatchObject({ candidates: 1, error: null });
    expect(auth[0]).toBe('Bearer test-token');

    github.override = (_req, res) => {
      res.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) }).end('{}');
      return true;
    };
    const limited = await run(githubSource({ baseUrl: github.url, topics: ['mcp'], startYear: 2025, now: () => new Date('2025-06-01T00:00:00Z'), maxRateLimitWaitMs: 2000 }));
    expect(limited.sources[0]!.error?.code).toBe('DISCOVERY_RATE_LIMITED');
  });
});

describe('npm names file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mcp-catalogue-names-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the named packages without searching, warns for a missing one, and revalidates with ETags', async () => {
    const npm = await fake(npmHandler(() => [{ name: '@scope/listed', version: '2.0.0', keywords: [] }]));
    const file = path.join(dir, 'names.txt');
    await writeFile(file, '# seeds\nnpm:@scope/listed\nnpm:missing-one\nnot a name!\n');
    const first = await run(npmSource({ baseUrl: npm.url, namesFile: file }));
    expect(first.sources[0]).toMatchObject({ candidates: 1, warnings: 2, error: null });
    expect(first.servers.map((s) => s.id)).toEqual(['npm:@scope/listed']);
    expect(npm.requests.some((r) => r.startsWith('/-/v1/search'))).toBe(false);
    const second = await run(npmSource({ baseUrl: npm.url, namesFile: file }));
    expect(second.sources[0]!.candidates).toBe(0);
    expect(second.totals.servers).toBe(1);

    const missing = await run(npmSource({ baseUrl: npm.url, namesFile: path.join(dir, 'nope.txt') }));
    expect(missing.sources[0]!.error?.code).toBe('DISCOVERY_NAMES_FILE');
  });
});

describe.skipIf(process.env.MCP_CATALOGUE_NETWORK_TESTS !== '1')('live npm registry (MCP_CATALOGUE_NETWORK_TESTS=1)', () => {
  it('resolves real packuments from a names file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mcp-catalogue-live-'));
    const file = path.join(dir, 'names.txt');
    await writeFile(file, 'npm:@modelcontextprotocol/server-filesystem\nnpm:@modelcontextprotocol/server-memory\n');
    const result = await run(npmSource({ namesFile: file }));
    await rm(dir, { recursive: true, force: true });
    expect(result.sources[0]).toMatchObject({ candidates: 2, error: null });
    for (const server of result.servers) {
      expect(server.repositories[0]!.url).toBe('https://github.com/modelcontextprotocol/servers');
      expect(Object.values(server.versions)[0]).toMatch(/^\d+\.\d+\.\d+/);
    }
    // Two packages of one monorepo stay two servers.
    expect(result.servers).toHaveLength(2);
  });
});
