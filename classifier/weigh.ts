/**
 * Weighs the category votes of the rules that fired into one category and a confidence.
 *
 * - Each unsuperseded hit adds its rule's weight to its category.
 * - The top-scoring category wins, except that a more dangerous category (Financial > Destructive > Execute
 *   > Write > Read) wins instead when it has at least 2 points and at least 60% of the top score: when the
 *   evidence is split, the classifier leans to the reading that needs the stricter policy.
 * - Read never stands against strong evidence of danger: when Read would win but Execute, Destructive or Financial has
 *   at least 2.5 points (one strong witness) and half of Read's score, the most dangerous such category wins.
 * - An argument that takes code or a shell command (`schema.prop.code`, `schema.prop.shell`) turns a Read into Execute
 *   whatever the other votes.
 * - No vote at all: Write with confidence 0.3. Assuming an unknown tool only reads would be unsafe.
 * - Confidence = 0.25 + 0.7 × (1 − e^(−S/3)) × S / (S + O), S the winner's score, O the other categories'
 *   total: about 0.82 when name and description agree (S = 5), 0.69 for a name verb alone, below 0.5 when
 *   the evidence conflicts. Rounded to 2 decimals.
 * @internal
 */
import type { Hit } from './rule-types.ts';
import { CATEGORIES, type Category } from '../records/index.ts';

/** Category for a tool no rule voted on. */
export const DEFAULT_CATEGORY: Category = 'Write';
/** Confidence for a tool no rule voted on. */
export const DEFAULT_CONFIDENCE = 0.3;
/** Categories a Read rating must not hide (under-classification, issue 13 item 4), least dangerous first. */
const DANGEROUS: readonly Category[] = ['Execute', 'Destructive', 'Financial'];
/**
 * Rules whose vote alone keeps a tool from Read: an argument that takes code or a shell command to run (the schema
 * rules already leave out expressions, page-action steps and enum-valued commands). A renderer that runs the
 * caller's Three.js code runs code, however it is named.
 */
export const DECISIVE_EXECUTE: ReadonlySet<string> = new Set(['schema.prop.code', 'schema.prop.shell']);
/** Score a dangerous category needs to overrule Read: one strong witness (a name verb, a deletion in the code). */
export const GUARD_MIN_SCORE = 2.5;
/** Share of Read's score a dangerous category needs to overrule it. */
export const GUARD_SHARE = 0.5;

/** Factor applied to the confidence of a tool read from source (`introspectionMethod: "static"`), RUBRIC.md §3. */
export const STATIC_CONFIDENCE_FACTOR = 0.8;
/** Highest confidence a tool read from source can have: below the default LLM threshold (0.6). */
export const STATIC_CONFIDENCE_CAP = 0.55;

/**
 * The confidence of a tool whose definition was read from the package's source rather than listed by the running
 * server: `min(confidence × 0.8, 0.55)`, rounded to 2 decimals. A static reading can miss what the server
 * computes at start-up (a schema built in code, a description assembled from variables) and can list tools the
 * server never registers, so the evidence the rules saw may be incomplete.
 */
export function staticListingConfidence(confidence: number): number {
  return Math.round(Math.min(confidence * STATIC_CONFIDENCE_FACTOR, STATIC_CONFIDENCE_CAP) * 100) / 100;
}

export interface Verdict {
  category: Category;
  confidence: number;
  /** Score per category (sum of weights). */
  scores: Readonly<Record<Category, number>>;
  /** True when no rule voted and the default applied. */
  defaulted: boolean;
  /** The category with the top score, when the danger lean picked another one. */
  outscoredBy: Category | undefined;
}

export function weigh(hits: readonly Hit[]): Verdict {
  const scores: Record<Category, number> = { Read: 0, Write: 0, Execute: 0, Destructive: 0, Financial: 0 };
  let total = 0;
  for (const h of hits) {
    const c = h.rule.category;
    if (c === undefined || h.superseded) continue;
    const w = h.rule.weight ?? 1;
    scores[c] += w;
    total += w;
  }
  if (total === 0) {
    return { category: DEFAULT_CATEGORY, confidence: DEFAULT_CONFIDENCE, scores, defaulted: true, outscoredBy: undefined };
  }
  let top: Category = 'Read';
  for (const c of CATEGORIES) if (scores[c] >= scores[top]) top = c;
  let chosen = top;
  for (const c of CATEGORIES) {
    if (CATEGORIES.indexOf(c) > CATEGORIES.indexOf(chosen) && scores[c] >= 2 && scores[c] >= 0.6 * scores[top]) chosen = c;
  }
  // Never Read against strong evidence of danger: a dangerous category with a vote of a name verb's weight or more
  // and half of Read's score wins (the most dangerous such one).
  if (chosen === 'Read') {
    for (const c of DANGEROUS) if (scores[c] >= GUARD_MIN_SCORE && scores[c] >= GUARD_SHARE * scores.Read) chosen = c;
  }
  // An argument that takes code or a shell command to run is never outweighed by reading words.
  if (chosen === 'Read' && hits.some((h) => !h.superseded && DECISIVE_EXECUTE.has(h.rule.id))) chosen = 'Execute';
  const s = scores[chosen];
  const raw = 0.25 + 0.7 * (1 - Math.exp(-s / 3)) * (s / total);
  const confidence = Math.round(Math.min(0.97, Math.max(0.05, raw)) * 100) / 100;
  return { category: chosen, confidence, scores, defaulted: false, outscoredBy: chosen === top ? undefined : top };
}
