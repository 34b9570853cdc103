/**
 * The decision `policy.json` version "1" gives one `tools/call` (DESIGN.md §5; policy/policy.schema.json), for one call
 * on its own: rate limits count calls over a window, so a call within them is allowed and they are left to the gateway.
 *
 * Order: a tool in `hide` (or `hide: ["*"]`) is denied; a tool with no own entry in `tools` gets `default`; a listed tool
 * is denied when one of its `require` conditions does not hold, or when every condition of one of its `deny_if` rules
 * holds (a rule with no conditions always holds: "requires approval"); otherwise it is allowed.
 *
 * A condition's `path` is `args.<name>[.<name>…]`, read through own properties of the call's arguments only. Every
 * operator but `exists` is false when the argument is absent. `eq`/`neq` compare JSON values structurally; `in`/`not_in`
 * test membership in the array `value`; `lt`/`lte`/`gt`/`gte` hold only between two numbers; `regex` holds only for a
 * string the ECMAScript pattern (no flags) matches somewhere; `contains` holds for a string containing the string
 * `value` or an array with an element equal to `value`; `exists` holds when presence equals `value` (default true).
 */
import { getOwn } from '../records/index.ts';
import type { Condition, Policy, ToolRule } from './types.ts';

/** One `tools/call`: the tool's name and its `arguments` object (anything else counts as no arguments). */
export interface ToolCall {
  name: string;
  arguments?: unknown;
}

export interface Decision {
  decision: 'allow' | 'deny';
  /** Why, in a few words: `hidden`, `default deny`, `requires approval`, the `on_deny` of the rule that held, … */
  reason: string;
}

const MISSING = Symbol('missing');

/** The value at `path` (`args.a.b`) in `args`, or MISSING. */
export function argumentAt(args: unknown, path: string): unknown {
  if (!path.startsWith('args.')) return MISSING;
  let value: unknown = args;
  for (const segment of path.slice(5).split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) return MISSING;
    value = getOwn(value, segment);
  }
  return value;
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(getOwn(a, k), getOwn(b, k)));
}

/** Whether condition `c` holds for `args` (semantics in the module comment). A regex that does not compile never holds. */
export function conditionHolds(c: Condition, args: unknown): boolean {
  const v = argumentAt(args, c.path);
  if (c.op === 'exists') return (v !== MISSING) === (c.value !== false);
  if (v === MISSING) return false;
  switch (c.op) {
    case 'eq': return jsonEqual(v, c.value);
    case 'neq': return !jsonEqual(v, c.value);
    case 'in': return Array.isArray(c.value) && c.value.some((x) => jsonEqual(v, x));
    case 'not_in': return Array.isArray(c.value) && !c.value.some((x) => jsonEqual(v, x));
    case 'lt': return typeof v === 'number' && typeof c.value === 'number' && v < c.value;
    case 'lte': return typeof v === 'number' && typeof c.value === 'number' && v <= c.value;
    case 'gt': return typeof v === 'number' && typeof c.value === 'number' && v > c.value;
    case 'gte': return typeof v === 'number' && typeof c.value === 'number' && v >= c.value;
    case 'regex': {
      if (typeof v !== 'string' || typeof c.value !== 'string') return false;
      try {
        return new RegExp(c.value).test(v);
      } catch {
        return false;
      }
    }
    case 'contains':
      if (typeof v === 'string') return typeof c.value === 'string' && v.includes(c.value);
      return Array.isArray(v) && v.some((x) => jsonEqual(x, c.value));
    default: return false;
  }
}

/** The rule of `name` under `policy` (own property only), or undefined. */
export function ruleOf(policy: Policy, name: string): ToolRule | undefined {
  return getOwn(policy.tools, name) as ToolRule | undefined;
}

/** Whether `policy` hides `name` (listed, or `"*"`). */
export function isHidden(policy: Policy, name: string): boolean {
  return (policy.hide ?? []).some((h) => h === '*' || h === name);
}

/** The decision `policy` gives `call` (semantics in the module comment). Never throws for a policy that validates. */
export function evaluatePolicy(policy: Policy, call: ToolCall): Decision {
  if (isHidden(policy, call.name)) return { decision: 'deny', reason: 'hidden' };
  const rule = ruleOf(policy, call.name);
  if (rule === undefined) return policy.default === 'allow' ? { decision: 'allow', reason: 'default allow' } : { decision: 'deny', reason: 'default deny' };
  const args = typeof call.arguments === 'object' && call.arguments !== null && !Array.isArray(call.arguments) ? call.arguments : {};
  for (const c of rule.require ?? []) if (!conditionHolds(c, args)) return { decision: 'deny', reason: `required condition on ${c.path} does not hold` };
  for (const d of rule.deny_if ?? []) if (d.conditions.every((c) => conditionHolds(c, args))) return { decision: 'deny', reason: d.conditions.length === 0 ? 'requires approval' : d.on_deny };
  return { decision: 'allow', reason: (rule.limits ?? []).length > 0 ? 'allowed within its limits' : 'allowed' };
}
