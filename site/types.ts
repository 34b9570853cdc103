/**
 * Record shapes of the site stage: stored catalogue records in ({@link SiteInput}), pages out ({@link SitePage}).
 */
import type { ListingDiff } from '../changes/index.ts';
import type { AccuracyFile } from '../eval/accuracy.ts';
import type { CatalogueEntry, Policy, ToolRule } from '../records/index.ts';

/** Everything the site is rendered from. Rendering reads nothing else: no clock, no network, no file system. */
export interface SiteInput {
  /** Every server with its newest version, attempt and tools (`Store.catalogue()`). */
  entries: CatalogueEntry[];
  /** Recommended policy per server, keyed by `ServerRecord.id`. A server without one gets no `policy.json`. */
  policies: Map<number, Policy>;
  /**
   * One or more sentences saying what a tool's rule does (the classifier's explainer). `rule` is the tool's entry in
   * `policy.tools` (undefined when it has none); `hidden` is whether `policy.hide` names it (or is `["*"]`).
   */
  explainRule: (rule: ToolRule | undefined, hidden: boolean) => string;
  /** When the catalogue was built; shown on pages and in the API. */
  generatedAt: Date;
  /** Site title. @default "MCP Catalogue" */
  title?: string;
  /**
   * Absolute URL the site is published at (`https://example.org/catalogue/`). When given, `sitemap.xml` and
   * `llms.txt` use absolute URLs and pages carry a canonical link; when absent, both use relative URLs.
   */
  baseUrl?: string;
  /**
   * Why a server with classified tools has no recommended policy (server id → message, e.g. a stored record that
   * failed validation); its pages say so. Absent or without an entry: the server simply has none yet.
   */
  policyErrors?: ReadonlyMap<number, string>;
  /**
   * Called once for each page of a server that could not be rendered from its stored records (the page is replaced
   * by a short one that says so; every other page is rendered as usual).
   */
  onProblem?: (problem: PublishProblem) => void;
  /** The change history (`changes/`): every diff, and per server id how often and since when it was listed. Absent: none. */
  changes?: SiteChanges;
  /**
   * The classifier's measured accuracy for `methodology.html` (`eval/accuracy.ts`). Absent: the committed
   * `eval/accuracy.json`; null: the page says no measurement is published.
   */
  accuracy?: AccuracyFile | null;
  /**
   * Receives one {@link SearchRecord} per tool as its page is rendered (site/search/indexer.ts `SearchIndexer`).
   * Absent: no search index is built; `search.html` then says the index did not load.
   */
  search?: { add(record: SearchRecord): void };
}

/** What the site shows of the change history. */
export interface SiteChanges {
  /** Every diff between consecutive listings (`diffHistory`), in any order. */
  diffs: readonly ListingDiff[];
  /** Per server id: how many listings are stored and when the first was taken. */
  listings: ReadonlyMap<number, { count: number; first: Date }>;
}

/** A server whose policy, pages or export line could not be built; every other server is still published. */
export interface PublishProblem {
  serverId: number;
  /** `<registry>:<identifier>`. */
  server: string;
  /** What could not be built: the recommended policy, a page of the site (`path`), or the server's export line. */
  step: 'policy' | 'page' | 'export';
  /** Site- or export-relative path of the page or file concerned; null for the policy. */
  path: string | null;
  /** What went wrong, in one line of at most 500 characters. */
  message: string;
}

/** One generated file. */
export interface SitePage {
  /** Path relative to the site root, forward slashes, no `.` or `..` segments: `servers/foo/index.html`. */
  path: string;
  /** MIME type with charset: `text/html; charset=utf-8`. */
  contentType: string;
  body: string;
}

/** One generated binary file (the search bundle's WebAssembly and compressed index chunks). */
export interface SiteAsset {
  /** As {@link SitePage.path}. */
  path: string;
  contentType: string;
  body: Uint8Array;
}

/** One tool as the search index sees it. Every text field is plain text from the crawled server (hostile). */
export interface SearchRecord {
  /** Site-relative path of the tool's page (`servers/<slug>/tools/<tool-slug>.html`); our slugs only. */
  path: string;
  name: string;
  /** `title`, else `annotations.title`, else null. */
  title: string | null;
  /** One line of at most `SEARCH_DESCRIPTION_CHARS` (site/search/record.ts) characters; empty when the tool has none. */
  description: string;
  /** The server's display name (or identifier). */
  server: string;
  /** Site-relative path of the server's page. */
  serverPath: string;
  /** `npm`, `pypi`, … (`ServerRecord.registry`). */
  registry: string;
  /** A category label or `Unclassified`. */
  category: string;
  /** A risk label or `Unclassified`. */
  risk: string;
}
