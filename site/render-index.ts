/** The front page: catalogue counts and the server table. @internal */
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import type { ServerView, SiteModel } from './model.ts';
import { INDEX_PATH, categoryPagePath, riskPagePath } from './paths.ts';
import type { SitePage } from './types.ts';
import { count } from './words.ts';

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

export function renderIndex(model: SiteModel): SitePage {
  const { totals } = model;
  const description = `${count(totals.servers, 'MCP server')} and ${count(totals.tools, 'tool')}, each tool risk-rated with a recommended gateway policy.`;
  const body = renderTemplate('@index', {
    ...layoutData(model, INDEX_PATH, model.title, description),
    totals: { servers: number(totals.servers), serversWithTools: number(totals.serversWithTools), tools: number(totals.tools) },
    byCategory: totals.byCategory.map((row) => ({ label: row.label, count: number(row.count), path: categoryPagePath(row.label) })),
    byRisk: totals.byRisk.map((row) => ({
      label: row.label,
      count: number(row.count),
      path: row.label === 'Unclassified' ? categoryPagePath(row.label) : riskPagePath(row.label),
    })),
    servers: model.servers.map((server) => ({
      name: server.name,
      identifier: server.entry.server.identifier,
      registry: server.entry.server.registry,
      version: server.entry.version?.version ?? '—',
      path: server.path,
      toolCount: number(server.tools.length),
      highestRisk: server.highestRisk ?? (server.tools.length > 0 ? 'Unclassified' : null),
      ...outcomeOf(server),
    })),
  });
  return { path: INDEX_PATH, contentType: HTML, body };
}
