/**
 * Writes the rationale: complete sentences naming the tool, its category and why, every risk move, and
 * contradictions between the declared annotations and the evidence.
 * @internal
 */
import type { Hit } from './rule-types.ts';
import type { AppliedMove } from './risk.ts';
import { BASE_RISK } from './risk.ts';
import { article, joinAnd } from './text.ts';
import type { Category, Risk } from '../records/index.ts';
import type { Verdict } from './weigh.ts';

const WHAT: Readonly<Record<Category, string>> = {
  Read: 'retrieves data without changing it',
  Write: 'creates or changes data',
  Execute: 'runs code, commands or workflows whose effect depends on its arguments',
  Destructive: 'deletes data or does something that cannot be reversed',
  Financial: 'moves money or changes billing',
};

export interface RationaleInput {
  name: string;
  verdict: Verdict;
  hits: readonly Hit[];
  moves: readonly AppliedMove[];
  risk: Risk;
  contradictions: readonly string[];
}

function reasons(hits: readonly Hit[], category: Category, max: number): string[] {
  const voting = hits.filter((h) => !h.superseded && h.rule.category === category);
  voting.sort((a, b) => (b.rule.weight ?? 1) - (a.rule.weight ?? 1));
  const out: string[] = [];
  for (const h of voting) if (!out.includes(h.message) && out.length < max) out.push(h.message);
  return out;
}

/** The rationale for one classification; never empty. */
export function writeRationale(input: RationaleInput): string {
  const { name, verdict, hits, moves, risk } = input;
  const c = verdict.category;
  const out: string[] = [];
  if (verdict.defaulted) {
    out.push(`${name} matched no rule, so it is treated as a Write tool with low confidence: a tool whose effect is unknown may change state, and assuming it only reads would be unsafe.`);
  } else {
    out.push(`${name} is ${article(c)} ${c} tool, one that ${WHAT[c]}, because ${joinAnd(reasons(hits, c, 3))}.`);
    const others = (Object.keys(verdict.scores) as Category[]).filter((k) => k !== c && verdict.scores[k] > 0);
    const parts: string[] = [];
    for (const other of others) {
      const why = reasons(hits, other, 1)[0];
      if (why !== undefined) parts.push(`${other} evidence (${why})`);
    }
    if (parts.length > 0) {
      const lean = verdict.outscoredBy === undefined ? '' : `; the more dangerous ${c} reading is kept`;
      out.push(`It also shows ${joinAnd(parts)}${lean}, so the confidence is ${verdict.confidence.toFixed(2)}.`);
    }
  }
  out.push(...input.contradictions);
  const base = BASE_RISK[c];
  out.push(`${article(c) === 'an' ? 'An' : 'A'} ${c} tool starts at ${base} risk.`);
  for (const m of moves) out.push(m.sentence);
  if (moves.length === 0) out.push(`Nothing in its definition moves the risk, so it stays ${risk}.`);
  return out.join(' ');
}
