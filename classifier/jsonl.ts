/**
 * JSONL classification: one MCP tool per input line, one classification per output line.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { classifyTool } from './classify.ts';
import { describeIssues, toolLineSchema } from './tool-line.ts';
import type { Classification, ServerContext, ToolDefinition } from '../records/index.ts';

/** Options of {@link classifyJsonl}. */
export interface ClassifyJsonlOptions {
  /**
   * A second stage after the heuristic (the LLM stage's `refine`), returning the final classification. Called
   * for each valid line; results are still written in input order.
   */
  refine?: (tool: ToolDefinition, server: ServerContext | undefined, heuristic: Classification) => Promise<Classification>;
  /** Lines refined at once before the oldest is awaited and written. @default 32 */
  window?: number;
}

/** The fields of an output line, in this order. */
export const OUTPUT_FIELDS = ['name', 'category', 'risk', 'confidence', 'rationale', 'evidence', 'signals', 'method'] as const;

/** The output line for one classification: exactly {@link OUTPUT_FIELDS}, in that order. */
export function toOutputLine(c: Classification): string {
  const { name, category, risk, confidence, rationale, evidence, signals, method } = c;
  return JSON.stringify({ name, category, risk, confidence, rationale, evidence, signals, method });
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * Classifies a JSONL stream of MCP tools (tool-line.ts), streaming line by line (readline; memory does not
 * grow with the input).
 *
 * - Each valid line yields one output line (`toOutputLine`), in input order.
 * - A malformed line — bad JSON or failing the schema — yields `line N: <what is wrong>` on `errors`
 *   (N counts from 1, blank lines included) and is skipped; the rest are still classified.
 * - Blank lines are ignored.
 * - With `options.refine`, up to `options.window` lines are in flight at once; output order is unchanged.
 *
 * @returns counts; the caller sets a nonzero exit code when `failed > 0`. Rejects only when a stream errors.
 */
export async function classifyJsonl(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errors: NodeJS.WritableStream,
  options: ClassifyJsonlOptions = {},
): Promise<{ classified: number; failed: number }> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  let classified = 0;
  let failed = 0;
  const inFlight: Array<Promise<Classification>> = [];
  const window = Math.max(1, options.window ?? 32);
  const writeOldest = async () => {
    await write(output, `${toOutputLine(await inFlight.shift()!)}\n`);
    classified++;
  };
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      failed++;
      await write(errors, `line ${lineNo}: invalid JSON (${err instanceof Error ? err.message : String(err)})\n`);
      continue;
    }
    const result = toolLineSchema.safeParse(parsed);
    if (!result.success) {
      failed++;
      await write(errors, `line ${lineNo}: ${describeIssues(result.error)}\n`);
      continue;
    }
    const { server, ...tool } = result.data;
    const heuristic = classifyTool(tool as ToolDefinition, server);
    if (options.refine) {
      const pending = options.refine(tool as ToolDefinition, server, heuristic);
      pending.catch(() => undefined); // awaited in order below; this only keeps an early rejection from being "unhandled"
      inFlight.push(pending);
      if (inFlight.length >= window) await writeOldest();
      continue;
    }
    await write(output, `${toOutputLine(heuristic)}\n`);
    classified++;
  }
  while (inFlight.length > 0) await writeOldest();
  return { classified, failed };
}
