/**
 * Renders evaluation results as plain-text tables (terminal) or Markdown tables (`--markdown`, for BENCHMARKS.md).
 */
import { CATEGORIES, RISKS } from '../classifier/index.ts';
import type { HintReport, Scored, SplitReport } from './evaluate.ts';
import type { UnderCase } from './under.ts';

/** Output format of the report. */
export type Format = 'text' | 'markdown';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number): string => x.toFixed(3);

/** A table: Markdown pipes, or space-padded columns with a rule under the header. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], format: Format): string {
  if (format === 'markdown') {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const line = (cells: readonly string[]) => `| ${cells.map(esc).join(' | ')} |`;
    return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function heading(text: string, level: number, format: Format): string {
  return format === 'markdown' ? `${'#'.repeat(level)} ${text}` : `${text}\n${(level <= 3 ? '=' : '-').repeat(text.length)}`;
}

/** The one-row-per-split summary. */
export function summaryTable(reports: readonly SplitReport[], hints: HintReport, format: Format): string {
  const rows = reports.map((r) => [
    r.split,
    String(r.evaluated),
    String(r.servers),
    pct(r.categoryAccuracy),
    f3(r.macroF1),
    pct(r.riskExact),
    pct(r.riskWithinOne),
  ]);
  const t = table(['split', 'tools', 'servers', 'category accuracy', 'macro-F1', 'risk exact', 'risk within one'], rows, format);
  const h = `Explicit readOnlyHint agreement (all ${hints.crawledTools} crawled tools, ${hints.withHint} with an explicit hint): ` +
    `${hints.agree}/${hints.withHint} = ${pct(hints.rate)} (true → Read: ${hints.trueHints.agree}/${hints.trueHints.total}; ` +
    `false → not Read: ${hints.falseHints.agree}/${hints.falseHints.total}).`;
  return `${t}\n\n${h}`;
}

/** Every table of one split. */
export function splitSection(r: SplitReport, format: Format, level = 3): string {
  const parts: string[] = [heading(`Split: ${r.split}`, level, format)];
  const missing = r.unmatched.filter((u) => u.reason === 'missing').length;
  const mismatch = r.unmatched.filter((u) => u.reason === 'hash-mismatch').length;
  parts.push(`${r.labelled} labels, ${r.evaluated} evaluated over ${r.servers} servers; ${missing} missing from the crawl, ${mismatch} with a different definition hash (left out).`);
  parts.push(table(['metric', 'value'], [
    ['category accuracy', pct(r.categoryAccuracy)],
    ['macro-F1', f3(r.macroF1)],
    ['risk exact', pct(r.riskExact)],
    ['risk within one level', pct(r.riskWithinOne)],
    ['expected calibration error (ten buckets)', f3(r.ece)],
  ], format));

  parts.push(heading('Per category', level + 1, format));
  parts.push(table(['category', 'support', 'predicted', 'precision', 'recall', 'F1'], CATEGORIES.map((c) => {
    const s = r.perClass[c];
    return [c, String(s.support), String(s.predicted), f3(s.precision), f3(s.recall), f3(s.f1)];
  }), format));

  parts.push(heading('Category confusion matrix (rows: label, columns: classifier)', level + 1, format));
  parts.push(table(['label \\ classifier', ...CATEGORIES], CATEGORIES.map((g) => [g, ...CATEGORIES.map((p) => String(r.matrix[g][p]))]), format));

  parts.push(heading('Risk confusion matrix (rows: label, columns: classifier)', level + 1, format));
  parts.push(table(['label \\ classifier', ...RISKS], RISKS.map((g) => [g, ...RISKS.map((p) => String(r.riskMatrix[g][p]))]), format));

  parts.push(heading('Category accuracy by confidence', level + 1, format));
  parts.push(table(['confidence', 'tools', 'correct', 'accuracy', 'mean confidence'], r.buckets.map((b, i) => [
    `[${b.lo}, ${b.hi}${i === r.buckets.length - 1 ? ']' : ')'}`,
    String(b.n),
    String(b.correct),
    b.n === 0 ? '–' : pct(b.accuracy),
    b.n === 0 ? '–' : b.meanConfidence.toFixed(2),
  ]), format));

  parts.push(heading('Confusions, largest first', level + 1, format));
  parts.push(r.confusions.length === 0 ? 'None.' : table(['label → classifier', 'count', 'examples'], r.confusions.map((c) => [
    `${c.gold} → ${c.predicted}`,
    String(c.count),
    c.examples.map((e) => `${e.tool.context.name} ${e.label.tool}`).join(', '),
  ]), format));

  if (r.unmatched.length > 0) {
    parts.push(heading('Labels not evaluated', level + 1, format));
    parts.push(table(['server', 'tool', 'reason'], r.unmatched.map((u) => [u.label.server, u.label.tool, u.reason === 'missing' ? 'not in the crawl' : `hash ${u.found ?? ''} ≠ labelled ${u.label.hash}`]), format));
  }
  return parts.join('\n\n');
}

/** The readOnlyHint section with every disagreement. */
export function hintSection(h: HintReport, format: Format, level = 3): string {
  const parts = [heading('Agreement with explicit readOnlyHint', level, format)];
  parts.push(`${h.withHint} of ${h.crawledTools} crawled tools declare readOnlyHint. Agreement: ${h.agree}/${h.withHint} = ${pct(h.rate)}. ` +
    `readOnlyHint true and classified Read: ${h.trueHints.agree}/${h.trueHints.total}; readOnlyHint false and classified other than Read: ${h.falseHints.agree}/${h.falseHints.total}.`);
  if (h.disagreements.length > 0) {
    parts.push(table(['server', 'tool', 'readOnlyHint', 'classifier', 'confidence'], h.disagreements.map((d) => [
      d.ref.tool.context.name,
      d.ref.tool.name,
      String(d.readOnlyHint),
      `${d.ref.result.category} / ${d.ref.result.risk}`,
      d.ref.result.confidence.toFixed(2),
    ]), format));
  }
  return parts.join('\n\n');
}

/**
 * Under-classification per split (issue 13 item 4): each tool labelled Execute, Destructive or Financial that the
 * classifier calls Read, and each Financial one it calls Write or Execute. The target is none.
 */
export function underSection(splits: readonly { split: string; cases: readonly UnderCase<Scored>[] }[], format: Format, level = 3): string {
  const parts = [heading('Under-classification (target 0)', level, format)];
  parts.push(`Labelled Execute, Destructive or Financial and classified Read, or labelled Financial and classified Write or Execute: ${
    splits.map((s) => `${s.split} ${s.cases.length}`).join(', ')}.`);
  const rows = splits.flatMap((s) => s.cases.map((c) => [
    s.split,
    c.ref.tool.context.name,
    c.ref.label.tool,
    `${c.ref.label.category} / ${c.ref.label.risk}`,
    `${c.ref.result.category} / ${c.ref.result.risk}`,
    c.ref.result.confidence.toFixed(2),
  ]));
  if (rows.length > 0) parts.push(table(['split', 'server', 'tool', 'label', 'classifier', 'confidence'], rows, format));
  return parts.join('\n\n');
}
