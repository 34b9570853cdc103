/**
 * Browse pages: all tools of one category (`Unclassified` included) or one risk level, {@link ROWS_PER_PAGE} to a
 * page (`read.html`, `read-2.html`, …). @internal
 */
import { RISKS, type Category } from '../records/index.ts';
import { categoryCopy } from './copy.ts';
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import { PAGE_LIMITS, type PageLimits } from './limits.ts';
import { CATEGORY_LABELS } from './model.ts';
import type { CategoryLabel, SiteModel, ToolView } from './model.ts';
import { toolFilters, type FilterGroup } from './filter-nav.ts';
import { paginate } from './paging.ts';
import { attackPagePath, categoryPagePath, riskPagePath } from './paths.ts';
import type { SitePage } from './types.ts';
import { count, truncate } from './words.ts';

export function rows(model: SiteModel, keep: (tool: ToolView) => boolean, limits: PageLimits) {
  return model.servers.flatMap((server) =>
    server.tools.filter(keep).map((tool) => ({
      name: truncate(tool.name, limits.name),
      path: tool.path,
      server: truncate(server.name, limits.name),
      serverPath: server.path,
      category: tool.category,
      risk: tool.risk,
    })),
  );
}

export type Row = ReturnType<typeof rows>[number];

/** The pages of one tool list; `text.filters` links it to the lists that narrow or widen it (filter-nav.ts). */
export function listPages(model: SiteModel, list: Row[], pathOf: (n: number) => string, text: { heading: string; intro: string; advice: string | null; attacks: readonly string[]; filters: FilterGroup[]; category?: Category }): SitePage[] {
  const countText = `${count(list.length, 'tool')} across ${count(new Set(list.map((row) => row.serverPath)).size, 'server')}`;
  return paginate(list, pathOf).map((page) => {
    const heading = page.number === 1 ? text.heading : `${text.heading}, page ${page.number}`;
    return {
      path: page.path,
      contentType: HTML,
      body: renderTemplate('@browse', {
        ...layoutData(model, page.path, heading, text.intro),
        heading,
        intro: text.intro,
        advice: page.number === 1 ? text.advice : null,
        attacks: page.number === 1 ? text.attacks : [],
        category: text.category ?? null,
        attacksPath: page.number === 1 && text.category !== undefined ? attackPagePath(text.category) : null,
        countText,
        filters: text.filters,
        rows: page.rows,
        pager: page.pager,
      }),
    };
  });
}

function categoryPages(model: SiteModel, label: CategoryLabel, limits: PageLimits): SitePage[] {
  const copy = categoryCopy(label);
  const heading = label === 'Unclassified' ? 'Tools not classified yet' : `${label} tools`;
  const intro = label === 'Unclassified' ? 'Tools we have listed but not yet classified.' : `${copy.meaning} Tools of this category start at ${copy.baseRisk} risk; evidence in a definition can move that up or down.`;
  const list = rows(model, (tool) => tool.category === label, limits);
  return listPages(model, list, (n) => categoryPagePath(label, n), { heading, intro, advice: copy.advice, attacks: copy.attacks, filters: toolFilters(model, { category: label }), category: label === 'Unclassified' ? undefined : label });
}

function riskPages(model: SiteModel, risk: (typeof RISKS)[number], limits: PageLimits): SitePage[] {
  const list = rows(model, (tool) => tool.risk === risk, limits);
  return listPages(model, list, (n) => riskPagePath(risk, n), { heading: `${risk}-risk tools`, intro: `Every tool we rate ${risk}, whatever its category.`, advice: null, attacks: [], filters: toolFilters(model, { risk }) });
}

/** Every browse page; tool and server names cut to `limits.name`. */
export function renderBrowse(model: SiteModel, limits: PageLimits = PAGE_LIMITS): SitePage[] {
  return [...CATEGORY_LABELS.flatMap((label) => categoryPages(model, label, limits)), ...RISKS.flatMap((risk) => riskPages(model, risk, limits))];
}
