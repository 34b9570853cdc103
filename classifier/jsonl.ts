/**
 * JSONL classification: one MCP tool per input line, one classification per output line.
 */
import { once } from 'node:events';
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
  /**
   * Longest line read, in bytes (UTF-8, without its line break); a longer line is reported and skipped without being
   * held in memory. @default {@link DEFAULT_MAX_LINE_BYTES} (16 MiB)
   */
  maxLineBytes?: number;
}

/** The default line limit of {@link classifyJsonl}: 16 MiB, far above any real tool definition. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** A line of the input: its text, or, for a line over the limit, its length in bytes. `number` counts from 1. */
export type Line = { number: number; text: string } | { number: number; tooLong: number };

/**
 * The lines of `input`, split at `\n` (a `\r` before it is dropped), decoded as UTF-8 once whole. A line's bytes are
 * kept only up to `maxBytes`: past that they are counted and dropped until the next line break, so memory stays
 * bounded by the limit whatever the input. A last line without a line break is a line; an empty input has none.
 */
export async function* readLines(input: NodeJS.ReadableStream, maxBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let kept = 0;
  let length = 0;
  let last = -1;
  let number = 0;
  const take = (piece: Buffer) => {
    if (piece.length === 0) return;
    length += piece.length;
    last = piece[piece.length - 1]!;
    // One byte past the limit is kept, for a `\r` that turns out to precede the `\n`.
    const room = maxBytes + 1 - kept;
    if (room > 0) {
      const part = piece.length <= room ? piece : piece.subarray(0, room);
      parts.push(part);
      kept += part.length;
    }
  };
  const finish = (): Line => {
    number += 1;
    const crlf = last === CARRIAGE_RETURN;
    const bytes = length - (crlf ? 1 : 0);
    const line: Line = bytes > maxBytes ? { number, tooLong: bytes } : { number, text: Buffer.concat(parts, kept).subarray(0, bytes).toString('utf8') };
    parts = [];
    kept = 0;
    length = 0;
    last = -1;
    return line;
  };
  for await (const chunk of input) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    for (let at = buffer.indexOf(NEWLINE); at !== -1; at = buffer.indexOf(NEWLINE)) {
      take(buffer.subarray(0, at));
      yield finish();
      buffer = buffer.subarray(at + 1);
    }
    take(buffer);
  }
  if (length > 0) yield finish();
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
 * Classifies a JSONL stream of MCP tools (tool-line.ts), streaming line by line: memory grows neither with the input
 * nor with its longest line (at most `options.maxLineBytes` of a line are held).
 *
 * - Each valid line yields one output line (`toOutputLine`), in input order.
 * - A malformed line — bad JSON or failing the schema — yields `line N: <what is wrong>` on `errors`
 *   (N counts from 1, blank lines included) and is skipped; the rest are still classified.
 * - A line longer than `options.maxLineBytes` (default 16 MiB) yields `line N: <bytes> bytes, over the line limit
 *   of <limit> bytes; skipped` on `errors` and is skipped the same way.
 * - Blank lines are ignored.
 * - With `options.refine`, up to `options.window` lines are in flight at once; output order is unchanged.
 *
 * @returns counts: `failed` lines were skipped (malformed or too long), `tooLong` of them for their length; the
 *   caller sets a nonzero exit code when `failed > 0`. Rejects only when a stream errors.
 */
export async function classifyJsonl(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errors: NodeJS.WritableStream,
  options: ClassifyJsonlOptions = {},
): Promise<{ classified: number; failed: number; tooLong: number }> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`classifyJsonl: maxLineBytes ${maxLineBytes}: expected a positive integer`);
  let classified = 0;
  let failed = 0;
  let tooLong = 0;
  const inFlight: Array<Promise<Classification>> = [];
  const window = Math.max(1, options.window ?? 32);
  const writeOldest = async () => {
    await write(output, `${toOutputLine(await inFlight.shift()!)}\n`);
    classified++;
  };
  for await (const read of readLines(input, maxLineBytes)) {
    const lineNo = read.number;
    if ('tooLong' in read) {
      failed++;
      tooLong++;
      await write(errors, `line ${lineNo}: ${read.tooLong.toLocaleString('en-US')} bytes, over the line limit of ${maxLineBytes.toLocaleString('en-US')} bytes; skipped\n`);
      continue;
    }
    const line = read.text;
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
  return { classified, failed, tooLong };
}
