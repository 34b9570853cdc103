/**
 * Splitting tool names into lower-case words.
 *
 * Handles snake_case, kebab-case, dotted (`gateway.search_registry`), camelCase and PascalCase with
 * acronyms (`getHTTPResponse` → get, http, response) and digits kept with their word (`d1_database_delete`).
 * @internal
 */

const SEPARATORS = /[^A-Za-z0-9]+/;
const CAMEL_BOUNDARY = /(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/;

/** Words of a tool name, lower-cased, in order; empty strings dropped. Never throws. */
export function splitName(name: string): string[] {
  const out: string[] = [];
  for (const part of name.split(SEPARATORS)) {
    if (part === '') continue;
    for (const word of part.split(CAMEL_BOUNDARY)) {
      if (word !== '') out.push(word.toLowerCase());
    }
  }
  return out;
}

/** Words of free text (a title), lower-cased, letters only. */
export function splitText(text: string): string[] {
  const out: string[] = [];
  for (const word of text.split(/[^A-Za-z]+/)) if (word !== '') out.push(word.toLowerCase());
  return out;
}
