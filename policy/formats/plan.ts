/**
 * What every format needs to know of a policy, tool by tool: the class of each listed or hidden tool's rule. Names are
 * kept in a Map and sorted by code unit, never used as object keys.
 * @internal
 */
import { isHidden, ruleOf } from '../evaluate.ts';
import type { Condition, Limit, Policy, ToolRule } from '../types.ts';

/** One tool named in the policy (under `tools` or `hide`). */
export interface ToolPlan {
  name: string;
  hidden: boolean;
  rule: ToolRule | undefined;
  /** A deny rule with no conditions: the tool needs a human's approval for every call. */
  approval: boolean;
  /** The condition lists of the deny rules that have conditions (each list denies when all of its conditions hold). */
  denyWhen: Condition[][];
  require: Condition[];
  /** The tool's limits plus `all_tools.limits`. */
  limits: Limit[];
}

export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every tool the policy names (in `tools` or `hide`, `"*"` in `hide` excluded), sorted by name. */
export function planTools(policy: Policy): ToolPlan[] {
  const names = new Set<string>([...Object.keys(policy.tools), ...(policy.hide ?? []).filter((h) => h !== '*')]);
  const shared = policy.all_tools?.limits ?? [];
  return [...names].sort(byCodeUnit).map((name) => {
    const rule = ruleOf(policy, name);
    const deny = rule?.deny_if ?? [];
    return {
      name,
      hidden: isHidden(policy, name),
      rule,
      approval: deny.some((d) => d.conditions.length === 0),
      denyWhen: deny.filter((d) => d.conditions.length > 0).map((d) => d.conditions),
      require: rule?.require ?? [],
      limits: [...(rule?.limits ?? []), ...shared],
    };
  });
}

/** `hide: ["*"]`: every tool is hidden. */
export const hidesAll = (policy: Policy): boolean => (policy.hide ?? []).includes('*');

/** Whether a policy with `default: "allow"` lets tools it does not name through (false when everything is hidden). */
export const allowsUnlisted = (policy: Policy): boolean => policy.default === 'allow' && !hidesAll(policy);

/** `default: "allow"` with `all_tools.limits`: tools the policy does not name are allowed only within counted limits. */
export const unlistedLimited = (policy: Policy): boolean => allowsUnlisted(policy) && (policy.all_tools?.limits ?? []).length > 0;

/** The plain class of a tool: what an allow / ask / deny format would need to say of it. */
export function toolClass(t: ToolPlan): 'deny' | 'approval' | 'conditional' | 'limited' | 'allow' {
  if (t.hidden) return 'deny';
  if (t.rule === undefined) return 'deny';
  if (t.approval) return 'approval';
  if (t.denyWhen.length > 0 || t.require.length > 0) return 'conditional';
  if (t.limits.length > 0) return 'limited';
  return 'allow';
}

/** A well-formed Unicode string (no lone surrogates): what UTF-8 based formats can carry. */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i += 1;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** The argument name and whether the path is nested: `args.a` → `{ name: "a", nested: false }`. */
export function pathArgument(path: string): { name: string; nested: boolean; segments: string[] } {
  const segments = path.slice(5).split('.');
  return { name: segments[0] ?? '', nested: segments.length > 1, segments };
}

/** An ECMAScript pattern that RE2-family engines (CEL `matches`) read the same: no lookaround, backreferences or named groups. */
export function isPortableRegex(pattern: string): boolean {
  return !/\(\?[=!<]|\\[1-9]|\\k</.test(pattern);
}
