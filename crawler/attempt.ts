/**
 * The stored attempt of one unit of work, built the same way by every registry's crawl: a failure where no session
 * ran ({@link failed}), a live session's outcome ({@link liveAttempt}), tools read from source after every live start
 * failed ({@link staticAttempt}), a failure whose source could not be read either ({@link withStaticFailure}), and
 * the {@link PackageResult} made from any of them ({@link packageResults}).
 */
import {
  CRAWLER_NOTE, formatPackageSpec, type FailureReason, type Introspection, type IntrospectionMethod, type IntrospectionTimings, type PackageSpec, type ToolDefinition,
} from '../records/index.ts';
import type { LiveResult } from './session/index.ts';
import type { LaunchTarget, PackageResult } from './types.ts';

/** Timings of an attempt that has not reached any step yet: every field 0 ms. */
export function emptyTimings(): IntrospectionTimings {
  return { resolveMs: 0, installMs: 0, initializeMs: 0, listMs: 0, totalMs: 0 };
}

/**
 * A failed attempt where no server session ran (or none that this builds on). `stderrTail` is the evidence to keep
 * (npm's or pip's output, a report of the package); when it is blank, the message itself, as a crawler's note
 * ({@link CRAWLER_NOTE}), so that every failure carries a tail.
 */
export function failed(reason: FailureReason, message: string, startedAt: Date, timings: IntrospectionTimings, stderrTail = ''): Introspection {
  return {
    outcome: 'failed', failureReason: reason, failureMessage: message, stderrTail: stderrTail.trim() ? stderrTail : `${CRAWLER_NOTE} ${message}`,
    method: 'none', startedAt, timings,
    serverInfo: null, protocolVersion: null, capabilities: null, instructions: null, tools: [],
  };
}

/**
 * The {@link PackageResult} makers of one package's crawl: `result` for an outcome given field by field, `fromAttempt`
 * for a stored attempt. `launch()` is read when a result is made, so a bare start found later is included.
 */
export function packageResults(spec: PackageSpec, started: number, timings: IntrospectionTimings, launch: () => LaunchTarget | null) {
  const label = formatPackageSpec(spec);
  const result = (outcome: 'ok' | 'failed', version: string | null, reason: FailureReason | null, message: string | null, toolCount: number, method: IntrospectionMethod = 'none', stderrTail = ''): PackageResult => ({
    spec: label, name: spec.name, version, outcome, method, failureReason: reason, failureMessage: message, toolCount,
    durationMs: Math.round(performance.now() - started), stderrTail, timings, launch: launch(),
  });
  const fromAttempt = (introspection: Introspection, version: string): PackageResult =>
    result(introspection.outcome, version, introspection.failureReason, introspection.failureMessage, introspection.tools.length, introspection.method, introspection.stderrTail);
  return { result, fromAttempt };
}

/**
 * The stored attempt for tools read from source after every live start failed: outcome `ok`, method `static`, the
 * live failure's reason and stderr tail kept, and a message that says how many tools came from how many files.
 * `live` is the failed start (or an install failure); `listed` has at least one tool.
 */
export function staticAttempt(
  live: Pick<Introspection, 'failureReason' | 'failureMessage' | 'stderrTail'>, listed: { tools: ToolDefinition[]; filesRead: number },
  startedAt: Date, timings: IntrospectionTimings,
): Introspection {
  return {
    outcome: 'ok',
    failureReason: live.failureReason,
    failureMessage: `${live.failureMessage ?? ''}; ${listed.tools.length} tool(s) read from ${listed.filesRead} source file(s) instead`.slice(0, 1000),
    stderrTail: live.stderrTail,
    method: 'static',
    startedAt,
    timings,
    serverInfo: null,
    protocolVersion: null,
    capabilities: null,
    instructions: null,
    tools: listed.tools,
  };
}

/**
 * A failed attempt with a note that reading the source failed too (`failure`, one line): appended to its message (at
 * most 1000 characters in all) and, as a crawler's note, to its stderr tail (the tail's last 4 KiB kept).
 */
export function withStaticFailure(attempt: Introspection, failure: string): Introspection {
  return {
    ...withNotes(attempt, [failure]),
    failureMessage: `${attempt.failureMessage ?? ''}; reading the source failed too: ${failure}`.slice(0, 1000),
  };
}

/**
 * The attempt with `notes` (one line each) added to its stderr tail as crawler's notes ({@link CRAWLER_NOTE}), the
 * tail's last 4 KiB kept; the attempt itself when there are none.
 */
export function withNotes(attempt: Introspection, notes: readonly string[]): Introspection {
  if (notes.length === 0) return attempt;
  const tail = [attempt.stderrTail.replace(/\n+$/, ''), ...notes.map((n) => `${CRAWLER_NOTE} ${n}`)].filter(Boolean).join('\n');
  return { ...attempt, stderrTail: Buffer.byteLength(tail) > 4096 ? Buffer.from(tail).subarray(-4096).toString('utf8') : tail };
}

/** The attempt with one note added ({@link withNotes}), its whitespace collapsed to one line. */
export function withCrawlerNote(attempt: Introspection, note: string): Introspection {
  return withNotes(attempt, [note.replace(/\s+/g, ' ').trim()]);
}
/**
 * The attempt to store for a live session: everything it listed (tools, server info, prompts, resources…) as is,
 * with the method that worked, or `none` when the session failed.
 */
export function liveAttempt(live: LiveResult & { method: IntrospectionMethod }, startedAt: Date, timings: IntrospectionTimings): Introspection {
  const { initializeMs: _initializeMs, listMs: _listMs, method, ...listed } = live;
  return { ...listed, method: live.outcome === 'ok' ? method : 'none', startedAt, timings };
}
