/**
 * Errors of the LLM stage. Each has a stable `code`; callers branch on it, never on the message.
 * "The endpoint misbehaved" (HTTP errors, malformed answers, timeouts) is kept apart from "we were told not to
 * call" (budget, configuration): the first is recorded per tool and the heuristic result stands.
 */

/** Stable codes of {@link LlmError}. */
export const LLM_ERROR_CODES = [
  /** `--llm` without `MCP_CATALOGUE_LLM_BASE_URL` / `MCP_CATALOGUE_LLM_MODEL`, or an invalid setting. */
  'LLM_NOT_CONFIGURED',
  /** HTTP 429 from the endpoint (retried while `Retry-After` allows). */
  'LLM_RATE_LIMITED',
  /** HTTP 408 or 5xx from the endpoint (retried). */
  'LLM_SERVER_ERROR',
  /** Any other non-2xx status (not retried: 400, 401, 403, 404, 422). */
  'LLM_HTTP_ERROR',
  /** No connection, reset, DNS failure (retried). */
  'LLM_CONNECTION',
  /** No complete answer within `timeoutMs` (retried). */
  'LLM_TIMEOUT',
  /** The answer is not JSON, or fails the answer schema (not retried, not cached). */
  'LLM_MALFORMED_ANSWER',
  /** The caller's `AbortSignal` fired. */
  'LLM_ABORTED',
] as const;
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[number];

export class LlmError extends Error {
  override readonly name = 'LlmError';
  readonly code: LlmErrorCode;
  /** HTTP status, when the endpoint answered. */
  readonly status: number | undefined;
  /** Delay the endpoint asked for (`retry-after-ms`, or `Retry-After` in seconds or as an HTTP date), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(code: LlmErrorCode, message: string, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Codes worth another attempt: the same request may succeed later. */
const RETRYABLE: ReadonlySet<LlmErrorCode> = new Set(['LLM_RATE_LIMITED', 'LLM_SERVER_ERROR', 'LLM_CONNECTION', 'LLM_TIMEOUT']);

export interface RetryPolicy {
  /** Attempts after the first. @default 2 */
  maxRetries: number;
  /** First backoff delay when the endpoint names none, in ms; doubles per attempt. @default 500 */
  minRetryDelayMs: number;
  /** Largest backoff delay, in ms. @default 8000 */
  maxRetryDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the tool keeps its heuristic result. @default 60000 */
  maxRetryAfterMs: number;
}

/**
 * Whether to retry after `error` on attempt `attempt` (0 = the first), and after how long (ms).
 * Honours the endpoint's `Retry-After` (RFC 9110 §10.2.3) up to `maxRetryAfterMs`; otherwise exponential backoff.
 */
export function retryDecision(error: LlmError, attempt: number, policy: RetryPolicy): { retry: false } | { retry: true; delayMs: number } {
  if (!RETRYABLE.has(error.code) || attempt >= policy.maxRetries) return { retry: false };
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > policy.maxRetryAfterMs) return { retry: false };
    return { retry: true, delayMs: Math.max(0, error.retryAfterMs) };
  }
  return { retry: true, delayMs: Math.min(policy.minRetryDelayMs * 2 ** attempt, policy.maxRetryDelayMs) };
}

/** Parses `retry-after-ms` or `Retry-After` (delta-seconds or HTTP-date, RFC 9110 §10.2.3) into ms. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
