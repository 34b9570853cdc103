/**
 * Per-server badges: the SVG files are well-formed XML with the right values and colours for every risk and outcome,
 * a hostile server leaves them well-formed and absent from them, the server page offers the Markdown, and the files
 * are written by `writeSite`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Risk } from '../records/index.ts';
import { badgeSvg, escapeXml, textWidth } from './badges.ts';
import { renderSite } from './render.ts';
import { entry, hostile, siteInput, tool } from './test-fixtures.ts';
import { html, page, resolveHref, text } from './test-pages.ts';
import { writeSite } from './write.ts';

/** The per-server badges, not the site's icon (`assets/icon.svg`). */
const isBadge = (path: string) => /^servers\/[^/]+\/badge-[a-z]+\.svg$/.test(path);

const KOMODO = 'servers/myrikld-komodo-mcp';

interface Parsed {
  width: number;
  title: string;
  ariaLabel: string;
  fills: string[];
  texts: Array<{ text: string; fill: string }>;
}

/** Parses a badge after checking it is well-formed XML. */
function parseBadge(body: string): Parsed {
  expect(XMLValidator.validate(body)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'rect' || name === 'text' }).parse(body) as {
    svg: { width: string; 'aria-label': string; title: string; rect: Array<{ fill: string }>; g: { text: Array<{ '#text': string | number; fill: string }> } };
  };
  const svg = doc.svg;
  return {
    width: Number(svg.width),
    title: String(svg.title),
    ariaLabel: svg['aria-label'],
    fills: svg.rect.map((rect) => rect.fill),
    texts: svg.g.text.map((t) => ({ text: String(t['#text']), fill: t.fill })),
  };
}

function badgesOf(pages: ReturnType<typeof renderSite>, dir: string) {
  return {
    risk: parseBadge(page(pages, `${dir}/badge-risk.svg`).body),
    tools: parseBadge(page(pages, `${dir}/badge-tools.svg`).body),
    listed: parseBadge(page(pages, `${dir}/badge-listed.svg`).body),
  };
}

function oneServer(risks: Risk[], attempt: Parameters<typeof entry>[0]['attempt'], name = 'Solo') {
  const tools = risks.map((risk, i) => tool({ name: `tool_${i}`, description: 'Does a thing.', inputSchema: { type: 'object' } }, { category: 'Read', risk, rationale: 'r' }));
  const solo = entry({ id: 50, registry: 'npm', identifier: 'solo-mcp', displayName: name, attempt, tools });
  return renderSite(siteInput({ entries: [solo], policies: new Map() }));
}

describe('badge SVG', () => {
  it('colours the highest risk: Low green, Medium yellow, High orange, Critical red, with readable letters', () => {
    const expected: Record<Risk, { fill: string; text: string }> = {
      Low: { fill: '#2e7d32', text: '#ffffff' },
      Medium: { fill: '#fbc02d', text: '#000000' },
      High: { fill: '#f57c00', text: '#000000' },
      Critical: { fill: '#c62828', text: '#ffffff' },
    };
    const ladder: Risk[] = ['Low', 'Medium', 'High', 'Critical'];
    for (const [i, top] of ladder.entries()) {
      const pages = oneServer(ladder.slice(0, i + 1), { outcome: 'ok', method: 'live-stdio' });
      const { risk } = badgesOf(pages, 'servers/solo-mcp');
      expect(risk.title).toBe(`MCP risk: ${top}`);
      expect(risk.ariaLabel).toBe(`MCP risk: ${top}`);
      expect(risk.fills).toEqual(['#555555', expected[top].fill]);
      expect(risk.texts).toEqual([
        { text: 'MCP risk', fill: '#ffffff' },
        { text: top, fill: expected[top].text },
      ]);
    }
  });

  it('keeps a contrast ratio of at least 4.5:1 (WCAG 2.1 relative luminance) between every fill and its letters', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
    };
    const ratio = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
    };
    const pages = renderSite(siteInput());
    const svgs = pages.filter((p) => isBadge(p.path));
    for (const risks of [['Low'], ['Medium'], ['High'], ['Critical']] as Risk[][]) svgs.push(...oneServer(risks, { outcome: 'ok', method: 'static' }).filter((p) => isBadge(p.path)));
    expect(svgs.length).toBeGreaterThan(12);
    for (const svg of svgs) {
      const { fills, texts } = parseBadge(svg.body);
      fills.forEach((fill, i) => expect(ratio(fill, texts[i]?.fill ?? fill), `${svg.path} ${fill}`).toBeGreaterThanOrEqual(4.5));
    }
  });

  it('says how the tools were listed, or why not, and counts them', () => {
    const live = badgesOf(oneServer(['Low', 'High'], { outcome: 'ok', method: 'live-stdio' }), 'servers/solo-mcp');
    expect(live.listed.title).toBe('MCP catalogue: listed live');
    expect(live.listed.fills[1]).toBe('#2e7d32');
    expect(live.tools.title).toBe('MCP tools: 2');
    const source = badgesOf(oneServer(['Low'], { outcome: 'ok', method: 'static' }), 'servers/solo-mcp');
    expect(source.listed.title).toBe('MCP catalogue: listed from source');
    expect(source.listed.fills[1]).toBe('#1565c0');
    const failed = badgesOf(oneServer([], { outcome: 'failed', method: 'none', failureReason: 'needs_configuration' }), 'servers/solo-mcp');
    expect(failed.listed.title).toBe('MCP catalogue: not listed: needs configuration');
    expect(failed.risk.title).toBe('MCP risk: no tools');
    expect(failed.tools.title).toBe('MCP tools: 0');
    const untried = badgesOf(oneServer([], null), 'servers/solo-mcp');
    expect(untried.listed.title).toBe('MCP catalogue: not tried');
  });

  it('is wider for a longer value and the same bytes every time', () => {
    const short = badgeSvg({ kind: 'risk', label: 'MCP risk', value: 'Low', fill: '#2e7d32', text: '#ffffff' });
    const long = badgeSvg({ kind: 'risk', label: 'MCP risk', value: 'Critical', fill: '#c62828', text: '#ffffff' });
    expect(parseBadge(long).width).toBeGreaterThan(parseBadge(short).width);
    expect(textWidth('mmmm')).toBeGreaterThan(textWidth('iiii'));
    expect(renderSite(siteInput()).filter((p) => isBadge(p.path))).toEqual(renderSite(siteInput()).filter((p) => isBadge(p.path)));
  });

  it('escapes any text it is given and stays well-formed', () => {
    const body = badgeSvg({ kind: 'risk', label: `<script>alert(1)</script> & "x" 'y'`, value: '__proto__ ]]> <!--', fill: '#2e7d32', text: '#ffffff' });
    const parsed = parseBadge(body);
    expect(body).not.toContain('<script>');
    expect(parsed.texts[0]?.text).toBe(escapeXml(`<script>alert(1)</script> & "x" 'y'`));
    expect(parsed.title).toContain('__proto__');
  });

  it('leaves a hostile server name out of its badges, which stay well-formed', () => {
    const named = entry({ id: 51, registry: 'npm', identifier: 'proto-mcp', displayName: `__proto__ <script>alert(1)</script> & "q" 'q'`, attempt: { outcome: 'ok', method: 'live-stdio' } });
    const pages = renderSite(siteInput({ entries: [hostile(), named], policies: new Map() }));
    const svgs = pages.filter((p) => isBadge(p.path));
    expect(svgs).toHaveLength(6);
    for (const svg of svgs) {
      parseBadge(svg.body);
      expect(svg.contentType).toBe('image/svg+xml; charset=utf-8');
      expect(svg.body).not.toMatch(/script|__proto__|alert/);
    }
  });
});

describe('server page badges section', () => {
  it('shows each badge with relative Markdown and a note when there is no base URL', () => {
    const pages = renderSite(siteInput());
    const path = `${KOMODO}/index.html`;
    const $ = html(pages, path);
    const items = $('#badge-list li')
      .map((_, li) => ({ src: resolveHref(path, $(li).find('img').attr('src') ?? ''), alt: $(li).find('img').attr('alt'), markdown: text($(li).find('pre code').text()) }))
      .get();
    expect(items).toEqual([
      { src: `${KOMODO}/badge-risk.svg`, alt: 'MCP risk: Critical', markdown: `[![MCP risk: Critical](${KOMODO}/badge-risk.svg)](${KOMODO}/index.html)` },
      { src: `${KOMODO}/badge-tools.svg`, alt: 'MCP tools: 7', markdown: `[![MCP tools: 7](${KOMODO}/badge-tools.svg)](${KOMODO}/index.html)` },
      { src: `${KOMODO}/badge-listed.svg`, alt: 'MCP catalogue: listed live', markdown: `[![MCP catalogue: listed live](${KOMODO}/badge-listed.svg)](${KOMODO}/index.html)` },
    ]);
    expect(text($('#badge-relative-note').text())).toContain('put the address the site is published at in front');
    const api = JSON.parse(page(pages, 'api/servers/myrikld-komodo-mcp.json').body) as { badges: Record<string, string> };
    expect(api.badges).toEqual({ risk: `${KOMODO}/badge-risk.svg`, tools: `${KOMODO}/badge-tools.svg`, listed: `${KOMODO}/badge-listed.svg` });
    for (const file of Object.values(api.badges)) expect(page(pages, file).contentType).toMatch(/^image\/svg\+xml/);
  });

  it('uses absolute URLs with a base URL', () => {
    const $ = html(renderSite(siteInput({ baseUrl: 'https://catalogue.example/mcp' })), `${KOMODO}/index.html`);
    expect(text($('#badge-risk pre code').text())).toBe(`[![MCP risk: Critical](https://catalogue.example/mcp/${KOMODO}/badge-risk.svg)](https://catalogue.example/mcp/${KOMODO}/index.html)`);
    expect($('#badge-relative-note').length).toBe(0);
  });
});

describe('writing badges', () => {
  it('writes the SVG files with the site', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'badges-'));
    try {
      const out = join(dir, 'site');
      const pages = renderSite(siteInput());
      await writeSite(pages, out);
      const written = await readFile(join(out, ...`${KOMODO}/badge-risk.svg`.split('/')), 'utf8');
      expect(written).toBe(page(pages, `${KOMODO}/badge-risk.svg`).body);
      expect(parseBadge(written).title).toBe('MCP risk: Critical');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
