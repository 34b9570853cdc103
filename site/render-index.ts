/** The front page: catalogue counts and the server table. @internal */
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import type { ServerView, SiteModel } from './model.ts';
import { PAGE_LIMITS, type PageLimits } from './limits.ts';
import { paginate } from './paging.ts';
import { categoryPagePath, indexPagePath, riskPagePath } from './paths.ts';
import { serverFilters } from './filter-nav.ts';
import type { SitePage } from './types.ts';
import { count, truncate } from './words.ts';

/** `ok`, `failed` or `not tried`, as shown in tables, with the failure reason in words (`needs configuration`). */
export function outcomeOf(server: ServerView): { outcome: string; outcomeClass: string; reason: string | null } {
  const attempt = server.entry.introspection;
  if (attempt === null) return { outcome: 'not tried', outcomeClass: 'none', reason: null };
  return attempt.outcome === 'ok'
    ? { outcome: 'ok', outcomeClass: 'ok', reason: null }
    : { outcome: 'failed', outcomeClass: 'failed', reason: attempt.failureReason ? attempt.failureReason.replace(/_/g, ' ') : null };
}

function number(n: number): string {
  return n.toLocaleString('en-US');
}

/** One row of a server table (the `@server-table` partial); names and identifiers cut to `limits.name`. */
export function serverRow(server: ServerView, limits: PageLimits) {
  return {
    name: truncate(server.name, limits.name),
    identifier: truncate(server.entry.server.identifier, limits.name),
    registry: server.entry.server.registry,
    version: truncate(server.entry.version?.version ?? '—', limits.name),
    path: server.path,
    toolCount: number(server.tools.length),
    highestRisk: server.highestRisk ?? (server.tools.length > 0 ? 'Unclassified' : null),
    ...outcomeOf(server),
  };
}

/**
 * The front page (`index.html`) with the counts and the first {@link ROWS_PER_PAGE} servers, and one more page per
 * further {@link ROWS_PER_PAGE} servers (`index-2.html`, …). Names and identifiers are cut to `limits.name`.
 */
export function renderIndex(model: SiteModel, limits: PageLimits = PAGE_LIMITS): SitePage[] {
  const { totals } = model;
  const description = `${count(totals.servers, 'MCP server')} and ${count(totals.tools, 'tool')}, each tool risk-rated with a recommended gateway policy.`;
  return paginate(model.servers, indexPagePath).map((page) => ({
    path: page.path,
    contentType: HTML,
    body: renderTemplate('@index', {
      ...layoutData(model, page.path, page.number === 1 ? model.title : `${model.title}, servers page ${page.number}`, description),
      first: page.number === 1,
      pager: page.pager,
      totals: { servers: number(totals.servers), serversWithTools: number(totals.serversWithTools), tools: number(totals.tools) },
      byCategory: totals.byCategory.map((row) => ({ label: row.label, count: number(row.count), path: categoryPagePath(row.label) })),
      byRisk: totals.byRisk.map((row) => ({
        label: row.label,
        count: number(row.count),
        path: row.label === 'Unclassified' ? categoryPagePath(row.label) : riskPagePath(row.label),
      })),
      servers: page.rows.map((server) => serverRow(server, limits)),
      filters: serverFilters(model, {}),
    }),
  }));
}
