/**
 * Configuration, validated once at the boundary. Each setting has one environment variable and one default here;
 * command-line flags override the environment. Registry URLs, the session limit and the concurrency default to the
 * crawler's own defaults (`crawler/defaults.ts`).
 *
 * | setting | environment | default |
 * |---|---|---|
 * | dataDir | MCP_CATALOGUE_DATA_DIR | `./data` (PGlite in `<dataDir>/pglite`) |
 * | databaseUrl | DATABASE_URL | unset: embedded PGlite |
 * | dbRetryMs | MCP_CATALOGUE_DB_RETRY_MS | 60000 (PostgreSQL: longest wait for a lost connection to come back; 0: no retry) |
 * | cacheDir | MCP_CATALOGUE_CACHE_DIR | `<dataDir>/cache` |
 * | npmRegistryUrl | NPM_REGISTRY_URL | `https://registry.npmjs.org` |
 * | mcpRegistryUrl | MCP_REGISTRY_URL | `https://registry.modelcontextprotocol.io` |
 * | pypiUrl | PYPI_URL | `https://pypi.org` |
 * | githubApiUrl | GITHUB_API_URL | `https://api.github.com` |
 * | githubToken | GITHUB_TOKEN | unset: unauthenticated GitHub search (10 requests a minute) |
 * | concurrency | MCP_CATALOGUE_CONCURRENCY | 4 |
 * | timeoutMs | MCP_CATALOGUE_TIMEOUT_MS | 30000 |
 * | bwrapPath | MCP_CATALOGUE_BWRAP | `bwrap` |
 * | llmBaseUrl | MCP_CATALOGUE_LLM_BASE_URL | unset: no LLM stage (an OpenAI-compatible base URL, with `/v1`) |
 * | llmModel | MCP_CATALOGUE_LLM_MODEL | unset: no LLM stage |
 * | llmApiKey | MCP_CATALOGUE_LLM_API_KEY, else OPENAI_API_KEY | unset (local servers need none) |
 * | llmThreshold | MCP_CATALOGUE_LLM_THRESHOLD | 0.85 (calibrated heuristic confidence below which the model classifies; RUBRIC.md §3) |
 * | llmBudgetCalls | MCP_CATALOGUE_LLM_BUDGET_CALLS | 500 calls per run |
 * | llmBudgetTokens | MCP_CATALOGUE_LLM_BUDGET_TOKENS | 1000000 tokens per run |
 * | llmTimeoutMs | MCP_CATALOGUE_LLM_TIMEOUT_MS | 60000 (one attempt) |
 * | jobLeaseSeconds | MCP_CATALOGUE_JOB_LEASE_SECONDS | 900 (distributed crawl: a job still running this long after a worker took it is taken back and retried) |
 * | jobRetries | MCP_CATALOGUE_JOB_RETRIES | 2 (distributed crawl: further tries of a job after a transient failure or an expired lease) |
 * | jobRetryDelaySeconds | MCP_CATALOGUE_JOB_RETRY_DELAY_SECONDS | 30 (distributed crawl: first pause before a retry, doubled each retry) |
 * | now | MCP_CATALOGUE_NOW | unset: the system clock (an ISO 8601 time: the crawl's listings and attempts are dated then; for tests) |
 */
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_CONCURRENCY, DEFAULT_GITHUB_API_URL, DEFAULT_MCP_REGISTRY_URL, DEFAULT_NPM_REGISTRY_URL, DEFAULT_PYPI_URL, DEFAULT_SESSION_TIMEOUT_MS, QUEUE_DEFAULTS,
} from '../crawler/index.ts';
import { DEFAULT_DB_RETRY_MS } from '../db/index.ts';

export const configSchema = z.object({
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z.string().url().optional(),
  dbRetryMs: z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_DB_RETRY_MS),
  cacheDir: z.string().min(1).optional(),
  npmRegistryUrl: z.string().url().default(DEFAULT_NPM_REGISTRY_URL),
  mcpRegistryUrl: z.string().url().default(DEFAULT_MCP_REGISTRY_URL),
  pypiUrl: z.string().url().default(DEFAULT_PYPI_URL),
  githubApiUrl: z.string().url().default(DEFAULT_GITHUB_API_URL),
  githubToken: z.string().min(1).optional(),
  concurrency: z.coerce.number().int().min(1).max(64).default(DEFAULT_CONCURRENCY),
  timeoutMs: z.coerce.number().int().min(1000).max(600_000).default(DEFAULT_SESSION_TIMEOUT_MS),
  bwrapPath: z.string().min(1).default('bwrap'),
  llmBaseUrl: z.string().url().optional(),
  llmModel: z.string().min(1).optional(),
  llmApiKey: z.string().min(1).optional(),
  llmThreshold: z.coerce.number().min(0).max(1).default(0.85),
  llmBudgetCalls: z.coerce.number().int().min(0).default(500),
  llmBudgetTokens: z.coerce.number().int().min(0).default(1_000_000),
  llmTimeoutMs: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  jobLeaseSeconds: z.coerce.number().int().min(1).max(86_400).default(QUEUE_DEFAULTS.leaseSeconds),
  jobRetries: z.coerce.number().int().min(0).max(20).default(QUEUE_DEFAULTS.retries),
  jobRetryDelaySeconds: z.coerce.number().int().min(1).max(86_400).default(QUEUE_DEFAULTS.retryDelaySeconds),
  now: z.string().datetime({ offset: true }).optional(),
});

/** The validated settings; `cacheDirConfigured` says whether the cache directory was chosen (flag or environment). */
export type Config = z.infer<typeof configSchema> & { cacheDir: string; pgliteDir: string; cacheDirConfigured: boolean };

const ENVIRONMENT: Record<keyof z.infer<typeof configSchema>, string> = {
  dataDir: 'MCP_CATALOGUE_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  dbRetryMs: 'MCP_CATALOGUE_DB_RETRY_MS',
  cacheDir: 'MCP_CATALOGUE_CACHE_DIR',
  npmRegistryUrl: 'NPM_REGISTRY_URL',
  mcpRegistryUrl: 'MCP_REGISTRY_URL',
  pypiUrl: 'PYPI_URL',
  githubApiUrl: 'GITHUB_API_URL',
  githubToken: 'GITHUB_TOKEN',
  concurrency: 'MCP_CATALOGUE_CONCURRENCY',
  timeoutMs: 'MCP_CATALOGUE_TIMEOUT_MS',
  bwrapPath: 'MCP_CATALOGUE_BWRAP',
  llmBaseUrl: 'MCP_CATALOGUE_LLM_BASE_URL',
  llmModel: 'MCP_CATALOGUE_LLM_MODEL',
  llmApiKey: 'MCP_CATALOGUE_LLM_API_KEY',
  llmThreshold: 'MCP_CATALOGUE_LLM_THRESHOLD',
  llmBudgetCalls: 'MCP_CATALOGUE_LLM_BUDGET_CALLS',
  llmBudgetTokens: 'MCP_CATALOGUE_LLM_BUDGET_TOKENS',
  llmTimeoutMs: 'MCP_CATALOGUE_LLM_TIMEOUT_MS',
  jobLeaseSeconds: 'MCP_CATALOGUE_JOB_LEASE_SECONDS',
  jobRetries: 'MCP_CATALOGUE_JOB_RETRIES',
  jobRetryDelaySeconds: 'MCP_CATALOGUE_JOB_RETRY_DELAY_SECONDS',
  now: 'MCP_CATALOGUE_NOW',
};

/** Second-choice variables, read when the first is unset. */
const FALLBACK: Partial<Record<keyof z.infer<typeof configSchema>, string>> = {
  llmApiKey: 'OPENAI_API_KEY',
};

/**
 * Builds the configuration from the environment and flag overrides (flags win; undefined flags are ignored).
 * @throws Error naming every invalid setting and its variable.
 */
export function loadConfig(flags: Partial<Record<keyof z.infer<typeof configSchema>, unknown>> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(ENVIRONMENT)) {
    const value = env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, variable] of Object.entries(FALLBACK)) {
    const value = env[variable];
    if (raw[key] === undefined && value !== undefined && value !== '') raw[key] = value;
  }
  for (const [key, value] of Object.entries(flags)) if (value !== undefined) raw[key] = value;
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0]) as keyof typeof ENVIRONMENT;
      return `${key} (${ENVIRONMENT[key] ?? 'flag'}): ${i.message}`;
    });
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  const dataDir = path.resolve(parsed.data.dataDir);
  return {
    ...parsed.data,
    dataDir,
    cacheDir: path.resolve(parsed.data.cacheDir ?? path.join(dataDir, 'cache')),
    cacheDirConfigured: parsed.data.cacheDir !== undefined,
    pgliteDir: path.join(dataDir, 'pglite'),
  };
}
