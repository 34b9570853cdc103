/**
 * Views of the recommended policy (DESIGN.md §5): the per-tool `policy.json` snippet shown on a tool page, and a
 * short label of a tool's rule for tables.
 * @internal
 */
import type { Policy, ToolRule } from '../records/index.ts';
import type { ToolView } from './model.ts';

/**
 * The rule that applies to `tool` under `policy`: its own entry; else `{}` when the policy allows unlisted tools and
 * the tool is not hidden; else undefined (denied by default or hidden).
 */
export function effectiveRule(policy: Policy, tool: ToolView): ToolRule | undefined {
  if (tool.rule !== undefined) return tool.rule;
  return policy.default === 'allow' && !tool.hidden ? {} : undefined;
}

/**
 * A complete policy document for one tool: version "1", default deny, the server's `all_tools` limits if any, the
 * tool under `hide` when the server policy hides it, and its rule under `tools` (empty when it has none).
 */
export function toolPolicy(policy: Policy, tool: ToolView): Policy {
  const rule = effectiveRule(policy, tool);
  return {
    version: '1',
    default: 'deny',
    ...(tool.hidden ? { hide: [tool.name] } : {}),
    ...(policy.all_tools && policy.all_tools.limits.length > 0 ? { all_tools: policy.all_tools } : {}),
    tools: rule === undefined ? {} : { [tool.name]: rule },
  };
}

/** Pretty JSON, two-space indent: what `policy.json` files and `<pre>` blocks contain. */
export function policyText(policy: Policy): string {
  return `${JSON.stringify(policy, null, 2)}\n`;
}

/** A few words for tables: `hidden`, `allowed`, `10 per minute`, `needs approval`, `denied (not listed)`. */
export function ruleLabel(policy: Policy | undefined, tool: ToolView): string {
  if (policy === undefined) return 'no policy yet';
  if (tool.hidden) return 'hidden';
  const rule = effectiveRule(policy, tool);
  if (rule === undefined) return 'denied (not listed)';
  const parts: string[] = [];
  for (const deny of rule.deny_if ?? []) parts.push(deny.conditions.length === 0 ? 'needs approval' : 'denied on some arguments');
  if ((rule.require ?? []).length > 0) parts.push('argument conditions');
  for (const limit of rule.limits ?? []) parts.push(`${limit.max} per ${limit.window}`);
  return parts.length === 0 ? 'allowed' : [...new Set(parts)].join(', ');
}
