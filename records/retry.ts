/**
 * Retry state of a crawl attempt: whether its failure is worth another try later (transient) or will fail the same
 * way until the package or the crawler changes (permanent), and which crawler version made it. The plan
 * (`crawler/plan.ts`) reads both to decide which stored versions to crawl again. A leaf: it imports types only.
 */
import type { FailureReason } from './introspection.ts';

/**
 * The crawler's version, stored on every attempt it makes (`introspections.crawler_version`; attempts stored before
 * versioning carry 0). Bump it when the crawler learns to handle a class of failure it used to record as permanent
 * (a new rung on the start ladder, a new runtime, a fixed misdiagnosis): `run --recrawl-failed` then crawls again the
 * versions whose last attempt failed permanently under an older version. Do not bump it for changes that cannot turn
 * a stored failure into a listing (wording, refactors, speed).
 * 2: a start after V8 could not reserve its code range runs with a larger data limit; variables a validation error
 * requires get placeholders; a demanded sub-command is guessed (`mcp`, `stdio`, `serve`, `start`).
 */
export const CRAWLER_VERSION = 2;

/**
 * How many attempts a version gets while every one of them fails transiently; after the last the plan gives up on
 * it until the package publishes a new version or `--recrawl-failed` runs under a newer crawler version.
 */
export const MAX_TRANSIENT_ATTEMPTS = 3;

/** A network failure while fetching a package: a reset, a timeout, a DNS failure, a server-side 5xx. */
const NETWORK =
  /\b(?:ECONNRESET|ECONNREFUSED|ETIMEDOUT|ESOCKETTIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|E5\d\d|socket hang up|fetch failed|network (?:error|request to \S+ failed)|Temporary failure in name resolution|Read timed out|Max retries exceeded|Connection(?:Error| reset| aborted| timed out)|HTTP(?:\/\d(?:\.\d)?)?(?: error)? 5\d\d|status(?: code)?:? 5\d\d|5\d\d (?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out))\b/i;

/** The package cache's disk was full (ENOSPC) or over its quota (EDQUOT): our machine's state, not the package's. */
const DISK_FULL = /\b(?:ENOSPC|EDQUOT)\b|no space left on device|disk quota exceeded/i;

/**
 * Per reason: transient (`true`), permanent (`false`), or decided by the attempt's evidence. A function table, so a
 * reason added to `FAILURE_REASONS` does not compile until it is placed here.
 */
const TRANSIENT: Record<FailureReason, boolean | ((evidence: string) => boolean)> = {
  registry_error: true,
  // npm or pip could not fetch over the network, or our disk was full: another night may do; anything else (no wheel,
  // a bad tarball) stays.
  install_failed: (evidence) => NETWORK.test(evidence) || DISK_FULL.test(evidence),
  no_entry_point: false,
  crashed_on_start: false,
  needs_configuration: false,
  // On a loaded machine a slow start runs out of time; a quieter run may list it.
  timed_out: true,
  protocol_error: false,
  http_only: false,
  sandbox_violation: false,
  too_large: false,
  unreachable: true,
  crawler_error: true,
  // Our limit, tried larger already: the same crawler fails the same way; a newer one (`--recrawl-failed`) may not.
  sandbox_limit: false,
  // The package's declaration: the same install leaves the module out again.
  missing_peer_dependency: false,
};

/**
 * Whether a failure is transient: another attempt at the same version with the same crawler may list it.
 * @param context the attempt's message and stderr tail, read for `install_failed` (network-caused or not).
 * @returns false for a reason this build does not know: it waits for a newer crawler version.
 */
export function retryable(reason: FailureReason, context: { failureMessage?: string | null; stderrTail?: string | null } = {}): boolean {
  const rule = Object.hasOwn(TRANSIENT, reason) ? TRANSIENT[reason] : false;
  return typeof rule === 'function' ? rule(`${context.failureMessage ?? ''}\n${context.stderrTail ?? ''}`) : rule;
}
