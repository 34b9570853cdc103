/**
 * A server's page, the further pages of its tool list, its `policy.json` and the same policy in every export format. Text of the server's own (description,
 * instructions, names, URIs) is cut to the page's limits (limits.ts); the JSON document keeps the whole. @internal
 */
import { failureText, methodText, retryText } from './copy.ts';
import { badgeSnippets, renderBadges } from './badges.ts';
import { renderTemplate } from './engine.ts';
import { changesSectionView } from './render-changes.ts';
import { HTML, layoutData } from './layout-data.ts';
import { PAGE_LIMITS, type PageLimits } from './limits.ts';
import { CRAWLER_NOTE, FAILURE_REASONS, type IntrospectionRecord } from '../records/index.ts';
import type { ServerView, SiteModel, ToolView } from './model.ts';
import { paginate } from './paging.ts';
import { AUTHORS_PATH, serverToolsPagePath } from './paths.ts';
import { serverFormatFiles } from './policy-formats.ts';
import { policyText, ruleLabel } from './policy-view.ts';
import { outcomeOf } from './render-index.ts';
import type { SitePage } from './types.ts';
import { brief, count, cutText, formatDate, formatDateTime, isoTime, tailText, truncate } from './words.ts';

/** Longest URL made a link; a longer one is shown as (cut) text. */
const MAX_LINK_URL = 2000;

/** The repository link: only http(s) URLs become links; anything else (`javascript:`, garbage) is shown as text. */
export function repositoryLink(url: string | null, max = PAGE_LIMITS.cell): { href: string | null; text: string } | null {
  if (url === null || url.trim() === '') return null;
  if (url.length <= MAX_LINK_URL) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return { href: parsed.href, text: truncate(url, max) };
    } catch {
      // Not a URL: shown as text below.
    }
  }
  return { href: null, text: truncate(url, max) };
}

/**
 * "12 Komodo tools catalogued and risk-rated." A server's pages say nothing of the rest of the catalogue, so they
 * need rendering again only when the server's own records change (site/build.ts).
 */
export function tallyText(server: ServerView, limits: PageLimits = PAGE_LIMITS): string {
  return `${count(server.tools.length, `${brief(server.name, limits.name)} tool`)} catalogued and risk-rated.`;
}

/** Longest description shown per prompt, resource or template; the JSON API has the whole text. */
const OFFERING_SUMMARY_CHARS = 300;

/** A text cut to `max` characters, with the note that says so (the `@cut` partial) when it was. */
function cutWithNote(text: string, max: number, what: string, href: string) {
  const { text: shown, cut } = cutText(text, max);
  return { text: shown, cut: cut ? { what, limit: max, href } : null };
}

/**
 * Prompts, resources and resource templates of the newest attempt, as plain text for the template: at most
 * `limits.items` of each (the rest are counted), names and URIs cut. URIs are shown as text, never as links: they come
 * from the server and are never opened. Null when there is nothing to show.
 */
export function offeringsView(attempt: IntrospectionRecord | null, limits: PageLimits = PAGE_LIMITS) {
  if (attempt === null) return null;
  const { prompts, resources, resourceTemplates, listFailures } = attempt;
  if (prompts === null && resources === null && resourceTemplates === null && listFailures.length === 0) return null;
  const summary = (text: string | undefined) => (text ? brief(text, Math.min(OFFERING_SUMMARY_CHARS, limits.cell)) : '');
  const name = (text: string) => truncate(text, limits.name);
  const cell = (text: string) => truncate(text, limits.cell);
  const some = <T, U>(list: T[] | null, view: (item: T) => U) => (list === null ? null : { items: list.slice(0, limits.items).map(view), total: list.length });
  return {
    prompts: some(prompts, (p) => ({
      name: name(p.name),
      title: p.title ? name(p.title) : null,
      summary: summary(p.description),
      arguments: (p.arguments ?? []).slice(0, limits.items).map((a) => ({ name: name(a.name), required: a.required === true, summary: summary(a.description) })),
    })),
    resources: some(resources, (r) => ({ name: name(r.name), uri: cell(r.uri), mimeType: r.mimeType ? name(r.mimeType) : null, summary: summary(r.description) })),
    resourceTemplates: some(resourceTemplates, (r) => ({ name: name(r.name), uriTemplate: cell(r.uriTemplate), mimeType: r.mimeType ? name(r.mimeType) : null, summary: summary(r.description) })),
    failures: listFailures.slice(0, limits.items).map((f) => ({ method: f.method, message: cell(f.message) })),
  };
}

/** The end of stderr, which is what matters: a cut keeps the last characters and starts with `…`. */
function stderrTail(text: string, max: number): string {
  const tail = tailText(text, max);
  return tail.cut ? `…${tail.text}` : tail.text;
}

function attemptView(server: ServerView, limits: PageLimits) {
  const attempt = server.entry.introspection;
  if (attempt === null) return null;
  // A static extraction is an `ok` outcome that still carries why the live start failed.
  const failed = attempt.outcome !== 'ok' || attempt.failureReason !== null;
  const instructions = attempt.instructions === null ? null : cutWithNote(attempt.instructions, limits.longText, 'Instructions', server.apiPath);
  return {
    ...outcomeOf(server),
    method: attempt.method,
    methodText: methodText(attempt.method),
    date: formatDateTime(attempt.startedAt),
    iso: isoTime(attempt.startedAt) ?? '',
    serverInfo: attempt.serverInfo ? `${truncate(attempt.serverInfo.name, limits.name)} ${truncate(attempt.serverInfo.version, limits.name)}` : null,
    instructions: instructions?.text ?? null,
    instructionsCut: instructions?.cut ?? null,
    failure: failed
      ? {
          reason: attempt.failureReason ?? 'unknown',
          reasonText: failureText(attempt.failureReason),
          // The reason's row on the page for server authors, for a reason the site knows.
          help: (FAILURE_REASONS as readonly string[]).includes(attempt.failureReason ?? '') ? `${AUTHORS_PATH}#reason-${attempt.failureReason}` : null,
          // Whether it will be tried again: only for a failure that left no tool list.
          retry: attempt.outcome === 'ok' ? null : retryText(attempt.attempt, attempt.transient),
          message: attempt.failureMessage === null ? null : truncate(attempt.failureMessage, limits.longText),
          // The end of stderr is what matters: a cut keeps the last characters.
          stderr: stderrTail(attempt.stderrTail, limits.longText),
          crawlerNotes: attempt.stderrTail.includes(CRAWLER_NOTE),
          liveOnly: attempt.outcome === 'ok',
        }
      : null,
  };
}

/** One row of a server's tool table. */
function toolRow(server: ServerView, tool: ToolView, limits: PageLimits) {
  return {
    name: truncate(tool.name, limits.name),
    path: tool.path,
    summary: tool.description === '' ? '' : brief(tool.description, limits.summary),
    category: tool.category,
    risk: tool.risk,
    policyLabel: ruleLabel(server.policy, tool),
  };
}

/**
 * A server's page (with the first {@link ROWS_PER_PAGE} tools), its three badges (`badge-risk.svg`,
 * `badge-tools.svg`, `badge-listed.svg`, badges.ts), one more page per further {@link ROWS_PER_PAGE}
 * tools (`tools-2.html`, …), and its `policy.json` when it has a policy. Text is cut to `limits`.
 */
export function renderServer(model: SiteModel, server: ServerView, limits: PageLimits = PAGE_LIMITS): SitePage[] {
  const record = server.entry.server;
  const name = truncate(server.name, limits.name);
  const identifier = truncate(record.identifier, limits.name);
  const fullDescription = record.description ?? `${name}: ${count(server.tools.length, 'tool')} with risk ratings and a recommended policy.`;
  const description = record.description === null ? null : cutWithNote(record.description, limits.description, 'Description', server.apiPath);
  const tablePages = paginate(server.tools, (n) => serverToolsPagePath(server.slug, n));
  const policy = server.policy ? policyText(server.policy) : null;
  const formats = serverFormatFiles(server, limits);
  const [first, ...rest] = tablePages;
  const body = renderTemplate('@server', {
    ...layoutData(model, server.path, `${name} (${record.registry} ${identifier})`, fullDescription, server),
    server: {
      name,
      description: description?.text ?? null,
      descriptionCut: description?.cut ?? null,
      registry: record.registry,
      identifier,
      version: truncate(server.entry.version?.version ?? 'unknown', limits.name),
      published: server.entry.version?.publishedAt ? formatDate(server.entry.version.publishedAt) : null,
      repository: repositoryLink(record.repositoryUrl, limits.cell),
      apiPath: server.apiPath,
      policyPath: server.policyPath,
      attempt: attemptView(server, limits),
      offerings: offeringsView(server.entry.introspection, limits),
    },
    toolHeading: `${count(server.tools.length, 'tool')}`,
    byCategory: server.byCategory.filter((row) => row.count > 0),
    tools: (first?.rows ?? []).map((tool) => toolRow(server, tool, limits)),
    pager: first?.pager ?? null,
    // A policy too long to read on a page is linked, never cut: cut JSON would mislead.
    policyJson: policy !== null && policy.length <= limits.policy ? policy : null,
    policyChars: policy?.length ?? 0,
    policyError: server.policyError === null ? null : truncate(server.policyError, limits.cell),
    formats: formats.offers,
    tally: tallyText(server, limits),
    changes: changesSectionView(model, server, limits),
    badges: { items: badgeSnippets(server, model.baseUrl), absolute: model.baseUrl !== undefined },
  });
  const pages: SitePage[] = [{ path: server.path, contentType: HTML, body }, ...renderBadges(server)];
  for (const page of rest) {
    const heading = `Tools of ${name}, page ${page.number} of ${tablePages.length}`;
    pages.push({
      path: page.path,
      contentType: HTML,
      body: renderTemplate('@server-tools', {
        ...layoutData(model, page.path, heading, `${count(server.tools.length, 'tool')} of ${name} with risk ratings.`, server),
        heading,
        server: { name, path: server.path, apiPath: server.apiPath },
        tools: page.rows.map((tool) => toolRow(server, tool, limits)),
        pager: page.pager,
      }),
    });
  }
  if (policy !== null) pages.push({ path: server.policyPath, contentType: 'application/json; charset=utf-8', body: policy }, ...formats.pages);
  return pages;
}
