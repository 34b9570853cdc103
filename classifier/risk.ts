/**
 * The risk rubric (RUBRIC.md) as data: a base risk per category, then moves, each stated in the rationale.
 * @internal
 */
import type { Hit, RuleFlag } from './rule-types.ts';
import { RISKS, type Category, type Risk, type SignalKind } from '../records/index.ts';

/** Base risk per category (DESIGN.md §4). */
export const BASE_RISK: Readonly<Record<Category, Risk>> = {
  Read: 'Low', Write: 'Medium', Execute: 'High', Destructive: 'Critical', Financial: 'Critical',
};

export interface RiskState {
  category: Category;
  /** First hit per signal kind. */
  signals: ReadonlyMap<SignalKind, Hit>;
  /** First hit per flag. */
  flags: ReadonlyMap<RuleFlag, Hit>;
  /** Hit per rule id. */
  byRule: ReadonlyMap<string, Hit>;
}

export interface RiskMove {
  id: string;
  /** The hit this move rests on, or undefined when it does not apply. */
  applies(s: RiskState): Hit | undefined;
  to(current: Risk): Risk;
  /** Clause completing "Risk rises from X to Y because …", given the hit's message. */
  because(message: string): string;
  /** When set, the rationale says so even if the risk did not change. */
  noteIfUnchanged?: boolean;
}

const rank = (r: Risk) => RISKS.indexOf(r);
const atLeast = (floor: Risk) => (r: Risk): Risk => (rank(r) >= rank(floor) ? r : floor);
const upOne = (r: Risk): Risk => RISKS[Math.min(rank(r) + 1, RISKS.length - 1)] ?? r;
const isOneOf = (s: RiskState, ...cats: Category[]) => cats.includes(s.category);

function scratch(s: RiskState): Hit | undefined {
  if (!isOneOf(s, 'Write', 'Destructive')) return undefined;
  if (s.signals.has('open-world') || s.signals.has('recipient') || s.signals.has('admin-scope')) return undefined;
  // Deleting one's own data for good is still the worst case: no discount when the definition says it is irreversible.
  if (isOneOf(s, 'Destructive') && s.signals.has('irreversible')) return undefined;
  return s.flags.get('scratch');
}

/** The moves, applied in this order. */
export const RISK_MOVES: readonly RiskMove[] = [
  {
    id: 'risk.code-execution', to: () => 'Critical',
    applies: (s) => s.signals.get('shell-input') ?? s.signals.get('code-input'),
    because: (m) => `${m}, and arbitrary commands or code run with every permission the server has`,
  },
  {
    id: 'risk.sql', to: () => 'Critical',
    applies: (s) => (s.flags.has('read-only-claim') ? undefined : s.signals.get('sql-input')),
    because: (m) => `${m}, and arbitrary SQL can change or drop data`,
  },
  {
    id: 'risk.sql-read-only', to: atLeast('High'), noteIfUnchanged: true,
    applies: (s) => (s.flags.has('read-only-claim') ? s.signals.get('sql-input') : undefined),
    because: (m) => `${m}; the definition says the SQL runs read-only, a claim the classifier cannot check, so any table the connection can see is readable`,
  },
  {
    id: 'risk.secret-read', to: atLeast('High'),
    applies: (s) => (isOneOf(s, 'Read') ? s.flags.get('secret-read') : undefined),
    because: (m) => `${m}, and a secret read into an agent's context can leak from there`,
  },
  {
    id: 'risk.credential-argument', to: atLeast('Medium'),
    applies: (s) => s.byRule.get('schema.prop.credential'),
    because: (m) => `${m}, so the agent handles a live secret`,
  },
  {
    id: 'risk.private-data', to: atLeast('Medium'),
    applies: (s) => (isOneOf(s, 'Read') ? s.signals.get('private-data') : undefined),
    because: (m) => `${m}`,
  },
  {
    id: 'risk.scratch', to: (r) => (r === 'Critical' ? 'High' : 'Low'),
    applies: scratch,
    because: (m) => `${m}, so a mistake stays within the caller's own data`,
  },
  {
    id: 'risk.open-world', to: upOne,
    applies: (s) => (isOneOf(s, 'Write', 'Execute') && !scratch(s) ? s.signals.get('open-world') ?? s.signals.get('recipient') : undefined),
    because: (m) => `${m}, so its effect reaches people outside the conversation and cannot be recalled`,
  },
  {
    id: 'risk.bulk', to: upOne,
    applies: (s) => (isOneOf(s, 'Write', 'Execute') && !scratch(s) ? s.signals.get('bulk') : undefined),
    because: (m) => `${m}, so one call can change many things`,
  },
  {
    id: 'risk.admin-scope', to: upOne,
    applies: (s) => (isOneOf(s, 'Write', 'Execute') ? s.signals.get('admin-scope') : undefined),
    because: (m) => `${m}, so a mistake changes who may do what`,
  },
  {
    id: 'risk.irreversible', to: upOne,
    applies: (s) => (isOneOf(s, 'Write', 'Execute') ? s.signals.get('irreversible') : undefined),
    because: (m) => `${m}`,
  },
  {
    id: 'risk.poisoning', to: atLeast('High'), noteIfUnchanged: true,
    applies: (s) => s.flags.get('poisoning'),
    because: (m) => `${m}; text that tries to steer the model is a finding in its own right (tool poisoning)`,
  },
];

export interface AppliedMove {
  id: string;
  from: Risk;
  to: Risk;
  sentence: string;
}

/** Applies the rubric; returns the final risk and one sentence per move that changed it (or notes itself). */
export function assessRisk(s: RiskState): { risk: Risk; moves: AppliedMove[] } {
  let risk = BASE_RISK[s.category];
  const moves: AppliedMove[] = [];
  for (const move of RISK_MOVES) {
    const hit = move.applies(s);
    if (!hit) continue;
    const to = move.to(risk);
    const because = move.because(hit.message);
    if (to !== risk) {
      const verb = rank(to) > rank(risk) ? 'rises' : 'falls';
      moves.push({ id: move.id, from: risk, to, sentence: `Risk ${verb} from ${risk} to ${to} because ${because}.` });
      risk = to;
    } else if (move.noteIfUnchanged) {
      moves.push({ id: move.id, from: risk, to, sentence: `Risk stays ${risk}: ${because}.` });
    }
  }
  return { risk, moves };
}
