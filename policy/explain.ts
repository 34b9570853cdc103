/**
 * One-sentence plain-English explanations of policy rules, for catalogue pages.
 */
import type { Condition, DenyRule, Limit, ToolRule } from './types.ts';

const OPS: Readonly<Record<Condition['op'], string>> = {
  eq: 'is', neq: 'is not', in: 'is one of', not_in: 'is not one of', lt: 'is less than', lte: 'is at most',
  gt: 'is greater than', gte: 'is at least', regex: 'matches', contains: 'contains', exists: 'is present',
};

const MAX_VALUE_CHARS = 40;

function showValue(c: Condition): string {
  if (c.op === 'regex') {
    const v = String(c.value);
    return ` /${v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS - 1)}…` : v}/`;
  }
  if (Array.isArray(c.value)) return ` ${c.value.map((x) => JSON.stringify(x)).join(', ')}`;
  return ` ${typeof c.value === 'number' ? String(c.value) : JSON.stringify(c.value)}`;
}

/** "command matches /…/", "amount is greater than 10000", "dry_run is absent". */
export function explainCondition(c: Condition): string {
  const arg = c.path.startsWith('args.') ? c.path.slice(5) : c.path;
  if (c.op === 'exists') return `${arg} ${c.value === false ? 'is absent' : 'is present'}`;
  return `${arg} ${OPS[c.op]}${showValue(c)}`;
}

function explainLimit(l: Limit): string {
  return `at most ${l.max} call${l.max === 1 ? '' : 's'} per ${l.window} per grant`;
}

/** Deny rules as clauses; single-condition rules on the same argument and operator are merged. */
function explainDenies(rules: readonly DenyRule[]): string[] {
  const groups = new Map<string, Condition[]>();
  const out: string[] = [];
  for (const d of rules) {
    const only = d.conditions.length === 1 ? d.conditions[0] : undefined;
    if (!only || only.op === 'exists') {
      out.push(`calls whose ${d.conditions.map(explainCondition).join(' and ')} are denied`);
      continue;
    }
    const key = `${only.path}\u0000${only.op}`;
    const g = groups.get(key);
    if (g) g.push(only);
    else groups.set(key, [only]);
  }
  const merged: string[] = [];
  for (const g of groups.values()) {
    const first = g[0];
    if (!first) continue;
    const arg = explainCondition(first).slice(0, -showValue(first).length);
    const values = g.map((c) => showValue(c).trim());
    const list = values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
    merged.push(`calls whose ${arg} ${list} are denied`);
  }
  return [...merged, ...out];
}

/**
 * A one-sentence explanation of `rule`, e.g. "Allowed, at most 10 calls per minute per grant; calls whose
 * command matches /…/ are denied." Regex values longer than 60 characters are cut with "…".
 */
export function explainToolRule(rule: ToolRule): string {
  const deny = rule.deny_if ?? [];
  const approval = deny.some((d) => d.conditions.length === 0);
  const conditional = deny.filter((d) => d.conditions.length > 0);
  const parts: string[] = [];
  if (approval) {
    parts.push('Denied until a human approves the call');
    if (conditional.length > 0) parts.push(`${explainDenies(conditional).join('; ')} regardless`);
    return `${parts.join('; ')}.`;
  }
  const limits = rule.limits ?? [];
  const head = limits.length > 0 ? `Allowed, ${limits.map(explainLimit).join(' and ')}` : 'Allowed without limits';
  parts.push(head);
  if (rule.require && rule.require.length > 0) parts.push(`only calls whose ${rule.require.map(explainCondition).join(' and ')} are accepted`);
  parts.push(...explainDenies(conditional));
  return `${parts.join('; ')}.`;
}
