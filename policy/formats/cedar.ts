/**
 * ToolHive authorization config, `type: cedarv1` (JSON): Cedar `permit` / `forbid` policies on
 * `Action::"call_tool"` and `Tool::"<name>"`, argument conditions on the tool's `arg_<name>` attributes, which ToolHive
 * fills from the call's top-level arguments. Cedar denies what no `permit` allows, and a `forbid` beats every `permit`.
 * ToolHive passes string and boolean arguments as they are, numbers as decimals and other values only as present
 * ({@link deniedCondition}). Checked with the Cedar engine's WebAssembly build (`@cedar-policy/cedar-wasm`), which also evaluates the policies in
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

/**
 * How ToolHive hands a call's arguments to Cedar (its `preprocessArguments` and entity conversion): a top-level string
 * or boolean argument `k` becomes the Tool's attribute `arg_k` as it is; a number becomes a Cedar `decimal` (and is
 * dropped when it does not fit one); any other value (array, object, null) only sets `arg_k_present` to true.
 */
const attr = (name: string, suffix = '') => cedarString(`arg_${name}${suffix}`);

/** A Cedar test that the string or boolean `v` equals `resource["arg_k"]`, or null for other values. */
function equalsLiteral(k: string, v: unknown): string | null {
  const a = attr(k);
  const lit = typeof v === 'string' ? cedarString(v) : typeof v === 'boolean' ? String(v) : null;
  return a === null || lit === null ? null : `(resource has ${a} && resource[${a}] == ${lit})`;
}

/**
 * The Cedar form of a required condition (the call is forbidden unless it holds), or null when Cedar cannot say it
 * exactly: only `eq` / `in` with string or boolean values on a top-level argument, which hold in both exactly when
 * the argument is that string or boolean.
 */
function requiredCondition(c: Condition): string | null {
  const p = pathArgument(c.path);
  if (p.nested || (c.op !== 'eq' && c.op !== 'in')) return null;
  const values = c.op === 'in' ? (Array.isArray(c.value) ? c.value : null) : [c.value];
  const tests = values?.map((v) => equalsLiteral(p.name, v));
  if (!tests || tests.some((t) => t === null)) return null;
  return tests.length === 0 ? 'false' : `(${tests.join(' || ')})`;
}

/**
 * A Cedar condition that holds whenever deny condition `c` holds: exact for `eq` / `in` with string or boolean values,
 * else widened to "the argument was passed" (`arg_k` or `arg_k_present`) where ToolHive always passes it, and to `true`
 * where it may drop the value (numbers outside Cedar's decimal, which every other operator can meet).
 */
function deniedCondition(c: Condition): { expr: string; exact: boolean } {
  const p = pathArgument(c.path);
  const value = attr(p.name);
  const present = attr(p.name, '_present');
  if (value === null || present === null) return { expr: 'true', exact: false };
  if (!p.nested && (c.op === 'eq' || c.op === 'in')) {
    const values = c.op === 'in' ? (Array.isArray(c.value) ? c.value : null) : [c.value];
    const tests = values?.map((v) => equalsLiteral(p.name, v));
    if (tests && tests.every((t) => t !== null)) return { expr: tests.length === 0 ? 'false' : `(${tests.join(' || ')})`, exact: true };
  }
  // A nested path needs its parent object (arg_k_present); regex needs a string (arg_k); contains a string or an array.
  if (p.nested && c.op !== 'exists') return { expr: `resource has ${present}`, exact: false };
  if (c.op === 'regex') return { expr: `resource has ${value}`, exact: false };
  if (c.op === 'contains') return { expr: `(resource has ${value} || resource has ${present})`, exact: false };
  return { expr: 'true', exact: false };
}

export const cedar: PolicyFormat = {
  id: 'cedar',
  title: 'ToolHive Cedar authorization',
  dir: 'cedar',
  ext: 'json',
  contentType: 'application/json; charset=utf-8',
  caveats: [
    'Cedar cannot count calls or ask a human: a rate-limited tool or one that needs approval is forbidden.',
    'Cedar has no regex and ToolHive passes numbers as decimals and arrays or objects only as present: a condition other than equality with a string or boolean forbids every call that carries the argument (or every call, for comparisons and exists).',
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
      const required = t.require.map(requiredCondition);
      if (required.some((r) => r === null)) {
        policies.push(`forbid(${scope});`);
        degraded.push({ tool: t.name, becomes: 'deny', reason: 'a required condition cannot be written in Cedar' });
        continue;
      }
      if (!openDefault) policies.push(`permit(${scope});`);
      for (const r of required) policies.push(`forbid(${scope}) when { !(${r}) };`);
      let widened = false;
      for (const conds of t.denyWhen) {
        const parts = conds.map(deniedCondition);
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
