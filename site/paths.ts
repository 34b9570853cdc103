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

/** Site-relative path of a server's JSON API document. */
export function serverApiPath(serverSlug: string): string {
  return `api/servers/${serverSlug}.json`;
}

/** Site-relative path of a browse-by-category page (`Unclassified` included). */
export function categoryPagePath(label: string): string {
  return `browse/category/${label.toLowerCase()}.html`;
}

/** Site-relative path of a browse-by-risk page. */
export function riskPagePath(label: string): string {
  return `browse/risk/${label.toLowerCase()}.html`;
}

export const INDEX_PATH = 'index.html';
export const STYLE_PATH = 'assets/style.css';
export const API_INDEX_PATH = 'api/servers.json';
export const SITEMAP_PATH = 'sitemap.xml';
export const LLMS_PATH = 'llms.txt';

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
