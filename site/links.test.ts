import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderSite } from './render.ts';
import { siteInput } from './test-fixtures.ts';
import { resolveHref } from './test-pages.ts';
import type { SitePage } from './types.ts';

/** Every relative link on every HTML page, with where it points; http(s) links are left out (repository links). */
function links(pages: SitePage[]): Array<{ from: string; href: string; to: string | null }> {
  return pages
    .filter((p) => p.path.endsWith('.html'))
    .flatMap((p) => {
      const $ = cheerio.load(p.body);
      return $('a[href], link[href]')
        .map((_, el) => $(el).attr('href') ?? '')
        .get()
        .filter((href) => !/^https?:\/\//.test(href))
        .map((href) => ({ from: p.path, href, to: resolveHref(p.path, href) }));
    });
}

describe('link checker', () => {
  for (const [label, pages] of [
    ['without a base URL', renderSite(siteInput())],
    ['with a base URL', renderSite(siteInput({ baseUrl: 'https://catalogue.example/' }))],
    ['with no entries', renderSite(siteInput({ entries: [], policies: new Map() }))],
  ] as const) {
    it(`every relative link resolves to a generated page (${label})`, () => {
      const paths = new Set(pages.map((p) => p.path));
      const all = links(pages);
      expect(all.length).toBeGreaterThan(0);
      const broken = all.filter((link) => link.to === null || !paths.has(link.to));
      expect(broken).toEqual([]);
      expect(all.every((link) => !link.href.startsWith('/'))).toBe(true);
    });
  }

  it('the sitemap without a base URL lists paths that exist', () => {
    const pages = renderSite(siteInput());
    const paths = new Set(pages.map((p) => p.path));
    const $ = cheerio.load(pages.find((p) => p.path === 'sitemap.xml')?.body ?? '', { xml: true });
    const locs = $('loc').map((_, el) => $(el).text()).get();
    expect(locs.filter((loc) => !paths.has(loc))).toEqual([]);
  });

  it('every page path is a safe relative path', () => {
    for (const p of renderSite(siteInput())) {
      expect(p.path).toMatch(/^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/);
      expect(p.path.split('/').some((segment) => segment === '..' || segment === '.')).toBe(false);
    }
  });
});

describe('resolveHref (the checker itself)', () => {
  it('flags links that climb above the site root', () => {
    expect(resolveHref('servers/a/index.html', '../../index.html')).toBe('index.html');
    expect(resolveHref('servers/a/index.html', '../../../index.html')).toBeNull();
    expect(resolveHref('index.html', 'servers/a/index.html#tools')).toBe('servers/a/index.html');
  });
});
