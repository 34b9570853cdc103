/**
 * Settings of the LLM stage, validated once with a schema that is also the type. The command line builds them
 * from `scripts/config.ts` (MCP_CATALOGUE_LLM_* variables); library callers pass them directly.
 */
import { z } from 'zod';

export const llmSettingsSchema = z.object({
  /** Base URL of an OpenAI-compatible API, including `/v1` (OpenAI, Azure, Ollama, vLLM, llama.cpp). */
  baseUrl: z.string().url(),
  /** Model name sent as `model`; part of the cache key. */
  model: z.string().min(1),
  /** Bearer token; local servers often need none. @default "unset" (sent as is) */
  apiKey: z.string().min(1).optional(),
  /** Folder of the answer cache, one `<sha256>.json` per (tool, prompt version, model). */
  cacheDir: z.string().min(1),
  /** Tools whose heuristic confidence is below this are classified by the model. @default 0.6 */
  confidenceThreshold: z.number().min(0).max(1).default(0.85),
  /** Also ask the model for the rationale prose of confident tools (their labels stay the heuristic's). @default false */
  rationale: z.boolean().default(false),
  /** Heuristic confidence from which a Destructive or Financial verdict cannot be lowered by the model. @default 0.5 */
  floorConfidence: z.number().min(0).max(1).default(0.5),
  /** Requests in flight at once. @default 4 */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Wall-clock limit of one attempt, headers and body, in ms. @default 60000 */
  timeoutMs: z.number().int().min(1).max(600_000).default(60_000),
  /** Attempts after the first (429, 408, 5xx, connection errors, timeouts). @default 2 */
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** First backoff delay when the endpoint names none, in ms. @default 500 */
  minRetryDelayMs: z.number().int().min(0).default(500),
  /** Largest backoff delay, in ms. @default 8000 */
  maxRetryDelayMs: z.number().int().min(0).default(8000),
  /** Longest `Retry-After` waited for, in ms; a longer one ends the attempts for that tool. @default 60000 */
  maxRetryAfterMs: z.number().int().min(0).default(60_000),
  /** Most calls (requests for distinct tools; retries not counted) per run. @default 500 */
  budgetCalls: z.number().int().min(0).default(500),
  /** Most tokens (prompt + completion, from `usage`, else estimated at 4 characters a token) per run. @default 1000000 */
  budgetTokens: z.number().int().min(0).default(1_000_000),
  /** `max_tokens` of each request. @default 700 */
  maxOutputTokens: z.number().int().min(64).max(8192).default(700),
  /** Build the requests and report them, call nothing, write no cache. @default false */
  dryRun: z.boolean().default(false),
});

/** What callers pass (defaults optional). */
export type LlmSettingsInput = z.input<typeof llmSettingsSchema>;
/** Validated settings, every default filled in. */
export type LlmSettings = z.output<typeof llmSettingsSchema>;
