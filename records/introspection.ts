/**
 * Record shapes of the crawl stage: a package spec goes in, an {@link Introspection} comes out.
 */
import type { ToolDefinition } from './tool.ts';
import type { DeclaredArgument, DeclaredEnvVar } from './discovery.ts';
import type { Registry } from './registry.ts';

/** A package to crawl: `npm:<name>[@<version>]`. `version` is a version, a range or a dist-tag; default `latest`. */
export interface PackageSpec {
  registry: Registry;
  name: string;
  /** Exact version, semver range or dist-tag. @default "latest" */
  version: string;
  /**
   * What the server's MCP Registry entry (`server.json`) declares it needs to start, when discovery found one:
   * its environment variables and package arguments. The strategy ladder supplies them as placeholders.
   */
  declared?: { environmentVariables: DeclaredEnvVar[]; arguments: DeclaredArgument[] };
  /**
   * A version listed live before, listed again to see whether its tools changed (`run`'s relisting, issue 15): the
   * install comes from the cache, and what the handlers do is not read again (it was stored on the first crawl).
   */
  relist?: boolean;
}

/** A spec's label and the key of its version in the store: `<registry>:<name>@<version>` (`npm:@scope/name@1.2.3`). */
export function formatPackageSpec(spec: Pick<PackageSpec, 'registry' | 'name' | 'version'>): string {
  return `${spec.registry}:${spec.name}@${spec.version}`;
}

/**
 * Why an introspection attempt failed (issue 5 failure taxonomy, plus registry-side failures).
 * `registry_error`: the packument could not be fetched or the version not resolved. `unreachable`: a remote
 * server's URL could not be connected to (DNS, refused, reset, TLS). `crawler_error`: the crawler's own fault, not the
 * package's: our code threw while handling it (`crawler/contain.ts`); the stack is in the stderr tail.
 * `sandbox_limit`: the runtime could not reserve the address space it needs under the sandbox's limits (V8's
 * "Failed to reserve virtual memory for CodeRange"), even after a start with a larger limit: ours, not a crash.
 * `missing_peer_dependency`: the server imports a package it declares as a peer or optional dependency, which npm
 * did not install (`crawler/launch/missing-module.ts`).
 */
/** Marks the lines the crawler adds to a stored stderr tail, so that no one takes them for the server's own output. */
export const CRAWLER_NOTE = '[mcp-catalogue]';

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
  'unreachable',
  'crawler_error',
  'sandbox_limit',
  'missing_peer_dependency',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * How a tool list was obtained: a bare start (`live-stdio`), a start with placeholder environment variables
 * (`live-stdio-placeholders`), or with placeholders and arguments a README documents (`live-stdio-arguments`); a
 * packaged server that only listens on a port, reached over Streamable HTTP inside the sandbox's own loopback
 * (`live-http`, `crawler/live-http.ts`); a remote server at the URL its MCP Registry entry gives (`remote-http`,
 * `crawler/remote.ts`).
 */
export type IntrospectionMethod =
  | 'live-stdio' | 'live-stdio-placeholders' | 'live-stdio-arguments' | 'live-http' | 'remote-http' | 'static' | 'none';

/** Wall-clock timings of one attempt, in milliseconds. */
export interface IntrospectionTimings {
  resolveMs: number;
  installMs: number;
  /** From spawn until `initialize` answered. */
  initializeMs: number;
  /** From `initialize` answered until every list (tools, then prompts and resources) was walked. */
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
  /** `prompts/list`, when the server declares the `prompts` capability and answered; else null or absent. */
  prompts?: PromptDefinition[] | null;
  /** `resources/list`, when the server declares the `resources` capability and answered; else null or absent. */
  resources?: ResourceDefinition[] | null;
  /** `resources/templates/list`, when the server declares `resources` and answered; else null or absent. */
  resourceTemplates?: ResourceTemplateDefinition[] | null;
  /** What went wrong with those optional lists. They never fail the attempt: the tool list stands. */
  listFailures?: OptionalListFailure[];
  /** `CRAWLER_VERSION` of the crawler that made the attempt (`retry.ts`). @default CRAWLER_VERSION when stored */
  crawlerVersion?: number;
}

/** The lists a server may offer besides `tools/list` (MCP specification 2025-06-18, "Prompts", "Resources"). */
export type OptionalListMethod = 'prompts/list' | 'resources/list' | 'resources/templates/list';

/** One optional list that failed, was cut short or dropped malformed entries; `message` is one line. */
export interface OptionalListFailure {
  method: OptionalListMethod;
  message: string;
}

/** A prompt as listed by `prompts/list` (spec 2025-06-18 `Prompt`), kept to these fields; strings as sent. */
export interface PromptDefinition {
  name: string;
  title?: string;
  description?: string;
  arguments?: Array<{ name: string; title?: string; description?: string; required?: boolean }>;
}

/** A resource as listed by `resources/list` (spec 2025-06-18 `Resource`). Its URI is data: it is never opened. */
export interface ResourceDefinition {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /** Size in bytes, as the server claims it. */
  size?: number;
}

/** A resource template as listed by `resources/templates/list` (spec 2025-06-18 `ResourceTemplate`, RFC 6570). */
export interface ResourceTemplateDefinition {
  uriTemplate: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}
