/**
 * What the search index holds of one tool: a {@link SearchRecord}, a short summary cut from the tool's view, so an
 * index of 150,000 tools never needs their whole definitions in memory.
 * @internal
 */
import type { ServerView, ToolView } from '../model.ts';
import { brief } from '../words.ts';

/** Longest name, title or server name kept in a record, in characters. */
export const SEARCH_NAME_CHARS = 200;
/** Longest description kept in a record, in characters (one line; the tool's page has the whole text). */
export const SEARCH_DESCRIPTION_CHARS = 500;

/** One tool as the search index sees it. Every text field is plain text from the crawled server (hostile). */
export interface SearchRecord {
  /** Site-relative path of the tool's page (`servers/<slug>/tools/<tool-slug>.html`); our slugs only. */
  path: string;
  name: string;
  /** `title`, else `annotations.title`, else null. */
  title: string | null;
  /** One line of at most {@link SEARCH_DESCRIPTION_CHARS} characters; empty when the tool has none. */
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

/** `fields` with every text cut to one line: names to {@link SEARCH_NAME_CHARS}, the description to {@link SEARCH_DESCRIPTION_CHARS}. */
export function cutSearchRecord(fields: SearchRecord): SearchRecord {
  return {
    ...fields,
    name: brief(fields.name, SEARCH_NAME_CHARS),
    title: fields.title === null ? null : brief(fields.title, SEARCH_NAME_CHARS),
    description: brief(fields.description, SEARCH_DESCRIPTION_CHARS),
    server: brief(fields.server, SEARCH_NAME_CHARS),
  };
}

/** The search record of `tool` on `server`, its texts cut by {@link cutSearchRecord}. */
export function searchRecord(server: ServerView, tool: ToolView): SearchRecord {
  return cutSearchRecord({
    path: tool.path,
    name: tool.name,
    title: tool.title,
    description: tool.description,
    server: server.name,
    serverPath: server.path,
    registry: server.entry.server.registry,
    category: tool.category,
    risk: tool.risk,
  });
}
