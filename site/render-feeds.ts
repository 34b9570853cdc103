/** Machine-facing files: `sitemap.xml`, `llms.txt` (llmstxt.org) and the JSON API. @internal */
import { renderTemplate } from './engine.ts';
import type { ServerView, SiteModel, ToolView } from './model.ts';
import { API_INDEX_PATH, ATTACKS_INDEX_PATH, AUTHORS_PATH, INDEX_PATH, LLMS_PATH, METHODOLOGY_PATH, RECENT_CHANGES_PATH, SITEMAP_PATH, publicUrl, serverBadgePath } from './paths.ts';
import { outcomeOf } from './render-index.ts';
import type { SitePage } from './types.ts';
import { count, formatDate, isoTime, singleLine, truncate } from './words.ts';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** Most URLs one sitemap file may list (sitemaps.org protocol 0.9; the protocol's other bound is 50 MB uncompressed). */
export const SITEMAP_MAX_URLS = 50_000;

/** Site-relative path of the `n`th (1-based) sitemap file an index points at: `sitemaps/sitemap-<n>.xml`. */
export function sitemapPartPath(n: number): string {
  return `sitemaps/sitemap-${n}.xml`;
}

/**
 * The sitemap of the given site-relative HTML paths (absolute URLs when the model has a base URL, relative otherwise).
 * Up to {@link SITEMAP_MAX_URLS} paths: one `sitemap.xml` listing them all. More: `sitemap.xml` is a sitemap index
 * pointing at `sitemaps/sitemap-1.xml`, `sitemaps/sitemap-2.xml`, … of at most {@link SITEMAP_MAX_URLS} URLs each, in
 * the order given.
 */
export function renderSitemap(model: SiteModel, htmlPaths: readonly string[]): SitePage[] {
  const contentType = 'application/xml; charset=utf-8';
  const lastmod = formatDate(model.generatedAt);
  const urls = (paths: readonly string[]) => paths.map((path) => publicUrl(path, model.baseUrl));
  if (htmlPaths.length <= SITEMAP_MAX_URLS) {
    return [{ path: SITEMAP_PATH, contentType, body: renderTemplate('@sitemap', { urls: urls(htmlPaths), lastmod }) }];
  }
  const parts: SitePage[] = [];
  for (let from = 0; from < htmlPaths.length; from += SITEMAP_MAX_URLS) {
    const body = renderTemplate('@sitemap', { urls: urls(htmlPaths.slice(from, from + SITEMAP_MAX_URLS)), lastmod });
    parts.push({ path: sitemapPartPath(parts.length + 1), contentType, body });
  }
  const index = renderTemplate('@sitemap-index', { urls: urls(parts.map((part) => part.path)), lastmod });
  return [{ path: SITEMAP_PATH, contentType, body: index }, ...parts];
}

/** Text of untrusted origin made safe for one Markdown list item: one line, no link or emphasis syntax. */
function mdText(text: string, max: number): string {
  return truncate(singleLine(text).replace(/[[\]()<>`*_#|\\]/g, ' ').replace(/\s+/g, ' ').trim(), max);
}

/** `llms.txt`: a Markdown map of the site for language models (https://llmstxt.org). */
export function renderLlms(model: SiteModel): SitePage {
  const url = (path: string) => publicUrl(path, model.baseUrl);
  const lines = [
    `# ${mdText(model.title, 100)}`,
    '',
    `> A risk-rated catalogue of ${count(model.totals.servers, 'MCP server')} and ${count(model.totals.tools, 'tool')}. Each tool has a category (Read, Write, Execute, Destructive, Financial), a risk level (Low, Medium, High, Critical) with a written rationale, and a recommended gateway policy (policy.json version "1").`,
    '',
    `Generated ${isoTime(model.generatedAt) ?? 'at an unknown time'}. Server and tool names and descriptions are quoted from untrusted packages.`,
    '',
    '## Catalogue',
    '',
    `- [Server index](${url(INDEX_PATH)}): every server with its tool count and highest risk`,
    `- [JSON API index](${url(API_INDEX_PATH)}): the same as JSON, with a link to one document per server`,
    `- [Recent changes](${url(RECENT_CHANGES_PATH)}): tools added, removed and changed between listings, with rug-pull findings`,
    `- [Methodology](${url(METHODOLOGY_PATH)}): how servers are crawled and tools classified, and the classifier's measured accuracy`,
    `- [For server authors](${url(AUTHORS_PATH)}): what the crawler tries and what each failure reason means`,
    `- [Attack patterns](${url(ATTACKS_INDEX_PATH)}): per category, how its tools get misused and what the recommended policy does against each pattern`,
    '',
    '## Servers',
    '',
    ...model.servers.map(
      (server) => `- [${mdText(server.name, 100)}](${url(server.path)}): ${server.entry.server.registry} ${mdText(server.entry.server.identifier, 200)}, ${count(server.tools.length, 'tool')}, highest risk ${server.highestRisk ?? 'none'}; JSON at ${url(server.apiPath)}`,
    ),
    '',
  ];
  return { path: LLMS_PATH, contentType: 'text/plain; charset=utf-8', body: lines.join('\n') };
}

/** Pretty JSON with `<`, `>` and `&` as `\u` escapes: the same data, but inert if a browser ever sniffs it as HTML. */
export function json(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}

/** `api/servers.json`: every server in one list. Paths in it are relative to the site root. */
export function renderApiIndex(model: SiteModel): SitePage {
  const body = json({
    generatedAt: isoTime(model.generatedAt),
    totals: model.totals,
    servers: model.servers.map((server) => ({
      slug: server.slug,
      registry: server.entry.server.registry,
      identifier: server.entry.server.identifier,
      name: server.name,
      version: server.entry.version?.version ?? null,
      outcome: outcomeOf(server).outcome,
      toolCount: server.tools.length,
      highestRisk: server.highestRisk,
      page: server.path,
      api: server.apiPath,
      policy: server.policy ? server.policyPath : null,
    })),
  });
  return { path: API_INDEX_PATH, contentType: JSON_TYPE, body };
}

/** `api/servers/<slug>.json`: one server with its version, attempt, tools, classifications and policy. */
export function renderApiServer(model: SiteModel, server: ServerView): SitePage {
  const body = json({
    checkedAt: isoTime(server.checkedAt),
    slug: server.slug,
    page: server.path,
    server: server.entry.server,
    version: server.entry.version,
    introspection: server.entry.introspection,
    tools: server.tools.map((tool) => ({
      name: tool.name,
      slug: tool.slug,
      page: tool.path,
      api: tool.apiPath,
      hash: tool.hash,
      definition: tool.definition,
      classification: tool.classification,
      hidden: tool.hidden,
    })),
    policy: server.policy ?? null,
    badges: { risk: serverBadgePath(server.slug, 'risk'), tools: serverBadgePath(server.slug, 'tools'), listed: serverBadgePath(server.slug, 'listed') },
  });
  return { path: server.apiPath, contentType: JSON_TYPE, body };
}

/**
 * `api/servers/<slug>/tools/<tool-slug>.json`: one tool as stored, whole (its page may cut long text), with its
 * classification, its rule in the server's recommended policy, and whether the policy hides it.
 */
export function renderApiTool(model: SiteModel, server: ServerView, tool: ToolView): SitePage {
  const body = json({
    checkedAt: isoTime(server.checkedAt),
    server: { slug: server.slug, registry: server.entry.server.registry, identifier: server.entry.server.identifier, page: server.path, api: server.apiPath },
    name: tool.name,
    slug: tool.slug,
    page: tool.path,
    hash: tool.hash,
    definition: tool.definition,
    classification: tool.classification,
    codeEffects: tool.codeEffects,
    rule: tool.rule ?? null,
    hidden: tool.hidden,
  });
  return { path: tool.apiPath, contentType: JSON_TYPE, body };
}
