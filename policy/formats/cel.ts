/**
 * agentgateway `mcpAuthorization`: a list of CEL rules, a call allowed when one rule is true (and a tool hidden from
 * `tools/list` when none can be). Rules read `mcp.tool.name` and `mcp.tool.arguments` (the call's JSON arguments).
 * Parsed (and, in the equivalence test, evaluated) with `@marcbachmann/cel-js`. Mapping: policy/FORMATS.md.
 */
import { evaluate, parse as parseCel } from '@marcbachmann/cel-js';
import { Document, parse as parseYaml } from 'yaml';
import { getOwn } from '../../records/index.ts';
import type { Condition } from '../types.ts';
import { allowsUnlisted, isPortableRegex, isWellFormed, pathArgument, planTools, toolClass, unlistedLimited } from './plan.ts';
import type { Degradation, PolicyFormat } from './types.ts';

/** A CEL string literal for `s` (JSON escapes are CEL escapes), or null when `s` has a lone surrogate. */
export function celString(s: string): string | null {
  return isWellFormed(s) ? JSON.stringify(s) : null;
}

const ARGS = 'mcp.tool.arguments';
const NUMERIC = (v: string) => `(type(${v}) == int || type(${v}) == uint || type(${v}) == double)`;

function celDouble(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  const s = String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** `present` (every segment of the path there, through maps) and `value` expressions for `args.a.b`, or null. */
function access(path: string): { present: string; value: string } | null {
  const segs = pathArgument(path).segments.map(celString);
  if (segs.some((s) => s === null)) return null;
  let value = ARGS;
  const checks: string[] = [];
  segs.forEach((s, i) => {
    if (i > 0) checks.push(`type(${value}) == map`);
    checks.push(`${s} in ${value}`);
    value = `${value}[${s}]`;
  });
  return { present: `(${checks.join(' && ')})`, value };
}

/** A CEL test that `v` equals the JSON scalar `x` (no cross-type equality), or null for arrays, objects, null. */
function equals(v: string, x: unknown): string | null {
  if (typeof x === 'string') {
    const s = celString(x);
    return s === null ? null : `(type(${v}) == string && ${v} == ${s})`;
  }
  if (typeof x === 'boolean') return `(type(${v}) == bool && ${v} == ${x})`;
  if (typeof x === 'number') {
    const d = celDouble(x);
    return d === null ? null : `(${NUMERIC(v)} && double(${v}) == ${d})`;
  }
  return null;
}

/** The CEL form of `c` with our semantics (policy/evaluate.ts), or null when it cannot be written exactly. */
export function celCondition(c: Condition): string | null {
  const a = access(c.path);
  if (a === null) return null;
  const { present, value: v } = a;
  if (c.op === 'exists') return c.value === false ? `!${present}` : present;
  const with$ = (test: string | null) => (test === null ? null : `(${present} && ${test})`);
  switch (c.op) {
    case 'eq': return with$(equals(v, c.value));
    case 'neq': { const e = equals(v, c.value); return e === null ? null : with$(`!${e}`); }
    case 'in':
    case 'not_in': {
      if (!Array.isArray(c.value)) return null;
      const tests = c.value.map((x) => equals(v, x));
      if (tests.some((t) => t === null)) return null;
      const any = tests.length === 0 ? 'false' : `(${tests.join(' || ')})`;
      return with$(c.op === 'in' ? any : `!${any}`);
    }
    case 'lt': case 'lte': case 'gt': case 'gte': {
      const d = typeof c.value === 'number' ? celDouble(c.value) : null;
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[c.op];
      return d === null ? null : with$(`(${NUMERIC(v)} && double(${v}) ${op} ${d})`);
    }
    case 'regex': {
      const re = typeof c.value === 'string' && isPortableRegex(c.value) ? celString(c.value) : null;
      return re === null ? null : with$(`(type(${v}) == string && ${v}.matches(${re}))`);
    }
    case 'contains': {
      if (typeof c.value !== 'string') return null;
      const s = celString(c.value);
      return s === null ? null : with$(`((type(${v}) == string && ${v}.contains(${s})) || (type(${v}) == list && ${v}.exists(x, type(x) == string && x == ${s})))`);
    }
    default: return null;
  }
}

export const cel: PolicyFormat = {
  id: 'cel',
  title: 'agentgateway mcpAuthorization (CEL)',
  dir: 'cel',
  ext: 'yaml',
  contentType: 'application/yaml; charset=utf-8',
  caveats: [
    'CEL rules cannot count calls or ask a human: a rate-limited tool or one that needs approval gets no rule, so it is denied.',
    'A condition CEL cannot say exactly (a regex with lookaround, an array or object value) denies every call of that rule\'s tool when its other conditions hold.',
    'Rules allow; a tool with no true rule is denied and left out of tools/list.',
  ],
  render(policy) {
    const rules: string[] = [];
    const degraded: Degradation[] = [];
    const plans = planTools(policy);
    const strict = allowsUnlisted(policy) && plans.some((t) => toolClass(t) !== 'allow' && celString(t.name) === null);
    if (unlistedLimited(policy)) degraded.push({ tool: '*', becomes: 'deny', reason: 'CEL rules cannot count calls, so tools the policy does not name get no rule' });
    else if (allowsUnlisted(policy) && !strict) {
      // Names that cannot be CEL strings are all allowed outright here (else `strict`), so the default rule may let them by.
      const named = plans.flatMap((t) => celString(t.name) ?? []);
      rules.push(named.length > 0 ? `!(mcp.tool.name in [${named.join(', ')}])` : 'true');
    }
    if (strict) degraded.push({ tool: '*', becomes: 'deny', reason: 'a restricted tool name cannot be a CEL string, so default allow became default deny' });
    for (const t of plans) {
      const cls = toolClass(t);
      if (cls === 'deny') continue;
      const lit = celString(t.name);
      if (lit === null) { degraded.push({ tool: t.name, becomes: 'deny', reason: 'its name cannot be a CEL string' }); continue; }
      if (cls === 'approval' || t.limits.length > 0) {
        degraded.push({ tool: t.name, becomes: 'deny', reason: cls === 'approval' ? 'CEL rules cannot ask for approval' : 'CEL rules cannot count calls' });
        continue;
      }
      const required = t.require.map(celCondition);
      if (required.some((r) => r === null)) { degraded.push({ tool: t.name, becomes: 'deny', reason: 'a required condition cannot be written in CEL' }); continue; }
      let widened = false;
      const denies = t.denyWhen.map((conds) => {
        const parts = conds.map((c) => celCondition(c) ?? (widened = true, 'true'));
        return `!(${parts.join(' && ')})`;
      });
      if (widened) degraded.push({ tool: t.name, becomes: 'deny', reason: 'a deny condition CEL cannot write denies whenever the rule\'s other conditions hold' });
      rules.push([`mcp.tool.name == ${lit}`, ...(required as string[]), ...denies].join(' && '));
    }
    const doc = new Document(new Map([['mcpAuthorization', new Map([['rules', rules]])]]));
    doc.commentBefore = ' agentgateway policies: mcpAuthorization (CEL). Recommended by mcp-catalogue; place under a route\'s or backend\'s policies.';
    return { text: doc.toString({ lineWidth: 0 }), degraded: degraded.sort((a, b) => (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)) };
  },
  validate(text) {
    let doc: unknown;
    try {
      doc = parseYaml(text, { uniqueKeys: true, maxAliasCount: 0 });
    } catch (error) {
      return [`not YAML: ${(error as Error).message}`];
    }
    const rules = getOwn(getOwn(doc, 'mcpAuthorization'), 'rules');
    if (!Array.isArray(rules) || !rules.every((r) => typeof r === 'string')) return ['mcpAuthorization.rules must be a list of CEL expressions'];
    const errors: string[] = [];
    rules.forEach((r: string, i) => {
      try {
        parseCel(r);
        // Evaluates against an empty call: a rule must give a boolean (or an error, which the gateway treats as not true).
        const out = (() => { try { return evaluate(r, { mcp: { tool: { name: '', arguments: {} } } }) as unknown; } catch { return false; } })();
        if (typeof out !== 'boolean') errors.push(`rule ${i} does not give a boolean`);
      } catch (error) {
        errors.push(`rule ${i}: ${(error as Error).message}`);
      }
    });
    return errors;
  },
};
