/**
 * One introspection session over any SDK `Transport`: `initialize`, then `tools/list` following `nextCursor` (MCP
 * specification 2025-06-18, "Lifecycle" and "Tools: Listing Tools"), then the prompts, resources and resource
 * templates the server declares (`listing.ts`), and the {@link LiveResult} built from what came back. Every path uses
 * it: stdio in the sandbox (`stdio.ts`), the in-sandbox HTTP relay (`http-relay.ts`, over stdio) and a remote server
 * over Streamable HTTP (`registries/remote/connect.ts`). What differs per transport (how a failure is read, what the
 * tail holds, how the session ends) is its {@link SessionConnection}.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  FailureReason, OptionalListFailure, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition,
} from '../../records/index.ts';
import type { StallKind } from './failure.ts';
import { listServer, type ListLimits, type Listing } from './listing.ts';
import type { TransportLimits } from './transport.ts';

/** How the crawler names itself in `initialize` (`clientInfo`). */
export const CLIENT_INFO = { name: 'mcp-catalogue', version: '0.1.0' } as const;

export interface IntrospectOptions {
  /** Wall-clock time for the whole session (start, initialize, every tools/list page), ms. @default 30000 */
  timeoutMs?: number;
  /** Most tools accepted from one server; more is `too_large`. @default 5000 */
  maxTools?: number;
  /** Most pages followed per list (`tools/list`, `prompts/list`…); a cursor seen twice also stops the walk. @default 100 */
  maxPages?: number;
  /** Most prompts, resources or resource templates kept per list; the rest are cut, with a note. @default 1000 */
  maxListItems?: number;
  /** Longest one `prompts/list` or `resources/…` request may take, ms, within the session's time. @default 10000 */
  optionalListTimeoutMs?: number;
  transportLimits?: Partial<TransportLimits>;
  /**
   * How long to keep waiting for the answer to `initialize` once the server has said something that makes an answer
   * unlikely ({@link StallKind}: an HTTP listener, a sign-in prompt, a failed network request), ms per kind, within
   * `timeoutMs`; `false` for a kind, or for all, waits out the whole timeout. @default `STALL_GRACE_MS` (`failure.ts`)
   */
  stallGraceMs?: Partial<Record<StallKind, number | false>> | false;
  signal?: AbortSignal;
}

/** What one session listed, or why it listed nothing. */
export interface LiveResult {
  outcome: 'ok' | 'failed';
  failureReason: FailureReason | null;
  failureMessage: string | null;
  stderrTail: string;
  serverInfo: { name: string; version: string } | null;
  protocolVersion: string | null;
  capabilities: Record<string, unknown> | null;
  instructions: string | null;
  tools: ToolDefinition[];
  /** Null when the server does not declare the capability, or the list failed (see `listFailures`). */
  prompts: PromptDefinition[] | null;
  resources: ResourceDefinition[] | null;
  resourceTemplates: ResourceTemplateDefinition[] | null;
  listFailures: OptionalListFailure[];
  initializeMs: number;
  /** From `initialize` answered until every list was walked, ms. */
  listMs: number;
  /** Set when the session was ended early by what the server said ({@link IntrospectOptions.stallGraceMs}). */
  stalled?: StallKind;
}

/** The list limits of `options`, with their defaults. */
export function listLimits(options: IntrospectOptions): ListLimits {
  return {
    maxTools: options.maxTools ?? 5000,
    maxPages: options.maxPages ?? 100,
    maxListItems: options.maxListItems ?? 1000,
    optionalListTimeoutMs: options.optionalListTimeoutMs ?? 10_000,
  };
}

/** The note on listed entries that were not valid Tool objects, or null. */
export function droppedToolsNote(dropped: number): string | null {
  return dropped > 0 ? `${dropped} listed entr${dropped === 1 ? 'y was' : 'ies were'} not a valid Tool and dropped` : null;
}

/** Where a session was when it ended. */
export type SessionPhase = 'initialize' | 'tools/list';

/** A session's failure: a reason and a one-line message. */
export interface SessionFailure {
  reason: FailureReason;
  message: string;
}

/** What a transport adds to a session: how a failure is read, what its record keeps, how it ends. */
export interface SessionConnection {
  /** The SDK transport the client connects over; not yet started. */
  readonly transport: Transport;
  /** Told when the session moves on from `initialize`. */
  onPhase?(phase: SessionPhase): void;
  /** Why `initialize` or a list threw `error` in `phase`, `failedAtMs` after the session started. */
  failure(error: unknown, phase: SessionPhase, failedAtMs: number): Promise<SessionFailure>;
  /** Called before the client closes (a Streamable HTTP session is ended with DELETE here). */
  end?(): Promise<void>;
  /** Called after the client closed: the process tree killed, sockets closed. */
  close(): Promise<void>;
  /** The tail to record, once closed; `ok` says whether the session listed. */
  tail(ok: boolean, phase: SessionPhase, failedAtMs: number): string;
  /** The protocol version the server answered with, once closed, or null. */
  protocolVersion(): string | null;
  /** Set once closed when the session was ended early by what the server said. */
  stalled?(): StallKind | undefined;
}

/**
 * Runs one session over `connection` with the whole session under `timeoutMs` and `signal` (which should include that
 * timeout). Never throws for anything the server does: the result carries the reason.
 */
export async function runSession(connection: SessionConnection, options: { timeoutMs: number; limits: ListLimits; signal: AbortSignal }): Promise<LiveResult> {
  const { timeoutMs, limits, signal } = options;
  const started = performance.now();
  const client = new Client({ ...CLIENT_INFO }, { capabilities: {} });
  client.onerror = () => {
    // Failures surface through the pending request, the transport's own record or the connection's.
  };
  let phase: SessionPhase = 'initialize';
  let initializeMs = 0;
  let listing: Listing | null = null;
  let failure: SessionFailure | null = null;
  let failedAtMs = 0;
  try {
    await client.connect(connection.transport, { signal, timeout: timeoutMs });
    initializeMs = performance.now() - started;
    phase = 'tools/list';
    connection.onPhase?.(phase);
    listing = await listServer(client, limits, signal, started + timeoutMs);
    if (listing.toolsOver) failure = { reason: 'too_large', message: `listed more than ${limits.maxTools} tools` };
  } catch (error) {
    failedAtMs = performance.now() - started;
    failure = await connection.failure(error, phase, failedAtMs);
  } finally {
    await connection.end?.().catch(() => undefined);
    await client.close().catch(() => undefined);
    await connection.close();
  }
  // A refusal noted while an optional list was under way does not undo the tools; one during tools/list does.
  const ok = failure === null && listing !== null;
  const listMs = phase === 'tools/list' ? performance.now() - started - initializeMs : 0;
  const version = client.getServerVersion();
  const stalled = ok ? undefined : connection.stalled?.();
  return {
    outcome: ok ? 'ok' : 'failed',
    failureReason: failure?.reason ?? null,
    failureMessage: failure?.message ?? droppedToolsNote(listing?.droppedTools ?? 0),
    stderrTail: connection.tail(ok, phase, failedAtMs),
    serverInfo: version ? { name: String(version.name), version: String(version.version) } : null,
    protocolVersion: connection.protocolVersion(),
    capabilities: (client.getServerCapabilities() as Record<string, unknown> | undefined) ?? null,
    instructions: client.getInstructions() ?? null,
    tools: ok ? listing!.tools : [],
    prompts: ok ? listing!.prompts : null,
    resources: ok ? listing!.resources : null,
    resourceTemplates: ok ? listing!.resourceTemplates : null,
    listFailures: ok ? listing!.listFailures : [],
    initializeMs: Math.round(initializeMs),
    listMs: Math.round(listMs),
    ...(stalled ? { stalled } : {}),
  };
}

/** A session that could not start (a refused URL): the failure and nothing else. */
export function failedSession(failure: SessionFailure): LiveResult {
  return {
    outcome: 'failed', failureReason: failure.reason, failureMessage: failure.message, stderrTail: '',
    serverInfo: null, protocolVersion: null, capabilities: null, instructions: null,
    tools: [], prompts: null, resources: null, resourceTemplates: null, listFailures: [], initializeMs: 0, listMs: 0,
  };
}
