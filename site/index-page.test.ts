import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderSite } from './render.ts';
import { HOSTILE_SCRIPT, siteInput } from './test-fixtures.ts';
import { html, page, resolveHref, text } from './test-pages.ts';

const input = siteInput();
const pages = renderSite(input);

function counts($: cheerio.CheerioAPI, table: string): Record<string, number> {
  return Object.fromEntries($(`${table} tbody tr`).map((_, tr) => [[$(tr).attr('data-label'), Number(text($(tr).find('td.num').text()))]]).get());
}

describe('index page', () => {
  const $ = html(pages, 'index.html');

  it('counts servers, servers with a tool list and tools', () => {
    expect(text($('#count-servers').text())).toBe('7');
    expect(text($('#count-servers-with-tools').text())).toBe('3');
    expect(text($('#count-tools').text())).toBe('16');
  });

  it('counts tools by category and by risk', () => {
    expect(counts($, '#counts-by-category')).toEqual({ Read: 6, Write: 2, Execute: 4, Destructive: 1, Financial: 1, Unclassified: 2 });
    expect(counts($, '#counts-by-risk')).toEqual({ Low: 6, Medium: 2, High: 3, Critical: 3, Unclassified: 2 });
  });

  it('lists every server with registry, version, outcome, tool count and highest risk', () => {
    const rows = $('#server-table tbody tr')
      .map((_, tr) => [[$(tr).find('td').map((__, td) => text($(td).text())).get(), resolveHref('index.html', $(tr).find('a').attr('href') ?? '')]])
      .get() as Array<[string[], string]>;
    expect(rows).toHaveLength(input.entries.length);
    const komodo = rows.find(([cells]) => cells[0]?.startsWith('Komodo'));
    expect(komodo).toEqual([['Komodo@myrikld/komodo-mcp', 'npm', '0.4.2', 'ok', '7', 'Critical risk'], 'servers/myrikld-komodo-mcp/index.html']);
    const failed = rows.find(([cells]) => cells[0]?.startsWith('Prometheus'));
    expect(failed?.[0].slice(1)).toEqual(['pypi', '0.2.1', 'failedneeds configuration', '0', 'No tools']);
  });

  it('is the same whatever the order of the input', () => {
    const reversed = renderSite({ ...input, entries: [...input.entries].reverse().map((entry) => ({ ...entry, tools: [...entry.tools].reverse() })) });
    expect(reversed).toEqual(pages);
  });
});

describe('browse pages', () => {
  it('lists the tools of a category across servers', () => {
    const $ = html(pages, 'browse/category/execute.html');
    const names = $('#browse-table tbody tr td:first-child').map((_, td) => text($(td).text())).get();
    expect(names.sort()).toEqual([HOSTILE_SCRIPT, 'exec', 'exec_shell', 'run_build'].sort());
    expect(text($('h1').text())).toBe('Execute tools');
  });

  it('lists the tools of a risk level', () => {
    const $ = html(pages, 'browse/risk/critical.html');
    const names = $('#browse-table tbody tr td:first-child').map((_, td) => text($(td).text())).get();
    expect(names.sort()).toEqual(['delete_stack', 'exec_shell', 'refund_payment']);
  });

  it('has a page for every category, unclassified included, and every risk', () => {
    for (const path of ['read', 'write', 'execute', 'destructive', 'financial', 'unclassified'].map((c) => `browse/category/${c}.html`)) page(pages, path);
    for (const path of ['low', 'medium', 'high', 'critical'].map((r) => `browse/risk/${r}.html`)) page(pages, path);
  });
});

describe('sitemap, llms.txt and JSON API', () => {
  it('the sitemap lists every HTML page, relative without a base URL', () => {
    const $ = cheerio.load(page(pages, 'sitemap.xml').body, { xml: true });
    const locs = $('url > loc').map((_, el) => $(el).text()).get();
    expect(locs.sort()).toEqual(pages.filter((p) => p.path.endsWith('.html')).map((p) => p.path).sort());
  });

  it('the sitemap and canonical links are absolute with a base URL', () => {
    const withBase = renderSite({ ...input, baseUrl: 'https://catalogue.example/mcp' });
    const $ = cheerio.load(page(withBase, 'sitemap.xml').body, { xml: true });
    expect($('url > loc').first().text()).toBe('https://catalogue.example/mcp/index.html');
    expect(html(withBase, 'servers/myrikld-komodo-mcp/index.html')('link[rel=canonical]').attr('href')).toBe('https://catalogue.example/mcp/servers/myrikld-komodo-mcp/index.html');
    expect(page(withBase, 'llms.txt').body).toContain('(https://catalogue.example/mcp/servers/myrikld-komodo-mcp/index.html)');
  });

  it('llms.txt is Markdown with one line per server and no markup from the data', () => {
    const body = page(pages, 'llms.txt').body;
    expect(body.startsWith('# MCP Catalogue\n')).toBe(true);
    const serverLines = body.split('\n').filter((line) => line.startsWith('- [') && line.includes('servers/'));
    expect(serverLines).toHaveLength(input.entries.length);
    for (const path of ['changes/index.html', 'methodology.html', 'authors.html']) expect(body).toContain(`](${path})`);
    expect(body).not.toContain('<script');
  });

  it('api/servers.json indexes every server; api/servers/<slug>.json has tools, classifications and policy', () => {
    const index = JSON.parse(page(pages, 'api/servers.json').body);
    expect(index.servers).toHaveLength(input.entries.length);
    expect(index.totals.tools).toBe(16);
    const komodo = index.servers.find((s: { identifier: string }) => s.identifier === '@myrikld/komodo-mcp');
    expect(komodo).toMatchObject({ slug: 'myrikld-komodo-mcp', page: 'servers/myrikld-komodo-mcp/index.html', api: 'api/servers/myrikld-komodo-mcp.json', toolCount: 7, highestRisk: 'Critical' });
    const detail = JSON.parse(page(pages, komodo.api).body);
    expect(detail.policy).toEqual(input.policies.get(1));
    expect(detail.tools.map((t: { name: string }) => t.name)).toContain('run_build');
    const runBuild = detail.tools.find((t: { name: string }) => t.name === 'run_build');
    expect(runBuild.classification).toMatchObject({ category: 'Execute', risk: 'High' });
    expect(runBuild.page).toBe('servers/myrikld-komodo-mcp/tools/run-build.html');
    for (const p of pages.filter((candidate) => candidate.path.startsWith('api/'))) expect(p.body, p.path).not.toMatch(/[<>]/);
  });

  it('serves a stylesheet with risk colors and no external resources', () => {
    const css = page(pages, 'assets/style.css');
    expect(css.contentType).toMatch(/^text\/css/);
    for (const risk of ['low', 'medium', 'high', 'critical']) expect(css.body).toContain(`.risk-${risk}`);
    expect(css.body).not.toMatch(/@import|url\(|https?:/);
  });
});

describe('input checks', () => {
  it('refuses a base URL that is not absolute http(s)', () => {
    for (const baseUrl of ['javascript:alert(1)//', 'catalogue/', 'ftp://example.org/']) {
      expect(() => renderSite({ ...input, baseUrl })).toThrow(expect.objectContaining({ code: 'SITE_BAD_BASE_URL' }));
    }
  });
});
