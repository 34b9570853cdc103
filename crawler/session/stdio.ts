/**
 * Live introspection: start a server in the sandbox, `initialize`, then `tools/list` following `nextCursor`
 * (MCP specification 2025-06-18, "Lifecycle" and "Tools: Listing Tools"), then the prompts, resources and
 * resource templates the server declares (`listing.ts`). Whatever the server does — crash, hang, flood stdout,
 * answer garbage — ends in a result with a failure reason, never in an exception.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { FailureReason, Introspection, IntrospectionMethod, IntrospectionTimings, OptionalListFailure, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../../records/index.ts';
import { classifyFailure, quietSessionTail, STALL_GRACE_MS, stallEvidence, stallFailure, type StallKind } from './failure.ts';
import { listServer, type ListLimits, type Listing } from './listing.ts';
import { killSandboxed, spawnSandboxed, type SandboxSpec } from '../sandbox.ts';
import { SandboxStdioTransport, type TransportLimits } from './transport.ts';
import { DEFAULT_SESSION_TIMEOUT_MS } from '../defaults.ts';

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
   * `timeoutMs`; `false` for a kind, or for all, waits out the whole timeout. @default {@link STALL_GRACE_MS}
   */
  stallGraceMs?: Partial<Record<StallKind, number | false>> | false;
  signal?: AbortSignal;
}

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

/** Write errors of a pipe whose reader is gone: the server exited (or closed stdin) before or while we wrote. */
const BROKEN_PIPE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/**
 * Whether `error` means the session's connection is gone rather than that the server answered wrongly: the SDK's
 * ConnectionClosed or RequestTimeout, or a broken-pipe write error (Node's `code`), so the exit is awaited and the
 * failure is classified by how the server ended, not as a protocol error.
 */
export function isLostConnection(error: unknown): boolean {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.RequestTimeout;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && BROKEN_PIPE.has(code);
}

/** Runs one live session against `spec` in the sandbox. Never throws for anything the server does. */
export async function introspectLive(spec: SandboxSpec, options: IntrospectOptions = {}): Promise<LiveResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const limits = listLimits(options);
  const timeout = AbortSignal.timeout(timeoutMs);
  const stallAbort = new AbortController();
  const signal = AbortSignal.any([...(options.signal ? [options.signal] : []), timeout, stallAbort.signal]);
  const started = performance.now();
  const child = spawnSandboxed(spec);
  const transport = new SandboxStdioTransport(child, options.transportLimits);
  // A server that announced an HTTP listener, asked for a sign-in or failed a network request, and has not answered
  // initialize within the grace period that follows, is ended early rather than at the timeout.
  let phase: 'initialize' | 'tools/list' = 'initialize';
  const graces = new Map(
    options.stallGraceMs === false ? [] : Object.entries({ ...STALL_GRACE_MS, ...options.stallGraceMs }).filter((e): e is [StallKind, number] => typeof e[1] === 'number'),
  );
  const watched = new Set(graces.keys());
  // Declared through an assertion so that the assignment in the timer below is not narrowed away.
  let stall = null as { kind: StallKind; line: string; waitedMs: number } | null;
  let stallTimer: NodeJS.Timeout | undefined;
  // stderr is read in whole lines: the unfinished last line waits here for the chunk that ends it. (A prompt left
  // without a newline is still read from the tail when the timeout comes.)
  let carry = '';
  if (watched.size > 0) {
    transport.onoutput = (text, stream) => {
      let lines = text;
      if (stream === 'stderr') {
        const joined = carry + text;
        const end = joined.lastIndexOf('\n') + 1;
        carry = joined.slice(end).slice(-1000);
        lines = joined.slice(0, end);
      }
      const evidence = phase === 'initialize' && stallTimer === undefined ? stallEvidence(lines, watched) : null;
      if (!evidence) return;
      const waitedMs = graces.get(evidence.kind)!;
      stallTimer = setTimeout(() => {
        if (phase !== 'initialize') return;
        stall = { ...evidence, waitedMs };
        stallAbort.abort();
      }, waitedMs);
      transport.onoutput = undefined;
    };
  }
  const client = new Client({ ...CLIENT_INFO }, { capabilities: {} });
  client.onerror = () => {
    // transport-level noise is recorded by the transport itself
  };
  const onAbort = () => killSandboxed(child);
  signal.addEventListener('abort', onAbort, { once: true });

  let initializeMs = 0;
  let listing: Listing | null = null;
  let failure: { reason: FailureReason; message: string } | null = null;
  let failedAtMs = 0;
  try {
    await client.connect(transport, { signal, timeout: timeoutMs });
    initializeMs = performance.now() - started;
    phase = 'tools/list';
    listing = await listServer(client, limits, signal, started + timeoutMs);
    if (listing.toolsOver) failure = { reason: 'too_large', message: `listed more than ${limits.maxTools} tools` };
  } catch (error) {
    failedAtMs = performance.now() - started;
    const noLiveConnection = isLostConnection(error) || transport.exit !== null || transport.overflowed;
    failure = stall && !transport.overflowed ? stallFailure(stall.kind, stall.line, stall.waitedMs) : classifyFailure({
      phase,
      timedOut: timeout.aborted,
      overflowed: transport.overflowed,
      overflowedStream: transport.overflowedStream,
      exit: transport.exit ?? (noLiveConnection && !timeout.aborted ? await waitExit(transport) : null),
      stderrTail: transport.stderr.text(),
      noiseLines: transport.noiseLines,
      noiseSamples: transport.noiseSamples,
      errorMessage: error instanceof Error ? error.message : String(error),
      protocolError: !noLiveConnection && !timeout.aborted,
    });
  } finally {
    clearTimeout(stallTimer);
    transport.onoutput = undefined;
    signal.removeEventListener('abort', onAbort);
    await client.close().catch(() => undefined);
    killSandboxed(child);
    await Promise.race([transport.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
  const listMs = phase === 'tools/list' ? performance.now() - started - initializeMs : 0;
  const version = client.getServerVersion();
  const ok = failure === null && listing !== null;
  const stderrTail = transport.stderr.text();
  const stalledKind = stall?.kind;
  return {
    outcome: ok ? 'ok' : 'failed',
    failureReason: failure?.reason ?? null,
    failureMessage: failure?.message ?? droppedToolsNote(listing?.droppedTools ?? 0),
    // A failure always carries evidence: when stderr was empty, what the session saw instead.
    stderrTail: ok || stderrTail.trim() !== '' ? stderrTail : quietSessionTail({
      phase, exit: timeout.aborted || stalledKind ? null : transport.exit, elapsedMs: failedAtMs || performance.now() - started, stdoutBytes: transport.stdoutBytes,
      noiseLines: transport.noiseLines, noiseTail: transport.noiseTail.text(),
    }),
    serverInfo: version ? { name: String(version.name), version: String(version.version) } : null,
    protocolVersion: transport.protocolVersion,
    capabilities: (client.getServerCapabilities() as Record<string, unknown> | undefined) ?? null,
    instructions: client.getInstructions() ?? null,
    tools: ok ? listing!.tools : [],
    prompts: ok ? listing!.prompts : null,
    resources: ok ? listing!.resources : null,
    resourceTemplates: ok ? listing!.resourceTemplates : null,
    listFailures: ok ? listing!.listFailures : [],
    initializeMs: Math.round(initializeMs),
    listMs: Math.round(listMs),
    ...(stalledKind && !ok ? { stalled: stalledKind } : {}),
  };
}

async function waitExit(transport: SandboxStdioTransport): Promise<{ code: number | null; signal: string | null } | null> {
  const exit = await Promise.race([transport.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000))]);
  return exit;
}

/**
 * The attempt to store for a live session: everything it listed (tools, server info, prompts, resources…) as is,
 * with the method that worked, or `none` when the session failed.
 */
export function liveAttempt(live: LiveResult & { method: IntrospectionMethod }, startedAt: Date, timings: IntrospectionTimings): Introspection {
  const { initializeMs: _initializeMs, listMs: _listMs, method, ...listed } = live;
  return { ...listed, method: live.outcome === 'ok' ? method : 'none', startedAt, timings };
}
