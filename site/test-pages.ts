/**
 * Helpers for tests that read rendered pages: find a page by path, parse it with cheerio, resolve relative links.
 * Used by `site/*.test.ts` only.
 * @internal
 */
import { posix } from 'node:path';
import * as cheerio from 'cheerio';
import type { SitePage } from './types.ts';

export function page(pages: SitePage[], path: string): SitePage {
  const found = pages.find((candidate) => candidate.path === path);
  if (found === undefined) throw new Error(`no page at ${path}; have ${pages.map((p) => p.path).join(', ').slice(0, 2000)}`);
  return found;
}

export function html(pages: SitePage[], path: string): cheerio.CheerioAPI {
  return cheerio.load(page(pages, path).body);
}

/** Site-relative path a relative `href` on the page at `fromPath` points to, or null when it leaves the site root. */
export function resolveHref(fromPath: string, href: string): string | null {
  const target = href.split('#')[0] ?? '';
  const joined = posix.normalize(posix.join(posix.dirname(fromPath), decodeURIComponent(target)));
  return joined.startsWith('../') || joined === '..' ? null : joined;
}

/** Text of an element with runs of whitespace collapsed. */
export function text(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
