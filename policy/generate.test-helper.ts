/**
 * Seeded generators of policies and calls for the format tests: tool and argument names include the hostile ones
 * (`__proto__`, quotes, backslashes, wildcards, line separators, a lone surrogate), conditions use every operator.
 */
import { seededRandom, setOwn } from '../records/index.ts';
import { PATH_TRAVERSAL, SHELL_DESTRUCTIVE, SQL_DDL, URL_INTERNAL } from './arg-conditions.ts';
import type { ToolCall } from './evaluate.ts';
import type { Condition, DenyRule, Policy, ToolRule } from './types.ts';

/** mulberry32 (records/prng.ts), so a failure names its seed and replays. */
export const rng = seededRandom;

export const TOOL_NAMES = ['read_file', 'run', 'pay', '__proto__', 'constructor', 'a b', 'q"uote', 'back\\slash', 'x*', 'line\nbreak', 'sep\u2028', 'lone\ud800', 'é-ü', 'mcp__x', '*'];
const ARG_NAMES = ['command', 'path', 'url', 'amount', 'flag', '__proto__', 'x y', 'q"'];
const PATTERNS = [SHELL_DESTRUCTIVE, PATH_TRAVERSAL, URL_INTERNAL, SQL_DDL, '^a', '(?=x)x', 'b$'];
const STRINGS = ['rm -rf /', 'ls', '../../etc/passwd', 'notes.txt', 'http://127.0.0.1/', 'https://example.com/', 'DROP TABLE t', 'a', 'xb', 'x', ''];
const NUMBERS = [0, 5, 10000, 10001, 2.5, -1];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

function randomValue(r: () => number): unknown {
  const k = r();
  if (k < 0.45) return pick(r, STRINGS);
  if (k < 0.7) return pick(r, NUMBERS);
  if (k < 0.8) return r() < 0.5;
  if (k < 0.9) return [pick(r, STRINGS), pick(r, NUMBERS)];
  return { inner: pick(r, STRINGS) };
}

function randomCondition(r: () => number): Condition {
  const path = r() < 0.15 ? `args.${pick(r, ARG_NAMES)}.inner` : `args.${pick(r, ARG_NAMES)}`;
  const op = pick(r, ['eq', 'neq', 'in', 'not_in', 'lt', 'lte', 'gt', 'gte', 'regex', 'contains', 'exists'] as const);
  switch (op) {
    case 'in': case 'not_in': return { path, op, value: [pick(r, STRINGS), pick(r, NUMBERS), ...(r() < 0.2 ? [[1]] : [])] };
    case 'lt': case 'lte': case 'gt': case 'gte': return { path, op, value: pick(r, NUMBERS) };
    case 'regex': return { path, op, value: pick(r, PATTERNS) };
    case 'contains': return { path, op, value: pick(r, STRINGS) };
    case 'exists': return { path, op, value: r() < 0.7 };
    default: return { path, op, value: r() < 0.8 ? randomValue(r) : { inner: 'x' } };
  }
}

function randomRule(r: () => number): ToolRule {
  const rule: ToolRule = {};
  if (r() < 0.2) rule.require = Array.from({ length: 1 + Math.floor(r() * 2) }, () => randomCondition(r));
  if (r() < 0.6) {
    rule.deny_if = Array.from({ length: 1 + Math.floor(r() * 3) }, (): DenyRule => (r() < 0.15
      ? { conditions: [], on_deny: 'Requires human approval.' }
      : { conditions: Array.from({ length: 1 + Math.floor(r() * 2) }, () => randomCondition(r)), on_deny: 'Blocked.' }));
  }
  if (r() < 0.25) rule.limits = [{ counter: 'c', window: pick(r, ['minute', 'hour', 'day'] as const), max: 1 + Math.floor(r() * 30), scope: 'grant' }];
  return rule;
}

export function randomPolicy(r: () => number): Policy {
  const tools: Record<string, ToolRule> = {};
  const names = TOOL_NAMES.filter(() => r() < 0.45);
  for (const n of names) if (n !== '*') setOwn(tools, n, randomRule(r));
  const hide = TOOL_NAMES.filter((n) => r() < (n === '*' ? 0.03 : 0.1));
  const policy: Policy = { version: '1', default: r() < 0.35 ? 'allow' : 'deny', tools };
  if (hide.length > 0) policy.hide = hide;
  if (r() < 0.1) policy.all_tools = { limits: [{ counter: 'all', window: 'hour', max: 100, scope: 'grant' }] };
  return policy;
}

export function randomCall(r: () => number, names: readonly string[]): ToolCall {
  const args: Record<string, unknown> = {};
  for (const a of ARG_NAMES) if (r() < 0.4) setOwn(args, a, randomValue(r));
  return { name: pick(r, [...names, 'unlisted_tool']), arguments: args };
}

