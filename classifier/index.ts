/**
 * Public surface of the classification stage: a `ToolDefinition` in, a `Classification` out (DESIGN.md §4), and the
 * features of a tool that the policy recommender (policy/, DESIGN.md §5) reads. Rubric: classifier/RUBRIC.md.
 */
export { classifyTool, classifyToolCalibrated } from './classify.ts';
export { calibrate, fitCalibration, IDENTITY_CALIBRATION } from './calibration.ts';
export type { CalibrationTable, CalibrationKnot, CalibrationSample } from './calibration.ts';
export { CLASSIFIER_VERSION } from './version.ts';
export { RULES } from './rules.ts';
export { BASE_RISK, RISK_MOVES } from './risk.ts';
export { DEFAULT_CATEGORY, DEFAULT_CONFIDENCE } from './weigh.ts';
// What the policy recommender (policy/) reads of a tool.
export { extractFeatures } from './features.ts';
export type { Features, PropInfo } from './features.ts';
export { isAmountProp, isCodeProp, isPathProp, isShellProp, isSqlProp, isUrlProp } from './rules-schema.ts';
export { classifyJsonl, DEFAULT_MAX_LINE_BYTES, readLines, toOutputLine, OUTPUT_FIELDS } from './jsonl.ts';
export type { ClassifyJsonlOptions } from './jsonl.ts';
export { describeIssues, toolLineSchema } from './tool-line.ts';
export type { ToolLine } from './tool-line.ts';
export { CATEGORIES, RISKS, SIGNAL_KINDS } from '../records/index.ts';
export type {
  Category,
  Risk,
  ToolAnnotations,
  ToolDefinition,
  ServerContext,
  EvidenceSource,
  Evidence,
  SignalKind,
  Signal,
  ClassificationMethod,
  Classification,
} from '../records/index.ts';
export type { Rule, RuleExample, RuleMatch, RuleFlag } from './rule-types.ts';

// The LLM stage (issue 4 item 5; RUBRIC.md §7).
export { createLlmStage } from './llm/stage.ts';
export type { LlmStage, LlmOutcome, LlmStatus, LlmSummary, DryRunRequest } from './llm/stage.ts';
export { llmSettingsSchema } from './llm/settings.ts';
export type { LlmSettings, LlmSettingsInput } from './llm/settings.ts';
export { LlmError, LLM_ERROR_CODES } from './llm/errors.ts';
export type { LlmErrorCode } from './llm/errors.ts';
export { PROMPT_VERSION, buildRequest } from './llm/prompt.ts';
export type { ChatRequest } from './llm/prompt.ts';
export { answerSchema, parseAnswer } from './llm/answer.ts';
export type { LlmAnswer } from './llm/answer.ts';
export { FLOOR_MOVES, heuristicFloor } from './llm/floor.ts';
export type { Floor } from './llm/floor.ts';
export { reconcile } from './llm/reconcile.ts';
export type { Disagreement, ReconcileMode } from './llm/reconcile.ts';
export { llmToolHash } from './llm/cache.ts';
export { describeLlmSummary } from './llm/summary.ts';
