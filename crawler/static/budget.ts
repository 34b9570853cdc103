/**
 * JavaScript static extraction ({@link extractToolsStatically}) and the code effects analysis ({@link analyseEffects})
 * under a budget they cannot exceed. Parsing and following
 * a hostile package's source happens in the crawler's own process, so it runs in a `worker_threads` Worker with V8
 * resource limits (heap and stack) and a wall clock after which the worker is terminated. Whatever the source does
 * to the extractor (a throw, a stack overflow, a heap that runs out, a loop that does not end), the result is no
 * tools and a one-line `failure`, never a throw and never a stall of the crawl.
 *
 * The worker's entry, `worker.mjs` beside this file, registers tsx itself, so this works under the CLI (tsx) and under vitest.
 */
import { Worker } from 'node:worker_threads';
import type { EffectsAnalysis, EffectsOptions } from './effects.ts';
import type { StaticExtraction, StaticOptions } from './extract.ts';

/**
 * Wall clock of one worker, from its start to its answer, ms; also what one package's static extraction and code
 * effects analysis share in a crawl ({@link ReadingBudget}). @default 20000
 */
export const STATIC_WALL_CLOCK_BUDGET_MS = 20_000;
/** V8 old-generation heap of the worker, MiB (`resourceLimits.maxOldGenerationSizeMb`). @default 256 */
export const STATIC_MAX_OLD_GENERATION_MB = 256;
/** V8 young-generation heap of the worker, MiB (`resourceLimits.maxYoungGenerationSizeMb`). @default 32 */
export const STATIC_MAX_YOUNG_GENERATION_MB = 32;
/** Stack of the worker's main thread, MiB (`resourceLimits.stackSizeMb`). @default 8 */
export const STATIC_STACK_MB = 8;

export interface BoundedStaticOptions extends StaticOptions, WorkerBudget {}

export interface BoundedStaticExtraction extends StaticExtraction {
  /**
   * Why the extraction gave no answer, one line of at most 500 characters: the budget ran out, the heap ran out, the
   * extractor threw (its error), the worker could not start or exited; null when it answered.
   */
  failure: string | null;
}

const WORKER_ENTRY = new URL('./worker.mjs', import.meta.url);

type WorkerMessage<T> =
  | { ok: true; result: T }
  | { ok: false; error: { name: string; message: string; stack: string } };

/**
 * Runs {@link extractToolsStatically} on `packageDir` in a Worker within the budget of `options` and returns its
 * extraction with `failure: null`; or, when it does not answer within the budget, no tools and why in `failure`.
 * Never throws; always settles within about `budgetMs` (plus the time to terminate the worker).
 */
export async function extractToolsInWorker(packageDir: string, options: BoundedStaticOptions = {}): Promise<BoundedStaticExtraction> {
  const { budgetMs: _b, maxOldGenerationMb: _o, maxYoungGenerationMb: _y, stackMb: _s, signal: _signal, ...staticOptions } = options;
  const answer = await runInWorker<StaticExtraction>({ job: 'tools', packageDir, options: staticOptions }, options, 'static extraction');
  return 'failure' in answer ? { tools: [], filesRead: 0, filesUnparsed: 0, failure: answer.failure } : { ...answer.result, failure: null };
}

export interface BoundedEffectsOptions extends EffectsOptions, WorkerBudget {}

export interface BoundedEffectsAnalysis extends EffectsAnalysis {
  /** Why the analysis gave no answer (as {@link BoundedStaticExtraction.failure}); null when it answered. */
  failure: string | null;
}

/**
 * Runs {@link analyseEffects} on `packageDir` for `toolNames` in a Worker with the same limits and wall clock as
 * static extraction. When it does not answer, every tool comes back with `handlerFound: false, truncated: true` and
 * `failure` says why. Never throws.
 */
export async function analyseEffectsInWorker(packageDir: string, toolNames: readonly string[], options: BoundedEffectsOptions = {}): Promise<BoundedEffectsAnalysis> {
  const { budgetMs: _b, maxOldGenerationMb: _o, maxYoungGenerationMb: _y, stackMb: _s, signal: _signal, ...effectsOptions } = options;
  const answer = await runInWorker<EffectsAnalysis>({ job: 'effects', packageDir, toolNames: [...toolNames], options: effectsOptions }, options, 'code effects analysis');
  if (!('failure' in answer)) return { ...answer.result, failure: null };
  const tools = [...new Set(toolNames)].map((name) => ({ name, effects: { handlerFound: false, effects: [], truncated: true } }));
  return { tools, modulesParsed: 0, dependencies: [], failure: answer.failure };
}

/**
 * The wall clock one package's readers share in a crawl: static extraction and then the code effects analysis of the
 * tools it listed each get what the ones before left, so reading one package's source never takes longer than
 * `totalMs` in all, however many readers run.
 */
export class ReadingBudget {
  #leftMs: number;

  /** @param totalMs the whole budget, ms. @default {@link STATIC_WALL_CLOCK_BUDGET_MS} */
  constructor(totalMs = STATIC_WALL_CLOCK_BUDGET_MS) {
    this.#leftMs = totalMs;
  }

  /** What is left, ms (0 once spent). */
  get leftMs(): number {
    return Math.max(0, Math.floor(this.#leftMs));
  }

  /** Runs `job` with what is left as its `budgetMs`, and takes the time it took off the budget. */
  async use<T>(job: (budgetMs: number) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await job(this.leftMs);
    } finally {
      this.#leftMs -= performance.now() - started;
    }
  }
}

/** The limits every worker of this folder runs under. */
export interface WorkerBudget {
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

/** Runs one job of `worker.mjs` within the budget: its result, or a one-line failure naming `what`. Never throws. */
function runInWorker<T>(workerData: Record<string, unknown>, budget: WorkerBudget, what: string): Promise<{ result: T } | { failure: string }> {
  const { budgetMs = STATIC_WALL_CLOCK_BUDGET_MS, maxOldGenerationMb = STATIC_MAX_OLD_GENERATION_MB, maxYoungGenerationMb = STATIC_MAX_YOUNG_GENERATION_MB,
    stackMb = STATIC_STACK_MB, signal } = budget;
  const none = (failure: string) => ({ failure: `${what} ${failure}`.split('\n')[0]!.slice(0, 500) });
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(none('did not run: the crawl was aborted'));
    if (budgetMs <= 0) return resolve(none('did not run: no time was left of the budget for reading the package'));
    let worker: Worker;
    try {
      worker = new Worker(WORKER_ENTRY, {
        workerData,
        resourceLimits: { maxOldGenerationSizeMb: maxOldGenerationMb, maxYoungGenerationSizeMb: maxYoungGenerationMb, stackSizeMb: stackMb },
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      return resolve(none(`could not start its worker: ${(error as Error).message}`));
    }
    // The readers print nothing of their own; whatever reaches these streams is drained and dropped.
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (result: { result: T } | { failure: string }) => {
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
    worker.once('message', (message: WorkerMessage<T>) => {
      if (message.ok) finish({ result: message.result });
      else finish(none(`failed: ${message.error.name}: ${message.error.message}`));
    });
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') finish(none(`ran out of its ${maxOldGenerationMb} MiB heap and was stopped`));
      else finish(none(`failed: ${error.name}: ${error.message}`));
    });
    worker.once('exit', (code) => finish(none(`ended without an answer (worker exit code ${code})`)));
  });
}
