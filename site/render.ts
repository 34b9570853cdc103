/**
 * `renderSite`: the whole site as pages in memory. Pure: it reads only its input (no clock, file system or network)
 * and the same input gives the same pages, in the same order.
 */
import { renderTemplate } from './engine.ts';
import { problemMessage } from './errors.ts';
import { HTML, layoutData } from './layout-data.ts';
import { buildModel, type ServerView, type SiteModel } from './model.ts';
import { STYLE_PATH } from './paths.ts';
import { renderBrowse } from './render-browse.ts';
import { json, JSON_TYPE, renderApiIndex, renderApiServer, renderLlms, renderSitemap } from './render-feeds.ts';
import { renderIndex } from './render-index.ts';
import { renderServer } from './render-server.ts';
import { renderTool } from './render-tool.ts';
import { STYLE_CSS } from './style.ts';
import type { SiteInput, SitePage } from './types.ts';

function identityOf(server: ServerView): string {
  return `${server.entry.server.registry}:${server.entry.server.identifier}`;
}

/** The short page that stands in for `path` when its own could not be rendered. */
function unavailablePage(model: SiteModel, server: ServerView, path: string, heading: string, message: string): SitePage {
  const serverPage = path !== server.path;
  const body = renderTemplate('@unavailable', {
    ...layoutData(model, path, heading, `${heading}: this page could not be built.`),
    heading,
    identity: identityOf(server),
    message,
    serverPath: serverPage ? server.path : null,
    serverName: server.name,
  });
  return { path, contentType: HTML, body };
}

/**
 * Renders every page of the catalogue: `index.html`; per server `servers/<slug>/index.html`, `policy.json` and one
 * `tools/<tool-slug>.html` per tool; `browse/category/<category>.html` and `browse/risk/<risk>.html`; `sitemap.xml`;
 * `llms.txt`; `api/servers.json` and `api/servers/<slug>.json`; `assets/style.css`. Links between pages are relative.
 *
 * A server's page, tool page or JSON document that throws while rendering (a stored record of the wrong shape) is
 * replaced by a short page (or JSON document) saying so and reported to `input.onProblem`; every other page is
 * rendered as usual.
 * @throws {@link SiteInputError} `SITE_BAD_BASE_URL`; Error if two pages would share a path (a bug in slug
 *   assignment, never expected).
 */
export function renderSite(input: SiteInput): SitePage[] {
  const model = buildModel(input);
  const guard = (server: ServerView, path: string, render: () => SitePage[], fallback: (message: string) => SitePage[]): SitePage[] => {
    try {
      return render();
    } catch (error) {
      const message = problemMessage(error);
      input.onProblem?.({ serverId: server.entry.server.id, server: identityOf(server), step: 'page', path, message });
      return fallback(message);
    }
  };
  const pages: SitePage[] = [renderIndex(model)];
  for (const server of model.servers) {
    pages.push(...guard(server, server.path, () => renderServer(model, server), (message) => [unavailablePage(model, server, server.path, server.name, message)]));
    for (const tool of server.tools) {
      pages.push(...guard(server, tool.path, () => [renderTool(model, server, tool)], (message) => [unavailablePage(model, server, tool.path, tool.name, message)]));
    }
  }
  pages.push(...renderBrowse(model));
  pages.push({ path: STYLE_PATH, contentType: 'text/css; charset=utf-8', body: STYLE_CSS });
  pages.push(renderSitemap(model, pages));
  pages.push(renderLlms(model));
  pages.push(renderApiIndex(model));
  for (const server of model.servers) {
    pages.push(...guard(server, server.apiPath, () => [renderApiServer(model, server)], (message) => [
      { path: server.apiPath, contentType: JSON_TYPE, body: json({ slug: server.slug, page: server.path, unavailable: message }) },
    ]));
  }
  const seen = new Set<string>();
  for (const page of pages) {
    if (seen.has(page.path)) throw new Error(`renderSite: two pages share the path "${page.path}"; slugs should be unique.`);
    seen.add(page.path);
  }
  return pages;
}
