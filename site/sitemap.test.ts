import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { buildModel } from './model.ts';
import { renderSitemap, SITEMAP_MAX_URLS } from './render-feeds.ts';
import { siteInput } from './test-fixtures.ts';
import type { SitePage } from './types.ts';

const paths = (n: number) => Array.from({ length: n }, (_, i) => `servers/s-${i}/tools/t&${i}.html`);

/** The `<loc>` texts inside `element`s, entities decoded (a regular expression: a 50,000-URL file is too big for a DOM per test). */
function locs(body: string, element: 'url' | 'sitemap'): string[] {
  const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
  return [...body.matchAll(new RegExp(`<${element}><loc>([^<]*)</loc>`, 'g'))].map((m) => decode(m[1] ?? ''));
}

/** Parses as XML and returns the `<loc>` texts, so a malformed small file fails. */
function parsedLocs(body: string): string[] {
  const $ = cheerio.load(body, { xml: true });
  return $('loc').map((_, el) => $(el).text()).get();
}

describe('renderSitemap', () => {
  const model = buildModel(siteInput());

  it(`lists exactly ${SITEMAP_MAX_URLS.toLocaleString('en-US')} paths in one sitemap.xml`, () => {
    const pages = renderSitemap(model, paths(SITEMAP_MAX_URLS));
    expect(pages.map((p) => p.path)).toEqual(['sitemap.xml']);
    expect(pages[0]?.body ?? '').toContain('<urlset ');
    expect(locs(pages[0]?.body ?? '', 'url')).toEqual(paths(SITEMAP_MAX_URLS));
  });

  it('splits one path more into an index and two files, each path exactly once', () => {
    const all = paths(SITEMAP_MAX_URLS + 1);
    const pages = renderSitemap(model, all);
    expect(pages.map((p) => p.path)).toEqual(['sitemap.xml', 'sitemaps/sitemap-1.xml', 'sitemaps/sitemap-2.xml']);
    const [index, ...parts] = pages as [SitePage, ...SitePage[]];
    expect(index.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')).toBe(true);
    expect(index.body.trimEnd().endsWith('</sitemapindex>')).toBe(true);
    expect(locs(index.body, 'sitemap')).toEqual(['sitemaps/sitemap-1.xml', 'sitemaps/sitemap-2.xml']);
    const listed = parts.map((part) => locs(part.body, 'url'));
    expect(listed.map((l) => l.length)).toEqual([SITEMAP_MAX_URLS, 1]);
    expect(listed.flat()).toEqual(all);
    for (const part of pages) expect(part.body).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    expect(parsedLocs(index.body)).toEqual(['sitemaps/sitemap-1.xml', 'sitemaps/sitemap-2.xml']);
    expect(parsedLocs(parts[1]?.body ?? '')).toEqual([all[SITEMAP_MAX_URLS]]);
  });

  it('points the index at absolute URLs when the model has a base URL', () => {
    const withBase = buildModel(siteInput({ baseUrl: 'https://example.org/catalogue/' }));
    const [index, first] = renderSitemap(withBase, paths(SITEMAP_MAX_URLS + 1)) as [SitePage, SitePage];
    expect(locs(index.body, 'sitemap')).toEqual(['https://example.org/catalogue/sitemaps/sitemap-1.xml', 'https://example.org/catalogue/sitemaps/sitemap-2.xml']);
    expect(locs(first.body, 'url')[0]).toBe('https://example.org/catalogue/servers/s-0/tools/t&0.html');
  });
});
