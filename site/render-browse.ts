/** Browse pages: all tools of one category (`Unclassified` included) or one risk level. @internal */
import { RISKS } from '../records/index.ts';
import { categoryCopy } from './copy.ts';
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import { CATEGORY_LABELS } from './model.ts';
import type { CategoryLabel, SiteModel, ToolView } from './model.ts';
import { categoryPagePath, riskPagePath } from './paths.ts';
import type { SitePage } from './types.ts';
import { count } from './words.ts';

function rows(model: SiteModel, keep: (tool: ToolView) => boolean) {
  return model.servers.flatMap((server) =>
    server.tools.filter(keep).map((tool) => ({
      name: tool.name,
      path: tool.path,
      server: server.name,
      serverPath: server.path,
      category: tool.category,
      risk: tool.risk,
    })),
  );
}

function categoryPage(model: SiteModel, label: CategoryLabel): SitePage {
  const path = categoryPagePath(label);
  const copy = categoryCopy(label);
  const list = rows(model, (tool) => tool.category === label);
  const heading = label === 'Unclassified' ? 'Tools not classified yet' : `${label} tools`;
  const intro = label === 'Unclassified' ? 'Tools we have listed but not yet classified.' : `${copy.meaning} Tools of this category start at ${copy.baseRisk} risk; evidence in a definition can move that up or down.`;
  const body = renderTemplate('@browse', {
    ...layoutData(model, path, heading, intro),
    heading,
    intro,
    advice: copy.advice,
    attacks: copy.attacks,
    countText: `${count(list.length, 'tool')} across ${count(new Set(list.map((row) => row.serverPath)).size, 'server')}`,
    rows: list,
  });
  return { path, contentType: HTML, body };
}

function riskPage(model: SiteModel, risk: (typeof RISKS)[number]): SitePage {
  const path = riskPagePath(risk);
  const list = rows(model, (tool) => tool.risk === risk);
  const heading = `${risk}-risk tools`;
  const intro = `Every tool we rate ${risk}, whatever its category.`;
  const body = renderTemplate('@browse', {
    ...layoutData(model, path, heading, intro),
    heading,
    intro,
    advice: null,
    attacks: [],
    countText: `${count(list.length, 'tool')} across ${count(new Set(list.map((row) => row.serverPath)).size, 'server')}`,
    rows: list,
  });
  return { path, contentType: HTML, body };
}

export function renderBrowse(model: SiteModel): SitePage[] {
  return [...CATEGORY_LABELS.map((label) => categoryPage(model, label)), ...RISKS.map((risk) => riskPage(model, risk))];
}
