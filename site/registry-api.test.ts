import { describe, expect, it } from 'vitest';
import type { CatalogueEntry, ServerVersionRecord } from '../records/index.ts';
import { buildRegistry, listServers, serverVersion, validateDocument } from '../serve/index.ts';
import { assignServerSlugs } from './index.ts';
import { registryApiPages, STATIC_PAGE_SIZE, versionFileName } from './registry-api.ts';
import { safeTarget } from './write.ts';

const day = (d: number) => new Date(Date.UTC(2025, 0, 1 + d));

/** `n` npm servers; server 0 has three versions, one of them not a safe file name and one named "index". */
function input(n: number) {
  const entries: CatalogueEntry[] = [];
  const versions: ServerVersionRecord[] = [];
  for (let i = 0; i < n; i++) {
    const identifier = i === 1 ? '__proto__' : `server-${String(i).padStart(4, '0')}`;
    const server = { id: i + 1, registry: 'npm' as const, identifier, displayName: identifier, description: `Server ${i}`, repositoryUrl: null, createdAt: day(0), updatedAt: day(0) };
    const own = i === 0 ? ['1.0.0', 'index', '2.0.0+build/../x'] : ['1.0.0'];
    own.forEach((version, k) => versions.push({ id: 1000 * (k + 1) + i, serverId: server.id, version, publishedAt: null, firstSeenAt: day(k) }));
    entries.push({ server, version: versions.at(-1)!, introspection: null, tools: [] });
  }
  return { entries, index: buildRegistry({ entries, versions, listings: new Map(), definitions: new Map(), classifications: new Map(), policies: new Map(), officialNames: new Map() }) };
}

describe('static registry API', () => {
  it('names version files: safe strings as they are, others by their hash', () => {
    expect(versionFileName('1.2.3-beta.1')).toBe('1.2.3-beta.1.json');
    for (const odd of ['latest', 'index', '1.0.0+build', '../x', '..', '']) expect(versionFileName(odd)).toMatch(/^v-[0-9a-f]{16}\.json$/);
    expect(versionFileName('1.0.0+a')).not.toBe(versionFileName('1.0.0+b'));
  });

  it('writes list pages of STATIC_PAGE_SIZE with nextCursor naming the next file, and per-server version files', () => {
    const { entries, index } = input(STATIC_PAGE_SIZE + 5);
    const slugs = assignServerSlugs(entries);
    const pages = registryApiPages(index, slugs);
    const byPath = new Map(pages.map((p) => [p.path, JSON.parse(p.body) as Record<string, any>])); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(byPath.size).toBe(pages.length);
    for (const p of pages) expect(() => safeTarget('/site', p.path)).not.toThrow();
    for (const p of pages) expect(p.body).not.toMatch(/[<>&]/);

    const first = byPath.get('v0.1/servers/page-1.json')!;
    const second = byPath.get('v0.1/servers/page-2.json')!;
    expect(byPath.has('v0.1/servers/page-3.json')).toBe(false);
    for (const page of [first, second]) expect(validateDocument('server-list', page).errors).toEqual([]);
    expect(first.metadata).toEqual({ nextCursor: 'page-2.json', count: STATIC_PAGE_SIZE });
    expect(second.metadata).toEqual({ count: 5 });
    // The same documents as the live API's pages of 100.
    const live = listServers(index, { version: 'latest', limit: '100' });
    expect(first.servers).toEqual(live.servers);

    const slug = slugs.get(1)!;
    const dir = `v0.1/servers/${slug}/versions`;
    const all = byPath.get(`${dir}/index.json`)!;
    expect(validateDocument('server-list', all).errors).toEqual([]);
    expect(all.servers.map((s: { server: { version: string } }) => s.server.version)).toEqual(['2.0.0+build/../x', 'index', '1.0.0']);
    expect(byPath.get(`${dir}/latest.json`)).toEqual(serverVersion(index, 'com.npmjs/server-0000', 'latest'));
    expect(byPath.get(`${dir}/1.0.0.json`)!.server.version).toBe('1.0.0');
    expect(byPath.get(`${dir}/${versionFileName('index')}`)!.server.version).toBe('index');
    expect(index.problems).toEqual([]);
    expect(byPath.get(`${dir}/${versionFileName('2.0.0+build/../x')}`)!.server.version).toBe('2.0.0+build/../x');

    const names = byPath.get('v0.1/servers/names.json')!.servers as Array<{ name: string; path: string }>;
    expect(names).toHaveLength(STATIC_PAGE_SIZE + 5);
    expect(names.find((n) => n.name === 'com.npmjs/__proto__')).toEqual({ name: 'com.npmjs/__proto__', path: `v0.1/servers/${slugs.get(2)}/versions/` });
  });

  it('leaves out a version whose document fails the schema (a package version "latest"), and serves the others', () => {
    const { entries, index } = input(1);
    const versions: ServerVersionRecord[] = [
      { id: 1, serverId: 1, version: 'latest', publishedAt: null, firstSeenAt: day(0) },
      { id: 2, serverId: 1, version: '1.0.0', publishedAt: null, firstSeenAt: day(1) },
    ];
    expect(index.servers).toHaveLength(1);
    const again = buildRegistry({ entries: [{ ...entries[0]!, version: versions[1]! }], versions, listings: new Map(), definitions: new Map(), classifications: new Map(), policies: new Map(), officialNames: new Map() });
    expect(again.servers.map((s) => s.versions.map((v) => v.version))).toEqual([['1.0.0']]);
    expect(again.problems).toMatchObject([{ serverId: 1, code: 'SCHEMA', message: expect.stringMatching(/^version "latest" does not fit the registry schema \(the others are served\): \/server\/packages\/0\/version/) }]);
  });

  it('writes one empty page for an empty catalogue', () => {
    const pages = registryApiPages(input(0).index, new Map());
    expect(pages.map((p) => p.path)).toEqual(['v0.1/servers/page-1.json', 'v0.1/servers/names.json']);
    expect(JSON.parse(pages[0]!.body)).toEqual({ servers: [], metadata: { count: 0 } });
  });
});
