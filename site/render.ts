/**
 * `renderSite`: the whole site as pages in memory. Pure: it reads only its input (no clock, file system or network)
 * and the same input gives the same pages, in the same order.
 */
import { buildModel } from './model.ts';
import { STYLE_PATH } from './paths.ts';
import { renderBrowse } from './render-browse.ts';
import { renderApiIndex, renderApiServer, renderLlms, renderSitemap } from './render-feeds.ts';
import { renderIndex } from './render-index.ts';
import { renderServer } from './render-server.ts';
import { renderTool } from './render-tool.ts';
import { STYLE_CSS } from './style.ts';
import type { SiteInput, SitePage } from './types.ts';

/**
 * Renders every page of the catalogue: `index.html`; per server `servers/<slug>/index.html`, `policy.json` and one
 * `tools/<tool-slug>.html` per tool; `browse/category/<category>.html` and `browse/risk/<risk>.html`; `sitemap.xml`;
 * `llms.txt`; `api/servers.json` and `api/servers/<slug>.json`; `assets/style.css`. Links between pages are relative.
 * @throws Error if two pages would share a path (a bug in slug assignment, never expected).
 */
export function renderSite(input: SiteInput): SitePage[] {
  const model = buildModel(input);
  const pages: SitePage[] = [renderIndex(model)];
  for (const server of model.servers) {
    pages.push(...renderServer(model, server));
    for (const tool of server.tools) pages.push(renderTool(model, server, tool));
  }
  pages.push(...renderBrowse(model));
  pages.push({ path: STYLE_PATH, contentType: 'text/css; charset=utf-8', body: STYLE_CSS });
  pages.push(renderSitemap(model, pages));
  pages.push(renderLlms(model));
  pages.push(renderApiIndex(model));
  for (const server of model.servers) pages.push(renderApiServer(model, server));
  const seen = new Set<string>();
  for (const page of pages) {
    if (seen.has(page.path)) throw new Error(`renderSite: two pages share the path "${page.path}"; slugs should be unique.`);
    seen.add(page.path);
  }
  return pages;
}
