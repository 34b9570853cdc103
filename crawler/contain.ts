/**
 * Containment of one package's crawl: whatever our own code throws while it handles a package (resolve, install,
 * entry-point search, the strategy ladder, static extraction, storing) ends as that package's failure, reason
 * `crawler_error`, and the crawl goes on. Only what would make every package fail stops it ({@link isFatal}): no
 * sandbox, the database gone, or the crawl aborted.
 */
import { isDatabaseGone } from '../db/index.ts';
import { CRAWLER_NOTE, type Introspection, type Store } from '../records/index.ts';
import { emptyTimings, failed } from './attempt.ts';
import { CrawlError } from './errors.ts';
import type { PackageResult } from './types.ts';

/**
 * How far one package's crawl got, filled in by the crawl as it goes, so that an attempt for a throw after the
 * version was resolved can still be stored under that version.
 */
export interface CrawlProgress {
  /** The resolved version (exact), once known; null before. */
  version: string | null;
  /** The stored server version's id, once the crawl stored it; null before. */
  versionId: number | null;
  /**
   * Stores the server and its resolved version (with as few fields as identify them) and resolves to the version's
   * id; set by the crawl once the version is resolved, for throws that come before the crawl stored it itself.
   */
  storeVersion: (() => Promise<number>) | null;
}

/** A {@link CrawlProgress} with nothing reached yet. */
export function newProgress(): CrawlProgress {
  return { version: null, versionId: null, storeVersion: null };
}

/** What a contained crawl is about: the result's `spec` label and `name`. */
export interface ContainTarget {
  spec: string;
  name: string;
}

export interface ContainOptions {
  store: Pick<Store, 'recordIntrospection'>;
  crawlRunId: number;
  signal?: AbortSignal;
  /** The crawl's clock. @default () => new Date() */
  now?: () => Date;
}

/** Most bytes of the stack kept in a `crawler_error` attempt's stderr tail (the tail's own cap). */
export const CRAWLER_ERROR_TAIL_BYTES = 4096;

/**
 * Whether `error` is one that would make every package fail, so the crawl must stop rather than record it: the crawl
 * was aborted (`signal` aborted), the sandbox is unavailable (`SANDBOX_UNAVAILABLE`), or the database is gone (store
 * closed or not openable, a connection refused, reset or terminated, SQLSTATE class 08 or an administrator shutdown).
 */
export function isFatal(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return chain(error).some((e) => e instanceof CrawlError && e.code === 'SANDBOX_UNAVAILABLE') || isDatabaseGone(error);
}


/** `error` and its causes, Errors only, at most 8 deep. */
function chain(error: unknown): Error[] {
  const out: Error[] = [];
  for (let current = error; current instanceof Error && out.length < 8; current = current.cause) out.push(current);
  return out;
}

/** One line saying what was thrown: `TypeError: message`, at most 500 characters. */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown value: ${safeString(error)}`;
  return (text.split('\n')[0] ?? '').slice(0, 500);
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}

/**
 * The stderr tail of a `crawler_error` attempt: the stack (or what was thrown), each line marked {@link CRAWLER_NOTE},
 * cut at a line to at most {@link CRAWLER_ERROR_TAIL_BYTES} bytes.
 */
export function crawlerErrorTail(error: unknown): string {
  const stack = error instanceof Error && typeof error.stack === 'string' && error.stack ? error.stack : oneLine(error);
  const lines = [`${CRAWLER_NOTE} the crawler itself failed on this package; its stack:`, ...stack.split('\n').map((l) => `${CRAWLER_NOTE} ${l}`)];
  const kept: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > CRAWLER_ERROR_TAIL_BYTES) break;
    kept.push(line);
    bytes += size;
  }
  return kept.join('\n') || lines[0]!.slice(0, 1024);
}

/**
 * Runs one package's crawl, `work`, and returns its result; when `work` throws anything that is not
 * {@link isFatal}, returns that package's failure instead: reason `crawler_error`, method `none`, the thrown error as
 * a one-line message and its stack as the stderr tail ({@link crawlerErrorTail}). When the version was resolved
 * ({@link CrawlProgress}), the attempt is stored under it in run `crawlRunId`; when storing fails too (and not
 * fatally), the result still comes back, with a note of that in its tail.
 * @throws what `work` threw, or what storing threw, when it is fatal ({@link isFatal}).
 */
export async function contain(
  work: (progress: CrawlProgress) => Promise<PackageResult>, target: ContainTarget, options: ContainOptions,
): Promise<PackageResult> {
  const started = performance.now();
  const startedAt = options.now?.() ?? new Date();
  const progress = newProgress();
  try {
    return await Promise.resolve().then(() => work(progress));
  } catch (error) {
    if (isFatal(error, options.signal)) throw error;
    const timings = { ...emptyTimings(), totalMs: Math.round(performance.now() - started) };
    const attempt: Introspection = failed('crawler_error', `the crawler failed on this package: ${oneLine(error)}`, startedAt, timings, crawlerErrorTail(error));
    let stored = '';
    if (progress.version !== null) {
      try {
        const versionId = progress.versionId ?? (progress.storeVersion ? await progress.storeVersion() : null);
        if (versionId !== null) await options.store.recordIntrospection(versionId, attempt, options.crawlRunId);
      } catch (storeError) {
        if (isFatal(storeError, options.signal)) throw storeError;
        stored = `\n${CRAWLER_NOTE} the attempt could not be stored either: ${oneLine(storeError)}`;
      }
    }
    return {
      spec: target.spec, name: target.name, version: progress.version, outcome: 'failed', method: 'none', failureReason: 'crawler_error',
      failureMessage: attempt.failureMessage, toolCount: 0, durationMs: Math.round(performance.now() - started),
      stderrTail: `${attempt.stderrTail}${stored}`, timings, launch: null,
    };
  }
}
