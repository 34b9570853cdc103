/**
 * What the catalogue pages need of one server, and nothing more: a {@link ServerSummary}. The streamed build
 * (build.ts) renders each server's own pages from its whole records, keeps only this summary, and renders the
 * catalogue pages (index, browse, filters, attack patterns, sitemap, API index, change feeds) from the summaries of
 * every server. A summary is plain JSON, so an incremental build reads the summaries of unchanged servers from the
 * last build instead of the store. {@link summaryView} turns one back into a {@link ServerView} that the catalogue
 * renderers read exactly as they read a whole one (site/build.test.ts checks the pages are byte-identical).
 * @internal
 */
import type { ListingDiff } from '../changes/index.ts';
import type { CatalogueEntry, ClassificationRecord, FailureReason, IntrospectionMethod, IntrospectionRecord, Policy, Risk } from '../records/index.ts';
import type { CategoryLabel, LabelCount, RiskLabel, ServerView, ToolView } from './model.ts';
import type { SearchRecord } from './types.ts';

/** One tool as the catalogue pages list it. */
export interface ToolSummary {
  name: string;
  slug: string;
  path: string;
  apiPath: string;
  hash: string;
  title: string | null;
  category: CategoryLabel;
  risk: RiskLabel;
  /** The classification's risk and confidence; null when the tool is not classified. */
  classification: { risk: Risk; confidence: number } | null;
  hidden: boolean;
}

/** One server as the catalogue pages list it, with what the build needs to update or remove its files. */
export interface ServerSummary {
  id: number;
  registry: string;
  identifier: string;
  slug: string;
  name: string;
  path: string;
  policyPath: string;
  apiPath: string;
  hasPolicy: boolean;
  version: string | null;
  /** The newest attempt's outcome, reason and method; null when none. */
  attempt: { outcome: 'ok' | 'failed'; failureReason: FailureReason | null; method: IntrospectionMethod } | null;
  highestRisk: Risk | null;
  byCategory: Array<LabelCount<CategoryLabel>>;
  /** As {@link ServerView.changes}, with times as ISO strings. */
  changes: ListingDiff[];
  listings: { count: number; first: string } | null;
  checkedAt: string;
  tools: ToolSummary[];
  /** One search record per tool. */
  search: SearchRecord[];
  /** Every file written for the server, site-relative. */
  files: string[];
  /** Its server.json name in the static registry API; null when it has no documents there. */
  registryName: string | null;
}

/**
 * The summary of `server`, whose pages were written as `files`, whose tools' search records are `search` and whose
 * registry name is `registryName`.
 */
export function summariseServer(server: ServerView, files: string[], search: SearchRecord[], registryName: string | null): ServerSummary {
  const attempt = server.entry.introspection;
  return {
    id: server.entry.server.id,
    registry: server.entry.server.registry,
    identifier: server.entry.server.identifier,
    slug: server.slug,
    name: server.name,
    path: server.path,
    policyPath: server.policyPath,
    apiPath: server.apiPath,
    hasPolicy: server.policy !== undefined,
    version: server.entry.version?.version ?? null,
    attempt: attempt === null ? null : { outcome: attempt.outcome, failureReason: attempt.failureReason, method: attempt.method },
    highestRisk: server.highestRisk,
    byCategory: server.byCategory,
    changes: server.changes,
    listings: server.listings === null ? null : { count: server.listings.count, first: server.listings.first.toISOString() },
    checkedAt: server.checkedAt.toISOString(),
    tools: server.tools.map((tool) => ({
      name: tool.name,
      slug: tool.slug,
      path: tool.path,
      apiPath: tool.apiPath,
      hash: tool.hash,
      title: tool.title,
      category: tool.category,
      risk: tool.risk,
      classification: tool.classification === null ? null : { risk: tool.classification.risk, confidence: tool.classification.confidence },
      hidden: tool.hidden,
    })),
    search,
    files,
    registryName,
  };
}

function date(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A diff read back from JSON: its two listing times as dates again (the only dates a diff holds). */
function reviveDiff(diff: ListingDiff): ListingDiff {
  return { ...diff, from: { ...diff.from, listedAt: date(diff.from.listedAt) }, to: { ...diff.to, listedAt: date(diff.to.listedAt) } };
}

/**
 * A {@link ServerView} holding only the summary's fields: enough for every catalogue page, not for the server's own
 * pages (its tools have no definitions, its entry no description or attempt details).
 */
export function summaryView(summary: ServerSummary): ServerView {
  const attempt = summary.attempt === null ? null : ({ ...summary.attempt } as IntrospectionRecord);
  const entry = {
    server: { id: summary.id, registry: summary.registry, identifier: summary.identifier },
    version: summary.version === null ? null : { version: summary.version },
    introspection: attempt,
    tools: [],
  } as unknown as CatalogueEntry;
  const tools = summary.tools.map((tool): ToolView => ({
    name: tool.name,
    slug: tool.slug,
    path: tool.path,
    apiPath: tool.apiPath,
    title: tool.title,
    description: '',
    definition: { name: tool.name, inputSchema: { type: 'object' } },
    hash: tool.hash,
    classification: tool.classification as ClassificationRecord | null,
    category: tool.category,
    risk: tool.risk,
    rule: undefined,
    hidden: tool.hidden,
    codeEffects: null,
  }));
  return {
    entry,
    slug: summary.slug,
    name: summary.name,
    path: summary.path,
    policyPath: summary.policyPath,
    apiPath: summary.apiPath,
    tools,
    policy: summary.hasPolicy ? ({} as Policy) : undefined,
    policyError: null,
    highestRisk: summary.highestRisk,
    byCategory: summary.byCategory,
    changes: summary.changes.map(reviveDiff),
    listings: summary.listings === null ? null : { count: summary.listings.count, first: date(summary.listings.first) },
    checkedAt: date(summary.checkedAt),
  };
}
