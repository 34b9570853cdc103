/**
 * Errors of the crawl stage. Every class has a stable string `code`; callers branch on codes, never on messages.
 *
 * These are *our* failures (the registry could not be reached, the sandbox is missing). A package that crashes,
 * hangs or speaks broken JSON-RPC is not an error: it is a finding stored on its introspection record.
 */

export type CrawlErrorCode =
  | 'HTTP_STATUS'
  | 'HTTP_NETWORK'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HTTP_BAD_JSON'
  | 'BAD_PACKAGE_SPEC'
  | 'PACKUMENT_INVALID'
  | 'SIMPLE_API_INVALID'
  | 'VERSION_NOT_FOUND'
  | 'INSTALL_FAILED'
  | 'PACKAGE_TOO_LARGE'
  | 'SANDBOX_UNAVAILABLE';

export class CrawlError extends Error {
  readonly code: CrawlErrorCode;
  /** Whether repeating the same operation later may succeed (network faults, 429, 5xx). */
  readonly retryable: boolean;

  constructor(code: CrawlErrorCode, message: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CrawlError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** An HTTP response with an unexpected status. Message form: `[GET] <url>: 404 Not Found`. */
export class HttpStatusError extends CrawlError {
  readonly statusCode: number;
  readonly url: string;

  constructor(method: string, url: string, statusCode: number, statusText = '') {
    const retryable = statusCode === 429 || statusCode >= 500;
    super('HTTP_STATUS', `[${method}] ${url}: ${statusCode}${statusText ? ` ${statusText}` : ''}`, { retryable });
    this.name = 'HttpStatusError';
    this.statusCode = statusCode;
    this.url = url;
  }
}

/** Raised when bubblewrap is missing or cannot create namespaces: the crawl stops, nothing runs unsandboxed. */
export class SandboxUnavailableError extends CrawlError {
  /** `missing`: no bubblewrap; `namespaces`: it cannot create them; `unreachable`: it cannot reach the package cache. */
  readonly reason: 'missing' | 'namespaces' | 'unreachable';

  constructor(message: string, options: { cause?: unknown; reason?: 'missing' | 'namespaces' | 'unreachable' } = {}) {
    super('SANDBOX_UNAVAILABLE', message, options);
    this.name = 'SandboxUnavailableError';
    this.reason = options.reason ?? 'namespaces';
  }
}

/** A full disk or an exhausted quota, as Node codes it or as npm's and pip's output says it. */
const DISK_FULL = /\b(?:ENOSPC|EDQUOT)\b|no space left on device|disk quota exceeded/i;

/** Whether `error` (its `code`, its message, or a cause's, at most 8 deep) says the disk was full (ENOSPC, EDQUOT). */
export function isDiskFull(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++, current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || DISK_FULL.test(current.message)) return true;
  }
  return false;
}

/**
 * The error of an install that ran out of disk space in the package cache: `INSTALL_FAILED`, retryable, its first
 * line naming the cache folder and saying that nothing of the install was kept, `error`'s message (npm's or pip's
 * output tail) on the lines after it.
 */
export function diskFullError(error: unknown, cacheDir: string, what: string): CrawlError {
  const detail = error instanceof Error ? error.message : String(error);
  return new CrawlError(
    'INSTALL_FAILED',
    `no space left on device: the package cache ${cacheDir} filled up while installing ${what}; nothing of it was kept, and the next run installs it again\n${detail}`,
    { cause: error, retryable: true },
  );
}

/** True when the error is one of ours and says a later retry may succeed. */
export function isRetryable(error: unknown): boolean {
  return error instanceof CrawlError && error.retryable;
}
