/**
 * The policy recommender (DESIGN.md §5): a `policy.json` rule per tool and a policy per server.
 *
 * | category | rule |
 * |---|---|
 * | Read | `{}` (allowed) |
 * | Write | 30 calls per minute per grant, plus argument conditions (paths, URLs, SQL) |
 * | Execute | 10 calls per minute per grant, plus argument conditions (shell, code, SQL, paths, URLs) |
 * | Destructive | listed in `hide` **and** denied until approved (`deny_if` with empty conditions) |
 * | Financial | denied until approved, plus an amount cap on each money-amount argument |
 *
 * Destructive tools get both so the decision survives either edit an operator is likely to make: un-hiding
 * the tool still leaves it approval-gated, and switching `default` to "allow" still leaves it hidden.
 */
import { amountCapRules, argumentDenyRules } from './arg-conditions.ts';
import { extractFeatures } from '../classifier/index.ts';
import { CATEGORIES, setOwn, type Classification, type Limit, type Policy, type ToolDefinition, type ToolRule } from '../records/index.ts';

/** Message of the empty-condition deny rule, the way "requires approval" is written (DESIGN.md §5). */
export const APPROVAL_MESSAGE = 'Requires human approval.';
/** Calls per minute per grant for Write tools. */
export const WRITE_PER_MINUTE = 30;
/** Calls per minute per grant for Execute tools. */
export const EXECUTE_PER_MINUTE = 10;
/** Below this confidence a Read, Write or Execute tool is not listed, so the policy default (deny) decides. */
export const MIN_CONFIDENCE_TO_LIST = 0.35;

function rate(name: string, max: number): Limit {
  return { counter: `${name}_rate`, window: 'minute', max, scope: 'grant' };
}

/**
 * The recommended rule for one tool, keys in the order `require`, `deny_if`, `limits`.
 *
 * @returns the rule, or `null` when the tool should be left out of `tools` so the policy's `default`
 *   ("deny") decides: a Read, Write or Execute classification with confidence below
 *   {@link MIN_CONFIDENCE_TO_LIST} (a tool no rule matched). Destructive and Financial tools always get a
 *   denying rule.
 */
export function recommendToolRule(tool: ToolDefinition, classification: Classification): ToolRule | null {
  const { category, confidence } = classification;
  const name = tool.name;
  if (category === 'Destructive') return { deny_if: [{ conditions: [], on_deny: APPROVAL_MESSAGE }] };
  if (category === 'Financial') {
    const f = extractFeatures(tool);
    return { deny_if: [{ conditions: [], on_deny: APPROVAL_MESSAGE }, ...amountCapRules(f)] };
  }
  if (confidence < MIN_CONFIDENCE_TO_LIST) return null;
  const f = extractFeatures(tool);
  const readOnlySql = classification.ruleIds.includes('risk.sql-read-only');
  const denyIf = argumentDenyRules(f, readOnlySql);
  // A read is allowed without a limit, but not of any path or any URL: traversal, secrets and internal addresses
  // are denied for reads too (reading ~/.ssh or a cloud metadata endpoint is the harm).
  if (category === 'Read') return denyIf.length > 0 ? { deny_if: denyIf } : {};
  const limits = [rate(name, category === 'Execute' ? EXECUTE_PER_MINUTE : WRITE_PER_MINUTE)];
  return denyIf.length > 0 ? { deny_if: denyIf, limits } : { limits };
}

/**
 * The recommended policy for a set of tools (normally one server's): `version "1"`, `default "deny"`,
 * `hide` with the Destructive tools, `tools` keyed by exact tool name in sorted order. When a name occurs
 * twice the more dangerous classification wins. The result validates against `policy.schema.json`.
 *
 * Any non-empty string is a tool name, `__proto__` and `constructor` included: `tools` holds each as an own property
 * (so `JSON.stringify` writes it), and readers must look names up with `Object.hasOwn`. An empty name, which MCP does
 * not allow and the schema cannot hold, is left out, so the policy's `default` (deny) decides it.
 */
export function recommendPolicy(tools: ReadonlyArray<{ tool: ToolDefinition; classification: Classification }>): Policy {
  const chosen = new Map<string, { tool: ToolDefinition; classification: Classification }>();
  for (const entry of tools) {
    if (typeof entry.tool.name !== 'string' || entry.tool.name === '') continue;
    const prev = chosen.get(entry.tool.name);
    const rank = (c: Classification) => CATEGORIES.indexOf(c.category);
    if (!prev || rank(entry.classification) > rank(prev.classification)) chosen.set(entry.tool.name, entry);
  }
  const names = [...chosen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hide: string[] = [];
  const rules: Record<string, ToolRule> = {};
  for (const name of names) {
    const entry = chosen.get(name);
    if (!entry) continue;
    if (entry.classification.category === 'Destructive') hide.push(name);
    const rule = recommendToolRule(entry.tool, entry.classification);
    if (rule) setOwn(rules, name, rule);
  }
  return hide.length > 0
    ? { version: '1', default: 'deny', hide, tools: rules }
    : { version: '1', default: 'deny', tools: rules };
}
