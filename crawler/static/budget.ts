/**
 * JavaScript static extraction ({@link extractToolsStatically}) under a budget it cannot exceed. Parsing and following
 * a hostile package's source happens in the crawler's own process, so it runs in a `worker_threads` Worker with V8
 * resource limits (heap and stack) and a wall clock after which the worker is terminated. Whatever the source does
 * to the extractor (a throw, a stack overflow, a heap that runs out, a loop that does not end), the result is no
 * tools and a one-line `failure`, never a throw and never a stall of the crawl.
 *
 * The worker's entry, `worker.mjs` beside this file, registers tsx itself, so this works under the CLI (tsx) and under vitest.
 */
import { Worker } from 'node:worker_threads';
import type { StaticExtraction, StaticOptions } from './extract.ts';

/** Wall clock of one package's extraction, from starting the worker to its answer, ms. @default 20000 */
export const STATIC_WALL_CLOCK_BUDGET_MS = 20_000;
/** V8 old-generation heap of the worker, MiB (`resourceLimits.maxOldGenerationSizeMb`). @default 256 */
export const STATIC_MAX_OLD_GENERATION_MB = 256;
/** V8 young-generation heap of the worker, MiB (`resourceLimits.maxYoungGenerationSizeMb`). @default 32 */
export const STATIC_MAX_YOUNG_GENERATION_MB = 32;
/** Stack of the worker's main thread, MiB (`resourceLimits.stackSizeMb`). @default 8 */
export const STATIC_STACK_MB = 8;

export interface BoundedStaticOptions extends StaticOptions {
  /** Wall clock, ms; past it the worker is terminated. @default {@link STATIC_WALL_CLOCK_BUDGET_MS} */
  budgetMs?: number;
  /** Old-generation heap, MiB. @default {@link STATIC_MAX_OLD_GENERATION_MB} */
  maxOldGenerationMb?: number;
  /** Young-generation heap, MiB. @default {@link STATIC_MAX_YOUNG_GENERATION_MB} */
  maxYoungGenerationMb?: number;
  /** Stack, MiB. @default {@link STATIC_STACK_MB} */
  stackMb?: number;
  /** Ends the worker early; the result then says the crawl was aborted. */
  signal?: AbortSignal;
}

export interface BoundedStaticExtraction extends StaticExtraction {
  /**
   * Why the extraction gave no answer, one line of at most 500 characters: the budget ran out, the heap ran out, the
   * extractor threw (its error), the worker could not start or exited; null when it answered.
   */
  failure: string | null;
}

const WORKER_ENTRY = new URL('./worker.mjs', import.meta.url);

type WorkerMessage =
  | { ok: true; result: StaticExtraction }
  | { ok: false; error: { name: string; message: string; stack: string } };

/**
 * Runs {@link extractToolsStatically} on `packageDir` in a Worker within the budget of `options` and returns its
 * extraction with `failure: null`; or, when it does not answer within the budget, no tools and why in `failure`.
 * Never throws; always settles within about `budgetMs` (plus the time to terminate the worker).
 */
export function extractToolsInWorker(packageDir: string, options: BoundedStaticOptions = {}): Promise<BoundedStaticExtraction> {
  const { budgetMs = STATIC_WALL_CLOCK_BUDGET_MS, maxOldGenerationMb = STATIC_MAX_OLD_GENERATION_MB, maxYoungGenerationMb = STATIC_MAX_YOUNG_GENERATION_MB,
    stackMb = STATIC_STACK_MB, signal, ...staticOptions } = options;
  const none = (failure: string): BoundedStaticExtraction => ({ tools: [], filesRead: 0, filesUnparsed: 0, failure: `static extraction ${failure}`.split('\n')[0]!.slice(0, 500) });
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(none('did not run: the crawl was aborted'));
    let worker: Worker;
    try {
      worker = new Worker(WORKER_ENTRY, {
        workerData: { packageDir, options: staticOptions },
        resourceLimits: { maxOldGenerationSizeMb: maxOldGenerationMb, maxYoungGenerationSizeMb: maxYoungGenerationMb, stackSizeMb: stackMb },
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      return resolve(none(`could not start its worker: ${(error as Error).message}`));
    }
    // The extractor prints nothing of its own; whatever reaches these streams is drained and dropped.
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (result: BoundedStaticExtraction) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate().catch(() => undefined);
      resolve(result);
    };
    const timer = setTimeout(() => finish(none(`ran past its budget of ${budgetMs} ms and was stopped`)), budgetMs);
    const onAbort = () => finish(none('was stopped: the crawl was aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: WorkerMessage) => {
      if (message.ok) finish({ ...message.result, failure: null });
      else finish(none(`failed: ${message.error.name}: ${message.error.message}`));
    });
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish(none(`ran out of its ${maxOldGenerationMb} MiB heap and was stopped`));
      else finish(none(`failed: ${error.name}: ${error.message}`));
    });
    worker.once('exit', (code) => finish(none(`ended without an answer (worker exit code ${code})`)));
  });
}
