/**
 * Small grammar and formatting helpers for page text. Everything here returns plain text; escaping is the
 * templates' job (eta autoEscape), so nothing here ever produces markup.
 * @internal
 */

/** A run of text in which some parts are shown as code: `[{ kind: 'text', value: 'Add ' }, { kind: 'code', value: 'hide' }]`. */
export type Rich = Array<{ kind: 'text' | 'code'; value: string }>;

/** Plain-text part of a {@link Rich} run. */
export function t(value: string): Rich[number] {
  return { kind: 'text', value };
}

/** Code part of a {@link Rich} run. */
export function c(value: string): Rich[number] {
  return { kind: 'code', value };
}

/** `an Execute`, `a Read`, `an unclassified`: the indefinite article our labels take. */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** `1 tool`, `2 tools`, `1 server`. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function valid(date: Date | null | undefined): date is Date {
  return date instanceof Date && !Number.isNaN(date.getTime());
}

/** `2025-06-18` (UTC), or `unknown`. */
export function formatDate(date: Date | null | undefined): string {
  return valid(date) ? date.toISOString().slice(0, 10) : 'unknown';
}

/** `2025-06-18 14:03 UTC`, or `unknown`. */
export function formatDateTime(date: Date | null | undefined): string {
  return valid(date) ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'unknown';
}

/** ISO 8601 timestamp for machine-readable places (`<time datetime>`, JSON, sitemap), or null. */
export function isoTime(date: Date | null | undefined): string | null {
  return valid(date) ? date.toISOString() : null;
}

/** Collapses all whitespace (newlines included) to single spaces. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts `text` to at most `max` characters, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
