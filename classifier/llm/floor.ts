/**
 * The floor: what the heuristic's strong evidence guarantees, which the model's answer cannot go below.
 *
 * - Risk: a risk move that rests on concrete evidence sets a minimum (`risk.code-execution` and `risk.sql`
 *   Critical, `risk.secret-read`, `risk.sql-read-only` and `risk.poisoning` High, `risk.credential-argument` and
 *   `risk.private-data` Medium), never above the heuristic's own final risk.
 * - Category: a tool with shell or code input that the heuristic rates Execute or worse cannot become Read or
 *   Write (`llm.floor.code-input`); a Destructive or Financial verdict with confidence ≥ `floorConfidence`
 *   cannot become Read, Write or Execute (`llm.floor.dangerous-category`).
 * @internal
 */
import { CATEGORIES, RISKS, type Category, type Classification, type Risk } from '../../records/index.ts';

/** Risk moves (classifier/risk.ts ids) that set a floor, and the level each guarantees. */
export const FLOOR_MOVES: Readonly<Record<string, Risk>> = {
  'risk.code-execution': 'Critical',
  'risk.sql': 'Critical',
  'risk.sql-read-only': 'High',
  'risk.secret-read': 'High',
  'risk.poisoning': 'High',
  'risk.credential-argument': 'Medium',
  'risk.private-data': 'Medium',
};

export interface Floor {
  /** Lowest risk the result may have, or undefined when no strong move applied. */
  risk: Risk | undefined;
  /** The risk-move ids the risk floor rests on. */
  riskMoves: string[];
  /** Least dangerous category the result may have, or undefined. */
  category: Category | undefined;
  /** `llm.floor.code-input` or `llm.floor.dangerous-category`. */
  categoryRule: string | undefined;
}

export const riskRank = (r: Risk): number => RISKS.indexOf(r);
export const categoryRank = (c: Category): number => CATEGORIES.indexOf(c);
export const maxRisk = (a: Risk, b: Risk): Risk => (riskRank(a) >= riskRank(b) ? a : b);

/** The floor the heuristic classification `h` sets. */
export function heuristicFloor(h: Classification, floorConfidence: number): Floor {
  let risk: Risk | undefined;
  const riskMoves: string[] = [];
  for (const id of h.ruleIds) {
    const level = FLOOR_MOVES[id];
    if (level === undefined) continue;
    riskMoves.push(id);
    risk = risk === undefined ? level : maxRisk(risk, level);
  }
  // A floor never exceeds what the heuristic itself concluded (risk.scratch may have lowered it on purpose).
  if (risk !== undefined && riskRank(risk) > riskRank(h.risk)) risk = h.risk;

  let category: Category | undefined;
  let categoryRule: string | undefined;
  const codeInput = h.signals.some((s) => s.kind === 'shell-input' || s.kind === 'code-input');
  if ((h.category === 'Destructive' || h.category === 'Financial') && h.confidence >= floorConfidence) {
    category = 'Destructive';
    categoryRule = 'llm.floor.dangerous-category';
  } else if (codeInput && categoryRank(h.category) >= categoryRank('Execute')) {
    category = 'Execute';
    categoryRule = 'llm.floor.code-input';
  }
  return { risk, riskMoves, category, categoryRule };
}

/** Whether `c` is at or above the floor's category. */
export function allowsCategory(floor: Floor, c: Category): boolean {
  return floor.category === undefined || categoryRank(c) >= categoryRank(floor.category);
}
