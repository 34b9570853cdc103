/**
 * The formats' own engines, run on a call: Cedar's WebAssembly build for the ToolHive config, cel-js for the
 * agentgateway rules. What ToolHive and agentgateway hand the engines is modelled after their documentation:
 * ToolHive's Tool entity carries a top-level string or boolean argument `k` as `arg_k`, a number as a Cedar decimal
 * (dropped when it does not fit one), and anything else only as `arg_k_present: true` (its `preprocessArguments`);
 * agentgateway gives `mcp.tool.name` and `mcp.tool.arguments` (the JSON object).
 */
import { isAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { evaluate } from '@marcbachmann/cel-js';
import { parse } from 'yaml';
import type { ToolCall } from '../evaluate.ts';
import { isWellFormed } from './plan.ts';

export type Verdict = 'allow' | 'deny' | 'skip';

/** Cedar's decision on `call` under the ToolHive config `text`; `skip` when the call's name cannot be a Cedar id. */
export function cedarDecision(text: string, call: ToolCall): Verdict {
  if (!isWellFormed(call.name)) return 'skip';
  const config = JSON.parse(text) as { cedar: { policies: string[] } };
  const attrs: Record<string, unknown> = {};
  const args = typeof call.arguments === 'object' && call.arguments !== null ? call.arguments : {};
  const set = (key: string, value: unknown) => Object.defineProperty(attrs, key, { value, enumerable: true, configurable: true });
  for (const [k, v] of Object.entries(args)) {
    if (!isWellFormed(k)) continue;
    if (typeof v === 'string') {
      if (isWellFormed(v)) set(`arg_${k}`, v);
    } else if (typeof v === 'boolean') set(`arg_${k}`, v);
    else if (typeof v === 'number') {
      if (Number.isFinite(v) && Math.abs(v) < 9e14) set(`arg_${k}`, { __extn: { fn: 'decimal', arg: v.toFixed(4) } });
    } else set(`arg_${k}_present`, true);
  }
  const answer = isAuthorized({
    principal: { type: 'Client', id: 'user' },
    action: { type: 'Action', id: 'call_tool' },
    resource: { type: 'Tool', id: call.name },
    context: {},
    policies: { staticPolicies: config.cedar.policies.join('\n') },
    entities: [{ uid: { type: 'Tool', id: call.name }, attrs: attrs as never, parents: [] }],
  });
  if (answer.type === 'failure') throw new Error(`cedar: ${answer.errors.map((e) => e.message).join('; ')}`);
  return answer.response.decision === 'allow' ? 'allow' : 'deny';
}

/** agentgateway's decision on `call` under the rules in `text`: allowed when one rule is true (an error is not true). */
export function celDecision(text: string, call: ToolCall): Verdict {
  const doc = parse(text) as { mcpAuthorization: { rules: string[] } };
  const args = JSON.parse(JSON.stringify(call.arguments ?? {})) as unknown;
  const context = { mcp: { tool: { name: call.name, arguments: args } } };
  for (const rule of doc.mcpAuthorization.rules) {
    try {
      if (evaluate(rule, context) === true) return 'allow';
    } catch {
      // An evaluation error is not a match.
    }
  }
  return 'deny';
}
