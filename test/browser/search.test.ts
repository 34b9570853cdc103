/**
 * The search in a real browser: the fixture site with its Pagefind bundle, written by writeSite, served on loopback
 * and driven in headless Chromium (playwright-core). No Chromium is a failure with a message, never a skip.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchIndexer, renderSite, writeSite } from '../../site/index.ts';
import { HOSTILE_SCRIPT, siteInput } from '../../site/test-fixtures.ts';
import { launchChromium, serveDirectory, type StaticServer } from './search-helpers.ts';

let work = '';
let site = '';
let server: StaticServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'search-browser-'));
  site = path.join(work, 'site');
  const search = await createSearchIndexer();
  const pages = renderSite(siteInput({ search }));
  await writeSite([...pages, ...(await search.finish())], site);
  server = await serveDirectory(site);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const page = await browser!.newPage();
  page.on('dialog', (dialog) => {
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  return page;
}

describe('search in the browser', () => {
  it('finds a tool typed in the header box and its result link opens the tool page', async () => {
    const page = await newPage();
    await page.goto(`${server!.url}index.html`);
    await page.fill('#site-search-q', 'refund');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/search\.html\?q=refund$/);
    const link = page.locator('#search-results a', { hasText: 'refund_payment' });
    await link.first().waitFor({ timeout: 20_000 });
    expect(await page.locator('#search-status').textContent()).toMatch(/^1 tool matches/);
    expect(await link.first().getAttribute('href')).toMatch(new RegExp(`^${server!.url}servers/[^/]+/tools/refund-payment\\.html$`));
    await link.first().click();
    await page.waitForURL(/\/servers\/[^/]+\/tools\/refund-payment\.html$/);
    expect(await page.locator('h1').textContent()).toContain('refund_payment');
    await page.close();
  });

  it('filters by risk and shows hostile names as text', async () => {
    const page = await newPage();
    await page.goto(`${server!.url}search.html?q=alert&risk=High`);
    const result = page.locator('#search-results li', { hasText: HOSTILE_SCRIPT });
    await result.first().waitFor({ timeout: 20_000 });
    expect(await page.locator('#search-results script, #search-results img').count()).toBe(0);
    expect(await result.first().locator('.badge.risk').textContent()).toBe('High risk');
    await page.close();
  });

  it('says why search does not work on a page opened from disk', async () => {
    const page = await newPage();
    await page.goto(`${pathToFileURL(path.join(site, 'search.html')).href}?q=refund`);
    await page.locator('#search-offline').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#search-offline').textContent()).toContain('file://');
    expect(await page.locator('#search-query').isDisabled()).toBe(true);
    await page.close();
  });

  it('says the index did not load when the site has no pagefind/ folder', async () => {
    await rm(path.join(site, 'pagefind'), { recursive: true, force: true });
    const page = await newPage();
    await page.goto(`${server!.url}search.html?q=refund`);
    await page.locator('#search-missing').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#search-status').textContent()).toBe('Search is not available here.');
    await page.close();
  });
});
