/**
 * Live introspection over stdio: start a server in the sandbox and run one session with it (`session.ts`) over our
 * stdio transport (`transport.ts`). Whatever the server does — crash, hang, flood stdout, answer garbage, stall after
 * announcing a listener or a sign-in — ends in a result with a failure reason, never in an exception.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_SESSION_TIMEOUT_MS } from '../defaults.ts';
import { killSandboxed, spawnSandboxed, treeLimitHit, type SandboxSpec } from '../sandbox.ts';
import { classifyFailure, quietSessionTail, STALL_GRACE_MS, stallEvidence, stallFailure, type StallKind } from './failure.ts';
import { listLimits, runSession, type IntrospectOptions, type LiveResult, type SessionPhase } from './session.ts';
import { SandboxStdioTransport } from './transport.ts';

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

/**
 * Runs one live session against `spec` in the sandbox, over stdio ({@link runSession}). Never throws for anything
 * the server does.
 */
export async function introspectLive(spec: SandboxSpec, options: IntrospectOptions = {}): Promise<LiveResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const stallAbort = new AbortController();
  const signal = AbortSignal.any([...(options.signal ? [options.signal] : []), timeout, stallAbort.signal]);
  const started = performance.now();
  const child = spawnSandboxed(spec);
  const transport = new SandboxStdioTransport(child, options.transportLimits);
  // A server that announced an HTTP listener, asked for a sign-in or failed a network request, and has not answered
  // initialize within the grace period that follows, is ended early rather than at the timeout.
  let phase: SessionPhase = 'initialize';
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
  const onAbort = () => killSandboxed(child);
  signal.addEventListener('abort', onAbort, { once: true });

  return runSession({
    transport,
    onPhase: (next) => {
      phase = next;
    },
    async failure(error, at) {
      const noLiveConnection = isLostConnection(error) || transport.exit !== null || transport.overflowed;
      if (stall && !transport.overflowed) return stallFailure(stall.kind, stall.line, stall.waitedMs);
      const exit = transport.exit ?? (noLiveConnection && !timeout.aborted ? await waitExit(transport) : null);
      return classifyFailure({
        phase: at,
        timedOut: timeout.aborted,
        overflowed: transport.overflowed,
        overflowedStream: transport.overflowedStream,
        exit,
        stderrTail: transport.stderr.text(),
        noiseLines: transport.noiseLines,
        noiseSamples: transport.noiseSamples,
        errorMessage: error instanceof Error ? error.message : String(error),
        protocolError: !noLiveConnection && !timeout.aborted,
        treeLimit: treeLimitHit(child),
      });
    },
    async end() {
      clearTimeout(stallTimer);
      transport.onoutput = undefined;
      signal.removeEventListener('abort', onAbort);
    },
    async close() {
      killSandboxed(child);
      await Promise.race([transport.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    },
    tail(ok, at, failedAtMs) {
      const stderrTail = transport.stderr.text();
      // A failure always carries evidence: when stderr was empty, what the session saw instead.
      return ok || stderrTail.trim() !== '' ? stderrTail : quietSessionTail({
        phase: at, exit: timeout.aborted || stall ? null : transport.exit, elapsedMs: failedAtMs || performance.now() - started, stdoutBytes: transport.stdoutBytes,
        noiseLines: transport.noiseLines, noiseTail: transport.noiseTail.text(),
      });
    },
    protocolVersion: () => transport.protocolVersion,
    stalled: () => stall?.kind,
  }, { timeoutMs, limits: listLimits(options), signal });
}

async function waitExit(transport: SandboxStdioTransport): Promise<{ code: number | null; signal: string | null } | null> {
  const exit = await Promise.race([transport.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000))]);
  return exit;
}
