/** A server's page and its `policy.json`. @internal */
import { failureText, methodText, retryText } from './copy.ts';
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import { CRAWLER_NOTE, type IntrospectionRecord } from '../records/index.ts';
import type { ServerView, SiteModel } from './model.ts';
import { policyText, ruleLabel } from './policy-view.ts';
import { outcomeOf } from './render-index.ts';
import type { SitePage } from './types.ts';
import { count, formatDate, formatDateTime, isoTime, singleLine, truncate } from './words.ts';

/** The repository link: only http(s) URLs become links; anything else (`javascript:`, garbage) is shown as text. */
export function repositoryLink(url: string | null): { href: string | null; text: string } | null {
  if (url === null || url.trim() === '') return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return { href: parsed.href, text: url };
  } catch {
    // Not a URL: shown as text below.
  }
  return { href: null, text: url };
}

/** "12 Komodo tools catalogued and risk-rated, in a catalogue of 4,600 MCP servers." */
export function tallyText(server: ServerView, model: SiteModel): string {
  return `${count(server.tools.length, `${singleLine(server.name)} tool`)} catalogued and risk-rated — across an index of ${count(model.totals.servers, 'MCP server')}.`;
}

/** Longest description shown per prompt, resource or template; the JSON API has the whole text. */
const OFFERING_SUMMARY_CHARS = 300;

const summary = (text: string | undefined) => (text ? truncate(singleLine(text), OFFERING_SUMMARY_CHARS) : '');

/**
 * Prompts, resources and resource templates of the newest attempt, as plain text for the template. URIs are shown
 * as text, never as links: they come from the server and are never opened. Null when there is nothing to show.
 */
export function offeringsView(attempt: IntrospectionRecord | null) {
  if (attempt === null) return null;
  const { prompts, resources, resourceTemplates, listFailures } = attempt;
  if (prompts === null && resources === null && resourceTemplates === null && listFailures.length === 0) return null;
  return {
    prompts: prompts?.map((p) => ({
      name: p.name,
      title: p.title ?? null,
      summary: summary(p.description),
      arguments: (p.arguments ?? []).map((a) => ({ name: a.name, required: a.required === true, summary: summary(a.description) })),
    })) ?? null,
    resources: resources?.map((r) => ({ name: r.name, uri: r.uri, mimeType: r.mimeType ?? null, summary: summary(r.description) })) ?? null,
    resourceTemplates: resourceTemplates?.map((r) => ({ name: r.name, uriTemplate: r.uriTemplate, mimeType: r.mimeType ?? null, summary: summary(r.description) })) ?? null,
    failures: listFailures.map((f) => ({ method: f.method, message: f.message })),
  };
}

function attemptView(server: ServerView) {
  const attempt = server.entry.introspection;
  if (attempt === null) return null;
  // A static extraction is an `ok` outcome that still carries why the live start failed.
  const failed = attempt.outcome !== 'ok' || attempt.failureReason !== null;
  return {
    ...outcomeOf(server),
    method: attempt.method,
    methodText: methodText(attempt.method),
    date: formatDateTime(attempt.startedAt),
    iso: isoTime(attempt.startedAt) ?? '',
    serverInfo: attempt.serverInfo ? `${attempt.serverInfo.name} ${attempt.serverInfo.version}` : null,
    instructions: attempt.instructions,
    failure: failed
      ? {
          reason: attempt.failureReason ?? 'unknown',
          reasonText: failureText(attempt.failureReason),
          // Whether it will be tried again: only for a failure that left no tool list.
          retry: attempt.outcome === 'ok' ? null : retryText(attempt.attempt, attempt.transient),
          message: attempt.failureMessage,
          stderr: attempt.stderrTail,
          crawlerNotes: attempt.stderrTail.includes(CRAWLER_NOTE),
          liveOnly: attempt.outcome === 'ok',
        }
      : null,
  };
}

export function renderServer(model: SiteModel, server: ServerView): SitePage[] {
  const record = server.entry.server;
  const description = record.description ?? `${server.name}: ${count(server.tools.length, 'tool')} with risk ratings and a recommended policy.`;
  const body = renderTemplate('@server', {
    ...layoutData(model, server.path, `${server.name} (${record.registry} ${record.identifier})`, description),
    server: {
      name: server.name,
      description: record.description,
      registry: record.registry,
      identifier: record.identifier,
      version: server.entry.version?.version ?? 'unknown',
      published: server.entry.version?.publishedAt ? formatDate(server.entry.version.publishedAt) : null,
      repository: repositoryLink(record.repositoryUrl),
      apiPath: server.apiPath,
      policyPath: server.policyPath,
      attempt: attemptView(server),
      offerings: offeringsView(server.entry.introspection),
    },
    toolHeading: `${count(server.tools.length, 'tool')}`,
    byCategory: server.byCategory.filter((row) => row.count > 0),
    tools: server.tools.map((tool) => ({
      name: tool.name,
      path: tool.path,
      summary: tool.description === '' ? '' : truncate(singleLine(tool.description), 160),
      category: tool.category,
      risk: tool.risk,
      policyLabel: ruleLabel(server.policy, tool),
    })),
    policyJson: server.policy ? policyText(server.policy) : null,
    policyError: server.policyError,
    tally: tallyText(server, model),
  });
  const pages: SitePage[] = [{ path: server.path, contentType: HTML, body }];
  if (server.policy) pages.push({ path: server.policyPath, contentType: 'application/json; charset=utf-8', body: policyText(server.policy) });
  return pages;
}
