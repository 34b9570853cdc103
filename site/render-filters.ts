/**
 * The combined filter pages (filter-nav.ts): tools of one category and one risk (`browse/category/<c>/<r>.html`),
 * servers from one registry, with one outcome, or both (`browse/registry/<registry>.html`,
 * `browse/outcome/<outcome>.html`, `browse/registry/<registry>/<outcome>.html`), each split into pages of
 * {@link ROWS_PER_PAGE} rows. Lists without rows get no page. @internal
 */
import { renderTemplate } from './engine.ts';
import { OUTCOMES, outcomeIdOf, serverFilters, serverListPath, serverSelections, toolCombinations, toolFilters, toolListPath, type ServerSelection } from './filter-nav.ts';
import { HTML, layoutData } from './layout-data.ts';
import { PAGE_LIMITS, type PageLimits } from './limits.ts';
import type { SiteModel } from './model.ts';
import { paginate } from './paging.ts';
import { listPages, rows } from './render-browse.ts';
import { serverRow } from './render-index.ts';
import type { SitePage } from './types.ts';
import { count } from './words.ts';

function toolPages(model: SiteModel, limits: PageLimits): SitePage[] {
  return toolCombinations(model).flatMap(({ category, risk }) => {
    const list = rows(model, (tool) => tool.category === category && tool.risk === risk, limits);
    return listPages(model, list, (n) => toolListPath({ category, risk }, n) ?? '', {
      heading: `${category} tools rated ${risk} risk`,
      intro: `Tools of the ${category} category that we rate ${risk}.`,
      advice: null,
      attacks: [],
      filters: toolFilters(model, { category, risk }),
    });
  });
}

function describe(selection: ServerSelection): { heading: string; intro: string } {
  const outcome = OUTCOMES.find((o) => o.id === selection.outcome);
  const from = selection.registry === undefined ? '' : ` from ${selection.registry}`;
  const heading = outcome === undefined ? `Servers${from}` : `Servers${from}: ${outcome.label.toLowerCase()}`;
  const what = outcome === undefined ? '' : {
    'listed-live': ' whose tools we listed by starting the server in the sandbox and asking it (tools/list)',
    'listed-from-source': ' whose tools we read from the package source, because starting the server did not give a list',
    'not-listed': ' with no tool list from their newest attempt (it failed, or was not tried yet)',
  }[outcome.id];
  return { heading, intro: `Every server${from}${what}.` };
}

function serverPages(model: SiteModel, limits: PageLimits): SitePage[] {
  return serverSelections(model).flatMap((selection) => {
    const list = model.servers.filter((server) => (selection.registry === undefined || server.entry.server.registry === selection.registry) && (selection.outcome === undefined || outcomeIdOf(server) === selection.outcome));
    const text = describe(selection);
    const countText = count(list.length, 'server');
    return paginate(list, (n) => serverListPath(selection, n)).map((page) => {
      const heading = page.number === 1 ? text.heading : `${text.heading}, page ${page.number}`;
      return {
        path: page.path,
        contentType: HTML,
        body: renderTemplate('@server-list', {
          ...layoutData(model, page.path, heading, text.intro),
          heading,
          intro: text.intro,
          countText,
          filters: serverFilters(model, selection),
          servers: page.rows.map((server) => serverRow(server, limits)),
          pager: page.pager,
        }),
      };
    });
  });
}

/** Every combined filter page; names cut to `limits.name`. */
export function renderFilters(model: SiteModel, limits: PageLimits = PAGE_LIMITS): SitePage[] {
  return [...toolPages(model, limits), ...serverPages(model, limits)];
}
