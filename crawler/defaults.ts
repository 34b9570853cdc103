/**
 * One home for the defaults every component reads: registry base URLs (DESIGN.md §2), the wall-clock limit of one
 * session and the crawl's concurrency. The CLI (`scripts/config.ts`) overrides each from a flag or its environment
 * variable; library callers pass options.
 */

/** npm registry base URL (`NPM_REGISTRY_URL`). */
export const DEFAULT_NPM_REGISTRY_URL = 'https://registry.npmjs.org';
/** PyPI base URL (`PYPI_URL`); the Simple API is under `/simple/`, the JSON API under `/pypi/`. */
export const DEFAULT_PYPI_URL = 'https://pypi.org';
/** MCP Registry base URL (`MCP_REGISTRY_URL`); its API is under `/v0.1/`. */
export const DEFAULT_MCP_REGISTRY_URL = 'https://registry.modelcontextprotocol.io';
/** GitHub REST API base URL (`GITHUB_API_URL`). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
/** Wall-clock limit of one sandboxed or remote session (start, initialize, every list), ms (`MCP_CATALOGUE_TIMEOUT_MS`). */
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
/** Packages crawled at once (`MCP_CATALOGUE_CONCURRENCY`). */
export const DEFAULT_CONCURRENCY = 4;
