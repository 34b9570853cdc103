/**
 * Every heuristic rule, in the order the engine applies them. Order matters: rules that depend on earlier
 * votes (guards, `supersedes`) come after the rules they look at.
 */
import { NAME_RULES } from './rules-name.ts';
import { LEAD_RULES, TEXT_RULES } from './rules-description.ts';
import { ROUTER_RULES } from './rules-router.ts';
import { SCHEMA_RULES } from './rules-schema.ts';
import { CONTEXT_RULES } from './rules-context.ts';
import { EFFECT_RULES } from './rules-effect.ts';
import { CODE_RULES } from './rules-code.ts';
import type { Rule } from './rule-types.ts';

/** All rules; ids are unique (checked by `rules.test.ts`). */
export const RULES: readonly Rule[] = [
  ...NAME_RULES, ...LEAD_RULES, ...TEXT_RULES, ...ROUTER_RULES, ...SCHEMA_RULES, ...EFFECT_RULES, ...CONTEXT_RULES, ...CODE_RULES,
];
