import type * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderSite } from './render.ts';
import type { SearchRecord } from './search/record.ts';
import { HOSTILE_SCRIPT, siteInput } from './test-fixtures.ts';
import { html, resolveHref, text } from './test-pages.ts';

const records: SearchRecord[] = [];
const pages = renderSite(siteInput({ search: { add: (record) => records.push(record) } }));
const paths = new Set(pages.map((p) => p.path));

function names($: cheerio.CheerioAPI, table: string): string[] {
  return $(`${table} tbody tr td:first-child a`).map((_, a) => $(a).text()).get().sort();
}

/** Filter links of a page: `[group, label, target path or "current"]`. */
function filterLinks(path: string): Array<[string, string, string]> {
  const $ = html(pages, path);
  return $('nav.filters p')
    .map((_, p) => {
      const group = text($(p).find('.filter-label').text()).replace(/:$/, '');
      return $(p).find('a, strong').map((__, el) => [[group, text($(el).text()), el.tagName === 'strong' ? 'current' : (resolveHref(path, $(el).attr('href') ?? '') ?? 'outside')]]).get() as Array<[string, string, string]>;
    })
    .get() as Array<[string, string, string]>;
}

describe('tools by category and risk', () => {
  it('each combined page lists exactly the tools of that category and risk', () => {
    const combos = new Map<string, string[]>();
    for (const r of records.filter((x) => x.category !== 'Unclassified')) {
      const key = `browse/category/${r.category.toLowerCase()}/${r.risk.toLowerCase()}.html`;
      combos.set(key, [...(combos.get(key) ?? []), r.name]);
    }
    const written = pages.filter((p) => /^browse\/category\/[a-z]+\/[a-z]+\.html$/.test(p.path)).map((p) => p.path).sort();
    expect(written).toEqual([...combos.keys()].sort());
    for (const [path, tools] of combos) {
      const $ = html(pages, path);
      expect(names($, '#browse-table').map((n) => n.replace(/…$/, '')), path).toEqual(tools.map((n) => n.slice(0, 199)).sort());
    }
    expect(names(html(pages, 'browse/category/execute/high.html'), '#browse-table')).toContain(HOSTILE_SCRIPT);
  });

  it('a category page links to its risks that have tools, and a combined page back to both lists', () => {
    const read = filterLinks('browse/category/read.html');
    expect(read.filter(([group]) => group === 'Risk')).toEqual([['Risk', 'Any', 'current'], ['Risk', 'Low', 'browse/category/read/low.html']]);
    expect(read).toContainEqual(['Category', 'Write', 'browse/category/write.html']);
    const combined = filterLinks('browse/category/execute/high.html');
    expect(combined).toContainEqual(['Category', 'Any', 'browse/risk/high.html']);
    expect(combined).toContainEqual(['Risk', 'Any', 'browse/category/execute.html']);
    expect(combined).toContainEqual(['Risk', 'High', 'current']);
    expect(combined).toContainEqual(['Risk', 'Critical', 'browse/category/execute/critical.html']);
    expect(combined.some(([, label]) => label === 'Low')).toBe(false);
    expect(paths.has('browse/category/execute/low.html')).toBe(false);
  });

  it('a risk page links to each category with tools of that risk', () => {
    const critical = filterLinks('browse/risk/critical.html').filter(([group]) => group === 'Category');
    expect(critical).toEqual([
      ['Category', 'Any', 'current'],
      ['Category', 'Execute', 'browse/category/execute/critical.html'],
      ['Category', 'Destructive', 'browse/category/destructive/critical.html'],
      ['Category', 'Financial', 'browse/category/financial/critical.html'],
    ]);
  });
});

describe('servers by registry and outcome', () => {
  it('lists servers of one registry, one outcome, or both', () => {
    expect(names(html(pages, 'browse/registry/npm.html'), '#server-table')).toEqual(['Foo (npm)', 'Komodo', HOSTILE_SCRIPT].sort());
    expect(names(html(pages, 'browse/outcome/not-listed.html'), '#server-table')).toEqual(['Never crawled', 'Prometheus MCP Server']);
    expect(names(html(pages, 'browse/outcome/listed-from-source.html'), '#server-table')).toEqual([HOSTILE_SCRIPT]);
    expect(names(html(pages, 'browse/registry/pypi/not-listed.html'), '#server-table')).toEqual(['Prometheus MCP Server']);
    expect(paths.has('browse/registry/github/listed-live.html')).toBe(false);
  });

  it('every server is on exactly one registry × outcome page', () => {
    const all = pages.filter((p) => /^browse\/registry\/[a-z-]+\/[a-z-]+\.html$/.test(p.path)).flatMap((p) => names(html(pages, p.path), '#server-table'));
    expect(all.sort()).toEqual(names(html(pages, 'index.html'), '#server-table'));
  });

  it('the index links to each registry and outcome, with counts', () => {
    const $ = html(pages, 'index.html');
    expect(text($('nav.filters').text())).toBe('Registry: Any (7) npm (3) pypi (2) mcp-registry (1) github (1) Outcome: Any (7) Listed live (4) Listed from source (1) Not listed (2)');
    const registryPage = filterLinks('browse/registry/pypi.html');
    expect(registryPage).toContainEqual(['Registry', 'Any', 'index.html']);
    expect(registryPage).toContainEqual(['Outcome', 'Not listed', 'browse/registry/pypi/not-listed.html']);
  });
});

describe('search page', () => {
  const $ = html(pages, 'search.html');

  it('has a form that works without JavaScript, pointing at the browse lists', () => {
    expect($('#search-form').attr('action')).toBe('search.html');
    expect($('#search-form').attr('method')).toBe('get');
    expect($('#search-query').attr('name')).toBe('q');
    expect($('#search-risk option').map((_, o) => $(o).attr('value')).get()).toEqual(['', 'Low', 'Medium', 'High', 'Critical', 'Unclassified']);
    expect($('#search-registry option').map((_, o) => $(o).attr('value')).get()).toEqual(['', 'npm', 'pypi', 'mcp-registry', 'github']);
    const noscript = html([{ path: 'x.html', contentType: 'text/html', body: $('noscript').text() }], 'x.html');
    expect(noscript('a').map((_, a) => resolveHref('search.html', noscript(a).attr('href') ?? '')).get()).toContain('browse/risk/critical.html');
  });

  it('carries the file:// message hidden, and loads its script', () => {
    expect($('#search-offline').attr('hidden')).toBeDefined();
    expect(text($('#search-offline').text())).toContain('file://');
    expect($('script').attr('src')).toBe('assets/search.js');
    expect(paths.has('assets/search.js')).toBe(true);
  });

  it('every page has the search box in its header', () => {
    for (const p of pages.filter((x) => x.path.endsWith('.html'))) {
      const form = html(pages, p.path)('header.site form.site-search');
      expect(form.length, p.path).toBe(1);
      expect(resolveHref(p.path, form.attr('action') ?? ''), p.path).toBe('search.html');
    }
  });
});
