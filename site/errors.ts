/**
 * Errors of the site stage. Each has a stable string `code` to branch on (STYLE.md "Errors").
 */

export type SiteWriteErrorCode =
  /** A page path is absolute, empty, has `.`/`..` segments, backslashes or characters outside `[A-Za-z0-9._-/]`, or resolves outside the output directory. */
  | 'SITE_UNSAFE_PATH'
  /** Two pages have the same path (compared case-insensitively, as some file systems do). */
  | 'SITE_DUPLICATE_PATH'
  /** The output directory exists, is not empty, and was not written by `writeSite` (no marker file): refusing to delete it. */
  | 'SITE_OUTDIR_NOT_OURS'
  /** The output directory is a file system root or not a directory. */
  | 'SITE_UNSAFE_OUTDIR';

export class SiteWriteError extends Error {
  readonly code: SiteWriteErrorCode;
  /** The page path or directory concerned. */
  readonly path: string;

  constructor(code: SiteWriteErrorCode, path: string, message: string) {
    super(message);
    this.name = 'SiteWriteError';
    this.code = code;
    this.path = path;
  }
}

export type SiteInputErrorCode =
  /** `SiteInput.baseUrl` is not an absolute http(s) URL. */
  'SITE_BAD_BASE_URL';

/** The input to `renderSite` cannot be rendered as given. */
export class SiteInputError extends Error {
  readonly code: SiteInputErrorCode;

  constructor(code: SiteInputErrorCode, message: string) {
    super(message);
    this.name = 'SiteInputError';
    this.code = code;
  }
}

/** Longest message kept in a `PublishProblem` (types.ts). */
const MAX_PROBLEM_MESSAGE = 500;

/** An error as one line of at most 500 characters, for a `PublishProblem` (types.ts) and the page that replaces a broken one. */
export function problemMessage(error: unknown): string {
  let raw: string;
  try {
    raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    raw = 'an error that cannot be shown as text';
  }
  const text = raw.slice(0, 4 * MAX_PROBLEM_MESSAGE).replace(/\s+/g, ' ').trim();
  if (text.length <= MAX_PROBLEM_MESSAGE) return text;
  const cut = /[\uD800-\uDBFF]/.test(text.charAt(MAX_PROBLEM_MESSAGE - 2)) ? MAX_PROBLEM_MESSAGE - 2 : MAX_PROBLEM_MESSAGE - 1;
  return `${text.slice(0, cut)}…`;
}
