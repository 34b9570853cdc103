/**
 * The LLM stage: takes a tool and its heuristic classification, and for the tools it applies to (confidence
 * below the threshold, or every tool when rationale prose is enabled) asks an OpenAI-compatible endpoint, within
 * the floor the heuristic sets. Bounded concurrency (p-queue), retries, a per-run budget, a file cache, dry runs.
 * The stage never throws for a tool: when anything fails the heuristic result stands and the summary counts why.
 */
import PQueue from 'p-queue';
import { parseAnswer } from './answer.ts';
import type { LlmAnswer } from './answer.ts';
import { Budget } from './budget.ts';
import type { BudgetLimit } from './budget.ts';
import { AnswerCache, cacheKey, llmToolHash } from './cache.ts';
import { createClient, sendChat } from './call.ts';
import { LlmError } from './errors.ts';
import type { LlmErrorCode } from './errors.ts';
import { buildRequest, estimateTokens, PROMPT_VERSION } from './prompt.ts';
import type { ChatRequest } from './prompt.ts';
import { reconcile } from './reconcile.ts';
import type { Disagreement, ReconcileMode } from './reconcile.ts';
import { llmSettingsSchema } from './settings.ts';
import type { LlmSettings, LlmSettingsInput } from './settings.ts';
import type { Classification, ServerContext, ToolDefinition } from '../../records/index.ts';

/**
 * What happened to one tool:
 * `answered` (the endpoint answered now), `cached` (an earlier answer was reused), `not-eligible` (confident
 * tool, rationale prose off), `skipped-budget`, `failed` (see `error`), `dry-run` (request reported, not sent).
 */
export type LlmStatus = 'answered' | 'cached' | 'not-eligible' | 'skipped-budget' | 'failed' | 'dry-run';

export interface LlmOutcome {
  /** The final classification: method "heuristic+llm" when an answer was used, else the heuristic's unchanged. */
  classification: Classification;
  status: LlmStatus;
  /** Where the model and the heuristic differ (empty unless an answer was used). */
  disagreements: Disagreement[];
  /** Set when `status` is "failed". */
  error?: LlmError;
}

/** Counts for the run's summary. */
export interface LlmSummary {
  model: string;
  promptVersion: string;
  /** Tools sent to the stage that it applies to. */
  eligible: number;
  answered: number;
  cached: number;
  failed: number;
  failedByCode: Partial<Record<LlmErrorCode, number>>;
  skippedBudget: number;
  dryRun: number;
  /** Tools whose used answer differs from the heuristic in category or risk (followed or held by the floor). */
  disagreements: number;
  /** Calls made (retries not counted) and tokens used (from `usage`, else estimated). */
  calls: number;
  tokens: number;
  budgetCalls: number;
  budgetTokens: number;
  /** The limit that stopped calls, when one did. */
  budgetExhausted: BudgetLimit | undefined;
}

/** A request the dry run would have sent. */
export interface DryRunRequest {
  tool: string;
  url: string;
  /** The JSON body of POST /chat/completions, exactly as it would be sent. */
  body: ChatRequest;
  estimatedTokens: number;
}

export interface LlmStage {
  readonly settings: LlmSettings;
  /** Whether {@link LlmStage.refine} would consult the model for this heuristic classification. */
  eligible(heuristic: Classification): boolean;
  /** The final classification of one tool. Queued (at most `concurrency` in flight); never rejects. */
  refine(tool: ToolDefinition, server: ServerContext | undefined, heuristic: Classification): Promise<LlmOutcome>;
  /** Counts so far. */
  summary(): LlmSummary;
}

/**
 * Creates the stage.
 * @param input settings (settings.ts; defaults: threshold 0.85, concurrency 4, timeout 60000 ms, 2 retries,
 *   500 calls and 1,000,000 tokens per run).
 * @param hooks `onDryRun` receives each request a dry run would send; `signal` aborts calls in flight.
 * @throws LlmError `LLM_NOT_CONFIGURED` when the settings are invalid.
 */
export function createLlmStage(input: LlmSettingsInput, hooks: { onDryRun?: (request: DryRunRequest) => void; signal?: AbortSignal } = {}): LlmStage {
  const parsed = llmSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new LlmError('LLM_NOT_CONFIGURED', `invalid LLM settings: ${what}`);
  }
  const settings = parsed.data;
  const client = createClient(settings);
  const cache = new AnswerCache(settings.cacheDir);
  const budget = new Budget(settings.budgetCalls, settings.budgetTokens);
  const queue = new PQueue({ concurrency: settings.concurrency });
  const counts = { eligible: 0, answered: 0, cached: 0, failed: 0, skippedBudget: 0, dryRun: 0, disagreements: 0 };
  const failedByCode: Partial<Record<LlmErrorCode, number>> = {};

  const modeOf = (h: Classification): ReconcileMode | undefined =>
    h.confidence < settings.confidenceThreshold ? 'classify' : settings.rationale ? 'rationale' : undefined;

  function use(heuristic: Classification, answer: LlmAnswer, status: 'answered' | 'cached', mode: ReconcileMode): LlmOutcome {
    const { classification, disagreements } = reconcile(heuristic, answer, { mode, model: settings.model, floorConfidence: settings.floorConfidence });
    counts[status]++;
    if (disagreements.length > 0) counts.disagreements++;
    return { classification, status, disagreements };
  }

  async function work(tool: ToolDefinition, server: ServerContext | undefined, heuristic: Classification, mode: ReconcileMode): Promise<LlmOutcome> {
    const toolHash = llmToolHash(tool, server);
    const key = cacheKey(toolHash, PROMPT_VERSION, settings.model);
    const hit = await cache.get(key);
    if (hit) return use(heuristic, hit, 'cached', mode);
    const request = buildRequest(tool, server, settings);
    const estimate = estimateTokens(request);
    if (!budget.reserve(estimate)) {
      counts.skippedBudget++;
      return { classification: heuristic, status: 'skipped-budget', disagreements: [] };
    }
    if (settings.dryRun) {
      budget.settle(estimate, estimate);
      counts.dryRun++;
      hooks.onDryRun?.({ tool: tool.name, url: `${settings.baseUrl.replace(/\/$/, '')}/chat/completions`, body: request, estimatedTokens: estimate });
      return { classification: heuristic, status: 'dry-run', disagreements: [] };
    }
    let used = 0;
    try {
      const result = await sendChat(client, request, { ...settings, signal: hooks.signal });
      used = result.totalTokens ?? estimateTokens(request) - request.max_tokens + Math.ceil((result.content?.length ?? 0) / 4);
      const answer = parseAnswer(result.content, tool, server);
      await cache.set(key, { toolHash, promptVersion: PROMPT_VERSION, model: settings.model, tokens: used }, answer);
      return use(heuristic, answer, 'answered', mode);
    } catch (error) {
      const llmError = error instanceof LlmError ? error : new LlmError('LLM_CONNECTION', `${tool.name}: ${(error as Error).message}`, { cause: error });
      counts.failed++;
      failedByCode[llmError.code] = (failedByCode[llmError.code] ?? 0) + 1;
      return { classification: heuristic, status: 'failed', disagreements: [], error: llmError };
    } finally {
      budget.settle(estimate, used);
    }
  }

  return {
    settings,
    eligible: (h) => modeOf(h) !== undefined,
    async refine(tool, server, heuristic) {
      const mode = modeOf(heuristic);
      if (mode === undefined) return { classification: heuristic, status: 'not-eligible', disagreements: [] };
      counts.eligible++;
      const outcome = await queue.add(() => work(tool, server, heuristic, mode), { throwOnTimeout: true });
      return outcome;
    },
    summary: () => ({
      model: settings.model,
      promptVersion: PROMPT_VERSION,
      ...counts,
      failedByCode: { ...failedByCode },
      calls: budget.usedCalls,
      tokens: budget.usedTokens,
      budgetCalls: settings.budgetCalls,
      budgetTokens: settings.budgetTokens,
      budgetExhausted: budget.exhausted,
    }),
  };
}
