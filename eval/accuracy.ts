/**
 * The classifier's measured accuracy as a small JSON document (`eval/accuracy.json`), written by
 * `npm run eval -- --write-accuracy FILE` and shown on the site's methodology page. Figures only: no tool names,
 * descriptions or other crawled text.
 */
import { CATEGORIES, type Category } from '../records/index.ts';
import type { SplitReport } from './evaluate.ts';

/** One split's figures. Fractions are 0–1, rounded to four places. */
export interface AccuracySplit {
  /** `dev` or `heldout` (eval/LABELLING.md). */
  split: string;
  /** Labels in the split. */
  labelled: number;
  /** Labelled tools found in the crawl with the labelled definition, and so scored. */
  evaluated: number;
  /** Servers those tools come from. */
  servers: number;
  /** Share of evaluated tools whose predicted category is the label's. */
  categoryAccuracy: number;
  macroF1: number;
  /** Share whose predicted risk is the label's, and within one level of it. */
  riskExact: number;
  riskWithinOne: number;
  /** Expected calibration error of the confidence, ten equal-width buckets. */
  ece: number;
  /** Rows: the label's category; columns: the predicted category; counts of tools. Keys are {@link CATEGORIES}. */
  matrix: Record<Category, Record<Category, number>>;
}

/** The whole document. */
export interface AccuracyFile {
  /** Day the evaluation ran, `YYYY-MM-DD` (UTC). */
  date: string;
  /** `CLASSIFIER_VERSION` of the classifier measured. */
  classifierVersion: string;
  /** What was measured against: label file, crawl export and their sizes, in one sentence. */
  input: string;
  splits: AccuracySplit[];
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

/** The document for `reports` (in the given order), measured on `date` with `classifierVersion`. */
export function accuracyFile(reports: readonly SplitReport[], meta: { date: Date; classifierVersion: string; input: string }): AccuracyFile {
  return {
    date: meta.date.toISOString().slice(0, 10),
    classifierVersion: meta.classifierVersion,
    input: meta.input,
    splits: reports.map((r) => ({
      split: r.split,
      labelled: r.labelled,
      evaluated: r.evaluated,
      servers: r.servers,
      categoryAccuracy: round(r.categoryAccuracy),
      macroF1: round(r.macroF1),
      riskExact: round(r.riskExact),
      riskWithinOne: round(r.riskWithinOne),
      ece: round(r.ece),
      matrix: Object.fromEntries(
        CATEGORIES.map((gold) => [gold, Object.fromEntries(CATEGORIES.map((predicted) => [predicted, r.matrix[gold][predicted]]))]),
      ) as Record<Category, Record<Category, number>>,
    })),
  };
}
