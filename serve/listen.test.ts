/**
 * The registry API on a real socket: the hono app served by @hono/node-server on an ephemeral loopback port, read by
 * an undici client that pages through everything with `cursor` and checks that each item comes exactly once.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueEntry, ServerVersionRecord } from '../records/index.ts';
import { buildRegistry, createRegistryApp, validateDocument, type RegistryIndex } from './index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SERVERS = 230;

/** `n` npm servers, every third with a second version; identities chosen so that some names need cleaning. */
function catalogue(n: number): RegistryIndex {
  const entries: CatalogueEntry[] = [];
  const versions: ServerVersionRecord[] = [];
  const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d));
  for (let i = 0; i < n; i++) {
    const identifier = i % 7 === 0 ? `@scope-${i % 5}/server~${i}` : `server-${String(i).padStart(4, '0')}`;
    const server = { id: i + 1, registry: 'npm' as const, identifier, displayName: identifier, description: `Server ${i}`, repositoryUrl: null, createdAt: day(0), updatedAt: day(i % 50) };
    const first: ServerVersionRecord = { id: 10_000 + i, serverId: server.id, version: '1.0.0', publishedAt: null, firstSeenAt: day(i % 40) };
    versions.push(first);
    let newest = first;
    if (i % 3 === 0) {
      newest = { id: 20_000 + i, serverId: server.id, version: '1.1.0', publishedAt: null, firstSeenAt: day(60 + (i % 40)) };
      versions.push(newest);
    }
    entries.push({ server, version: newest, introspection: null, tools: [] });
  }
  return buildRegistry({ entries, versions, listings: new Map(), definitions: new Map(), classifications: new Map(), policies: new Map(), officialNames: new Map() });
}

describe('registry API on a loopback port', () => {
  let server: ServerType;
  let base: string;
  let index: RegistryIndex;

  beforeAll(async () => {
    index = catalogue(SERVERS);
    const app = createRegistryApp(() => index);
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  });

  async function get(path: string): Promise<{ status: number; body: Json }> {
    const res = await request(`${base}${path}`);
    return { status: res.statusCode, body: (await res.body.json()) as Json };
  }

  /** Every item of `/v0.1/servers?<query>`, following nextCursor to the end. */
  async function pageThrough(query: string): Promise<{ items: string[]; pages: number }> {
    const items: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { status, body } = await get(`/v0.1/servers?${query}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(status).toBe(200);
      expect(validateDocument('server-list', body).errors).toEqual([]);
      expect(body.metadata.count).toBe(body.servers.length);
      items.push(...body.servers.map((s: Json) => `${s.server.name}@${s.server.version}`));
      cursor = body.metadata.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(500);
    } while (cursor !== undefined);
    return { items, pages };
  }

  it('pages through every server with version=latest: each exactly once, in name order', async () => {
    for (const limit of [7, 30, 100]) {
      const { items, pages } = await pageThrough(`version=latest&limit=${limit}`);
      expect(items).toHaveLength(SERVERS);
      expect(new Set(items).size).toBe(SERVERS);
      expect(pages).toBe(Math.ceil(SERVERS / limit));
      expect(items.map((i) => i.slice(0, i.lastIndexOf('@')))).toEqual(index.servers.map((s) => s.name));
    }
  });

  it('pages through every version without a filter, 30 to a page by default', async () => {
    const expected = index.servers.flatMap((s) => s.versions.map((v) => `${s.name}@${v.version}`));
    expect(expected).toHaveLength(SERVERS + Math.ceil(SERVERS / 3));
    const { items, pages } = await pageThrough('');
    expect(pages).toBe(Math.ceil(expected.length / 30));
    expect(new Set(items).size).toBe(items.length);
    expect([...items].sort()).toEqual([...expected].sort());
  });

  it('pages through a filtered list (search and updated_since together)', async () => {
    const since = '2025-02-01T00:00:00Z';
    const expected = index.servers.flatMap((s) => s.versions).filter((v) => v.name.includes('scope') && v.updatedAt.getTime() > Date.parse(since)).map((v) => `${v.name}@${v.version}`);
    expect(expected.length).toBeGreaterThan(3);
    const { items } = await pageThrough(`search=SCOPE&updated_since=${encodeURIComponent(since)}&limit=3`);
    expect([...items].sort()).toEqual([...expected].sort());
  });

  it('serves one server by its URL-encoded name, and JSON errors for bad requests', async () => {
    const first = index.servers[0]!;
    const { status, body } = await get(`/v0.1/servers/${encodeURIComponent(first.name)}/versions/latest`);
    expect(status).toBe(200);
    expect(body.server.name).toBe(first.name);
    expect(await get('/v0.1/servers?limit=1000')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/limit/) } });
    expect(await get('/v0.1/servers/nobody%2Fnothing/versions')).toEqual({ status: 404, body: { error: 'Server not found' } });
  });
});
