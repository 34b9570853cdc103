/**
 * Errors of discovery. A source that throws one stops; its findings so far are kept and the error is recorded on
 * the run's summary for that source. Callers branch on `code`.
 */

export type DiscoveryErrorCode =
  /** A page's top-level shape is not the API's (wrong types, not JSON where JSON was expected). */
  | 'DISCOVERY_BAD_RESPONSE'
  /** A pagination cursor came back that this pass had already followed. */
  | 'DISCOVERY_CURSOR_LOOP'
  /** More pages than `maxPages`: an endless cursor, or a limit set too low. */
  | 'DISCOVERY_PAGE_LIMIT'
  /** A rate limit asks for a longer wait than `maxRateLimitWaitMs`; the next run continues. */
  | 'DISCOVERY_RATE_LIMITED'
  /** The names file could not be read. */
  | 'DISCOVERY_NAMES_FILE';

export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
  readonly code: DiscoveryErrorCode;
  /** The request the error is about, when there is one. */
  readonly url: string | null;

  constructor(code: DiscoveryErrorCode, message: string, options: { cause?: unknown; url?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.url = options.url ?? null;
  }
}

/** `code` of any error (ours, the HTTP client's, a store's), or `UNKNOWN`. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}
