/**
 * `npm run eval:agreement`: how far two independent labelling passes over the same tools agree — the ceiling a
 * classifier is measured against (issue 13 item 5; procedure in eval/LABELLING.md §6).
 *
 * Usage: `npm run eval:agreement -- [--first eval/labels.jsonl] [--second eval/labels-second-pass.jsonl] [--json]`.
 * Both files have the `eval/labels.jsonl` shape; tools are paired on server (identifier@version), tool name and
 * hash; a second-pass line with no first-pass partner is reported and left out.
 * Figures: raw agreement and Cohen's kappa on the category (nominal) and on the risk (nominal, and with linear
 * weights over Low < Medium < High < Critical), and the confusion table first × second category.
 * Exit codes: 0 done; 2 usage error or unreadable input.
 */
import { parseArgs } from 'node:util';
import { CATEGORIES, RISKS } from '../classifier/index.ts';
import { loadLabels } from './data.ts';
import type { Label } from './data.ts';

/** Agreement between two raters over the same items. */
export interface Agreement {
  n: number;
  /** Share of items given the same value, 0..1. */
  observed: number;
  /** Share expected by chance from each rater's own marginals, 0..1. */
  expected: number;
  /** Cohen's kappa, (observed − expected) / (1 − expected); 1 when both are 1; NaN with no items. */
  kappa: number;
}

/**
 * Cohen's kappa (Cohen 1960) of two raters' values over the same items. With `weights` (Cohen 1968), the weighted
 * form: `weights(a, b)` in [0, 1] is the disagreement between two values (0 for equal ones), and `observed` /
 * `expected` are then agreements 1 − disagreement.
 */
export function cohenKappa<T>(pairs: ReadonlyArray<readonly [T, T]>, values: readonly T[], weights?: (a: T, b: T) => number): Agreement {
  const n = pairs.length;
  if (n === 0) return { n, observed: NaN, expected: NaN, kappa: NaN };
  const w = weights ?? ((a: T, b: T) => (a === b ? 0 : 1));
  const first = new Map<T, number>();
  const second = new Map<T, number>();
  let disagreement = 0;
  for (const [a, b] of pairs) {
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
    disagreement += w(a, b);
  }
  let chance = 0;
  for (const a of values) for (const b of values) chance += ((first.get(a) ?? 0) / n) * ((second.get(b) ?? 0) / n) * w(a, b);
  const observed = 1 - disagreement / n;
  const expected = 1 - chance;
  const kappa = expected === 1 ? (observed === 1 ? 1 : 0) : (observed - expected) / (1 - expected);
  return { n, observed, expected, kappa };
}

/** Linear disagreement weight between two risk levels: |i − j| / 3. */
export function riskDistance(a: string, b: string): number {
  return Math.abs(RISKS.indexOf(a as (typeof RISKS)[number]) - RISKS.indexOf(b as (typeof RISKS)[number])) / (RISKS.length - 1);
}

export interface AgreementReport {
  pairs: number;
  unpaired: Label[];
  category: Agreement;
  risk: Agreement;
  riskWeighted: Agreement;
  /** `confusion[first][second]` counts, categories in CATEGORIES order. */
  confusion: number[][];
  disagreements: Array<{ server: string; tool: string; first: string; second: string }>;
}

/** Pairs the second pass with the first on server, tool and hash, and measures their agreement. */
export function compareLabels(first: readonly Label[], second: readonly Label[]): AgreementReport {
  const index = new Map<string, Label>();
  for (const l of first) index.set(`${l.server}\u0000${l.tool}\u0000${l.hash}`, l);
  const paired: Array<[Label, Label]> = [];
  const unpaired: Label[] = [];
  for (const l of second) {
    const partner = index.get(`${l.server}\u0000${l.tool}\u0000${l.hash}`);
    if (partner) paired.push([partner, l]);
    else unpaired.push(l);
  }
  const confusion = CATEGORIES.map(() => CATEGORIES.map(() => 0));
  for (const [a, b] of paired) confusion[CATEGORIES.indexOf(a.category)]![CATEGORIES.indexOf(b.category)]! += 1;
  return {
    pairs: paired.length,
    unpaired,
    category: cohenKappa(paired.map(([a, b]) => [a.category, b.category] as const), CATEGORIES),
    risk: cohenKappa(paired.map(([a, b]) => [a.risk, b.risk] as const), RISKS),
    riskWeighted: cohenKappa(paired.map(([a, b]) => [a.risk, b.risk] as const), RISKS, riskDistance),
    confusion,
    disagreements: paired
      .filter(([a, b]) => a.category !== b.category)
      .map(([a, b]) => ({ server: a.server, tool: a.tool, first: `${a.category}/${a.risk}`, second: `${b.category}/${b.risk}` })),
  };
}

function pct(x: number): string {
  return Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)}%`;
}

/** The report as Markdown lines. */
export function renderAgreement(r: AgreementReport): string[] {
  const lines = [
    `# Two-pass label agreement (${r.pairs} tools)`,
    '',
    '| figure | observed | chance | kappa |',
    '|---|---:|---:|---:|',
    `| category | ${pct(r.category.observed)} | ${pct(r.category.expected)} | ${r.category.kappa.toFixed(3)} |`,
    `| risk | ${pct(r.risk.observed)} | ${pct(r.risk.expected)} | ${r.risk.kappa.toFixed(3)} |`,
    `| risk, linear weights | ${pct(r.riskWeighted.observed)} | ${pct(r.riskWeighted.expected)} | ${r.riskWeighted.kappa.toFixed(3)} |`,
    '',
    `First pass (rows) × second pass (columns):`,
    '',
    `| | ${CATEGORIES.join(' | ')} |`,
    `|---|${CATEGORIES.map(() => '---:').join('|')}|`,
    ...CATEGORIES.map((c, i) => `| ${c} | ${r.confusion[i]!.join(' | ')} |`),
    '',
  ];
  if (r.disagreements.length) {
    lines.push('Category disagreements:', '');
    for (const d of r.disagreements) lines.push(`- ${d.server} ${JSON.stringify(d.tool)}: ${d.first} / ${d.second}`);
    lines.push('');
  }
  if (r.unpaired.length) lines.push(`${r.unpaired.length} second-pass labels have no first-pass partner (different hash or tool): left out.`);
  return lines;
}

function main(): void {
  const usage = 'usage: npm run eval:agreement -- [--first FILE] [--second FILE] [--json]';
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        first: { type: 'string', default: 'eval/labels.jsonl' },
        second: { type: 'string', default: 'eval/labels-second-pass.jsonl' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  let report: AgreementReport;
  try {
    report = compareLabels(loadLabels(values.first), loadLabels(values.second));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage}\n`);
    process.exit(2);
  }
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderAgreement(report).join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
