/**
 * ToolHive authorization config, `type: cedarv1` (JSON): Cedar `permit` / `forbid` policies on
 * `Action::"call_tool"` and `Tool::"<name>"`, argument conditions on the tool's `arg_<name>` attributes, which ToolHive
 * fills from the call's top-level arguments. Cedar denies what no `permit` allows, and a `forbid` beats every `permit`.
 * Checked with the Cedar engine's WebAssembly build (`@cedar-policy/cedar-wasm`), which also evaluates the policies in
 * the equivalence test. Mapping and limits: policy/FORMATS.md.
 */
import { checkParsePolicySet } from '@cedar-policy/cedar-wasm/nodejs';
import { getOwn } from '../../records/index.ts';
import type { Condition } from '../types.ts';
import { allowsUnlisted, isWellFormed, pathArgument, planTools, toolClass, unlistedLimited, type ToolPlan } from './plan.ts';
import type { Degradation, PolicyFormat } from './types.ts';

/** A Cedar string literal for `s`, or null when `s` has a lone surrogate (Cedar strings are Unicode scalar values). */
export function cedarString(s: string): string | null {
  if (!isWellFormed(s)) return null;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

const ACTION = 'action == Action::"call_tool"';

/** A Cedar literal for a JSON value ToolHive passes as it is: a string, a boolean or an integer Cedar's Long holds. */
function cedarValue(v: unknown): string | null {
  if (typeof v === 'string') return cedarString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}

/** The Cedar form of condition `c`: exact, or null when Cedar cannot say it (no regex, no nested arguments). */
function exactCondition(c: Condition): string | null {
  const p = pathArgument(c.path);
  const attr = cedarString(`arg_${p.name}`);
  if (p.nested || attr === null) return null;
  const has = `resource has ${attr}`;
  const get = `resource[${attr}]`;
  if (c.op === 'exists') return c.value === false ? `!(${has})` : has;
  const values = c.op === 'in' || c.op === 'not_in' ? (Array.isArray(c.value) ? c.value : null) : [c.value];
  const lits = values?.map(cedarValue);
  if (!lits || lits.some((l) => l === null)) return null;
  const any = lits.length === 0 ? 'false' : lits.map((l) => `${get} == ${l}`).join(' || ');
  if (c.op === 'eq' || c.op === 'in') return `(${has} && (${any}))`;
  if (c.op === 'neq' || c.op === 'not_in') return `(${has} && !(${any}))`;
  return null;
}

/** A condition that holds whenever `c` holds (for deny rules): exact when possible, else "the argument is present". */
function widenedCondition(c: Condition): { expr: string; exact: boolean } {
  const exact = exactCondition(c);
  if (exact !== null) return { expr: exact, exact: true };
  const p = pathArgument(c.path);
  const attr = cedarString(`arg_${p.name}`);
  // Every operator but `exists` needs the argument present; a nested path's parent is passed as a whole, so presence
  // of the top-level argument is still necessary.
  return { expr: attr === null ? 'true' : `resource has ${attr}`, exact: false };
}

export const cedar: PolicyFormat = {
  id: 'cedar',
  title: 'ToolHive Cedar authorization',
  dir: 'cedar',
  ext: 'json',
  contentType: 'application/json; charset=utf-8',
  caveats: [
    'Cedar cannot count calls or ask a human: a rate-limited tool or one that needs approval is forbidden.',
    'Cedar has no regex: a regex, comparison or contains condition forbids every call that carries the argument.',
    'A name with a lone surrogate cannot be a Cedar string: the tool is not permitted (and default allow becomes default deny).',
  ],
  render(policy) {
    const policies: string[] = [];
    const degraded: Degradation[] = [];
    const plans = planTools(policy);
    const restricted = (t: ToolPlan) => toolClass(t) !== 'allow';
    const strict = allowsUnlisted(policy) && plans.some((t) => restricted(t) && cedarString(t.name) === null);
    const openDefault = allowsUnlisted(policy) && !strict && !unlistedLimited(policy);
    if (openDefault) policies.push(`permit(principal, ${ACTION}, resource);`);
    if (unlistedLimited(policy)) degraded.push({ tool: '*', becomes: 'deny', reason: 'Cedar cannot count calls, so tools the policy does not name are not permitted' });
    if (strict) degraded.push({ tool: '*', becomes: 'deny', reason: 'a restricted tool name cannot be a Cedar string, so default allow became default deny' });
    for (const t of plans) {
      const lit = cedarString(t.name);
      const cls = toolClass(t);
      if (lit === null) {
        if (cls !== 'deny') degraded.push({ tool: t.name, becomes: 'deny', reason: 'its name cannot be a Cedar string' });
        continue;
      }
      const scope = `principal, ${ACTION}, resource == Tool::${lit}`;
      if (cls === 'deny') {
        policies.push(`forbid(${scope});`);
        continue;
      }
      if (cls === 'approval' || t.limits.length > 0) {
        policies.push(`forbid(${scope});`);
        degraded.push({ tool: t.name, becomes: 'deny', reason: cls === 'approval' ? 'Cedar cannot ask for approval' : 'Cedar cannot count calls' });
        continue;
      }
      const required = t.require.map(exactCondition);
      if (required.some((r) => r === null)) {
        policies.push(`forbid(${scope});`);
        degraded.push({ tool: t.name, becomes: 'deny', reason: 'a required condition cannot be written in Cedar' });
        continue;
      }
      if (!openDefault) policies.push(`permit(${scope});`);
      for (const r of required) policies.push(`forbid(${scope}) when { !(${r}) };`);
      let widened = false;
      for (const conds of t.denyWhen) {
        const parts = conds.map(widenedCondition);
        widened ||= parts.some((x) => !x.exact);
        policies.push(`forbid(${scope}) when { ${parts.map((x) => x.expr).join(' && ')} };`);
      }
      if (widened) degraded.push({ tool: t.name, becomes: 'deny', reason: 'an argument condition Cedar cannot check forbids every call carrying that argument' });
    }
    const config = { version: '1.0', type: 'cedarv1', cedar: { policies, entities_json: '[]' } };
    return { text: `${JSON.stringify(config, null, 2)}\n`, degraded: degraded.sort((a, b) => (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)) };
  },
  validate(text) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      return [`not JSON: ${(error as Error).message}`];
    }
    const errors: string[] = [];
    if (getOwn(doc, 'version') !== '1.0') errors.push('version must be "1.0"');
    if (getOwn(doc, 'type') !== 'cedarv1') errors.push('type must be "cedarv1"');
    const body = getOwn(doc, 'cedar');
    const policies = getOwn(body, 'policies');
    if (!Array.isArray(policies) || !policies.every((p) => typeof p === 'string')) return [...errors, 'cedar.policies must be a list of policy texts'];
    if (typeof getOwn(body, 'entities_json') !== 'string') errors.push('cedar.entities_json must be a JSON text');
    policies.forEach((p: string, i) => {
      const answer = checkParsePolicySet({ staticPolicies: p });
      if (answer.type === 'failure') errors.push(`policy ${i}: ${answer.errors.map((e) => e.message).join('; ')}`);
    });
    return errors;
  },
};
