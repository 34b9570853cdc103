/**
 * The site model: catalogue entries joined with their policies, given slugs and page paths, sorted and counted once,
 * so each page renderer only reads. Sorting makes the output independent of the order of the input.
 * @internal
 */
import { CATEGORIES, RISKS, type CatalogueEntry, type Category, type ClassificationRecord, type Policy, type Risk, type ToolCodeEffects, type ToolDefinition, type ToolRule } from '../records/index.ts';
import { serverApiPath, serverPagePath, serverPolicyPath, toolApiPath, toolPagePath } from './paths.ts';
import { assignSlugs, serverSlug, toolSlug } from './slug.ts';
import { SiteInputError } from './errors.ts';
import type { SiteInput } from './types.ts';
import type { ListingDiff } from '../changes/index.ts';

export const UNCLASSIFIED = 'Unclassified';
export type CategoryLabel = Category | typeof UNCLASSIFIED;
export type RiskLabel = Risk | typeof UNCLASSIFIED;
export const CATEGORY_LABELS: readonly CategoryLabel[] = [...CATEGORIES, UNCLASSIFIED];

export interface ToolView {
  name: string;
  slug: string;
  path: string;
  /** Site-relative path of its JSON API document (the whole definition, classification and rule). */
  apiPath: string;
  /** `title`, else `annotations.title`, else null. */
  title: string | null;
  description: string;
  definition: ToolDefinition;
  hash: string;
  classification: ClassificationRecord | null;
  category: CategoryLabel;
  risk: RiskLabel;
  /** The tool's own entry in `policy.tools`, if any. */
  rule: ToolRule | undefined;
  /** Named by `policy.hide` (or hidden by `"*"`). */
  hidden: boolean;
  /** What its handler does in the package's source; null when the source was not read. */
  codeEffects: ToolCodeEffects | null;
}

export interface LabelCount<L extends string = string> {
  label: L;
  count: number;
}

export interface ServerView {
  entry: CatalogueEntry;
  slug: string;
  name: string;
  path: string;
  policyPath: string;
  apiPath: string;
  /** Sorted by tool name. */
  tools: ToolView[];
  policy: Policy | undefined;
  /** Why the server has no recommended policy although it has classified tools (`SiteInput.policyErrors`), else null. */
  policyError: string | null;
  highestRisk: Risk | null;
  byCategory: Array<LabelCount<CategoryLabel>>;
  /** Its changes, newest first (`SiteInput.changes`); empty when none. */
  changes: ListingDiff[];
  /** How many listings are stored and when the first was taken; null when none. */
  listings: { count: number; first: Date } | null;
  /**
   * When the server was last checked: its newest attempt's start, else when its newest version was first seen, else
   * when the server was stored. The server's own pages show this instead of the build time.
   */
  checkedAt: Date;
}

export interface SiteTotals {
  servers: number;
  /** Servers with at least one stored tool (from the newest attempt, or an earlier successful one). */
  serversWithTools: number;
  tools: number;
  byCategory: Array<LabelCount<CategoryLabel>>;
  byRisk: Array<LabelCount<RiskLabel>>;
}

export interface SiteModel {
  title: string;
  generatedAt: Date;
  baseUrl: string | undefined;
  /** Sorted by registry, then identifier. */
  servers: ServerView[];
  totals: SiteTotals;
  explainRule: SiteInput['explainRule'];
}

export const DEFAULT_TITLE = 'MCP Catalogue';

function identityOf(entry: ServerKey): string {
  return `${entry.server.registry}:${entry.server.identifier}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function countBy<L extends string>(labels: readonly L[], values: readonly L[]): Array<LabelCount<L>> {
  return labels.map((label) => ({ label, count: values.filter((value) => value === label).length }));
}

function riskRank(risk: Risk): number {
  return RISKS.indexOf(risk);
}

function ruleOf(policy: Policy | undefined, name: string): ToolRule | undefined {
  if (policy === undefined) return undefined;
  return Object.hasOwn(policy.tools, name) ? policy.tools[name] : undefined;
}

function isHidden(policy: Policy | undefined, name: string): boolean {
  const hide = policy?.hide ?? [];
  return hide.includes('*') || hide.includes(name);
}

function toolViews(entry: CatalogueEntry, serverSlugValue: string, policy: Policy | undefined): ToolView[] {
  const tools = [...entry.tools].sort((a, b) => compareText(a.tool.name, b.tool.name) || compareText(a.tool.hash, b.tool.hash));
  const slugs = assignSlugs(tools.map(({ tool }) => ({ identity: `${tool.name}\u0000${tool.hash}`, slug: toolSlug(tool.name) })));
  return tools.map(({ tool, classification, codeEffects }, index) => {
    const slug = slugs[index] ?? toolSlug(tool.name);
    const definition = tool.definition;
    return {
      name: tool.name,
      slug,
      path: toolPagePath(serverSlugValue, slug),
      apiPath: toolApiPath(serverSlugValue, slug),
      title: text(definition.title) ?? text(definition.annotations?.title),
      description: text(definition.description) ?? '',
      definition,
      hash: tool.hash,
      classification,
      category: classification?.category ?? UNCLASSIFIED,
      risk: classification?.risk ?? UNCLASSIFIED,
      rule: ruleOf(policy, tool.name),
      hidden: isHidden(policy, tool.name),
      codeEffects: codeEffects ?? null,
    };
  });
}

function serverView(entry: CatalogueEntry, slug: string, policy: Policy | undefined, policyError: string | null): ServerView {
  const tools = toolViews(entry, slug, policy);
  const risks = tools.flatMap((tool) => (tool.classification ? [tool.classification.risk] : []));
  const highestRisk = risks.reduce<Risk | null>((top, risk) => (top === null || riskRank(risk) > riskRank(top) ? risk : top), null);
  return {
    entry,
    slug,
    name: text(entry.server.displayName) ?? entry.server.identifier,
    path: serverPagePath(slug),
    policyPath: serverPolicyPath(slug),
    apiPath: serverApiPath(slug),
    tools,
    policy,
    policyError: policy === undefined ? policyError : null,
    highestRisk,
    byCategory: countBy(CATEGORY_LABELS, tools.map((tool) => tool.category)),
    changes: [],
    listings: null,
    checkedAt: entry.introspection?.startedAt ?? entry.version?.firstSeenAt ?? entry.server.createdAt,
  };
}

/** Checks `baseUrl` once, here at the boundary: an absolute http(s) URL, or absent. @throws {@link SiteInputError} `SITE_BAD_BASE_URL`. */
export function checkBaseUrl(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(baseUrl);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new SiteInputError('SITE_BAD_BASE_URL', `renderSite: baseUrl ${JSON.stringify(baseUrl)} is not an absolute http(s) URL; expected e.g. "https://example.org/catalogue/", or leave it out for relative URLs.`);
  }
  return baseUrl;
}

/** The fields of a server that its slug and its place in the catalogue's order depend on. */
export type ServerKey = { server: Pick<CatalogueEntry['server'], 'id' | 'registry' | 'identifier'> };

/** `entries` in catalogue order: by `<registry>:<identifier>` (UTF-16 code unit order), then id. */
export function sortEntries<E extends ServerKey>(entries: readonly E[]): E[] {
  return [...entries].sort((a, b) => compareText(identityOf(a), identityOf(b)) || a.server.id - b.server.id);
}

/**
 * The slug of every server, keyed by `ServerRecord.id`: {@link serverSlug} with collisions resolved by
 * {@link assignSlugs} in identity order. The site's folders and the export's policy files use the same slugs.
 */
export function assignServerSlugs(entries: readonly ServerKey[]): Map<number, string> {
  const sorted = sortEntries(entries);
  const slugs = assignSlugs(sorted.map((entry) => ({ identity: identityOf(entry), slug: serverSlug(entry.server.registry, entry.server.identifier) })));
  return new Map(sorted.map((entry, index) => [entry.server.id, slugs[index] ?? serverSlug(entry.server.registry, entry.server.identifier)]));
}

/** Builds the model every page is rendered from. @throws {@link SiteInputError} `SITE_BAD_BASE_URL`. */
/** Diffs sorted by the later listing's time, newest first, then by listing id. */
export function newestFirst(diffs: readonly ListingDiff[]): ListingDiff[] {
  return [...diffs].sort((a, b) => b.to.listedAt.getTime() - a.to.listedAt.getTime() || b.to.id - a.to.id);
}

export function buildModel(input: SiteInput, slugsOfCatalogue?: ReadonlyMap<number, string>): SiteModel {
  const baseUrl = checkBaseUrl(input.baseUrl);
  const entries = sortEntries(input.entries);
  const slugs = slugsOfCatalogue ?? assignServerSlugs(entries);
  const servers = entries.map((entry) =>
    serverView(
      entry,
      slugs.get(entry.server.id) ?? serverSlug(entry.server.registry, entry.server.identifier),
      input.policies.get(entry.server.id),
      input.policyErrors?.get(entry.server.id) ?? null,
    ),
  );
  const diffsOf = new Map<number, ListingDiff[]>();
  for (const diff of input.changes?.diffs ?? []) {
    let list = diffsOf.get(diff.serverId);
    if (!list) diffsOf.set(diff.serverId, (list = []));
    list.push(diff);
  }
  for (const server of servers) {
    server.changes = newestFirst(diffsOf.get(server.entry.server.id) ?? []);
    server.listings = input.changes?.listings.get(server.entry.server.id) ?? null;
  }
  return catalogueModel(servers, { ...input, baseUrl });
}

/**
 * The model over `servers` (already in catalogue order, whole or summaries: summary.ts), with the catalogue's
 * totals counted over them. `input.baseUrl` must have been checked.
 */
export function catalogueModel(servers: ServerView[], input: Pick<SiteInput, 'title' | 'generatedAt' | 'baseUrl' | 'explainRule'>): SiteModel {
  const allTools = servers.flatMap((server) => server.tools);
  const riskLabels: RiskLabel[] = [...RISKS, UNCLASSIFIED];
  return {
    title: text(input.title) ?? DEFAULT_TITLE,
    generatedAt: input.generatedAt,
    baseUrl: input.baseUrl,
    servers,
    totals: {
      servers: servers.length,
      serversWithTools: servers.filter((server) => server.tools.length > 0).length,
      tools: allTools.length,
      byCategory: countBy(CATEGORY_LABELS, allTools.map((tool) => tool.category)),
      byRisk: countBy(riskLabels, allTools.map((tool) => tool.risk)),
    },
    explainRule: input.explainRule,
  };
}
