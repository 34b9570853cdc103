import { gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSite } from '../render.ts';
import { HOSTILE_ATTR, HOSTILE_SCRIPT, siteInput } from '../test-fixtures.ts';
import { html } from '../test-pages.ts';
import type { SiteAsset } from '../types.ts';
import { searchDocument } from './document.ts';
import { createSearchIndexer } from './indexer.ts';
import type { SearchRecord } from './record.ts';

/** Renders the fixture site with a sink that keeps every search record. */
function collect(): { records: SearchRecord[]; pages: ReturnType<typeof renderSite> } {
  const records: SearchRecord[] = [];
  const pages = renderSite(siteInput({ search: { add: (record) => records.push(record) } }));
  return { records, pages };
}

/** A Pagefind fragment: gzip of `pagefind_dcd` followed by the result's JSON. */
function fragment(file: SiteAsset): { url: string; meta: Record<string, string>; filters: Record<string, string[]>; content: string } {
  const text = gunzipSync(file.body).toString('utf8');
  expect(text.startsWith('pagefind_dcd')).toBe(true);
  return JSON.parse(text.slice('pagefind_dcd'.length)) as never;
}

describe('search records', () => {
  const { records, pages } = collect();

  it('has one record per tool, each pointing at the tool page with its category and risk', () => {
    const toolPages = pages.filter((p) => /^servers\/[^/]+\/tools\/[^/]+\.html$/.test(p.path));
    expect(records).toHaveLength(16);
    expect(records.map((r) => r.path).sort()).toEqual(toolPages.map((p) => p.path).sort());
    for (const record of records) {
      const $ = html(pages, record.path);
      expect($('.badge.category').first().text(), record.path).toBe(record.category);
      expect($('.badge.risk').first().text().replace(/ risk$/, ''), record.path).toBe(record.risk);
    }
  });

  it('keeps hostile names as plain text and unclassified tools as Unclassified', () => {
    const evil = records.find((r) => r.name === HOSTILE_SCRIPT);
    expect(evil).toMatchObject({ title: HOSTILE_ATTR, server: HOSTILE_SCRIPT, category: 'Execute', risk: 'High', registry: 'npm' });
    expect(records.find((r) => r.name === 'constructor')).toMatchObject({ category: 'Unclassified', risk: 'Unclassified' });
    expect(records.find((r) => r.name.startsWith('xxx'))?.name.length).toBeLessThanOrEqual(200);
  });
});

describe('searchDocument', () => {
  const record: SearchRecord = {
    path: 'servers/evil-mcp/tools/script.html', name: HOSTILE_SCRIPT, title: HOSTILE_ATTR, description: `</main>${HOSTILE_SCRIPT} & more`,
    server: `Evil, Inc: ${HOSTILE_ATTR}`, serverPath: 'servers/evil-mcp/index.html', registry: 'npm', category: 'Execute', risk: 'High',
  };

  it('escapes every text, so the document has no element or attribute from the data', () => {
    const $ = cheerio.load(searchDocument(record));
    expect($('script, img').length).toBe(0);
    expect($('[onerror]').length).toBe(0);
    expect($('h1[data-pagefind-meta="title"]').text()).toBe(HOSTILE_SCRIPT);
    expect($('[data-pagefind-meta="tool_title"]').text()).toBe(HOSTILE_ATTR);
    expect($('[data-pagefind-meta="server"]').text()).toBe(record.server);
    expect($('[data-pagefind-meta="description"]').text()).toBe(record.description);
    expect($('[data-pagefind-body]').length).toBe(1);
  });

  it('marks category, risk and registry as filters', () => {
    const $ = cheerio.load(searchDocument(record));
    const filters = $('[data-pagefind-filter]').map((_, el) => [[$(el).attr('data-pagefind-filter'), $(el).text()]]).get();
    expect(filters).toEqual([['category', 'Execute'], ['risk', 'High'], ['registry', 'npm']]);
  });
});

describe('the Pagefind bundle', () => {
  let files: SiteAsset[] = [];
  const { records } = collect();

  beforeAll(async () => {
    const indexer = await createSearchIndexer();
    for (const record of records) indexer.add(record);
    expect(indexer.count).toBe(records.length);
    files = await indexer.finish();
  }, 120_000);

  afterAll(() => {
    files = [];
  });

  it('holds the script, the WebAssembly, the index and a fragment per tool, under pagefind/', () => {
    const paths = files.map((f) => f.path);
    expect(paths).toContain('pagefind/pagefind.js');
    expect(paths).toContain('pagefind/pagefind-entry.json');
    expect(paths.some((p) => /^pagefind\/wasm\.en\.pagefind$/.test(p))).toBe(true);
    expect(paths.some((p) => /^pagefind\/index\/.+\.pf_index$/.test(p))).toBe(true);
    expect(paths.filter((p) => p.startsWith('pagefind/fragment/'))).toHaveLength(records.length);
    expect(paths.filter((p) => /pagefind-(ui|component-ui|modular-ui)/.test(p))).toEqual([]);
  });

  it('every tool is in a fragment with its name as text, its page as url, category and risk as filters', () => {
    const fragments = files.filter((f) => f.path.startsWith('pagefind/fragment/')).map(fragment);
    for (const record of records) {
      const found = fragments.find((f) => f.url === `/${record.path}`);
      expect(found, record.path).toBeDefined();
      expect(found?.meta.title).toBe(record.name);
      expect(found?.meta.server_path).toBe(record.serverPath);
      expect(found?.filters).toEqual({ category: [record.category], risk: [record.risk], registry: [record.registry] });
    }
  });
});
