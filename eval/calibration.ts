/**
 * Calibration of the classifier's confidence (issue 13 item 6): accuracy in ten equal-width confidence buckets and
 * the expected calibration error over them. Pure; no I/O. Buckets come from {@link confidenceBuckets}.
 */
import { confidenceBuckets } from './metrics.ts';
import type { BucketResult } from './metrics.ts';

/** Edges of ten equal-width buckets: [0, 0.1), [0.1, 0.2), …, [0.9, 1]. */
export const TEN_BUCKET_EDGES: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * Expected calibration error: Σ over buckets of (bucket size / total) × |accuracy − mean confidence|, in [0, 1].
 * 0 for no items.
 */
export function expectedCalibrationError(buckets: readonly BucketResult[]): number {
  const total = buckets.reduce((n, b) => n + b.n, 0);
  if (total === 0) return 0;
  return buckets.reduce((s, b) => s + (b.n / total) * Math.abs(b.accuracy - b.meanConfidence), 0);
}

/** Ten-bucket accuracy by confidence and the ECE of a set of verdicts with their correctness. */
export function calibration(items: readonly { confidence: number; correct: boolean }[]): { n: number; ece: number; buckets: BucketResult[] } {
  const buckets = confidenceBuckets(items, TEN_BUCKET_EDGES);
  return { n: items.length, ece: expectedCalibrationError(buckets), buckets };
}
