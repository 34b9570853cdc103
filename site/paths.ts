/**
 * Where each page lives, relative to the site root, and how one page links to another. Every link on the site is
 * relative (`../../index.html`), so the site works from `file://` and from any static host at any base path.
 * @internal
 */

/** Site-relative path of a server's page. */
export function serverPagePath(serverSlug: string): string {
  return `servers/${serverSlug}/index.html`;
}

/** Site-relative path of a server's recommended policy document. */
export function serverPolicyPath(serverSlug: string): string {
  return `servers/${serverSlug}/policy.json`;
}

/** Site-relative path of a tool's page. */
export function toolPagePath(serverSlug: string, toolSlug: string): string {
  return `servers/${serverSlug}/tools/${toolSlug}.html`;
}

/** Site-relative path of page `n` (from 1) of a server's tool list: its own page first, then `tools-<n>.html` beside it. */
export function serverToolsPagePath(serverSlug: string, n: number): string {
  return n <= 1 ? serverPagePath(serverSlug) : `servers/${serverSlug}/tools-${n}.html`;
}

/** Site-relative path of a server's JSON API document. */
export function serverApiPath(serverSlug: string): string {
  return `api/servers/${serverSlug}.json`;
}

/** Site-relative path of a tool's JSON API document: its whole definition, classification and rule. */
export function toolApiPath(serverSlug: string, toolSlug: string): string {
  return `api/servers/${serverSlug}/tools/${toolSlug}.json`;
}

/** `x.html` for page 1, `x-<n>.html` for page `n` of a list split over pages. */
function nthPage(first: string, n: number): string {
  return n <= 1 ? first : first.replace(/\.html$/, `-${n}.html`);
}

/** Site-relative path of page `n` (default 1) of a browse-by-category list (`Unclassified` included). */
export function categoryPagePath(label: string, n = 1): string {
  return nthPage(`browse/category/${label.toLowerCase()}.html`, n);
}

/** Site-relative path of page `n` (default 1) of a browse-by-risk list. */
export function riskPagePath(label: string, n = 1): string {
  return nthPage(`browse/risk/${label.toLowerCase()}.html`, n);
}

/** Site-relative path of page `n` (default 1) of the server index. */
export function indexPagePath(n = 1): string {
  return nthPage(INDEX_PATH, n);
}

export const INDEX_PATH = 'index.html';
export const STYLE_PATH = 'assets/style.css';
/** The site's icon (browsers ask every host for one; without it each first visit logs a 404). */
export const ICON_PATH = 'assets/icon.svg';
export const API_INDEX_PATH = 'api/servers.json';
export const SITEMAP_PATH = 'sitemap.xml';
export const LLMS_PATH = 'llms.txt';
/** How the catalogue is made: the crawl, the classifier and its measured accuracy. */
export const METHODOLOGY_PATH = 'methodology.html';
/** For server authors: what the crawler tries and what each failure reason means. */
export const AUTHORS_PATH = 'authors.html';

/**
 * Returns a function giving the relative href from the page at `fromPath` to the site-relative `toPath`:
 * from `servers/a/tools/b.html`, `index.html` → `../../../index.html`.
 */
export function linker(fromPath: string): (toPath: string) => string {
  const depth = fromPath.split('/').length - 1;
  const prefix = '../'.repeat(depth);
  return (toPath) => prefix + toPath;
}

/** Absolute URL of a site-relative path under `baseUrl`, or the path itself when there is no base URL. */
export function publicUrl(path: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined) return path;
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return new URL(path, base).href;
}

/** Site-relative path of a server's policy in an export format: `servers/<slug>/policy.<format id>.<ext>`. */
export function serverFormatPath(serverSlug: string, formatId: string, ext: string): string {
  return `servers/${serverSlug}/policy.${formatId}.${ext}`;
}

/** Site-relative path of the page of one change: listing `fromId` → listing `toId` of a server. */
export function changePagePath(serverSlug: string, fromId: number, toId: number): string {
  return `servers/${serverSlug}/changes/${fromId}-${toId}.html`;
}

/** Site-relative path of a server's changes as JSON. */
export function serverChangesApiPath(serverSlug: string): string {
  return `api/servers/${serverSlug}/changes.json`;
}

/** Site-relative path of a server's Atom feed of changes. */
export function serverFeedPath(serverSlug: string): string {
  return `servers/${serverSlug}/changes.atom`;
}

export const RECENT_CHANGES_PATH = 'changes/index.html';
export const CHANGES_API_PATH = 'api/changes.json';
/** Atom feed of every change. */
export const CHANGES_FEED_PATH = 'feeds/changes.atom';
/** Atom feed of changes with a risk increase or a rug-pull finding only. */
export const FINDINGS_FEED_PATH = 'feeds/findings.atom';

/** The three per-server badges (`site/badges.ts`). */
export type BadgeKind = 'risk' | 'tools' | 'listed';

/** Site-relative path of a server's badge: `servers/<slug>/badge-<kind>.svg`. */
export function serverBadgePath(serverSlug: string, kind: BadgeKind): string {
  return `servers/${serverSlug}/badge-${kind}.svg`;
}

/** Site-relative path of the attack patterns of one category (`categories/read.html`). */
export function attackPagePath(category: string): string {
  return `categories/${category.toLowerCase()}.html`;
}

/** The index of attack patterns by category. */
export const ATTACKS_INDEX_PATH = 'categories/index.html';

/** The search page; `assets/search.js` runs the query in the browser over the Pagefind bundle in `pagefind/`. */
export const SEARCH_PATH = 'search.html';
export const SEARCH_SCRIPT_PATH = 'assets/search.js';

/** Lowercase path segment of a label: `listed-live`, `critical`, `mcp-registry`. */
function segment(label: string): string {
  return label.toLowerCase();
}

/** Site-relative path of page `n` of the tools of one category and one risk: `browse/category/<c>/<r>.html`. */
export function categoryRiskPagePath(category: string, risk: string, n = 1): string {
  return nthPage(`browse/category/${segment(category)}/${segment(risk)}.html`, n);
}

/** Site-relative path of page `n` of the servers from one registry: `browse/registry/<registry>.html`. */
export function registryPagePath(registry: string, n = 1): string {
  return nthPage(`browse/registry/${segment(registry)}.html`, n);
}

/** Site-relative path of page `n` of the servers with one outcome: `browse/outcome/<outcome>.html`. */
export function outcomePagePath(outcome: string, n = 1): string {
  return nthPage(`browse/outcome/${segment(outcome)}.html`, n);
}

/** Site-relative path of page `n` of the servers from one registry with one outcome: `browse/registry/<registry>/<outcome>.html`. */
export function registryOutcomePagePath(registry: string, outcome: string, n = 1): string {
  return nthPage(`browse/registry/${segment(registry)}/${segment(outcome)}.html`, n);
}
