/**
 * The site in a real browser: Debian's Chromium, headless, driven by playwright-core over the fixtures' catalogue
 * written by `writeSite` and served on loopback. For a page of each type: every same-origin link and asset answers
 * 200, the page logs no console error and throws no error, and axe-core finds no serious or critical accessibility
 * violation (in the light and the dark colour scheme). One screenshot per page type goes to
 * `MCP_CATALOGUE_SCREENSHOTS` (default: a new temporary directory, printed).
 *
 * Chromium: `CHROMIUM_PATH`, else /usr/bin/chromium; the suite fails, never skips, without it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestSite, chromiumPath, DEFAULT_CHROMIUM, screenshotDir, serveDirectory, type StaticServer } from './helpers.ts';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** One page of each type the site has. */
const PAGE_TYPES: ReadonlyArray<{ type: string; path: string }> = [
  { type: 'index', path: 'index.html' },
  { type: 'browse-category', path: 'browse/category/execute.html' },
  { type: 'browse-risk', path: 'browse/risk/critical.html' },
  { type: 'server', path: 'servers/myrikld-komodo-mcp/index.html' },
  { type: 'server-failed', path: 'servers/awslabs.prometheus-mcp-server/index.html' },
  { type: 'server-hostile', path: 'servers/evil-mcp/index.html' },
  { type: 'tool', path: 'servers/myrikld-komodo-mcp/tools/exec-shell.html' },
  { type: 'tool-hostile', path: 'servers/evil-mcp/tools/script-alert-1-script.html' },
  { type: 'tool-hidden', path: 'servers/myrikld-komodo-mcp/tools/delete-stack.html' },
  { type: 'change', path: 'servers/myrikld-komodo-mcp/changes/1-2.html' },
  { type: 'recent-changes', path: 'changes/index.html' },
  { type: 'methodology', path: 'methodology.html' },
  { type: 'authors', path: 'authors.html' },
  { type: 'attack-patterns', path: 'categories/execute.html' },
  { type: 'attack-patterns-index', path: 'categories/index.html' },
];

/** What one visit saw. */
interface Visit {
  errors: string[];
  failedResponses: string[];
  links: string[];
  violations: string[];
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

const BROWSER_TIMEOUT_MS = 180_000;

let site: string;
let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
let shots: string;
let written: Set<string>;

beforeAll(async () => {
  const executablePath = chromiumPath();
  site = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-browser-'));
  written = new Set(await buildTestSite(path.join(site, 'out')));
  server = await serveDirectory(path.join(site, 'out'));
  shots = await screenshotDir();
  console.log(`[browser tests] screenshots in ${shots}`);
  browser = await chromium.launch({ executablePath, headless: true });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
}, BROWSER_TIMEOUT_MS);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

/** Serious and critical violations axe-core finds on the page as it is, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  const result = (await page.evaluate(() => {
    const scope = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> }; document: unknown };
    return scope.axe.run(scope.document, { resultTypes: ['violations'] });
  })) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))})`);
}

/** Loads `sitePath`, and gathers errors, failed responses, links and axe-core's findings; takes a screenshot. */
async function visit(type: string, sitePath: string): Promise<Visit> {
  const page = await context.newPage();
  const errors: string[] = [];
  const failedResponses: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => failedResponses.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failedResponses.push(`${response.url()}: ${response.status()}`);
  });
  try {
    const response = await page.goto(`${server.origin}/${sitePath}`, { waitUntil: 'load' });
    expect(response?.status(), `GET /${sitePath}`).toBe(200);
    const links = await page.$$eval('a[href], link[href], img[src], script[src], iframe[src], source[src]', (elements) =>
      // Resolved URLs, as the browser would follow them (the DOM's href and src properties).
      elements.map((element) => {
        const resolved = element as unknown as { href?: string; src?: string };
        return resolved.href || resolved.src || '';
      }),
    );
    await page.screenshot({ path: path.join(shots, `${type}.png`), fullPage: true });
    await page.addScriptTag({ path: AXE });
    const violations = (await axeViolations(page)).map((line) => `light: ${line}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    violations.push(...(await axeViolations(page)).map((line) => `dark: ${line}`));
    return { errors, failedResponses, links, violations };
  } finally {
    await page.close();
  }
}

/** Same-origin targets of `links`, without fragments, once each. */
function sameOrigin(links: readonly string[]): string[] {
  const out = new Set<string>();
  for (const link of links) {
    if (link === '') continue;
    const url = new URL(link);
    if (url.origin !== server.origin) continue;
    url.hash = '';
    out.add(url.href);
  }
  return [...out];
}

describe.each(PAGE_TYPES)('$type page in Chromium ($path)', ({ type, path: sitePath }) => {
  let seen: Visit;

  beforeAll(async () => {
    expect(written.has(sitePath), `${sitePath} is one of the pages written`).toBe(true);
    seen = await visit(type, sitePath);
  }, BROWSER_TIMEOUT_MS);

  it('logs no console error and throws no page error', () => {
    expect(seen.errors).toEqual([]);
  });

  it('loads every asset, and every same-origin link answers 200', { timeout: BROWSER_TIMEOUT_MS }, async () => {
    expect(seen.failedResponses).toEqual([]);
    const targets = sameOrigin(seen.links);
    expect(targets.length).toBeGreaterThan(5);
    const broken: string[] = [];
    for (const target of targets) {
      const response = await fetch(target, { method: 'HEAD' });
      if (response.status !== 200) broken.push(`${target.slice(server.origin.length)}: ${response.status}`);
    }
    expect(broken).toEqual([]);
  });

  it('has no serious or critical accessibility violation (axe-core)', () => {
    expect(seen.violations).toEqual([]);
  });
});

describe('the static server and the link check', () => {
  it('answer 404 for a page that does not exist, so a broken link would fail', async () => {
    const response = await fetch(`${server.origin}/servers/no-such-server/index.html`, { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(server.notFound).toContain('/servers/no-such-server/index.html');
  });

  it('serve pages and the stylesheet with their content types', async () => {
    expect((await fetch(`${server.origin}/index.html`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await fetch(`${server.origin}/assets/style.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });
});

describe('finding Chromium', () => {
  it('fails with what to install when CHROMIUM_PATH names nothing', () => {
    expect(() => chromiumPath({ CHROMIUM_PATH: path.join(site, 'no-chromium') })).toThrow(/no executable Chromium at .*no-chromium \(CHROMIUM_PATH\)\. Install it with "apt-get install -y chromium"/);
    expect(() => chromiumPath({ CHROMIUM_PATH: path.join(site, 'out', 'index.html') })).toThrow(/no executable Chromium/);
  });

  it('takes CHROMIUM_PATH, else Debian\'s /usr/bin/chromium', () => {
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
    expect(DEFAULT_CHROMIUM).toBe('/usr/bin/chromium');
  });
});
