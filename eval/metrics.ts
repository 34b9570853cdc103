/**
 * Pure evaluation metrics for `npm run eval`: category accuracy, macro-F1, confusion matrix, risk agreement,
 * accuracy by confidence bucket and agreement with declared `readOnlyHint`s. No I/O.
 */

/** One gold label beside one prediction. */
export interface Pair<L extends string> {
  gold: L;
  predicted: L;
}

/** Share of pairs whose prediction equals the gold label, in [0, 1]; 0 for no pairs. */
export function accuracy<L extends string>(pairs: readonly Pair<L>[]): number {
  if (pairs.length === 0) return 0;
  return pairs.filter((p) => p.gold === p.predicted).length / pairs.length;
}

/**
 * Confusion matrix: `matrix[gold][predicted]` counts, over the given classes in their order. A pair whose label
 * is not among `classes` is ignored.
 */
export function confusionMatrix<L extends string>(pairs: readonly Pair<L>[], classes: readonly L[]): Record<L, Record<L, number>> {
  const matrix = {} as Record<L, Record<L, number>>;
  for (const g of classes) {
    matrix[g] = {} as Record<L, number>;
    for (const p of classes) matrix[g][p] = 0;
  }
  for (const { gold, predicted } of pairs) {
    // Labels are data: only the classes' own rows and cells count (`constructor` is no class).
    const row = Object.hasOwn(matrix, gold) ? matrix[gold] : undefined;
    if (row && Object.hasOwn(row, predicted)) row[predicted] += 1;
  }
  return matrix;
}

/** Precision, recall and F1 of one class, with its support (gold count) and predicted count. */
export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix. An undefined ratio (no predictions, or no gold
 * items) counts as 0, as in scikit-learn's `zero_division=0`.
 */
export function classScores<L extends string>(matrix: Record<L, Record<L, number>>, classes: readonly L[]): Record<L, ClassScore> {
  const out = {} as Record<L, ClassScore>;
  for (const c of classes) {
    const tp = matrix[c][c];
    const support = classes.reduce((n, p) => n + matrix[c][p], 0);
    const predicted = classes.reduce((n, g) => n + matrix[g][c], 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    out[c] = { precision, recall, f1, support, predicted };
  }
  return out;
}

/**
 * Macro-averaged F1: the unweighted mean of per-class F1 over the classes that occur in the gold labels or the
 * predictions (scikit-learn's default label set). 0 when no class occurs.
 */
export function macroF1<L extends string>(pairs: readonly Pair<L>[], classes: readonly L[]): number {
  const scores = classScores(confusionMatrix(pairs, classes), classes);
  const present = classes.filter((c) => scores[c].support > 0 || scores[c].predicted > 0);
  if (present.length === 0) return 0;
  return present.reduce((s, c) => s + scores[c].f1, 0) / present.length;
}

/** Agreement of ordinal labels (risk levels): exact, and within one level. Each in [0, 1]; 0 for no pairs. */
export function ordinalAgreement<L extends string>(pairs: readonly Pair<L>[], levels: readonly L[]): { exact: number; withinOne: number } {
  if (pairs.length === 0) return { exact: 0, withinOne: 0 };
  let exact = 0;
  let withinOne = 0;
  for (const { gold, predicted } of pairs) {
    const d = Math.abs(levels.indexOf(gold) - levels.indexOf(predicted));
    if (d === 0) exact += 1;
    if (d <= 1) withinOne += 1;
  }
  return { exact: exact / pairs.length, withinOne: withinOne / pairs.length };
}

/** One confidence bucket `[lo, hi)`; the last bucket includes its upper edge. */
export interface BucketResult {
  lo: number;
  hi: number;
  n: number;
  correct: number;
  /** correct / n; 0 for an empty bucket. */
  accuracy: number;
  /** Mean confidence of the bucket's items; 0 for an empty bucket. */
  meanConfidence: number;
}

/** Default bucket edges: [0, 0.5), [0.5, 0.7), [0.7, 0.85), [0.85, 1]. */
export const DEFAULT_BUCKET_EDGES: readonly number[] = [0, 0.5, 0.7, 0.85, 1];

/**
 * Accuracy by confidence bucket. `edges` must be ascending (n + 1 edges for n buckets); an item outside
 * `[edges[0], edges[n]]` is ignored.
 */
export function confidenceBuckets(
  items: readonly { confidence: number; correct: boolean }[],
  edges: readonly number[] = DEFAULT_BUCKET_EDGES,
): BucketResult[] {
  const out: BucketResult[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = edges[i] as number;
    const hi = edges[i + 1] as number;
    const last = i + 2 === edges.length;
    const inside = items.filter((it) => it.confidence >= lo && (it.confidence < hi || (last && it.confidence === hi)));
    const correct = inside.filter((it) => it.correct).length;
    out.push({
      lo,
      hi,
      n: inside.length,
      correct,
      accuracy: inside.length === 0 ? 0 : correct / inside.length,
      meanConfidence: inside.length === 0 ? 0 : inside.reduce((s, it) => s + it.confidence, 0) / inside.length,
    });
  }
  return out;
}

/** A tool that declares `readOnlyHint` explicitly, with the category predicted for it. */
export interface HintItem<T> {
  readOnlyHint: boolean;
  /** Whether the prediction is the read category. */
  predictedRead: boolean;
  ref: T;
}

/** Counts of {@link hintAgreement}: `total` items with a hint, by hint value, and every disagreement. */
export interface HintAgreement<T> {
  total: number;
  agree: number;
  rate: number;
  trueHints: { total: number; agree: number };
  falseHints: { total: number; agree: number };
  disagreements: HintItem<T>[];
}

/**
 * Agreement with declared `readOnlyHint`s: `true` agrees with a Read prediction, `false` with any other. Returns
 * the counts by hint value and every disagreement.
 */
export function hintAgreement<T>(items: readonly HintItem<T>[]): HintAgreement<T> {
  const disagreements = items.filter((it) => it.readOnlyHint !== it.predictedRead);
  const count = (hint: boolean) => {
    const withHint = items.filter((it) => it.readOnlyHint === hint);
    return { total: withHint.length, agree: withHint.filter((it) => it.predictedRead === hint).length };
  };
  const agree = items.length - disagreements.length;
  return {
    total: items.length,
    agree,
    rate: items.length === 0 ? 0 : agree / items.length,
    trueHints: count(true),
    falseHints: count(false),
    disagreements,
  };
}

/** Off-diagonal cells of a confusion matrix, largest first (ties by gold then predicted class order). */
export function topConfusions<L extends string>(
  matrix: Record<L, Record<L, number>>,
  classes: readonly L[],
): { gold: L; predicted: L; count: number }[] {
  const cells: { gold: L; predicted: L; count: number }[] = [];
  for (const g of classes) for (const p of classes) if (g !== p && matrix[g][p] > 0) cells.push({ gold: g, predicted: p, count: matrix[g][p] });
  return cells.sort((a, b) => b.count - a.count);
}
