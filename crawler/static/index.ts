/**
 * JavaScript and TypeScript static extraction: tool definitions read from a package's source without running it
 * (`extract.ts` and the evaluator beside it), and what listed tools' handlers do (`effects.ts`, `sinks.ts`), under a
 * time and memory budget in a worker (`budget.ts`).
 */
export { extractFromSource, extractToolsStatically } from './extract.ts';
export type { StaticExtraction, StaticOptions } from './extract.ts';
export { analyseEffects, effectsFromSource, MAX_CALL_DEPTH } from './effects.ts';
export type { EffectsAnalysis, EffectsOptions } from './effects.ts';
export {
  analyseEffectsInWorker, extractToolsInWorker, ReadingBudget, STATIC_MAX_OLD_GENERATION_MB, STATIC_MAX_YOUNG_GENERATION_MB, STATIC_STACK_MB, STATIC_WALL_CLOCK_BUDGET_MS,
} from './budget.ts';
export type { BoundedEffectsAnalysis, BoundedEffectsOptions, BoundedStaticExtraction, BoundedStaticOptions, WorkerBudget } from './budget.ts';
