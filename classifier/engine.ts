/**
 * Applies the rules, in order, to one tool's features.
 * @internal
 */
import type { Features } from './features.ts';
import type { Hit, Rule, RuleContext } from './rule-types.ts';
import { cut } from './text.ts';
import type { Category, SignalKind } from './types.ts';

/**
 * Every rule that fired on `f`, in rule order; superseded category votes are marked, not removed.
 * Guards see the votes as they stand when their rule runs.
 */
export function runRules(rules: readonly Rule[], f: Features): Hit[] {
  const hits: Hit[] = [];
  const byId = new Map<string, Hit>();
  const ctx: RuleContext = {
    fired: (id) => byId.has(id),
    votes(category: Category): number {
      let sum = 0;
      for (const h of hits) if (!h.superseded && h.rule.category === category) sum += h.rule.weight ?? 1;
      return sum;
    },
    hasSignal: (kind: SignalKind) => hits.some((h) => h.rule.signal === kind),
  };
  for (const rule of rules) {
    const m = rule.test(f, ctx);
    if (!m) continue;
    const message = rule.message.replace('{match}', m.match);
    const hit: Hit = { rule, source: m.source, quote: cut(m.quote), message, detail: m.detail ?? message, superseded: false };
    for (const id of rule.supersedes ?? []) {
      const old = byId.get(id);
      if (old) old.superseded = true;
    }
    hits.push(hit);
    byId.set(rule.id, hit);
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
