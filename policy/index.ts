/**
 * Public surface of policy: the `policy.json` version "1" types and JSON Schema, the recommender and its argument
 * conditions, explanations, validation, the recommend stage, and the export formats (policy/formats/index.ts).
 */
export {
  recommendToolRule,
  recommendPolicy,
  APPROVAL_MESSAGE,
  WRITE_PER_MINUTE,
  EXECUTE_PER_MINUTE,
  MIN_CONFIDENCE_TO_LIST,
} from './recommend.ts';
export { DEFAULT_AMOUNT_CAP } from './arg-conditions.ts';
export { explainToolRule, explainCondition } from './explain.ts';
export { validatePolicy } from './validate.ts';
export { recommendPolicies } from './stage.ts';
export type { Window, Limit, ConditionOp, Condition, DenyRule, ToolRule, Policy } from './types.ts';
export { evaluatePolicy } from './evaluate.ts';
export type { Decision, ToolCall } from './evaluate.ts';
export { FORMATS, FORMAT_IDS, formatById, SERVER_NAME, serverNameFromSlug } from './formats/index.ts';
export type { Degradation, ExportContext, FormatId, FormatOutput, PolicyFormat } from './formats/index.ts';
