/**
 * `renderSite`: the whole site as pages in memory. Pure: it reads only its input (no clock, file system or network)
 * and the same input gives the same pages, in the same order.
 */
import { renderTemplate } from './engine.ts';
import { problemMessage } from './errors.ts';
import { HTML, layoutData } from './layout-data.ts';
import { buildModel, type ServerView, type SiteModel } from './model.ts';
import { changePagePath, ICON_PATH, serverChangesApiPath, STYLE_PATH } from './paths.ts';
import { renderChangeFeeds, renderChangePage, renderChangesApi, renderRecentChanges, renderServerChanges } from './render-changes.ts';
import { renderBrowse } from './render-browse.ts';
import { renderCategories } from './render-categories.ts';
import { COMMITTED_ACCURACY, renderAbout } from './render-about.ts';
import { MAX_PAGE_BYTES, PAGE_LIMITS, pageBytes, TIGHT_LIMITS, type PageLimits } from './limits.ts';
import { json, JSON_TYPE, renderApiIndex, renderApiServer, renderApiTool, renderLlms, renderSitemap } from './render-feeds.ts';
import { renderIndex } from './render-index.ts';
import { renderServer } from './render-server.ts';
import { renderTool } from './render-tool.ts';
import { renderFilters } from './render-filters.ts';
import { renderSearch } from './render-search.ts';
import { searchRecord } from './search/record.ts';
import { ICON_SVG, STYLE_CSS } from './style.ts';
import type { SiteInput, SitePage } from './types.ts';
import { truncate } from './words.ts';

function identityOf(server: ServerView): string {
  return `${server.entry.server.registry}:${server.entry.server.identifier}`;
}

/** The short page that stands in for `path` when its own could not be rendered. */
function unavailablePage(model: SiteModel, server: ServerView, path: string, heading: string, message: string): SitePage {
  const serverPage = path !== server.path;
  const shown = truncate(heading, PAGE_LIMITS.name);
  const body = renderTemplate('@unavailable', {
    ...layoutData(model, path, shown, `${shown}: this page could not be built.`, server),
    heading: shown,
    identity: truncate(identityOf(server), PAGE_LIMITS.name),
    message,
    serverPath: serverPage ? server.path : null,
    serverName: truncate(server.name, PAGE_LIMITS.name),
  });
  return { path, contentType: HTML, body };
}

/** The first HTML page of `pages` over {@link MAX_PAGE_BYTES}, with its size, if any. */
function oversized(pages: readonly SitePage[]): { path: string; bytes: number } | undefined {
  for (const page of pages) {
    if (page.contentType !== HTML) continue;
    const bytes = pageBytes(page.body);
    if (bytes > MAX_PAGE_BYTES) return { path: page.path, bytes };
  }
  return undefined;
}

/**
 * Pages rendered with {@link PAGE_LIMITS}, or with {@link TIGHT_LIMITS} when one of them is over the page bound.
 * @throws Error when even those leave a page over the bound.
 */
function bounded(render: (limits: PageLimits) => SitePage[]): SitePage[] {
  const pages = render(PAGE_LIMITS);
  if (oversized(pages) === undefined) return pages;
  const tight = render(TIGHT_LIMITS);
  const over = oversized(tight);
  if (over) throw new Error(`${over.path} would be ${over.bytes.toLocaleString('en-US')} bytes even with its text cut short, over the page bound of ${MAX_PAGE_BYTES.toLocaleString('en-US')} bytes`);
  return tight;
}

/**
 * Renders every page of the catalogue: `index.html`; per server `servers/<slug>/index.html`, `policy.json`, three
 * badges (`badge-risk.svg`, `badge-tools.svg`, `badge-listed.svg`) and one `tools/<tool-slug>.html` per tool;
 * `methodology.html` and `authors.html`; `browse/category/<category>.html` and `browse/risk/<risk>.html`;
 * `categories/index.html` and `categories/<category>.html` (attack patterns per category); `sitemap.xml`;
 * `llms.txt`; `api/servers.json`, `api/servers/<slug>.json` and `api/servers/<slug>/tools/<tool-slug>.json`;
 * `assets/style.css` and `assets/icon.svg`. Links between pages are relative. Lists of more than {@link ROWS_PER_PAGE} servers or tools
 * continue on further pages (`index-2.html`, `servers/<slug>/tools-2.html`, `browse/risk/high-2.html`).
 *
 * No HTML page is larger than {@link MAX_PAGE_BYTES} (limits.ts): long names, descriptions, schemas and lists are cut,
 * visibly, and the JSON documents keep them whole. A server's page, tool page or JSON document that throws while rendering (a stored record of the wrong shape) is
 * replaced by a short page (or JSON document) saying so and reported to `input.onProblem`; every other page is
 * rendered as usual.
 * @throws {@link SiteInputError} `SITE_BAD_BASE_URL`; Error if two pages would share a path (a bug in slug
 *   assignment, never expected).
 */
export function renderSite(input: SiteInput): SitePage[] {
  const model = buildModel(input);
  const pages: SitePage[] = [];
  for (const server of model.servers) pages.push(...renderServerPages(model, server, input));
  pages.push(...renderCataloguePages(model, pages.filter((page) => page.path.endsWith('.html')).map((page) => page.path), input.accuracy));
  const seen = new Set<string>();
  for (const page of pages) {
    if (seen.has(page.path)) throw new Error(`renderSite: two pages share the path "${page.path}"; slugs should be unique.`);
    seen.add(page.path);
  }
  return pages;
}

/**
 * Every file of one server: its page (and the further pages of its tool list), `policy.json` and the other policy
 * formats, badges, one page per tool, one page per change, and its JSON documents (`api/servers/<slug>.json`, one per
 * tool). Reads only `server` and the model's title, base URL and `explainRule`, never the rest of the catalogue, so a
 * build may render servers one batch at a time (site/build.ts). A page that throws is replaced by a short one saying
 * so and reported to `hooks.onProblem`; each tool's {@link SearchRecord} goes to `hooks.search`.
 */
export function renderServerPages(model: SiteModel, server: ServerView, hooks: Pick<SiteInput, 'onProblem' | 'search'> = {}): SitePage[] {
  const guard = (path: string, render: () => SitePage[], fallback: (message: string) => SitePage[]): SitePage[] => {
    try {
      return render();
    } catch (error) {
      const message = problemMessage(error);
      hooks.onProblem?.({ serverId: server.entry.server.id, server: identityOf(server), step: 'page', path, message });
      return fallback(message);
    }
  };
  const pages: SitePage[] = [];
  pages.push(...guard(server.path, () => bounded((limits) => renderServer(model, server, limits)), (message) => [unavailablePage(model, server, server.path, server.name, message)]));
  for (const tool of server.tools) {
    pages.push(...guard(tool.path, () => bounded((limits) => [renderTool(model, server, tool, limits)]), (message) => [unavailablePage(model, server, tool.path, tool.name, message)]));
    hooks.search?.add(searchRecord(server, tool));
  }
  for (const diff of server.changes) {
    const path = changePagePath(server.slug, diff.from.id, diff.to.id);
    pages.push(...guard(path, () => bounded((limits) => [renderChangePage(model, server, diff, limits)]), (message) => [unavailablePage(model, server, path, `${server.name}: change`, message)]));
  }
  pages.push(...guard(serverChangesApiPath(server.slug), () => renderServerChanges(model, server), () => []));
  pages.push(...guard(server.apiPath, () => [renderApiServer(model, server)], (message) => [
    { path: server.apiPath, contentType: JSON_TYPE, body: json({ slug: server.slug, page: server.path, unavailable: message }) },
  ]));
  for (const tool of server.tools) {
    pages.push(...guard(tool.apiPath, () => [renderApiTool(model, server, tool)], (message) => [
      { path: tool.apiPath, contentType: JSON_TYPE, body: json({ slug: tool.slug, page: tool.path, unavailable: message }) },
    ]));
  }
  return pages;
}

/**
 * The pages about the whole catalogue: the index, recent changes, browse, attack-pattern and filter pages, search,
 * methodology and authors pages, assets, the sitemap (these HTML pages first, then `htmlPaths`: every HTML page of
 * the servers), `llms.txt`, the API index and the change feeds. Reads of each server only what
 * {@link summariseServer} keeps (site/summary.ts).
 */
export function renderCataloguePages(model: SiteModel, htmlPaths: readonly string[], accuracy: SiteInput['accuracy']): SitePage[] {
  return [...cataloguePageGroups(model, htmlPaths, accuracy)].flat();
}

/**
 * {@link renderCataloguePages} one group at a time (a renderer's pages), in the same order, so a streamed build
 * writes and lets go of each group before rendering the next.
 */
export function* cataloguePageGroups(model: SiteModel, htmlPaths: readonly string[], accuracy: SiteInput['accuracy']): Generator<SitePage[]> {
  const html: string[] = [];
  const take = (pages: SitePage[]): SitePage[] => {
    for (const page of pages) if (page.path.endsWith('.html')) html.push(page.path);
    return pages;
  };
  yield take(bounded((limits) => renderIndex(model, limits)));
  yield take(bounded((limits) => [renderRecentChanges(model, limits)]));
  yield take(bounded((limits) => renderBrowse(model, limits)));
  yield take(bounded((limits) => renderCategories(model, limits)));
  yield take(bounded((limits) => renderFilters(model, limits)));
  yield take(renderSearch(model));
  yield take(renderAbout(model, accuracy === undefined ? COMMITTED_ACCURACY : accuracy));
  yield [{ path: STYLE_PATH, contentType: 'text/css; charset=utf-8', body: STYLE_CSS }, { path: ICON_PATH, contentType: 'image/svg+xml', body: ICON_SVG }];
  yield renderSitemap(model, [...html, ...htmlPaths]);
  yield [renderLlms(model), renderApiIndex(model), ...renderChangesApi(model), ...renderChangeFeeds(model)];
}
