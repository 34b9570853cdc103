/**
 * Merges the heuristic classification with the model's answer under the floor (floor.ts), recording every
 * disagreement in the returned list and as a sentence of the rationale.
 * @internal
 */
import { MAX_EVIDENCE } from '../evidence.ts';
import type { Classification, Evidence } from '../../records/index.ts';
import type { LlmAnswer } from './answer.ts';
import { allowsCategory, heuristicFloor, maxRisk } from './floor.ts';
import { PROMPT_VERSION } from './prompt.ts';

/** One point where the model and the heuristic differ, and what the result kept. */
export interface Disagreement {
  field: 'category' | 'risk';
  heuristic: string;
  llm: string;
  final: string;
  /** The floor rule that held the result (`llm.floor.*`, or a risk-move id), when one did. */
  heldBy?: string;
}

/** `classify`: the model decides within the floor; `rationale`: the heuristic's labels stand, the model writes prose. */
export type ReconcileMode = 'classify' | 'rationale';

export interface Reconciled {
  classification: Classification;
  disagreements: Disagreement[];
}

function mergeEvidence(first: readonly Evidence[], second: readonly Evidence[]): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  for (const e of [...first, ...second]) {
    const key = `${e.source}\u0000${e.quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
    if (out.length >= MAX_EVIDENCE) break;
  }
  return out;
}

/**
 * The result for one tool.
 * @param h the heuristic classification (method "heuristic").
 * @param a the validated answer (answer.ts).
 * @returns a classification with method "heuristic+llm", `ruleIds` extended with `llm.<mode>` and the floor
 *   rules that held, and the disagreements (empty when the model agreed on category and risk).
 */
export function reconcile(h: Classification, a: LlmAnswer, options: { mode: ReconcileMode; model: string; floorConfidence: number }): Reconciled {
  const floor = heuristicFloor(h, options.floorConfidence);
  const disagreements: Disagreement[] = [];
  const ruleIds = [...h.ruleIds, `llm.${options.mode}`];
  let category = h.category;
  let risk = h.risk;
  let confidence = h.confidence;
  let categoryHeld = options.mode === 'rationale' && (a.category !== h.category || a.risk !== h.risk);
  let riskHeld = false;

  if (options.mode === 'classify') {
    if (allowsCategory(floor, a.category)) {
      category = a.category;
      risk = a.risk;
      confidence = a.category === h.category ? Math.max(a.confidence, h.confidence) : a.confidence;
    } else {
      categoryHeld = true;
      risk = maxRisk(a.risk, h.risk);
      ruleIds.push(floor.categoryRule ?? 'llm.floor');
    }
    if (floor.risk !== undefined && maxRisk(risk, floor.risk) !== risk) {
      riskHeld = true;
      risk = floor.risk;
      ruleIds.push('llm.floor.risk');
    }
  }
  if (a.category !== h.category) {
    const heldBy = category === a.category ? undefined : options.mode === 'rationale' ? 'llm.rationale' : floor.categoryRule;
    disagreements.push({ field: 'category', heuristic: h.category, llm: a.category, final: category, ...(heldBy ? { heldBy } : {}) });
  }
  if (a.risk !== h.risk) {
    const heldBy = risk === a.risk ? undefined
      : options.mode === 'rationale' ? 'llm.rationale'
        : riskHeld ? floor.riskMoves.join(',') : floor.categoryRule;
    disagreements.push({ field: 'risk', heuristic: h.risk, llm: a.risk, final: risk, ...(heldBy ? { heldBy } : {}) });
  }

  const who = `The language model (${options.model}, prompt ${PROMPT_VERSION})`;
  const heuristicReading = `the heuristic rules rated it ${h.category} with ${h.risk} risk (confidence ${h.confidence.toFixed(2)})`;
  let rationale: string;
  if (categoryHeld) {
    // The model's prose argues for a label that was not kept, so the heuristic's rationale is kept instead.
    const reason = options.mode === 'rationale'
      ? `the heuristic rules are confident (${h.confidence.toFixed(2)}), so their ${h.category} rating with ${h.risk} risk stands`
      : floorReason(floor.categoryRule, floor.riskMoves, category, risk);
    rationale = `${h.rationale} ${who} rated it ${a.category} with ${a.risk} risk; that is not followed because ${reason}.`;
  } else {
    const parts = [a.rationale];
    if (disagreements.length > 0) parts.push(`${who} read it differently: ${heuristicReading}, and the model's reading is kept where the rules were unsure.`);
    if (riskHeld) parts.push(`The model's ${a.risk} risk is raised to ${risk} because ${floorReason(undefined, floor.riskMoves, category, risk)}.`);
    rationale = parts.join(' ');
  }
  const modelWins = !categoryHeld;
  return {
    classification: {
      ...h,
      category,
      risk,
      confidence,
      rationale,
      evidence: modelWins ? mergeEvidence(a.evidence, h.evidence) : mergeEvidence(h.evidence, a.evidence),
      method: 'heuristic+llm',
      ruleIds,
    },
    disagreements,
  };
}

function floorReason(categoryRule: string | undefined, riskMoves: readonly string[], category: string, risk: string): string {
  const parts: string[] = [];
  if (categoryRule === 'llm.floor.code-input') parts.push(`the tool takes shell commands or code, which keeps it ${category} (${categoryRule})`);
  if (categoryRule === 'llm.floor.dangerous-category') parts.push(`the rules found confident ${category} evidence, which a model may not lower (${categoryRule})`);
  if (riskMoves.length > 0) parts.push(`its definition holds the risk at ${risk} or above (${riskMoves.join(', ')})`);
  if (parts.length === 0) parts.push(`the rules' ${category} rating with ${risk} risk is the floor`);
  return parts.join(', and ');
}
