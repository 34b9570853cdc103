/**
 * Intercept (PolicyLayer) YAML policy: `version: "1"`, `default`, `hide`, `tools.<name>.rules[]` with `action: deny`
 * and `conditions` on `args.*`, `rate_limit: N/<window>`, `on_deny`; `"*"` holds rules for every tool. Mapping and
 * limits: policy/FORMATS.md. Written with the `yaml` package; no schema of the format is published on npm, so the
 * check re-reads the file with `yaml` and checks the documented keys.
 */
import { Document, parse } from 'yaml';
import { getOwn } from '../../records/index.ts';
import type { Condition, ConditionOp } from '../types.ts';
import { allowsUnlisted, isWellFormed, planTools, toolClass } from './plan.ts';
import type { Degradation, PolicyFormat } from './types.ts';

/** A name Intercept would read as a pattern (`*`, `?`, `[`) or that YAML cannot carry: it cannot key a rule. */
const keyable = (name: string) => isWellFormed(name) && !/[*?[\]]/.test(name);

const NEGATION: Partial<Record<ConditionOp, ConditionOp>> = { eq: 'neq', neq: 'eq', in: 'not_in', not_in: 'in', lt: 'gte', gte: 'lt', lte: 'gt', gt: 'lte' };

function negate(c: Condition): Condition | null {
  if (c.op === 'exists') return { path: c.path, op: 'exists', value: c.value === false };
  const op = NEGATION[c.op];
  return op ? { path: c.path, op, value: c.value } : null;
}

const cond = (c: Condition) => (c.value === undefined ? { path: c.path, op: c.op } : { path: c.path, op: c.op, value: c.value });

export const intercept: PolicyFormat = {
  id: 'intercept',
  title: 'Intercept policy (YAML)',
  dir: 'intercept',
  ext: 'yaml',
  contentType: 'application/yaml; charset=utf-8',
  caveats: [
    'Intercept has no approval step: a tool that needs approval is denied.',
    'A required condition that cannot be negated (regex, contains) denies the whole tool.',
    'A tool whose name has *, ? or [ cannot key a rule: under default deny it stays denied; under default allow the default becomes deny.',
  ],
  render(policy) {
    const degraded: Degradation[] = [];
    const tools = new Map<string, { rules: unknown[] }>();
    const plans = planTools(policy);
    const strict = allowsUnlisted(policy) && plans.some((t) => !keyable(t.name) && toolClass(t) !== 'allow');
    for (const t of plans) {
      if (t.hidden || t.rule === undefined) continue;
      if (!keyable(t.name)) {
        degraded.push({ tool: t.name, becomes: 'deny', reason: 'its name cannot key an Intercept rule' });
        continue;
      }
      const rules: unknown[] = [];
      if (t.approval) {
        rules.push({ name: 'requires approval', action: 'deny', on_deny: 'Requires human approval.' });
        degraded.push({ tool: t.name, becomes: 'deny', reason: 'Intercept has no approval step' });
      } else {
        let whole = false;
        t.require.forEach((c, i) => {
          const n = negate(c);
          if (n) rules.push({ name: `required ${i + 1}`, action: 'deny', conditions: [cond(n)], on_deny: `Blocked: a required condition on ${c.path} does not hold.` });
          else whole = true;
        });
        if (whole) {
          rules.push({ name: 'required condition not expressible', action: 'deny', on_deny: 'Blocked: a required argument condition cannot be checked here.' });
          degraded.push({ tool: t.name, becomes: 'deny', reason: 'a required regex or contains condition cannot be negated' });
        }
        for (const d of t.rule.deny_if ?? []) {
          if (d.conditions.length > 0) rules.push({ name: `deny ${rules.length + 1}`, action: 'deny', conditions: d.conditions.map(cond), on_deny: d.on_deny });
        }
      }
      for (const l of t.rule.limits ?? []) rules.push({ name: l.counter, rate_limit: `${l.max}/${l.window}` });
      tools.set(t.name, { rules });
    }
    const shared = policy.all_tools?.limits ?? [];
    if (shared.length > 0) tools.set('*', { rules: shared.map((l) => ({ name: l.counter, rate_limit: `${l.max}/${l.window}` })) });
    const body = new Map<string, unknown>([
      ['version', '1'],
      ['description', 'Recommended by mcp-catalogue'],
      ['default', strict ? 'deny' : policy.default],
    ]);
    const hide = (policy.hide ?? []).filter(isWellFormed);
    if (hide.length > 0) body.set('hide', hide);
    body.set('tools', tools);
    if (strict) degraded.push({ tool: '*', becomes: 'deny', reason: 'a restricted tool name cannot key a rule, so default allow became default deny' });
    const doc = new Document(body);
    return { text: doc.toString({ lineWidth: 0 }), degraded: degraded.sort((a, b) => (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : 0)) };
  },
  validate(text) {
    const errors: string[] = [];
    let doc: unknown;
    try {
      doc = parse(text, { uniqueKeys: true, maxAliasCount: 0 });
    } catch (error) {
      return [`not YAML: ${(error as Error).message}`];
    }
    if (getOwn(doc, 'version') !== '1') errors.push('version must be "1"');
    if (!['allow', 'deny'].includes(String(getOwn(doc, 'default')))) errors.push('default must be allow or deny');
    const hide = getOwn(doc, 'hide');
    if (hide !== undefined && !(Array.isArray(hide) && hide.every((h) => typeof h === 'string'))) errors.push('hide must be a list of tool names');
    const tools = getOwn(doc, 'tools');
    if (typeof tools !== 'object' || tools === null) return [...errors, 'tools must be a map'];
    for (const [name, entry] of Object.entries(tools)) {
      const rules = getOwn(entry, 'rules');
      if (!Array.isArray(rules)) {
        errors.push(`tools.${JSON.stringify(name)}.rules must be a list`);
        continue;
      }
      for (const r of rules) {
        const rate = getOwn(r, 'rate_limit');
        const action = getOwn(r, 'action');
        if (typeof getOwn(r, 'name') !== 'string') errors.push(`a rule of ${JSON.stringify(name)} has no name`);
        if (rate !== undefined && !(typeof rate === 'string' && /^[0-9]+\/(minute|hour|day)$/.test(rate))) errors.push(`rate_limit ${JSON.stringify(rate)} of ${JSON.stringify(name)} is not N/minute|hour|day`);
        if (rate === undefined && action !== 'deny') errors.push(`a rule of ${JSON.stringify(name)} has neither rate_limit nor action deny`);
        const conditions = getOwn(r, 'conditions');
        if (conditions !== undefined && !(Array.isArray(conditions) && conditions.every((c) => typeof getOwn(c, 'path') === 'string' && String(getOwn(c, 'path')).startsWith('args.')))) errors.push(`conditions of ${JSON.stringify(name)} must be a list with args.* paths`);
      }
    }
    return errors;
  },
};
