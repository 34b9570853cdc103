/**
 * How much of a server's own text one page shows. Names, descriptions, schemas and lists come from untrusted servers
 * and can be megabytes long; a page shows at most the limits below, cut at a character boundary and marked where the
 * reader would miss it ("description cut at 10,000 characters — full text in the JSON document"), and the JSON API
 * (`api/servers/<slug>.json`, `api/servers/<slug>/tools/<tool>.json`) keeps everything.
 *
 * Every HTML page is at most {@link MAX_PAGE_BYTES}. A server's or tool's page is rendered with {@link PAGE_LIMITS};
 * if it is still larger (text made of characters HTML must escape), it is rendered again with {@link TIGHT_LIMITS};
 * if even that is too large, a short page saying so stands in for it. Lists of servers or tools are split into pages
 * of {@link ROWS_PER_PAGE} rows. JSON files, `sitemap.xml` and `llms.txt` are not bounded: they are the full data.
 * @internal
 */

/** Largest HTML page written, in bytes (UTF-8): 512 KiB. */
export const MAX_PAGE_BYTES = 512 * 1024;

/** Rows per page of a list: the tools of a server, the servers of the index, the tools of a category or risk. */
export const ROWS_PER_PAGE = 200;

/** Longest text of each kind shown on a page, in characters (Unicode code points), and most items per list. */
export interface PageLimits {
  /** A name: tool, server, parameter, annotation, prompt, resource; an identifier or a version. */
  name: number;
  /** A tool's title. */
  title: number;
  /** A tool's or server's own description, on its own page. */
  description: number;
  /** Longer text of our own or the server's: a rationale, the server's instructions, a failure message, stderr. */
  longText: number;
  /** A table cell or list item of server text: a parameter's description or type, a URI, a quote, a signal. */
  cell: number;
  /** A one-line summary of a description in a table. */
  summary: number;
  /** Items of one list on a page: parameters, evidence, signals, code effects, annotations, prompts, resources. */
  items: number;
  /** A tool's policy snippet shown inline; a longer one is linked instead. */
  snippet: number;
  /** A server's whole policy shown inline; a longer one is linked instead. */
  policy: number;
}

export const PAGE_LIMITS: PageLimits = {
  name: 200,
  title: 300,
  description: 10_000,
  longText: 8_000,
  cell: 300,
  summary: 160,
  items: 100,
  snippet: 20_000,
  policy: 100_000,
};

/** The second try for a page over {@link MAX_PAGE_BYTES} with {@link PAGE_LIMITS}. */
export const TIGHT_LIMITS: PageLimits = {
  name: 40,
  title: 60,
  description: 1_000,
  longText: 1_000,
  cell: 60,
  summary: 60,
  items: 20,
  snippet: 2_000,
  policy: 10_000,
};

/** Bytes of `body` in UTF-8. */
export function pageBytes(body: string): number {
  return Buffer.byteLength(body, 'utf8');
}
