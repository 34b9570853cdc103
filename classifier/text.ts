/**
 * Plain-text helpers: quoting, sentence bounds, articles.
 *
 * Tool descriptions are untrusted and often carry HTML or Markdown. They are analysed as plain text: tags are
 * blanked to spaces of the same length (so match offsets still index the original string) and quotes are
 * always cut from the original, verbatim.
 * @internal
 */

/** Longest quote kept in evidence, in characters (types.ts `Evidence.quote`). */
export const MAX_QUOTE_CHARS = 200;

const TAG = /<\/?[A-Za-z][^<>]{0,300}>/g;

/** `text` with every HTML-like tag replaced by spaces of the same length. */
export function blankTags(text: string): string {
  if (!text.includes('<')) return text;
  return text.replace(TAG, (m) => ' '.repeat(m.length));
}

/** `text` trimmed; when longer than `max` characters, cut to `max - 1` and ended with "…". */
export function cut(text: string, max = MAX_QUOTE_CHARS): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The sentence of `text` containing offset `at`, verbatim, at most {@link MAX_QUOTE_CHARS} characters.
 * A sentence ends at `.`, `!` or `?` followed by white space, or at a line break. When the sentence is too
 * long the excerpt is centred near the match and marked with "…" where cut.
 */
export function sentenceAt(text: string, at: number, matchLength = 0): string {
  let start = at;
  while (start > 0) {
    const c = text[start - 1];
    if (c === '\n' || ((c === '.' || c === '!' || c === '?') && /\s/.test(text[start] ?? ' '))) break;
    start--;
  }
  let end = at + matchLength;
  while (end < text.length) {
    const c = text[end];
    if (c === '\n') break;
    end++;
    if ((c === '.' || c === '!' || c === '?') && /\s/.test(text[end] ?? ' ')) break;
  }
  const sentence = text.slice(start, end).trim();
  if (sentence.length <= MAX_QUOTE_CHARS) return sentence;
  const from = Math.max(start, at - 60);
  const excerpt = cut(text.slice(from, end), MAX_QUOTE_CHARS - (from > start ? 1 : 0));
  return from > start ? `…${excerpt.trimStart()}` : excerpt;
}

/** "a" or "an" for the word that follows (by its first letter; enough for category and risk names). */
export function article(word: string): 'a' | 'an' {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** Joins phrases as "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
