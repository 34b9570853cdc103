/**
 * Applies the rules, in order, to one tool's features.
 * @internal
 */
import type { Features } from './features.ts';
import type { Hit, Rule, RuleContext } from './rule-types.ts';
import { cut } from './text.ts';
import type { Category, SignalKind } from '../records/index.ts';

/**
 * Every rule that fired on `f`, in rule order; superseded category votes are marked, not removed.
 * Guards see the votes as they stand when their rule runs.
 */
export function runRules(rules: readonly Rule[], f: Features): Hit[] {
  const hits: Hit[] = [];
  const byId = new Map<string, Hit>();
  // Running totals, so guards that ask for votes do not walk the hits each time.
  const votes: Record<Category, number> = { Read: 0, Write: 0, Execute: 0, Destructive: 0, Financial: 0 };
  const signals = new Set<SignalKind>();
  const ctx: RuleContext = {
    fired: (id) => byId.has(id),
    votes: (category: Category) => votes[category],
    hasSignal: (kind: SignalKind) => signals.has(kind),
  };
  for (const rule of rules) {
    const m = rule.test(f, ctx);
    if (!m) continue;
    const message = rule.message.replace('{match}', m.match);
    const hit: Hit = { rule, source: m.source, quote: cut(m.quote), message, detail: m.detail ?? message, superseded: false };
    for (const id of rule.supersedes ?? []) {
      const old = byId.get(id);
      if (old && !old.superseded) {
        old.superseded = true;
        if (old.rule.category !== undefined) votes[old.rule.category] -= old.rule.weight ?? 1;
      }
    }
    hits.push(hit);
    byId.set(rule.id, hit);
    if (rule.category !== undefined) votes[rule.category] += rule.weight ?? 1;
    if (rule.signal !== undefined) signals.add(rule.signal);
  }
  // A rule also supersedes rules that fired after it (a name rule over a description rule).
  for (const h of hits) {
    for (const id of h.rule.supersedes ?? []) {
      const other = byId.get(id);
      if (other) other.superseded = true;
    }
  }
  return hits;
}
