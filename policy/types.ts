/**
 * The recommended gateway policy document, `policy.json` version "1" (DESIGN.md §5).
 * The JSON Schema that validates it is `policy/policy.schema.json`.
 */

export type Window = 'minute' | 'hour' | 'day';

/** A rate limit: at most `max` calls per `window`, counted per grant. */
export interface Limit {
  counter: string;
  window: Window;
  max: number;
  scope: 'grant';
}

export type ConditionOp = 'eq' | 'neq' | 'in' | 'not_in' | 'lt' | 'lte' | 'gt' | 'gte' | 'regex' | 'contains' | 'exists';

/** A condition on a call's arguments; `path` is `args.<name>` (dotted for nested properties). */
export interface Condition {
  path: string;
  op: ConditionOp;
  value?: unknown;
}

/** Denies a call when every condition holds; empty `conditions` denies every call ("requires approval"). */
export interface DenyRule {
  conditions: Condition[];
  on_deny: string;
}

export interface ToolRule {
  require?: Condition[];
  deny_if?: DenyRule[];
  limits?: Limit[];
}

export interface Policy {
  version: '1';
  default: 'allow' | 'deny';
  hide?: string[];
  all_tools?: { limits: Limit[] };
  tools: Record<string, ToolRule>;
}
