import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import type { CatalogueEntry, Policy } from '../records/index.ts';
import { fixtureChanges } from '../test/browser/helpers.ts';
import { BUILD_DIR, buildSite, type SiteSource } from './build.ts';
import { createSearchIndexer } from './search/indexer.ts';
import { renderSite } from './render.ts';
import { GENERATED_AT, explainRule, siteInput } from './test-fixtures.ts';
import type { SiteInput } from './types.ts';
import { SITE_MARKER, writeSite } from './write.ts';

const work = mkdtempSync(path.join(tmpdir(), 'site-build-test-'));
afterAll(() => rm(work, { recursive: true, force: true }));

/** Every file under `root` (relative path → content), the build's own state and the marker left out. */
async function files(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(root, { recursive: true, withFileTypes: true })).filter((d) => d.isFile())) {
    const full = path.join(name.parentPath, name.name);
    const rel = path.relative(root, full).split(path.sep).join('/');
    if (rel === SITE_MARKER || rel.startsWith(`${BUILD_DIR}/`)) continue;
    out.set(rel, await readFile(full, 'latin1')); // byte for byte
  }
  return out;
}

/** A source over `input` whose stamps hash each server's records, counting the servers it was asked for. */
function source(input: SiteInput): SiteSource & { asked: number[] } {
  const asked: number[] = [];
  const stampOf = (entry: CatalogueEntry) => createHash('sha256').update(JSON.stringify([entry, input.policies.get(entry.server.id) ?? null, (input.changes?.diffs ?? []).filter((d) => d.serverId === entry.server.id)])).digest('hex');
  return {
    asked,
    servers: async () => input.entries.map((e) => ({ id: e.server.id, registry: e.server.registry, identifier: e.server.identifier, stamp: stampOf(e) })),
    batch: async (ids) => {
      asked.push(...ids);
      const wanted = new Set(ids);
      const entries = input.entries.filter((e) => wanted.has(e.server.id));
      return {
        entries,
        policies: new Map([...input.policies].filter(([id]) => wanted.has(id))),
        changes: input.changes === undefined ? undefined : { diffs: input.changes.diffs.filter((d) => wanted.has(d.serverId)), listings: new Map([...input.changes.listings].filter(([id]) => wanted.has(id))) },
      };
    },
  };
}

const options = { generatedAt: GENERATED_AT, explainRule, batchSize: 2 };

describe('streamed site build', () => {
  it('writes, batch by batch, the same files renderSite renders whole', async () => {
    const input = siteInput({ changes: fixtureChanges() });
    const whole = path.join(work, 'whole');
    await writeSite(renderSite(input), whole);
    const streamed = path.join(work, 'streamed');
    const result = await buildSite(source(input), streamed, options);
    expect(result).toMatchObject({ mode: 'full', servers: input.entries.length, rendered: input.entries.length, removed: 0 });
    const expected = await files(whole);
    const got = await files(streamed);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, body] of expected) expect(got.get(file), file).toBe(body);
  });

  it('renders again only the servers whose stamp changed, and ends byte-identical to a full build', async () => {
    const before = siteInput({ changes: fixtureChanges() });
    const out = path.join(work, 'incremental');
    await buildSite(source(before), out, options);

    // One server's tool description changes, one server is gone, the rest are as they were.
    const [first, gone, ...rest] = before.entries;
    const changedTool = { ...first!.tools[0]!, tool: { ...first!.tools[0]!.tool, definition: { ...first!.tools[0]!.tool.definition, description: 'Lists deployments, now paged.' } } };
    const changed: CatalogueEntry = { ...first!, tools: [changedTool, ...first!.tools.slice(1)] };
    const after: SiteInput = { ...before, entries: [changed, ...rest], policies: new Map<number, Policy>([...before.policies].filter(([id]) => id !== gone!.server.id)) };
    const src = source(after);
    const result = await buildSite(src, out, options);
    expect(result).toMatchObject({ mode: 'incremental', servers: after.entries.length, rendered: 1, removed: 1 });
    expect(src.asked).toEqual([changed.server.id]);

    const fresh = path.join(work, 'fresh');
    await buildSite(source(after), fresh, options);
    const expected = await files(fresh);
    const got = await files(out);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, body] of expected) expect(got.get(file), file).toBe(body);
    expect([...got.keys()].some((file) => file.startsWith(`servers/${gone!.server.identifier}`))).toBe(false);
  });

  it('builds in full when asked, when the key changes, and after a build that failed half way', async () => {
    const input = siteInput();
    const out = path.join(work, 'modes');
    expect((await buildSite(source(input), out, options)).mode).toBe('full');
    expect((await buildSite(source(input), out, options)).mode).toBe('incremental');
    expect((await buildSite(source(input), out, { ...options, full: true })).mode).toBe('full');
    expect((await buildSite(source(input), out, { ...options, key: 'renderer-2' })).mode).toBe('full');
    expect((await buildSite(source(input), out, { ...options, key: 'renderer-2' })).mode).toBe('incremental');

    const failing = source({ ...input, entries: input.entries.map((e, i) => (i === 0 ? { ...e, server: { ...e.server, displayName: 'Renamed' } } : e)) });
    const stamps = await failing.servers();
    failing.servers = async () => stamps.map((s, i) => (i === 0 ? { ...s, stamp: 'moved' } : s));
    failing.batch = async () => {
      throw new Error('database went away');
    };
    await expect(buildSite(failing, out, { ...options, key: 'renderer-2' })).rejects.toThrow('database went away');
    expect((await buildSite(source(input), out, { ...options, key: 'renderer-2' })).mode).toBe('full');
  });

  it('gives the same search bundle, byte for byte, after an incremental build as after a full one', async () => {
    const before = siteInput({ changes: fixtureChanges() });
    const withSearch = { ...options, search: createSearchIndexer };
    const out = path.join(work, 'search-incremental');
    await buildSite(source(before), out, withSearch);
    const [first, ...rest] = before.entries;
    const after: SiteInput = { ...before, entries: [{ ...first!, server: { ...first!.server, displayName: 'Komodo, renamed' } }, ...rest] };
    expect((await buildSite(source(after), out, withSearch)).mode).toBe('incremental');
    const fresh = path.join(work, 'search-full');
    await buildSite(source(after), fresh, withSearch);
    const bundle = async (root: string) => new Map([...(await files(root))].filter(([file]) => file.startsWith('pagefind/')));
    const expected = await bundle(fresh);
    expect(expected.size).toBeGreaterThan(3);
    expect(await bundle(out)).toEqual(expected);
  }, 120_000);

  it('refuses to replace a directory it did not write', async () => {
    const foreign = path.join(work, 'foreign');
    await mkdir(foreign, { recursive: true });
    await writeFile(path.join(foreign, 'notes.txt'), 'mine');
    await expect(buildSite(source(siteInput()), foreign, options)).rejects.toMatchObject({ code: 'SITE_OUTDIR_NOT_OURS' });
    expect(await readFile(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  });
});
