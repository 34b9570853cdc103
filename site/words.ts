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

let graphemes: Intl.Segmenter | undefined;

/** Code units from the start of `text` to the end of its first `max` code points; `text.length` when it has fewer. */
function codePointEnd(text: string, max: number): number {
  let end = 0;
  for (let n = 0; n < max && end < text.length; n += 1) {
    const unit = text.charCodeAt(end);
    end += unit >= 0xd800 && unit <= 0xdbff && end + 1 < text.length && (text.charCodeAt(end + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return end;
}

/** Whether the code unit is ASCII (U+0000..U+007F). */
function ascii(unit: number): boolean {
  return unit < 0x80;
}

/**
 * Whether code-unit offset `at` (0 < at < text.length) is a grapheme boundary that can be known without segmenting:
 * both neighbours ASCII and not CR followed by LF. ASCII characters are never Extend, ZWJ, SpacingMark, Prepend,
 * Regional_Indicator or Extended_Pictographic, so UAX #29 breaks between any two of them except CR × LF (GB3, GB999),
 * and no rule carries context across such a boundary.
 */
function asciiBoundary(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return ascii(before) && ascii(after) && !(before === 0x0d && after === 0x0a);
}

/** How far (code units) {@link cutText} looks back from the cut for a known boundary to start segmenting from. */
const LOOK_BACK = 256;

/**
 * `text` cut to at most `max` characters (Unicode code points), ending at a grapheme boundary: no surrogate pair, no
 * emoji sequence, no letter and its combining marks is ever split (the cut moves back to the boundary before). Reads
 * only a window around the cut: when both sides of the cut are ASCII the cut is the boundary; otherwise segmentation
 * starts at the nearest ASCII/ASCII boundary at most 256 code units before it, and at the start of the text only when
 * there is none. The result is the same as segmenting the whole prefix.
 * @returns the text, and whether anything was cut.
 */
export function cutText(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const end = codePointEnd(text, max);
  if (end >= text.length) return { text, cut: false };
  if (end === 0 || asciiBoundary(text, end)) return { text: text.slice(0, end), cut: true };
  let from = 0;
  for (let at = end - 1; at > 0 && at >= end - LOOK_BACK; at -= 1) {
    if (asciiBoundary(text, at)) {
      from = at;
      break;
    }
  }
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let boundary = from;
  // A grapheme is rarely more than a few dozen code units; looking 64 past the cut finds the one it falls in.
  for (const { index, segment } of graphemes.segment(text.slice(from, end + 64))) {
    if (from + index + segment.length > end) break;
    boundary = from + index + segment.length;
  }
  return { text: text.slice(0, boundary), cut: true };
}

/**
 * The end of `text`: at most `max` UTF-16 code units, starting at a grapheme boundary (see {@link cutText}), for text
 * whose end matters most (the tail of stderr).
 */
export function tailText(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const from = text.length - max;
  const window = Math.max(0, from - 64);
  graphemes ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  for (const { index } of graphemes.segment(text.slice(window, from + 64))) {
    if (window + index >= from) return { text: text.slice(window + index), cut: true };
  }
  return { text: text.slice(Math.min(text.length, from + 64)), cut: true };
}

/** Cuts `text` to at most `max` characters, ending with `…` when cut (at a grapheme boundary, see {@link cutText}). */
export function truncate(text: string, max: number): string {
  const { text: kept, cut } = cutText(text, max);
  return cut ? `${cutText(kept, Math.max(0, max - 1)).text.trimEnd()}…` : text;
}

/** One line of at most `max` characters: {@link singleLine} and {@link truncate}, reading only the start of a long text. */
export function brief(text: string, max: number): string {
  return truncate(singleLine(cutText(text, 4 * max + 64).text), max);
}
