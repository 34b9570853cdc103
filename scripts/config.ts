/**
 * Configuration, validated once at the boundary. Each setting has one environment variable and one default here;
 * command-line flags override the environment.
 *
 * | setting | environment | default |
 * |---|---|---|
 * | dataDir | MCP_CATALOGUE_DATA_DIR | `./data` (PGlite in `<dataDir>/pglite`) |
 * | databaseUrl | DATABASE_URL | unset: embedded PGlite |
 * | cacheDir | MCP_CATALOGUE_CACHE_DIR | `<dataDir>/cache` |
 * | npmRegistryUrl | NPM_REGISTRY_URL | `https://registry.npmjs.org` |
 * | concurrency | MCP_CATALOGUE_CONCURRENCY | 4 |
 * | timeoutMs | MCP_CATALOGUE_TIMEOUT_MS | 30000 |
 * | bwrapPath | MCP_CATALOGUE_BWRAP | `bwrap` |
 */
import path from 'node:path';
import { z } from 'zod';

export const configSchema = z.object({
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z.string().url().optional(),
  cacheDir: z.string().min(1).optional(),
  npmRegistryUrl: z.string().url().default('https://registry.npmjs.org'),
  concurrency: z.coerce.number().int().min(1).max(64).default(4),
  timeoutMs: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  bwrapPath: z.string().min(1).default('bwrap'),
});

export type Config = z.infer<typeof configSchema> & { cacheDir: string; pgliteDir: string };

const ENVIRONMENT: Record<keyof z.infer<typeof configSchema>, string> = {
  dataDir: 'MCP_CATALOGUE_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  cacheDir: 'MCP_CATALOGUE_CACHE_DIR',
  npmRegistryUrl: 'NPM_REGISTRY_URL',
  concurrency: 'MCP_CATALOGUE_CONCURRENCY',
  timeoutMs: 'MCP_CATALOGUE_TIMEOUT_MS',
  bwrapPath: 'MCP_CATALOGUE_BWRAP',
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
    pgliteDir: path.join(dataDir, 'pglite'),
  };
}
