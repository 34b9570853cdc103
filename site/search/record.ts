/**
 * What the search index holds of one tool: a {@link SearchRecord}, a short summary cut from the tool's view, so an
 * index of 150,000 tools never needs their whole definitions in memory.
 * @internal
 */
import type { ServerView, ToolView } from '../model.ts';
import type { SearchRecord } from '../types.ts';
import { brief } from '../words.ts';

export type { SearchRecord };

/** Longest name, title or server name kept in a record, in characters. */
export const SEARCH_NAME_CHARS = 200;
/** Longest description kept in a record, in characters (one line; the tool's page has the whole text). */
export const SEARCH_DESCRIPTION_CHARS = 500;

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
