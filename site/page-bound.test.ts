/**
 * No page outgrows the bound, whatever a server sends: a 5 MB description, a 5 MB tool name, an input schema of
 * thousands of long properties, text made only of characters HTML must escape, 2,000 tools on one server. Long text
 * is cut at a character boundary with a visible note, and the JSON documents keep every character.
 */
import { describe, expect, it } from 'vitest';
import { renderExport } from './export.ts';
import { MAX_PAGE_BYTES, PAGE_LIMITS, ROWS_PER_PAGE, TIGHT_LIMITS } from './limits.ts';
import { renderSite } from './render.ts';
import { entry, explainRule, GENERATED_AT, policyFor, tool } from './test-fixtures.ts';
import { html, page, resolveHref, text } from './test-pages.ts';
import type { CatalogueEntry, ToolDefinition } from '../records/index.ts';

const MB5 = 5 * 1024 * 1024;
/** A family emoji: five code points, one grapheme. The cut must not split it. */
const FAMILY = '👩‍👩‍👧';
const HUGE_DESCRIPTION = `${'a'.repeat(PAGE_LIMITS.description - 2)}${FAMILY}${'b'.repeat(MB5)}`;
const HUGE_NAME = `n${'x'.repeat(MB5)}`;
/** Text HTML must escape, every character of it: a page of it is six times its length. */
const ESCAPED = '"<&>\''.repeat(400);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function read(name: string, description: string, inputSchema: Record<string, unknown> = { type: 'object' }, extra: Partial<ToolDefinition> = {}) {
  return tool({ name, description, inputSchema, ...extra }, { category: 'Read', risk: 'Low', rationale: `${name} reads; ${description.slice(0, 100)}`, signals: [] });
}

/** 10,000 parameters; the first 150 with 1,000-character names, 10,000-character descriptions and 5,000 alternatives. */
function hugeSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < 10_000; i += 1) {
    const long = i < 150;
    properties[long ? `p${i}_${'k'.repeat(1000)}` : `p${i}`] = {
      description: long ? `${i} ${'d'.repeat(10_000)}` : `Option ${i}.`,
      anyOf: Array.from({ length: long ? 5000 : 2 }, (_, j) => ({ type: j % 2 ? 'string' : 'number' })),
      ...(i < 3 ? { enum: Array.from({ length: 100 }, () => 'e'.repeat(10_000)) } : {}),
    };
  }
  return { type: 'object', properties, required: Object.keys(properties).slice(0, 5000) };
}

function escapingSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < 150; i += 1) properties[`${i}${ESCAPED}`] = { type: ESCAPED, description: ESCAPED };
  return { type: 'object', properties };
}

function hugeServer(): CatalogueEntry {
  const annotations: Record<string, unknown> = { readOnlyHint: true };
  for (let i = 0; i < 150; i += 1) annotations[`hint${i}${ESCAPED}`] = ESCAPED;
  const e = entry({
    id: 101,
    registry: 'npm',
    identifier: 'huge-text',
    displayName: 'Huge text',
    description: HUGE_DESCRIPTION,
    attempt: {
      outcome: 'ok',
      method: 'live-stdio',
      instructions: HUGE_DESCRIPTION,
      prompts: Array.from({ length: 1000 }, (_, i) => ({ name: `prompt${i}${'p'.repeat(1000)}`, description: `Prompt ${i}. ${'w'.repeat(5000)}`, arguments: Array.from({ length: i < 3 ? 500 : 2 }, (_, j) => ({ name: `a${j}${'a'.repeat(500)}` })) })),
      resources: Array.from({ length: 1000 }, (_, i) => ({ uri: `file:///${i}/${'u'.repeat(i < 3 ? 1_000_000 : 2000)}`, name: `r${i}${'r'.repeat(500)}`, description: `Resource ${i}.` })),
      resourceTemplates: Array.from({ length: 1000 }, (_, i) => ({ uriTemplate: `x://${i}/{${'t'.repeat(2000)}}`, name: `t${i}`, mimeType: 'm'.repeat(500) })),
    },
    tools: [
      read('huge_description', HUGE_DESCRIPTION, { type: 'object' }, { title: HUGE_DESCRIPTION }),
      read(HUGE_NAME, 'Reads a thing.'),
      read('huge_schema', 'Reads with many options.', hugeSchema()),
      read(`escaping${ESCAPED}`, ESCAPED, escapingSchema(), { annotations }),
    ],
  });
  return e;
}

function manyTools(): CatalogueEntry {
  return entry({
    id: 102,
    registry: 'npm',
    identifier: 'many-tools',
    displayName: 'Many tools',
    tools: Array.from({ length: 2000 }, (_, i) => read(`tool_${String(i).padStart(4, '0')}`, `Reads record ${i} of the ledger. ${'Details follow. '.repeat(10)}`, { type: 'object', properties: { id: { type: 'string' } } })),
  });
}

const entries = [hugeServer(), manyTools()];
const policies = new Map(entries.map((e) => [e.server.id, policyFor(e)]));
const pages = renderSite({ entries, policies, explainRule, generatedAt: GENERATED_AT });
const htmlPages = pages.filter((p) => p.contentType.startsWith('text/html'));
const HUGE = 'servers/huge-text';
describe('the page bound', () => {
  it('keeps every HTML page at most 512 KiB, with no lone surrogate', () => {
    expect(MAX_PAGE_BYTES).toBe(512 * 1024);
    expect(htmlPages.length).toBeGreaterThan(2000);
    for (const p of htmlPages) {
      expect(Buffer.byteLength(p.body, 'utf8'), p.path).toBeLessThanOrEqual(MAX_PAGE_BYTES);
      expect(LONE_SURROGATE.test(p.body), p.path).toBe(false);
    }
  });

  it('cuts a 5 MB tool description at 10,000 characters, before the emoji it would split, and says where the rest is', () => {
    const path = `${HUGE}/tools/huge-description.html`;
    const $ = html(pages, path);
    const shown = $('#tool-description').text();
    expect(shown).toBe('a'.repeat(PAGE_LIMITS.description - 2));
    expect(text($('#tool-description + p.cut').text())).toBe('Description cut at 10,000 characters — full text in the JSON document.');
    const json = JSON.parse(page(pages, resolveHref(path, $('#tool-description + p.cut a').attr('href')!)!).body);
    expect(json.definition.description).toBe(HUGE_DESCRIPTION);
    expect(json.definition.title).toBe(HUGE_DESCRIPTION);
    // The head carries cut text too, and the FAQ quotes a line, not the description again.
    expect($('meta[name="description"]').attr('content')).toBe(`${'a'.repeat(159)}…`);
    expect($('title').text().length).toBeLessThan(150);
    expect($('#tool-title').text().length).toBeLessThanOrEqual(PAGE_LIMITS.title);
    expect(text($('#faq').text())).toContain(`In its own words: ${'a'.repeat(PAGE_LIMITS.cell - 1)}…`);
    expect(page(pages, path).body.length).toBeLessThan(100_000);
  });

  it('cuts a 5 MB tool name wherever it is shown, links the rule instead of quoting it, and keeps it whole in the JSON', () => {
    const p = pages.find((candidate) => candidate.path.startsWith(`${HUGE}/tools/nxxx`) && candidate.path.endsWith('.html'))!;
    const $ = html(pages, p.path);
    expect(text($('h1').text())).toBe(`n${'x'.repeat(PAGE_LIMITS.name - 2)}…`);
    expect(text($('h1 + p.cut').text())).toBe('Name cut at 200 characters — full text in the JSON document.');
    expect(text($('#policy-too-long').text())).toMatch(/^Its policy\.json would be [\d,]+ characters, too long to show here: its rule is in the server's policy\.json\.$/);
    expect(JSON.parse(page(pages, resolveHref(p.path, $('h1 + p.cut a').attr('href')!)!).body).name).toBe(HUGE_NAME);
    expect(Object.hasOwn(JSON.parse(page(pages, `${HUGE}/policy.json`).body).tools, HUGE_NAME)).toBe(true);
    // The server page links the policy that holds the name, rather than printing it.
    expect(text(html(pages, `${HUGE}/index.html`)('#policy-too-long').text())).toMatch(/too long to show here\. Download policy\.json$/);
  });

  it('shows a server description, instructions and offerings cut, with the whole in the server JSON', () => {
    const $ = html(pages, `${HUGE}/index.html`);
    expect($('#server-description').text()).toBe('a'.repeat(PAGE_LIMITS.description - 2));
    expect(text($('#server-description + p.cut').text())).toBe('Description cut at 10,000 characters — full text in the JSON document.');
    expect(text($('pre.quote + p.cut').text())).toBe('Instructions cut at 8,000 characters — full text in the JSON document.');
    expect($('#prompt-table tbody tr').length).toBe(PAGE_LIMITS.items);
    expect($('#resource-table tbody tr').length).toBe(PAGE_LIMITS.items);
    expect(text($('#resource-table + p.note').text())).toBe('900 more resources are in the JSON document.');
    expect($('meta[name="description"]').attr('content')).toBe(`${'a'.repeat(159)}…`);
    const json = JSON.parse(page(pages, 'api/servers/huge-text.json').body);
    expect(json.server.description).toBe(HUGE_DESCRIPTION);
    expect(json.introspection.instructions).toBe(HUGE_DESCRIPTION);
    expect(json.introspection.resources).toHaveLength(1000);
  });

  it('lists the first 100 parameters of a huge input schema, counts the rest, and keeps the schema whole in the JSON', () => {
    const path = `${HUGE}/tools/huge-schema.html`;
    const $ = html(pages, path);
    expect($('table.params tbody tr').length).toBe(PAGE_LIMITS.items);
    expect(text($('#params-omitted').text())).toBe('9,900 more parameters are not shown here: the whole input schema is in the JSON document.');
    const first = $('table.params tbody tr').first().find('td');
    expect(text(first.eq(0).text())).toHaveLength(PAGE_LIMITS.name);
    expect(text(first.eq(1).text()).length).toBeLessThanOrEqual(PAGE_LIMITS.cell);
    const json = JSON.parse(page(pages, resolveHref(path, $('#params-omitted a').attr('href')!)!).body);
    expect(Object.keys(json.definition.inputSchema.properties)).toHaveLength(10_000);
  });

  it('renders a page whose text is all characters HTML escapes again with tighter cuts, and says so', () => {
    const p = pages.find((candidate) => candidate.path.startsWith(`${HUGE}/tools/escaping`) && candidate.path.endsWith('.html'))!;
    const $ = html(pages, p.path);
    expect(Buffer.byteLength(p.body)).toBeLessThanOrEqual(MAX_PAGE_BYTES);
    expect(text($('h1').text())).toHaveLength(TIGHT_LIMITS.name);
    expect($('table.params tbody tr').length).toBe(TIGHT_LIMITS.items);
    expect(text($('#tool-description + p.cut').text())).toBe('Description cut at 1,000 characters — full text in the JSON document.');
  });

  it('splits 2,000 tools of one server over pages of 200, every tool listed once and linked', () => {
    const listed: string[] = [];
    const pagePaths = ['servers/many-tools/index.html', ...Array.from({ length: 9 }, (_, i) => `servers/many-tools/tools-${i + 2}.html`)];
    for (const path of pagePaths) {
      const $ = html(pages, path);
      const links = $('#tool-table tbody a').map((_, a) => resolveHref(path, $(a).attr('href') ?? '')).get();
      expect(links.length, path).toBe(ROWS_PER_PAGE);
      listed.push(...links);
      expect($('nav.pager').first().find('a, strong').length, path).toBe(10);
      expect(text($('nav.pager strong').first().text())).toBe(String(pagePaths.indexOf(path) + 1));
    }
    expect(pages.some((p) => p.path === 'servers/many-tools/tools-11.html')).toBe(false);
    expect(new Set(listed).size).toBe(2000);
    for (const path of listed) expect(pages.some((p) => p.path === path), path).toBe(true);
    expect(text(html(pages, 'servers/many-tools/tools-10.html')('nav.pager p').first().text())).toMatch(/^Rows 1,801–2,000 of 2,000\./);
  });

  it('splits a browse list of 2,000 tools over pages too', () => {
    const read = pages.filter((p) => /^browse\/category\/read(-\d+)?\.html$/.test(p.path));
    expect(read.map((p) => p.path)).toEqual(['browse/category/read.html', ...Array.from({ length: 10 }, (_, i) => `browse/category/read-${i + 2}.html`)]);
    const rows = read.reduce((n, p) => n + html(pages, p.path)('#browse-table tbody tr').length, 0);
    expect(rows).toBe(2004);
  });

  it('keeps the whole text in the export', () => {
    const line = renderExport(entries, policies).find((p) => p.path === 'servers.jsonl')!.body.split('\n')[0]!;
    const server = JSON.parse(line);
    expect(server.description).toBe(HUGE_DESCRIPTION);
    expect(server.tools.map((t: { name: string }) => t.name)).toContain(HUGE_NAME);
  });
});
