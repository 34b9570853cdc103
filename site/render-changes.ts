/**
 * The change history on the site (issue 15): the "Changes" section of a server's page, a page per change, the
 * site-wide "Recent changes" page, the JSON API (`api/changes.json`, `api/servers/<slug>/changes.json`) and Atom
 * feeds (RFC 4287) written with the `feed` package. Atom needs absolute links, so the feeds are written only when the
 * site has a base URL. Names and descriptions are cut to the page limits (limits.ts); the JSON keeps them whole.
 * @internal
 */
import { Feed } from 'feed';
import type { ListingDiff, ToolSide } from '../changes/index.ts';
import { renderTemplate } from './engine.ts';
import { HTML, layoutData } from './layout-data.ts';
import { PAGE_LIMITS, ROWS_PER_PAGE, type PageLimits } from './limits.ts';
import { newestFirst, UNCLASSIFIED, type ServerView, type SiteModel } from './model.ts';
import { CHANGES_API_PATH, CHANGES_FEED_PATH, changePagePath, FINDINGS_FEED_PATH, publicUrl, RECENT_CHANGES_PATH, serverChangesApiPath, serverFeedPath } from './paths.ts';
import { json, JSON_TYPE } from './render-feeds.ts';
import { RISKS } from '../records/index.ts';
import type { SitePage } from './types.ts';
import { brief, count, formatDate, formatDateTime, isoTime, truncate } from './words.ts';

const ATOM_TYPE = 'application/atom+xml; charset=utf-8';
/** Entries per feed: the newest changes. */
const FEED_ENTRIES = 100;
/** Changes listed on a server's page; the JSON has them all. */
const TIMELINE_ROWS = 50;

/** `1.0.0 → 1.0.1`, or `1.0.0, relisted` for one version. */
function versionsText(diff: ListingDiff, max: number): string {
  const from = truncate(diff.from.version, max);
  return diff.from.version === diff.to.version ? `${from}, relisted` : `${from} → ${truncate(diff.to.version, max)}`;
}

/** "1 tool added, 1 changed". */
export function summaryText(diff: ListingDiff): string {
  const parts = [
    diff.added.length && `${count(diff.added.length, 'tool')} added`,
    diff.removed.length && `${diff.removed.length} removed`,
    diff.changed.length && `${diff.changed.length} changed`,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'the same tools, listed differently';
}

function findingRows(diff: ListingDiff, limits: PageLimits) {
  return diff.findings.slice(0, limits.items).map((f) => ({ rule: f.rule, severity: f.severity, message: truncate(f.message, limits.longText) }));
}

function row(server: ServerView, diff: ListingDiff, limits: PageLimits) {
  return {
    key: `${diff.from.id}-${diff.to.id}`,
    path: changePagePath(server.slug, diff.from.id, diff.to.id),
    serverPath: server.path,
    serverName: truncate(server.name, limits.name),
    versions: versionsText(diff, limits.name),
    summary: summaryText(diff),
    date: formatDateTime(diff.to.listedAt),
    iso: isoTime(diff.to.listedAt) ?? '',
    findings: findingRows(diff, limits),
  };
}

/** `it.changes` of a server's page. */
export function changesSectionView(model: SiteModel, server: ServerView, limits: PageLimits = PAGE_LIMITS) {
  return {
    listings: server.listings?.count ?? 0,
    firstListed: server.listings ? formatDate(server.listings.first) : '',
    rows: server.changes.slice(0, TIMELINE_ROWS).map((diff) => row(server, diff, limits)),
    more: Math.max(0, server.changes.length - TIMELINE_ROWS),
    apiPath: serverChangesApiPath(server.slug),
    feedPath: model.baseUrl === undefined ? null : serverFeedPath(server.slug),
  };
}

function side(tool: ToolSide, limits: PageLimits) {
  return {
    name: truncate(tool.name, limits.name),
    category: tool.classification?.category ?? UNCLASSIFIED,
    risk: tool.classification?.risk ?? UNCLASSIFIED,
    summary: tool.definition.description ? brief(tool.definition.description, limits.summary) : '',
  };
}

function some<T, U>(list: readonly T[], limit: number, view: (item: T) => U) {
  return { items: list.slice(0, limit).map(view), total: list.length, more: Math.max(0, list.length - limit) };
}

/** The page of one change. */
export function renderChangePage(model: SiteModel, server: ServerView, diff: ListingDiff, limits: PageLimits = PAGE_LIMITS): SitePage {
  const path = changePagePath(server.slug, diff.from.id, diff.to.id);
  const name = truncate(server.name, limits.name);
  const listing = (ref: ListingDiff['from']) => ({ version: truncate(ref.version, limits.name), date: formatDateTime(ref.listedAt), iso: isoTime(ref.listedAt) ?? '', method: ref.method });
  const change = {
    serverName: name,
    serverPath: server.path,
    apiPath: serverChangesApiPath(server.slug),
    versions: versionsText(diff, limits.name),
    from: listing(diff.from),
    to: listing(diff.to),
    release: diff.release === 'same' ? 'the same version, listed again' : diff.release === null ? 'not comparable as semver' : `${diff.release} release`,
    findings: findingRows(diff, limits),
    added: some(diff.added, limits.items, (t) => side(t, limits)),
    removed: some(diff.removed, limits.items, (t) => side(t, limits)),
    changed: some(diff.changed, limits.items, (t) => {
      // The description diff shows at most `limits.description` characters; the rest is in the JSON.
      let budget = limits.description;
      const parts = (t.description ?? []).flatMap((p) => {
        if (budget <= 0) return [];
        const value = truncate(p.value, budget);
        budget -= p.value.length;
        return [{ op: p.op, value }];
      });
      return {
        name: truncate(t.name, limits.name),
        fields: t.fields.join(', '),
        before: side(t.before, limits),
        after: side(t.after, limits),
        ruleIds: t.after.classification ? truncate(t.after.classification.ruleIds.join(', '), limits.cell) : '',
        description: t.description ? parts : null,
        descriptionCut: budget < 0,
        parameters: t.parameters.slice(0, limits.items).map((p) => ({
          name: truncate(p.name, limits.name), change: p.change,
          detail: p.change === 'retyped' ? `${truncate(p.before ?? '', limits.name)} → ${truncate(p.after ?? '', limits.name)}` : p.change === 'added' ? truncate(p.after ?? '', limits.name) : '',
        })),
        annotations: t.annotations.slice(0, limits.items).map((a) => ({ name: truncate(a.name, limits.name), before: shown(a.before, limits), after: shown(a.after, limits) })),
      };
    }),
  };
  const title = `${name}: ${change.versions}`;
  const body = renderTemplate('@change', { ...layoutData(model, path, title, `What changed in the tools of ${name}: ${summaryText(diff)}.`, server), change });
  return { path, contentType: HTML, body };
}

function shown(value: unknown, limits: PageLimits): string {
  return value === undefined ? 'absent' : truncate(JSON.stringify(value) ?? 'absent', limits.cell);
}

/** Every diff of the site with its server, newest first. */
function allChanges(model: SiteModel): Array<{ server: ServerView; diff: ListingDiff }> {
  const byId = new Map(model.servers.map((s) => [s.entry.server.id, s]));
  const diffs = newestFirst(model.servers.flatMap((s) => s.changes));
  return diffs.flatMap((diff) => {
    const server = byId.get(diff.serverId);
    return server ? [{ server, diff }] : [];
  });
}

/** `changes/index.html`: the newest {@link ROWS_PER_PAGE} changes across the site. */
export function renderRecentChanges(model: SiteModel, limits: PageLimits = PAGE_LIMITS): SitePage {
  const all = allChanges(model);
  const body = renderTemplate('@recent-changes', {
    ...layoutData(model, RECENT_CHANGES_PATH, 'Recent changes', 'What changed in the tools of MCP servers: added, removed and changed tools, with rug-pull findings.'),
    rows: all.slice(0, ROWS_PER_PAGE).map(({ server, diff }) => row(server, diff, limits)),
    total: all.length,
    more: Math.max(0, all.length - ROWS_PER_PAGE),
    apiPath: CHANGES_API_PATH,
    feeds: model.baseUrl === undefined ? null : { all: CHANGES_FEED_PATH, findings: FINDINGS_FEED_PATH },
  });
  return { path: RECENT_CHANGES_PATH, contentType: HTML, body };
}

/** One diff as JSON: whole names, definitions and word diffs. */
function diffJson(server: ServerView, diff: ListingDiff) {
  return { server: { slug: server.slug, registry: server.entry.server.registry, identifier: server.entry.server.identifier }, page: changePagePath(server.slug, diff.from.id, diff.to.id), ...diff };
}

/** `api/changes.json`: every change of every server, newest first. */
export function renderChangesApi(model: SiteModel): SitePage[] {
  return [{
    path: CHANGES_API_PATH, contentType: JSON_TYPE,
    body: json({ generatedAt: isoTime(model.generatedAt), changes: allChanges(model).map(({ server, diff }) => diffJson(server, diff)) }),
  }];
}

/**
 * A server's own change files, when it has a listing: `api/servers/<slug>/changes.json` and, with a base URL, its
 * Atom feed. They read only the server (and the model's title and base URL).
 */
export function renderServerChanges(model: SiteModel, server: ServerView): SitePage[] {
  if (server.listings === null) return [];
  const pages: SitePage[] = [{
    path: serverChangesApiPath(server.slug), contentType: JSON_TYPE,
    body: json({ checkedAt: isoTime(server.checkedAt), slug: server.slug, page: server.path, listings: server.listings.count, firstListed: isoTime(server.listings.first), changes: server.changes.map((d) => diffJson(server, d)) }),
  }];
  if (model.baseUrl !== undefined) pages.push(atom(model, serverFeedPath(server.slug), `${truncate(server.name, PAGE_LIMITS.name)}: changes`, server.changes.map((diff) => ({ server, diff })), server.checkedAt));
  return pages;
}

/** Characters XML 1.0 cannot carry (C0 controls but tab, LF, CR; lone surrogates; U+FFFE, U+FFFF): dropped from feed text. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for an Atom `type="html"` element: XML-safe and HTML-escaped, so a feed reader shows it as text. */
function feedText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A rug-pull finding, or a changed tool whose risk rose (in any release): what the findings feed carries. */
export function hasFindings(diff: ListingDiff): boolean {
  const rank = (risk: string | undefined) => (risk === undefined ? -1 : RISKS.indexOf(risk as (typeof RISKS)[number]));
  return diff.findings.length > 0 || diff.changed.some((c) => rank(c.after.classification?.risk) > rank(c.before.classification?.risk) && c.before.classification !== null);
}

/** An Atom feed of `entries`; `updated` is the newest entry's time, else `fallback` (the build time by default). */
function atom(model: SiteModel, path: string, title: string, entries: Array<{ server: ServerView; diff: ListingDiff }>, fallback: Date = model.generatedAt): SitePage {
  const base = model.baseUrl!;
  const url = (p: string) => publicUrl(p, base);
  const feed = new Feed({
    id: url(path), title: feedText(title), link: url(RECENT_CHANGES_PATH), feedLinks: { atom: url(path) },
    updated: entries[0]?.diff.to.listedAt ?? fallback, generator: 'mcp-catalogue', copyright: 'Tool definitions are quoted from the servers that list them.',
  });
  for (const { server, diff } of entries.slice(0, FEED_ENTRIES)) {
    const link = url(changePagePath(server.slug, diff.from.id, diff.to.id));
    const lines = [summaryText(diff), ...diff.findings.map((f) => `${f.severity}: ${f.message}`)];
    feed.addItem({
      id: link, link, date: diff.to.listedAt,
      title: feedText(`${truncate(server.name, PAGE_LIMITS.name)}: ${versionsText(diff, PAGE_LIMITS.name)}: ${summaryText(diff)}`),
      description: feedText(truncate(lines.join(' · '), PAGE_LIMITS.longText)),
    });
  }
  return { path, contentType: ATOM_TYPE, body: feed.atom1() };
}

/** The catalogue's Atom feeds: every change, and risk increases and rug-pull findings only. None without a base URL. */
export function renderChangeFeeds(model: SiteModel): SitePage[] {
  if (model.baseUrl === undefined) return [];
  const all = allChanges(model);
  const pages = [
    atom(model, CHANGES_FEED_PATH, `${model.title}: recent changes`, all),
    atom(model, FINDINGS_FEED_PATH, `${model.title}: risk increases and rug-pull findings`, all.filter(({ diff }) => hasFindings(diff))),
  ];
  return pages;
}
