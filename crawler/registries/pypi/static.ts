/**
 * Static extraction for PyPI servers: when no live start works, the tool registrations in the installed
 * distribution's own modules are read by our reader, `static_tools.py`, which parses each file with Python's `ast`
 * and never imports or runs it (its docstring lists the patterns: FastMCP and MCP SDK `@x.tool` decorators with
 * signatures and docstrings, `add_tool(fn)`, low-level `Tool(...)` calls, `tools/list` dict literals).
 *
 * Parsing hostile files is still handling hostile input, so the reader runs inside the sandbox like a server start:
 * the install root mounted read-only at `/srv/pkg`, no network, the usual limits, Debian's `/usr/bin/python3` with
 * `-I -S` (no user or site directory, so not even a `.pth` file of the package runs). The script itself is placed
 * from memory (`SandboxSpec.files`) at {@link READER_PATH}, read-only, so no host path of ours has to be within the
 * sandbox uid's reach. Its stdout is capped and read as JSON; each tool is checked again here. Whatever the reader
 * does (crash, hang, flood, garbage), the result says so in `failure` and never throws.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ToolDefinition } from '../../../records/index.ts';
import { killSandboxed, PACKAGE_MOUNT, spawnSandboxed, type SandboxLimits } from '../../sandbox.ts';
import type { StaticExtraction } from '../../static/extract.ts';
import { ByteTail } from '../../session/tail.ts';
import type { InstalledPypiPackage } from './install.ts';
import { SANDBOX_PYTHON } from './wheels.ts';

/** Where the reader script appears inside the sandbox. */
export const READER_PATH = '/opt/mcp-catalogue/static_tools.py';

/** The reader's source, placed at {@link READER_PATH} (the code effects reader imports its helpers from there). */
export const READER_SOURCE = readFileSync(new URL('./static_tools.py', import.meta.url), 'utf8');

export interface PythonStaticOptions {
  /** Wall clock for the reader, ms. @default 60000 */
  timeoutMs?: number;
  /** Largest stdout accepted from the reader, bytes; more ends it as a failure. @default 32 MiB */
  maxOutputBytes?: number;
  /** Most files the reader reads. @default 3000 */
  maxFiles?: number;
  /** Largest file it parses, bytes. @default 5 MiB */
  maxFileBytes?: number;
  /** Most tools kept, the first definition of a name winning. @default 5000 */
  maxTools?: number;
  /** Sandbox limits; the defaults of `sandbox.ts` otherwise (60 s of CPU, 1 GiB of data). */
  limits?: Partial<SandboxLimits>;
  bwrapPath?: string;
  signal?: AbortSignal;
}

export interface PythonStaticExtraction extends StaticExtraction {
  /** Why the reader gave no answer (could not start, was killed, exited non-zero, printed no JSON), one line; null when it answered. */
  failure: string | null;
}

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A tool as the reader printed it, cut to the fields a static definition has; null when it has no non-empty name. */
function readerTool(raw: unknown): ToolDefinition | null {
  if (!isObject(raw) || typeof raw.name !== 'string' || raw.name.length === 0) return null;
  const tool: ToolDefinition = { name: raw.name, inputSchema: isObject(raw.inputSchema) ? raw.inputSchema : { type: 'object' } };
  if (typeof raw.title === 'string') tool.title = raw.title;
  if (typeof raw.description === 'string') tool.description = raw.description;
  if (isObject(raw.annotations)) tool.annotations = raw.annotations;
  return tool;
}

/**
 * Reads the reader's stdout: `{tools, filesRead, filesUnparsed}`.
 * @throws Error when it is not that JSON object.
 */
export function parseReaderOutput(text: string, maxTools = 5000): StaticExtraction {
  const value: unknown = JSON.parse(text);
  if (!isObject(value) || !Array.isArray(value.tools)) throw new Error('the output is not an object with a tools array');
  const count = (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0);
  const byName = new Map<string, ToolDefinition>();
  for (const raw of value.tools) {
    const tool = readerTool(raw);
    if (tool && !byName.has(tool.name) && byName.size < maxTools) byName.set(tool.name, tool);
  }
  return { tools: [...byName.values()], filesRead: count(value.filesRead), filesUnparsed: count(value.filesUnparsed) };
}

/**
 * Runs the reader in the sandbox over the `.py` files the installed project's RECORD lists, and returns the tools it
 * read. Never throws: a reader that fails gives no tools and says why in `failure`.
 */
export async function extractPythonToolsStatically(
  installed: Pick<InstalledPypiPackage, 'root' | 'sitePackages' | 'distInfoDir'>, options: PythonStaticOptions = {},
): Promise<PythonStaticExtraction> {
  const none = (failure: string): PythonStaticExtraction => ({ tools: [], filesRead: 0, filesUnparsed: 0, failure: failure.slice(0, 500) });
  const site = path.relative(installed.root, installed.sitePackages);
  if (site.startsWith('..') || path.isAbsolute(site) || path.dirname(installed.distInfoDir) !== installed.sitePackages) {
    return none('the installed project is not laid out as installPypiPackage lays it out');
  }
  const limits = [
    '--max-files', String(options.maxFiles ?? 3000),
    '--max-file-bytes', String(options.maxFileBytes ?? 5 * 1024 * 1024),
    '--max-tools', String(options.maxTools ?? 5000),
  ];
  const command = [
    SANDBOX_PYTHON, '-I', '-S', READER_PATH, ...limits,
    `${PACKAGE_MOUNT}/${site.split(path.sep).join('/')}`, path.basename(installed.distInfoDir),
  ];
  const run = await runPythonReader(command, installed.root, {
    ...options, timeoutMs: options.timeoutMs ?? 60_000, what: 'the static reader', files: [{ target: READER_PATH, content: READER_SOURCE }],
  });
  if (run.failure !== null) return none(run.failure);
  try {
    return { ...parseReaderOutput(run.stdout, options.maxTools), failure: null };
  } catch (error) {
    return none(`the static reader printed no valid JSON: ${(error as Error).message}`);
  }
}

/** How {@link runPythonReader} runs one of our Python readers. */
export interface PythonReaderRun {
  /** Wall clock, ms; past it the sandbox is killed. */
  timeoutMs: number;
  /** Largest stdout accepted, bytes; more ends the reader as a failure. @default 32 MiB */
  maxOutputBytes?: number;
  limits?: Partial<SandboxLimits>;
  bwrapPath?: string;
  signal?: AbortSignal;
  /** Our scripts, placed read-only in the sandbox from memory. */
  files: Array<{ target: string; content: string }>;
  /** Written to the reader's stdin, then closed. @default nothing */
  stdin?: string;
  /** How failures name the reader: `the static reader`. */
  what: string;
}

/**
 * Runs `command` (one of our readers, placed by `run.files`) in the sandbox with the install root at `packageRoot`
 * mounted read-only: its stdout, or why there is none (it could not start, was killed at the wall clock or for
 * printing too much, exited non-zero). Never throws.
 */
export function runPythonReader(command: string[], packageRoot: string, run: PythonReaderRun): Promise<{ stdout: string; failure: string | null }> {
  const { timeoutMs, what, signal } = run;
  const maxOutputBytes = run.maxOutputBytes ?? 32 * 1024 * 1024;
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve({ stdout: '', failure: 'the crawl was aborted' });
    let child: ReturnType<typeof spawnSandboxed>;
    try {
      child = spawnSandboxed({ packageRoot, command, limits: run.limits, bwrapPath: run.bwrapPath, files: run.files });
    } catch (error) {
      return resolve({ stdout: '', failure: `${what} could not start: ${(error as Error).message}` });
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let ended: string | null = null;
    const stderr = new ByteTail(1024);
    const stop = (why: string) => {
      ended ??= why;
      killSandboxed(child);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutputBytes) return stop(`${what} printed more than ${maxOutputBytes} bytes`);
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.stdin ?? '');
    const timer = setTimeout(() => stop(`${what} did not finish within ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => stop('the crawl was aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (failure: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ stdout: failure === null ? Buffer.concat(out).toString('utf8') : '', failure });
    };
    child.once('error', (error) => finish(`${what} could not start: ${error.message}`));
    child.once('close', (code, killedBy) => {
      if (ended !== null) return finish(ended);
      if (code === 0) return finish(null);
      const last = stderr.text().trim().split('\n').pop() ?? '';
      finish(`${what} ${killedBy ? `was killed by ${killedBy}` : `exited with code ${code}`}${last ? `: ${last}` : ''}`);
    });
  });
}
