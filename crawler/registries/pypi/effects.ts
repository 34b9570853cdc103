/**
 * What a PyPI server's tools do in its code (records/code-effects.ts): each listed tool's registration followed to
 * its handler in the installed distribution's own modules (and those of its direct dependencies), and the side
 * effects reachable from it, by our reader `static_effects.py`, which parses with Python's `ast` and never imports or
 * runs what it reads. Its docstring lists the handler shapes and the effects it recognises; the details are the
 * JavaScript reader's (`crawler/static/sinks.ts`), so the classifier reads both the same way.
 *
 * Like static extraction (`static.ts`), the reader runs inside the sandbox: the install root mounted read-only at
 * `/srv/pkg`, no network, the sandbox's limits (CPU seconds, data segment), a wall clock, and Debian's
 * `/usr/bin/python3 -I -S -B`. It and `static_tools.py`, whose helpers it imports, are placed from memory at
 * `/opt/mcp-catalogue/`. The tool names go to it on stdin as JSON and never on a command line; it answers one entry
 * per name, by position, so no name comes back from it. Its stdout is capped and every field is checked here.
 * Whatever the reader does (crash, hang, flood, garbage), the result says so in `failure`, every tool is given as
 * not found and cut short, and nothing throws.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EFFECT_KINDS, type CodeEffect, type EffectKind, type NamedCodeEffects, type ToolCodeEffects } from '../../../records/index.ts';
import { PACKAGE_MOUNT, type SandboxLimits } from '../../sandbox.ts';
import type { InstalledPypiPackage } from './install.ts';
import { READER_PATH, READER_SOURCE, runPythonReader } from './static.ts';
import { SANDBOX_PYTHON } from './wheels.ts';

/** Where the code effects reader appears inside the sandbox, beside {@link READER_PATH}. */
export const EFFECTS_READER_PATH = `${path.posix.dirname(READER_PATH)}/static_effects.py`;

const EFFECTS_READER_SOURCE = readFileSync(new URL('./static_effects.py', import.meta.url), 'utf8');

/** Wall clock of one package's reading, ms. @default 30000 */
export const PYTHON_EFFECTS_BUDGET_MS = 30_000;
/** Most tool names read per package; the rest come back as not read (handler not found, cut short). */
export const MAX_PYTHON_EFFECTS_TOOLS = 5000;
/** Longest tool name given to the reader, characters; a longer name comes back as not read. */
const MAX_NAME_CHARS = 512;
/** Most effects kept per tool, and the longest call text: as the JavaScript reader. */
const MAX_EFFECTS = 40;
const MAX_CALL_TEXT = 160;

export interface PythonEffectsOptions {
  /** Wall clock, ms; past it the reader is killed and the result is a failure. @default {@link PYTHON_EFFECTS_BUDGET_MS} */
  budgetMs?: number;
  /**
   * Time after which the reader parses no more files and follows no more handlers, ms from its start: what it read
   * by then is printed, marked truncated. @default two thirds of `budgetMs`
   */
  softDeadlineMs?: number;
  /** Largest stdout accepted, bytes; more ends the reader as a failure (it prints at most 8 MiB itself). @default 16 MiB */
  maxOutputBytes?: number;
  /** Most of the distribution's own files listed. @default 3000 */
  maxFiles?: number;
  /** Largest file parsed, bytes. @default 2 MiB */
  maxFileBytes?: number;
  /** Most modules parsed. @default 400 */
  maxModules?: number;
  /** Call depth followed from a handler. @default 4 (as the JavaScript reader's MAX_CALL_DEPTH) */
  maxDepth?: number;
  /** AST nodes visited per tool. @default 150000 */
  maxNodesPerTool?: number;
  /** Sandbox limits; the defaults of `sandbox.ts` otherwise (60 s of CPU, 1 GiB of data). */
  limits?: Partial<SandboxLimits>;
  bwrapPath?: string;
  signal?: AbortSignal;
}

export interface PythonEffectsAnalysis {
  /** One entry per listed tool name, in the order given (a name given twice is read once). */
  tools: NamedCodeEffects[];
  /** Python modules the reader parsed. */
  modulesParsed: number;
  /** Files it skipped: too large, a line too long, a syntax error, nesting too deep for the parser. */
  filesUnparsed: number;
  /** Direct dependencies whose modules it could follow. */
  dependencies: string[];
  /** Why the reader gave no answer, one line of at most 500 characters; null when it answered. */
  failure: string | null;
}

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const KINDS: ReadonlySet<string> = new Set(EFFECT_KINDS);
const count = (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0);
const isLine = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;

function location(raw: unknown): { file: string; line: number } | null {
  if (!isObject(raw) || typeof raw.file !== 'string' || raw.file.length === 0 || raw.file.length > 400 || !isLine(raw.line)) return null;
  return { file: raw.file, line: raw.line };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One tool's entry as the reader printed it, checked field by field; null when it is not that shape. */
function toolEffects(raw: unknown): ToolCodeEffects | null {
  if (!isObject(raw) || typeof raw.handlerFound !== 'boolean' || !Array.isArray(raw.effects)) return null;
  const effects: CodeEffect[] = [];
  for (const item of raw.effects) {
    if (effects.length >= MAX_EFFECTS) break;
    const at = location(item);
    if (!at || !isObject(item) || typeof item.kind !== 'string' || !KINDS.has(item.kind) || typeof item.detail !== 'string' || item.detail.length === 0) continue;
    effects.push({ kind: item.kind as EffectKind, detail: item.detail.slice(0, 120), file: at.file, line: at.line, call: cut(typeof item.call === 'string' ? item.call : '', MAX_CALL_TEXT) });
  }
  const handler = raw.handlerFound ? location(raw.handler) : null;
  const truncated = raw.truncated === true || raw.effects.length > effects.length;
  return { handlerFound: raw.handlerFound, ...(handler ? { handler } : {}), effects, ...(truncated ? { truncated: true } : {}) };
}

/**
 * Reads the reader's stdout for `names` (distinct, in the order they were sent): one entry per name, by position.
 * @throws Error when it is not the reader's JSON object or has another number of entries.
 */
export function parseEffectsOutput(text: string, names: readonly string[]): Omit<PythonEffectsAnalysis, 'failure'> {
  const value: unknown = JSON.parse(text);
  if (!isObject(value) || !Array.isArray(value.tools)) throw new Error('the output is not an object with a tools array');
  const entries: unknown[] = value.tools;
  if (entries.length !== names.length) throw new Error(`the output has ${entries.length} tool entries for ${names.length} names`);
  const tools = names.map((name, index) => ({ name, effects: toolEffects(entries[index]) ?? { handlerFound: false, effects: [], truncated: true } }));
  const dependencies = Array.isArray(value.dependencies) ? value.dependencies.filter((d): d is string => typeof d === 'string').slice(0, 50).map((d) => d.slice(0, 200)) : [];
  return { tools, modulesParsed: count(value.modulesParsed), filesUnparsed: count(value.filesUnparsed), dependencies };
}

/**
 * Runs the code effects reader in the sandbox over the installed project (its own modules as RECORD lists them, and
 * its direct dependencies' when handlers call into them) for `toolNames`, and returns what each tool's handler does.
 * Never throws: a reader that fails gives every tool as not found and cut short, and says why in `failure`.
 */
export async function analysePythonEffects(
  installed: Pick<InstalledPypiPackage, 'root' | 'sitePackages' | 'distInfoDir'>, toolNames: readonly string[], options: PythonEffectsOptions = {},
): Promise<PythonEffectsAnalysis> {
  const unique = [...new Set(toolNames)];
  const sent = unique.filter((name) => name.length <= MAX_NAME_CHARS).slice(0, MAX_PYTHON_EFFECTS_TOOLS);
  const sentSet = new Set(sent);
  const unread: ToolCodeEffects = { handlerFound: false, effects: [], truncated: true };
  const inOrder = (read: ReadonlyMap<string, ToolCodeEffects>) => unique.map((name) => ({ name, effects: read.get(name) ?? unread }));
  const none = (failure: string): PythonEffectsAnalysis => ({ tools: inOrder(new Map()), modulesParsed: 0, filesUnparsed: 0, dependencies: [], failure: failure.slice(0, 500) });
  const site = path.relative(installed.root, installed.sitePackages);
  if (site.startsWith('..') || path.isAbsolute(site) || path.dirname(installed.distInfoDir) !== installed.sitePackages) {
    return none('the installed project is not laid out as installPypiPackage lays it out');
  }
  if (sent.length === 0) return { ...none(''), failure: null };
  const budgetMs = options.budgetMs ?? PYTHON_EFFECTS_BUDGET_MS;
  const limits = [
    '--max-files', String(options.maxFiles ?? 3000),
    '--max-file-bytes', String(options.maxFileBytes ?? 2 * 1024 * 1024),
    '--max-modules', String(options.maxModules ?? 400),
    '--max-depth', String(options.maxDepth ?? 4),
    '--max-nodes', String(options.maxNodesPerTool ?? 150_000),
    '--soft-deadline-ms', String(options.softDeadlineMs ?? Math.floor((budgetMs * 2) / 3)),
  ];
  const command = [
    SANDBOX_PYTHON, '-I', '-S', '-B', EFFECTS_READER_PATH, ...limits,
    `${PACKAGE_MOUNT}/${site.split(path.sep).join('/')}`, path.basename(installed.distInfoDir),
  ];
  const run = await runPythonReader(command, installed.root, {
    timeoutMs: budgetMs, maxOutputBytes: options.maxOutputBytes ?? 16 * 1024 * 1024, limits: options.limits, bwrapPath: options.bwrapPath, signal: options.signal,
    what: 'the code effects reader', stdin: JSON.stringify({ tools: sent }),
    files: [{ target: READER_PATH, content: READER_SOURCE }, { target: EFFECTS_READER_PATH, content: EFFECTS_READER_SOURCE }],
  });
  if (run.failure !== null) return none(run.failure);
  try {
    const parsed = parseEffectsOutput(run.stdout, sent);
    const read = new Map(parsed.tools.filter((t) => sentSet.has(t.name)).map((t) => [t.name, t.effects]));
    return { ...parsed, tools: inOrder(read), failure: null };
  } catch (error) {
    return none(`the code effects reader printed no valid JSON: ${(error as Error).message}`);
  }
}
