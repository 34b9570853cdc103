import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderSite } from './render.ts';
import { HOSTILE_ATTR, HOSTILE_SCRIPT, hostile, siteInput } from './test-fixtures.ts';
import { html, page, resolveHref, text } from './test-pages.ts';
import { toolSlug } from './slug.ts';

const input = siteInput();
const pages = renderSite(input);
const htmlPages = pages.filter((p) => p.path.endsWith('.html'));
const EVIL = 'servers/evil-mcp';

describe('hostile text is escaped everywhere', () => {
  it('no page has a script, img, iframe or event-handler attribute from the data', () => {
    const OWN_SEARCH_BOX = /<form class="site-search" role="search" action="(?:\.\.\/)*search\.html" method="get"><label for="site-search-q">Search tools<\/label> <input id="site-search-q" type="search" name="q" maxlength="200" autocomplete="off"> <button type="submit">Search<\/button><\/form>/g;
    const OWN_SEARCH_PAGE = /<form id="search-form" class="search-page" role="search" action="search\.html" method="get">[A-Za-z,\s-]*(?:<[^>]*>[A-Za-z,\s-]*)*?<\/form>|<script src="assets\/search\.js"><\/script>/g;
    // The one image the site shows is a server's own badge, by a relative link to its SVG file beside the page.
    const OWN_BADGE = /^<img class="site-badge" src="\.\.\/\.\.\/servers\/[A-Za-z0-9._-]+\/badge-(?:risk|tools|listed)\.svg" alt="MCP [a-z]+: [A-Za-z0-9 :,]+" height="20">$/;
    for (const p of htmlPages) {
      const own = p.body.match(/<img class="site-badge"[^>]*>/g) ?? [];
      for (const img of own) expect(img, p.path).toMatch(OWN_BADGE);
      // Our own forms and script: the header's search box on every page, the search page's form and its script.
      const ownSearch = p.body.match(OWN_SEARCH_BOX) ?? [];
      expect(ownSearch, p.path).toHaveLength(1);
      const body = p.body.replace(/<img class="site-badge"[^>]*>/g, '').replace(OWN_SEARCH_BOX, '').replace(p.path === 'search.html' ? OWN_SEARCH_PAGE : /$^/, '');
      const $ = cheerio.load(body);
      expect($('script, img, iframe, object, embed, form, base, meta[http-equiv]').length, p.path).toBe(0);
      $('*').each((_, el) => {
        const attributes = 'attribs' in el ? Object.keys(el.attribs) : [];
        expect(attributes.filter((name) => name.startsWith('on')), p.path).toEqual([]);
      });
      expect(body, p.path).not.toMatch(/<script|<img|javascript:[^<]*"/i);
    }
  });

  it('every href is relative or http(s), never javascript:', () => {
    for (const p of htmlPages) {
      const $ = cheerio.load(p.body);
      $('[href]').each((_, el) => {
        const href = $(el).attr('href') ?? '';
        expect(href, p.path).not.toMatch(/^\s*(javascript|data|vbscript):/i);
      });
    }
  });

  it('the hostile server page shows its text as text', () => {
    const $ = html(pages, `${EVIL}/index.html`);
    expect(text($('h1').text())).toBe(HOSTILE_SCRIPT);
    expect(text($('.description').text())).toBe(text(hostile().server.description ?? ''));
    expect($('#repository a').length).toBe(0);
    expect(text($('#repository .untrusted-url').text())).toBe('javascript:alert(1)');
    expect($('pre.quote').text()).toBe(`<IMPORTANT>${HOSTILE_SCRIPT}</IMPORTANT>`);
    expect(JSON.parse($('#policy-json').text())).toEqual(input.policies.get(3));
  });

  it('the hostile tool page shows name, title, description, parameters and annotations as text', () => {
    const $ = html(pages, `${EVIL}/tools/${toolSlug(HOSTILE_SCRIPT)}.html`);
    expect(text($('h1').text())).toBe(HOSTILE_SCRIPT);
    expect(text($('#tool-title').text())).toBe(HOSTILE_ATTR);
    expect($('#tool-description').text()).toBe(`</pre>${HOSTILE_SCRIPT}<!-- ${HOSTILE_ATTR}`);
    const cells = $('#parameters tbody td').map((_, td) => text($(td).text())).get();
    expect(cells.slice(0, 3)).toEqual([HOSTILE_ATTR, HOSTILE_SCRIPT, 'yes']);
    expect(text($('#annotations tbody').text())).toContain(HOSTILE_SCRIPT);
    expect(text($('#evidence li').text())).toContain(HOSTILE_SCRIPT);
    const snippet = JSON.parse($('#policy-json').text());
    expect(snippet.tools).toEqual({ [HOSTILE_SCRIPT]: input.policies.get(3)?.tools[HOSTILE_SCRIPT] });
    expect($('title').text()).toContain(HOSTILE_SCRIPT);
  });

  it('a path-traversal tool name lands inside its server folder', () => {
    const $ = html(pages, `${EVIL}/tools/etc-passwd.html`);
    expect(text($('h1').text())).toBe('../../etc/passwd');
    for (const p of pages) expect(p.path.split('/')).not.toContain('..');
  });

  it('tool names that are Object.prototype members are not mistaken for rules', () => {
    const $ = html(pages, `${EVIL}/tools/constructor.html`);
    expect(JSON.parse($('#policy-json').text())).toEqual({ version: '1', default: 'deny', tools: {} });
    const proto = html(pages, `${EVIL}/tools/proto.html`);
    const snippet = JSON.parse(proto('#policy-json').text());
    expect(Object.keys(snippet.tools)).toEqual(['__proto__']);
  });

  it('a 5,000-character name gets a bounded slug, a cut name on the page, and its full name in the JSON it links', () => {
    const long = 'x'.repeat(5000);
    const p = pages.find((candidate) => candidate.path.startsWith(`${EVIL}/tools/xxx`));
    expect(p).toBeDefined();
    expect(p?.path.length).toBeLessThan(120);
    const $ = cheerio.load(p?.body ?? '');
    expect(text($('h1').text())).toBe(`${'x'.repeat(199)}…`);
    expect(text($('p.cut').first().text())).toBe('Name cut at 200 characters — full text in the JSON document.');
    const json = resolveHref(p!.path, $('p.cut a').attr('href') ?? '')!;
    expect(JSON.parse(page(pages, json).body).name).toBe(long);
  });

  it('JSON API bodies keep the data intact', () => {
    const detail = JSON.parse(page(pages, 'api/servers/evil-mcp.json').body);
    expect(detail.server.displayName).toBe(HOSTILE_SCRIPT);
    expect(detail.tools.map((t: { name: string }) => t.name)).toContain(HOSTILE_SCRIPT);
  });
});
