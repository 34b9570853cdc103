/**
 * The command line's side of the LLM stage: settings from the configuration and the `classify` flags, and the
 * stored tools a run with `--llm` should revisit.
 */
import path from 'node:path';
import { createLlmStage, LlmError, CLASSIFIER_VERSION } from '../classifier/index.ts';
import type { Classification, DryRunRequest, LlmStage, ServerContext, ToolDefinition } from '../classifier/index.ts';
import type { Store } from '../records/index.ts';
import type { Config } from './config.ts';

/** The `classify` flags that concern the LLM stage. */
export interface LlmFlags {
  llm?: boolean;
  llmRationale?: boolean;
  dryRun?: boolean;
}

/**
 * The stage for this run, or undefined when neither `--llm` nor `--dry-run` was given. The answer cache lives in
 * `<dataDir>/llm-cache`. A dry run without a configured endpoint shows the requests with placeholders.
 * @throws LlmError `LLM_NOT_CONFIGURED` when `--llm` is given without MCP_CATALOGUE_LLM_BASE_URL and MCP_CATALOGUE_LLM_MODEL.
 */
export function openLlmStage(config: Config, flags: LlmFlags, onDryRun: (request: DryRunRequest) => void, signal?: AbortSignal): LlmStage | undefined {
  const dryRun = flags.dryRun === true;
  if (!flags.llm && !dryRun && !flags.llmRationale) return undefined;
  if (!dryRun && (config.llmBaseUrl === undefined || config.llmModel === undefined)) {
    throw new LlmError('LLM_NOT_CONFIGURED', '--llm needs an endpoint: set MCP_CATALOGUE_LLM_BASE_URL (an OpenAI-compatible base URL such as http://localhost:11434/v1) and MCP_CATALOGUE_LLM_MODEL');
  }
  return createLlmStage({
    baseUrl: config.llmBaseUrl ?? 'http://llm.invalid/v1',
    model: config.llmModel ?? '<MCP_CATALOGUE_LLM_MODEL unset>',
    apiKey: config.llmApiKey,
    cacheDir: path.join(config.dataDir, 'llm-cache'),
    confidenceThreshold: config.llmThreshold,
    rationale: flags.llmRationale === true,
    budgetCalls: config.llmBudgetCalls,
    budgetTokens: config.llmBudgetTokens,
    timeoutMs: config.llmTimeoutMs,
    dryRun,
  }, { onDryRun, signal });
}

export interface LlmCandidate {
  hash: string;
  definition: ToolDefinition;
  server: ServerContext;
  heuristic: Classification;
}

/**
 * Stored tools whose classification at the current classifier version came from the heuristic alone and that
 * the stage applies to, one per tool hash, leaving out `skip` (tools classified in this run).
 */
export async function storedLlmCandidates(store: Store, stage: LlmStage, skip: ReadonlySet<string>): Promise<LlmCandidate[]> {
  const out = new Map<string, LlmCandidate>();
  for (const entry of await store.catalogue(CLASSIFIER_VERSION)) {
    for (const { tool, classification } of entry.tools) {
      if (!classification || classification.method !== 'heuristic' || skip.has(tool.hash) || out.has(tool.hash)) continue;
      if (!stage.eligible(classification)) continue;
      const server: ServerContext = entry.server.description ? { name: entry.server.displayName, description: entry.server.description } : { name: entry.server.displayName };
      const { toolHash: _hash, createdAt: _created, ...heuristic } = classification;
      out.set(tool.hash, { hash: tool.hash, definition: tool.definition, server, heuristic });
    }
  }
  return [...out.values()];
}
