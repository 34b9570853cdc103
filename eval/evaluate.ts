/**
 * Scores the heuristic classifier against the labelled set, per split, and against every crawled tool's explicit
 * `readOnlyHint`. Deterministic; the only work is classification.
 */
import { CATEGORIES, RISKS } from '../classifier/index.ts';
import type { Category, Classification, Risk, ServerContext, ToolDefinition } from '../classifier/index.ts';
import type { CrawledTool, Joined, Label, Unmatched } from './data.ts';
import {
  accuracy,
  classScores,
  confidenceBuckets,
  confusionMatrix,
  hintAgreement,
  macroF1,
  ordinalAgreement,
  topConfusions,
} from './metrics.ts';
import type { BucketResult, ClassScore, HintAgreement, HintItem } from './metrics.ts';
import { calibration } from './calibration.ts';

export type Classify = (tool: ToolDefinition, server: ServerContext) => Classification;

/** A labelled tool with the classifier's verdict. */
export interface Scored {
  label: Label;
  tool: CrawledTool;
  result: Classification;
}

export interface Confusion {
  gold: Category;
  predicted: Category;
  count: number;
  examples: Scored[];
}

export interface SplitReport {
  split: string;
  labelled: number;
  evaluated: number;
  servers: number;
  unmatched: Unmatched[];
  categoryAccuracy: number;
  macroF1: number;
  perClass: Record<Category, ClassScore>;
  matrix: Record<Category, Record<Category, number>>;
  riskExact: number;
  riskWithinOne: number;
  riskMatrix: Record<Risk, Record<Risk, number>>;
  buckets: BucketResult[];
  /** Expected calibration error over ten equal-width buckets, category right as the correctness. */
  ece: number;
  confusions: Confusion[];
}

/** Classifies every joined label once. */
export function scoreAll(joined: readonly Joined[], classify: Classify): Scored[] {
  return joined.map(({ label, tool }) => ({ label, tool, result: classify(tool.definition, tool.context) }));
}

/**
 * Metrics for one split. `labels` and `unmatched` are the split's; `scored` its evaluated tools.
 * Confusions keep up to `examplesPerConfusion` examples each, in label-file order.
 */
export function evaluateSplit(
  split: string,
  labels: readonly Label[],
  scored: readonly Scored[],
  unmatched: readonly Unmatched[],
  examplesPerConfusion = 3,
): SplitReport {
  const catPairs = scored.map((s) => ({ gold: s.label.category, predicted: s.result.category }));
  const riskPairs = scored.map((s) => ({ gold: s.label.risk, predicted: s.result.risk }));
  const matrix = confusionMatrix(catPairs, CATEGORIES);
  const risk = ordinalAgreement(riskPairs, RISKS);
  const confusions = topConfusions(matrix, CATEGORIES).map((c) => ({
    ...c,
    examples: scored.filter((s) => s.label.category === c.gold && s.result.category === c.predicted).slice(0, examplesPerConfusion),
  }));
  return {
    split,
    labelled: labels.length,
    evaluated: scored.length,
    servers: new Set(scored.map((s) => s.label.server)).size,
    unmatched: [...unmatched],
    categoryAccuracy: accuracy(catPairs),
    macroF1: macroF1(catPairs, CATEGORIES),
    perClass: classScores(matrix, CATEGORIES),
    matrix,
    riskExact: risk.exact,
    riskWithinOne: risk.withinOne,
    riskMatrix: confusionMatrix(riskPairs, RISKS),
    buckets: confidenceBuckets(scored.map((s) => ({ confidence: s.result.confidence, correct: s.result.category === s.label.category }))),
    ece: calibration(scored.map((s) => ({ confidence: s.result.confidence, correct: s.result.category === s.label.category }))).ece,
    confusions,
  };
}

/** A crawled tool that declares `readOnlyHint`, with the classifier's verdict. */
export interface HintRef {
  tool: CrawledTool;
  result: Classification;
}

/** {@link HintAgreement} over the crawl, with `withHint` for its `total` and the crawl's size. */
export interface HintReport extends Omit<HintAgreement<HintRef>, 'total'> {
  crawledTools: number;
  withHint: number;
}

/**
 * Agreement with every explicit boolean `readOnlyHint` in the crawl (labelled or not): `true` agrees with a Read
 * classification, `false` with any other category. An absent hint is not counted.
 */
export function evaluateHints(crawl: readonly CrawledTool[], classify: Classify): HintReport {
  const items: HintItem<HintRef>[] = [];
  for (const tool of crawl) {
    const hint = tool.definition.annotations?.readOnlyHint;
    if (typeof hint !== 'boolean') continue;
    const result = classify(tool.definition, tool.context);
    items.push({ readOnlyHint: hint, predictedRead: result.category === 'Read', ref: { tool, result } });
  }
  const { total, ...agreement } = hintAgreement(items);
  return { crawledTools: crawl.length, withHint: total, ...agreement };
}
