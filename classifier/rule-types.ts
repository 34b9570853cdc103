/**
 * The shape of a classifier rule (STYLE.md "Heuristics as data"): an id, what it concludes, a message and a
 * table of examples that must and must not match, checked by `rules.test.ts`.
 */
import type { Features } from './features.ts';
import type { Category, EvidenceSource, ServerContext, SignalKind, ToolAnnotations } from '../records/index.ts';

/** Markers a rule can set for the risk rubric (RUBRIC.md) without voting on a category. */
export type RuleFlag = 'read-only-claim' | 'secret-read' | 'scratch' | 'poisoning';

/** A tool definition as written in rule examples: only `name` is required. */
export interface RuleExample {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotations;
  server?: ServerContext;
}

/** What a rule's test returns when it matches. */
export interface RuleMatch {
  source: EvidenceSource;
  /** Verbatim text from the definition (cut to 200 characters by the engine). */
  quote: string;
  /** Short text substituted for `{match}` in the message, e.g. the verb or the property name. */
  match: string;
  /** Signal detail, e.g. `argument "command" (string)`; defaults to the rendered message. */
  detail?: string;
}

/** Read-only view of the rules applied so far, for rules that depend on others. */
export interface RuleContext {
  fired(ruleId: string): boolean;
  /** Sum of category weights of the rules applied so far. */
  votes(category: Category): number;
  hasSignal(kind: SignalKind): boolean;
}

export interface Rule {
  /** Stable id, `<source>.<kind>.<what>`, e.g. `name.verb.delete`. */
  id: string;
  /** Completes "… because <message>"; `{match}` is replaced with the match. */
  message: string;
  /** Category this rule votes for, with `weight` (default 1). */
  category?: Category;
  weight?: number;
  signal?: SignalKind;
  flag?: RuleFlag;
  /** Ids of rules whose category vote this rule replaces when both fire (`create` + `refund` → Financial). */
  supersedes?: readonly string[];
  test(f: Features, ctx: RuleContext): RuleMatch | null;
  examples: { match: readonly RuleExample[]; noMatch: readonly RuleExample[] };
}

/** A rule that fired on a tool. */
export interface Hit {
  rule: Rule;
  source: EvidenceSource;
  quote: string;
  /** The rule's message with `{match}` filled in. */
  message: string;
  detail: string;
  /** True when a later rule superseded this rule's category vote. */
  superseded: boolean;
}
