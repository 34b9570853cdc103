/**
 * Renders a {@link BlindResult} as Markdown: a summary table, each split's figures, confusion tables, calibration,
 * disagreements, reviewed wrong hints and under-classified tools, and one closing line per split.
 */
import { CATEGORIES } from '../classifier/index.ts';
import type { AgreementFigure, BlindResult, HintCase, HintName, HintSplitResult, SplitResult } from './blind.ts';
import { SPLITS } from './blind.ts';
import { table } from './report.ts';

/** What the report says about its inputs. */
export interface BlindMeta {
  classifierVersion: string;
  servers: string;
  ranks: string;
  wrongHints: string;
  wrongHintEntries: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const md = (s: string): string => s.replace(/\|/g, '\\|');
const target = (hint: HintName): string => (hint === 'readOnlyHint' ? 'Read' : 'Destructive');

/** `a/n = x%`, or `–` for none. */
const ratio = (agree: number, n: number): string => (n === 0 ? '–' : `${agree}/${n} = ${pct(agree / n)}`);

function figureSentence(hint: HintName, f: AgreementFigure): string {
  if (f.tools === 0) return 'No tools.';
  const t = target(hint);
  return `${ratio(f.agree, f.tools)} per tool (true → ${t}: ${f.trueHints.agree}/${f.trueHints.total}; false → not ${t}: ` +
    `${f.falseHints.agree}/${f.falseHints.total}); per-server mean ${pct(f.perServerMean)} over ${f.servers} servers.`;
}

function verdictCell(c: HintCase): string {
  return `${c.verdict.category} / ${c.verdict.risk}`;
}

function why(c: HintCase): string {
  return c.verdict.ruleIds.length > 0 ? c.verdict.ruleIds.join(', ') : c.verdict.firstEvidence ?? 'no rule matched (default)';
}

function hintSection(hint: HintName, h: HintSplitResult, listCases: boolean): string {
  const parts = [`### ${hint}`];
  parts.push(`As declared: ${figureSentence(hint, h.asDeclared)}`);
  if (h.reviewedWrong.length > 0) parts.push(`Excluding ${h.reviewedWrong.length} reviewed wrong hints: ${figureSentence(hint, h.excludingWrong)}`);
  if (h.asDeclared.tools === 0) return parts.join('\n\n');

  parts.push(`#### Confusion (rows: declared ${hint}, columns: classifier without annotations)`);
  parts.push(table([`${hint} \\ classifier`, ...CATEGORIES], (['true', 'false'] as const).map((v) => [v, ...CATEGORIES.map((c) => String(h.confusion[v][c]))]), 'markdown'));

  parts.push(`#### Agreement by confidence (ECE ${h.calibration.ece.toFixed(3)} over ${h.calibration.n} tools)`);
  parts.push(table(['confidence', 'tools', 'mean confidence', 'agreement'], h.calibration.buckets.map((b, i) => [
    `[${b.lo.toFixed(1)}, ${b.hi.toFixed(1)}${i === h.calibration.buckets.length - 1 ? ']' : ')'}`,
    String(b.n),
    b.n === 0 ? '–' : b.meanConfidence.toFixed(2),
    b.n === 0 ? '–' : `${b.correct}/${b.n} = ${pct(b.accuracy)}`,
  ]), 'markdown'));

  if (!listCases) return parts.join('\n\n');
  parts.push(`#### Disagreements (${h.disagreements.length})`);
  if (h.disagreements.length > 0) {
    parts.push(table(['server', 'tool', hint, 'classifier', 'confidence', 'rules (or first evidence)', 'description'], h.disagreements.map((c) => [
      c.server,
      c.tool,
      `${c.declared}${c.wrong ? ' (reviewed wrong)' : ''}`,
      verdictCell(c),
      c.verdict.confidence.toFixed(2),
      why(c),
      c.description,
    ]), 'markdown'));
  }
  if (h.reviewedWrong.length > 0) {
    parts.push(`#### Reviewed wrong hints (${h.reviewedWrong.length}; counted in "as declared")`);
    parts.push(table(['server', 'tool', hint, 'classifier', 'reason'], h.reviewedWrong.map((c) => [
      c.server, c.tool, String(c.declared), verdictCell(c), c.wrong?.reason ?? '',
    ]), 'markdown'));
  }
  return parts.join('\n\n');
}

function underSection(r: SplitResult, listCases: boolean): string {
  const excl = r.under.filter((u) => !u.ref.wrong).length;
  const parts = ['### Under-classification'];
  parts.push(`Tools declared destructive (destructiveHint true, readOnlyHint not true) that the classifier calls Read: ` +
    `**${r.under.length}**${excl !== r.under.length ? ` (${excl} excluding reviewed wrong hints)` : ''}. Target: 0.`);
  if (listCases && r.under.length > 0) {
    parts.push(table(['server', 'tool', 'classifier', 'confidence', 'rules (or first evidence)', 'description'], r.under.map((u) => [
      u.ref.server, `${u.ref.tool}${u.ref.wrong ? ' (reviewed wrong)' : ''}`, verdictCell(u.ref), u.ref.verdict.confidence.toFixed(2), why(u.ref), u.ref.description,
    ]), 'markdown'));
  }
  return parts.join('\n\n');
}

/** The closing one-line summary of a split. */
export function summaryLine(r: SplitResult): string {
  const ro = r.hints.readOnlyHint;
  const de = r.hints.destructiveHint;
  const fig = (f: AgreementFigure) => (f.tools === 0 ? 'no tools' : `${f.agree}/${f.tools} = ${pct(f.rate)} per tool, ${pct(f.perServerMean)} per server`);
  return `${r.split}: ${r.serversWithHints} servers with hints; readOnlyHint ${fig(ro.asDeclared)}; destructiveHint ${fig(de.asDeclared)}; ` +
    `under-classified ${r.under.length}; ECE (readOnlyHint) ${ro.asDeclared.tools === 0 ? '–' : ro.calibration.ece.toFixed(3)}`;
}

/** The whole Markdown report. */
export function renderBlindReport(result: BlindResult, meta: BlindMeta): string {
  const parts: string[] = ['# Blind evaluation against declared annotations'];
  parts.push(`Classifier ${meta.classifierVersion}, run on ${md(meta.servers)}: ${result.input.servers} servers, ${result.input.tools} tools. ` +
    `Each tool that declares readOnlyHint (or destructiveHint, with readOnlyHint not true) as a boolean is classified with its annotations removed ` +
    `and compared with the declaration. Splits: npm packages ranked below the top ${result.input.top} of ${md(meta.ranks)} ` +
    `(${result.input.rankedServers} servers of this export are ranked) go to below600; every other server by the first byte of ` +
    `sha256("<registry>:<identifier>"): even → tuning, odd → held. Reviewed wrong hints: ${meta.wrongHintEntries} in ${md(meta.wrongHints)}.`);

  parts.push('## Summary');
  parts.push(table(
    ['split', 'servers', 'with hints', 'readOnlyHint tools', 'per tool', 'per server', 'destructiveHint tools', 'per tool', 'per server', 'under-classified', 'ECE (readOnlyHint)'],
    SPLITS.map((s) => {
      const r = result.splits[s];
      const ro = r.hints.readOnlyHint.asDeclared;
      const de = r.hints.destructiveHint.asDeclared;
      const rate = (f: AgreementFigure, x: number) => (f.tools === 0 ? '–' : pct(x));
      return [s, String(r.servers), String(r.serversWithHints), String(ro.tools), rate(ro, ro.rate), rate(ro, ro.perServerMean),
        String(de.tools), rate(de, de.rate), rate(de, de.perServerMean), String(r.under.length),
        ro.tools === 0 ? '–' : r.hints.readOnlyHint.calibration.ece.toFixed(3)];
    }),
    'markdown',
  ));

  for (const s of SPLITS) {
    const r = result.splits[s];
    const listCases = s !== 'all';
    parts.push(`## Split: ${s}`);
    parts.push(`${r.servers} servers (${r.serversWithHints} with an explicit hint), ${r.tools} tools.` +
      (listCases ? '' : ' Disagreements, wrong hints and under-classified tools are listed under their own split above.'));
    for (const hint of ['readOnlyHint', 'destructiveHint'] as const) parts.push(hintSection(hint, r.hints[hint], listCases));
    parts.push(underSection(r, listCases));
  }

  if (result.unmatchedWrongHints.length > 0) {
    parts.push('## Wrong-hint entries that match nothing in this export');
    parts.push(table(['server', 'tool', 'hint', 'declared', 'reason'], result.unmatchedWrongHints.map((w) => [w.server, w.tool, w.hint, String(w.declared), w.reason]), 'markdown'));
  }

  parts.push('## One line per split');
  parts.push(SPLITS.map((s) => `- ${summaryLine(result.splits[s])}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}
