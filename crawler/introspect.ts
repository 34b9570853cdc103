/**
 * Live introspection: start a server in the sandbox, `initialize`, then `tools/list` following `nextCursor`
 * (MCP specification 2025-06-18, "Lifecycle" and "Tools: Listing Tools"). Whatever the server does — crash, hang,
 * flood stdout, answer garbage — ends in a result with a failure reason, never in an exception.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolDefinition } from '../classifier/types.ts';
import { classifyFailure } from './failure.ts';
import { killSandboxed, spawnSandboxed, type SandboxSpec } from './sandbox.ts';
import { SandboxStdioTransport, type TransportLimits } from './transport.ts';
import type { FailureReason } from './types.ts';

export const CLIENT_INFO = { name: 'mcp-catalogue', version: '0.1.0' } as const;

export interface IntrospectOptions {
  /** Wall-clock time for the whole session (start, initialize, every tools/list page), ms. @default 30000 */
  timeoutMs?: number;
  /** Most tools accepted from one server; more is `too_large`. @default 5000 */
  maxTools?: number;
  /** Most `tools/list` pages followed; a cursor seen twice also stops the walk. @default 100 */
  maxPages?: number;
  transportLimits?: Partial<TransportLimits>;
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
  initializeMs: number;
  listMs: number;
}

const listToolsResult = z.object({ tools: z.array(z.unknown()), nextCursor: z.string().optional() }).passthrough();

/** Keeps a listed tool if it has a non-empty string name; a missing or non-object `inputSchema` becomes `{type:"object"}`. */
export function normaliseTool(raw: unknown): ToolDefinition | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const tool = raw as Record<string, unknown>;
  if (typeof tool.name !== 'string' || tool.name.length === 0) return null;
  const schema = tool.inputSchema;
  const inputSchema = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as Record<string, unknown>) : { type: 'object' };
  const out: ToolDefinition = { ...tool, name: tool.name, inputSchema };
  for (const key of ['title', 'description'] as const) {
    if (out[key] !== undefined && typeof out[key] !== 'string') delete out[key];
  }
  if (out.annotations !== undefined && (typeof out.annotations !== 'object' || out.annotations === null || Array.isArray(out.annotations))) delete out.annotations;
  return out;
}

function isLostConnection(error: unknown): boolean {
  return error instanceof McpError && (error.code === ErrorCode.ConnectionClosed || error.code === ErrorCode.RequestTimeout);
}

/** Runs one live session against `spec` in the sandbox. Never throws for anything the server does. */
export async function introspectLive(spec: SandboxSpec, options: IntrospectOptions = {}): Promise<LiveResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxTools = options.maxTools ?? 5000;
  const maxPages = options.maxPages ?? 100;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const started = performance.now();
  const child = spawnSandboxed(spec);
  const transport = new SandboxStdioTransport(child, options.transportLimits);
  const client = new Client({ ...CLIENT_INFO }, { capabilities: {} });
  client.onerror = () => {
    // transport-level noise is recorded by the transport itself
  };
  const onAbort = () => killSandboxed(child);
  signal.addEventListener('abort', onAbort, { once: true });

  let phase: 'initialize' | 'tools/list' = 'initialize';
  let initializeMs = 0;
  const tools: ToolDefinition[] = [];
  let dropped = 0;
  let failure: { reason: FailureReason; message: string } | null = null;
  try {
    await client.connect(transport, { signal, timeout: timeoutMs });
    initializeMs = performance.now() - started;
    phase = 'tools/list';
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      const result = await client.request(
        { method: 'tools/list', params: cursor === undefined ? {} : { cursor } },
        listToolsResult,
        { signal, timeout: timeoutMs },
      );
      for (const raw of result.tools) {
        const tool = normaliseTool(raw);
        if (tool) tools.push(tool);
        else dropped += 1;
      }
      if (tools.length > maxTools) {
        failure = { reason: 'too_large', message: `listed more than ${maxTools} tools` };
        break;
      }
      cursor = result.nextCursor;
      if (cursor === undefined || seen.has(cursor)) break;
      seen.add(cursor);
    }
  } catch (error) {
    if (!failure) {
      const noLiveConnection = isLostConnection(error) || transport.exit !== null || transport.overflowed;
      failure = classifyFailure({
        phase,
        timedOut: timeout.aborted,
        overflowed: transport.overflowed,
        exit: transport.exit ?? (noLiveConnection && !timeout.aborted ? await waitExit(transport) : null),
        stderrTail: transport.stderr.text(),
        noiseLines: transport.noiseLines,
        noiseSamples: transport.noiseSamples,
        errorMessage: error instanceof Error ? error.message : String(error),
        protocolError: !noLiveConnection && !timeout.aborted,
      });
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await client.close().catch(() => undefined);
    killSandboxed(child);
    await Promise.race([transport.exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
  const listMs = phase === 'tools/list' ? performance.now() - started - initializeMs : 0;
  const version = client.getServerVersion();
  const droppedNote = dropped > 0 ? `${dropped} listed entr${dropped === 1 ? 'y was' : 'ies were'} not a valid Tool and dropped` : null;
  return {
    outcome: failure ? 'failed' : 'ok',
    failureReason: failure?.reason ?? null,
    failureMessage: failure?.message ?? droppedNote,
    stderrTail: transport.stderr.text(),
    serverInfo: version ? { name: String(version.name), version: String(version.version) } : null,
    protocolVersion: transport.protocolVersion,
    capabilities: (client.getServerCapabilities() as Record<string, unknown> | undefined) ?? null,
    instructions: client.getInstructions() ?? null,
    tools: failure ? [] : tools,
    initializeMs: Math.round(initializeMs),
    listMs: Math.round(listMs),
  };
}

async function waitExit(transport: SandboxStdioTransport): Promise<{ code: number | null; signal: string | null } | null> {
  const exit = await Promise.race([transport.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 1000))]);
  return exit;
}
