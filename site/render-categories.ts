/**
 * Attack-pattern pages: `categories/<category>.html` for each of the five categories (Read, Write, Execute,
 * Destructive, Financial) and their index `categories/index.html`. Each page says what tools of the category are
 * exposed to, what the recommended policy does against each pattern (`attack-patterns.ts`), and lists the
 * catalogue's most exposed tools of that category. @internal
 */
import { CATEGORIES, RISKS, type Category } from '../records/index.ts';
import { categoryAttacks } from './attack-patterns.ts';
import { categoryCopy } from './copy.ts';
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import { PAGE_LIMITS, type PageLimits } from './limits.ts';
import type { ServerView, SiteModel, ToolView } from './model.ts';
import { ATTACKS_INDEX_PATH, attackPagePath, categoryPagePath } from './paths.ts';
import type { SitePage } from './types.ts';
import { count, truncate } from './words.ts';

/** How many of a category's tools its page lists. */
export const MOST_EXPOSED = 20;

interface Exposed {
  server: ServerView;
  tool: ToolView;
  riskRank: number;
  confidence: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The classified tools of `category`, most exposed first: highest risk, then highest confidence, then by server
 * and tool name so the order does not depend on the input's.
 */
export function mostExposed(model: SiteModel, category: Category): Exposed[] {
  const found: Exposed[] = [];
  for (const server of model.servers) {
    for (const tool of server.tools) {
      if (tool.classification === null || tool.category !== category) continue;
      found.push({ server, tool, riskRank: RISKS.indexOf(tool.classification.risk), confidence: tool.classification.confidence });
    }
  }
  return found.sort(
    (a, b) => b.riskRank - a.riskRank || b.confidence - a.confidence || compareText(a.server.name, b.server.name) || compareText(a.tool.name, b.tool.name) || compareText(a.tool.path, b.tool.path),
  );
}

function categoryPage(model: SiteModel, category: Category, limits: PageLimits): SitePage {
  const path = attackPagePath(category);
  const attacks = categoryAttacks(category);
  const exposed = mostExposed(model, category);
  const shown = exposed.slice(0, MOST_EXPOSED);
  const heading = `Attack patterns of ${category} tools`;
  const body = renderTemplate('@attacks', {
    ...layoutData(model, path, heading, `${attacks.summary} What the recommended policy does, and the catalogue's most exposed ${category} tools.`),
    heading,
    category,
    summary: attacks.summary,
    meaning: categoryCopy(category).meaning,
    rule: attacks.rule,
    patterns: attacks.patterns,
    indexPath: ATTACKS_INDEX_PATH,
    browsePath: categoryPagePath(category),
    exposedHeading: shown.length === exposed.length ? `The ${category} tools in the catalogue` : `The ${shown.length} most exposed ${category} tools`,
    total: exposed.length,
    totalText: count(exposed.length, 'tool'),
    rows: shown.map(({ server, tool, confidence }) => ({
      name: truncate(tool.name, limits.name),
      path: tool.path,
      server: truncate(server.name, limits.name),
      serverPath: server.path,
      risk: tool.risk,
      confidence: confidence.toFixed(2),
    })),
  });
  return { path, contentType: HTML, body };
}

function indexPage(model: SiteModel): SitePage {
  const body = renderTemplate('@attacks-index', {
    ...layoutData(model, ATTACKS_INDEX_PATH, 'Attack patterns by category', 'What can go wrong with each category of MCP tool, and what the recommended policy does about it.'),
    rows: CATEGORIES.map((category) => ({
      category,
      path: attackPagePath(category),
      summary: categoryAttacks(category).summary,
      patterns: categoryAttacks(category).patterns.length,
      tools: (model.totals.byCategory.find((entry) => entry.label === category)?.count ?? 0).toLocaleString('en-US'),
    })),
  });
  return { path: ATTACKS_INDEX_PATH, contentType: HTML, body };
}

/** The index and one page per category; tool and server names cut to `limits.name`. */
export function renderCategories(model: SiteModel, limits: PageLimits = PAGE_LIMITS): SitePage[] {
  return [indexPage(model), ...CATEGORIES.map((category) => categoryPage(model, category, limits))];
}
