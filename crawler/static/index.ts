/**
 * JavaScript and TypeScript static extraction: tool definitions read from a package's source without running it
 * (`extract.ts` and the evaluator beside it), under a time and memory budget in a worker (`budget.ts`).
 */
export { extractFromSource, extractToolsStatically } from './extract.ts';
export type { StaticExtraction, StaticOptions } from './extract.ts';
export {
  extractToolsInWorker, STATIC_MAX_OLD_GENERATION_MB, STATIC_MAX_YOUNG_GENERATION_MB, STATIC_STACK_MB, STATIC_WALL_CLOCK_BUDGET_MS,
} from './budget.ts';
export type { BoundedStaticExtraction, BoundedStaticOptions } from './budget.ts';
