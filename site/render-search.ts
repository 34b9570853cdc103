/** The search page (`search.html`) and its script (`assets/search.js`). @internal */
import { RISKS } from '../records/index.ts';
import { renderTemplate } from './engine.ts';
import { FILTER_REGISTRIES, serverCount } from './filter-nav.ts';
import { HTML, layoutData } from './layout-data.ts';
import { CATEGORY_LABELS, UNCLASSIFIED, type SiteModel } from './model.ts';
import { SEARCH_PATH, SEARCH_SCRIPT_PATH } from './paths.ts';
import { SEARCH_SCRIPT } from './search/script.ts';
import type { SitePage } from './types.ts';

/** `search.html` with filters for every category, risk and registry with servers, and `assets/search.js`. */
export function renderSearch(model: SiteModel): SitePage[] {
  const body = renderTemplate('@search', {
    ...layoutData(model, SEARCH_PATH, 'Search tools', `Search the ${model.totals.tools.toLocaleString('en-US')} tools of the catalogue by name, server, description, category or risk.`),
    categories: CATEGORY_LABELS,
    risks: [...RISKS, UNCLASSIFIED],
    registries: FILTER_REGISTRIES.filter((registry) => serverCount(model, { registry }) > 0),
  });
  return [
    { path: SEARCH_PATH, contentType: HTML, body },
    { path: SEARCH_SCRIPT_PATH, contentType: 'text/javascript; charset=utf-8', body: SEARCH_SCRIPT },
  ];
}
