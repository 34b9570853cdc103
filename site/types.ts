/**
 * Record shapes of the site stage: stored catalogue records in ({@link SiteInput}), pages out ({@link SitePage}).
 */
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
}

/** One generated file. */
export interface SitePage {
  /** Path relative to the site root, forward slashes, no `.` or `..` segments: `servers/foo/index.html`. */
  path: string;
  /** MIME type with charset: `text/html; charset=utf-8`. */
  contentType: string;
  body: string;
}
