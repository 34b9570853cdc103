/**
 * Record shapes of the crawl stage: a package spec goes in, an {@link Introspection} comes out.
 */
import type { ToolDefinition } from '../classifier/types.ts';

/** Registries a server can be published on (DESIGN.md §2). */
export type Registry = 'npm' | 'pypi' | 'github' | 'mcp-registry';

/** A package to crawl: `npm:<name>[@<version>]`. `version` is a version, a range or a dist-tag; default `latest`. */
export interface PackageSpec {
  registry: Registry;
  name: string;
  /** Exact version, semver range or dist-tag. @default "latest" */
  version: string;
}

/**
 * Why an introspection attempt failed (issue 5 failure taxonomy, plus registry-side failures).
 * `registry_error`: the packument could not be fetched or the version not resolved.
 */
export const FAILURE_REASONS = [
  'registry_error',
  'install_failed',
  'no_entry_point',
  'crashed_on_start',
  'needs_configuration',
  'timed_out',
  'protocol_error',
  'http_only',
  'sandbox_violation',
  'too_large',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * How a tool list was obtained: a bare start (`live-stdio`), a start with placeholder environment variables
 * (`live-stdio-placeholders`), or with placeholders and arguments a README documents (`live-stdio-arguments`).
 */
export type IntrospectionMethod = 'live-stdio' | 'live-stdio-placeholders' | 'live-stdio-arguments' | 'static' | 'none';

/** Wall-clock timings of one attempt, in milliseconds. */
export interface IntrospectionTimings {
  resolveMs: number;
  installMs: number;
  /** From spawn until `initialize` answered. */
  initializeMs: number;
  /** All `tools/list` pages. */
  listMs: number;
  totalMs: number;
}

/** The outcome of one attempt at listing a server's tools. */
export interface Introspection {
  outcome: 'ok' | 'failed';
  failureReason: FailureReason | null;
  /** One-line explanation of the failure. */
  failureMessage: string | null;
  /** Last bytes (at most 4 KiB) of the server's stderr, decoded as UTF-8. */
  stderrTail: string;
  method: IntrospectionMethod;
  startedAt: Date;
  timings: IntrospectionTimings;
  /** `serverInfo` from the `initialize` result. */
  serverInfo: { name: string; version: string } | null;
  protocolVersion: string | null;
  capabilities: Record<string, unknown> | null;
  instructions: string | null;
  tools: ToolDefinition[];
}
