/**
 * What a tool's code does (issue 13 item 2): each listed tool's registration followed to its handler, and the side
 * effects reachable from that handler within the package's own files and its direct dependencies, to a bounded
 * call depth. Read with acorn like static extraction (`extract.ts`), never run; `budget.ts` runs it in a worker.
 *
 * Handlers, best first (a tool's first handler of the best kind wins):
 * 1. the function passed to `tool` / `registerTool` / `addTool` (SDK, FastMCP, tmcp), or a config's `execute`/`handler`;
 * 2. a tool object or class named like the tool (`{ name: "x", handler }`, `class X { name = "x"; execute() {} }`),
 *    and the branch of a `tools/call` handler for the tool's name (`switch (request.params.name) { case "x": … }`,
 *    `if (name === "x") …`);
 * 3. any other call that passes the tool's name as a string literal together with a function (`reg("x", schema, h)`);
 * 4. a function under the tool's name as the key of an object literal (`const handlers = { x: async () => … }`), or
 *    the handler of a definition wrapped in a call there (`{ x: tool({ …spec, execute }) }`);
 * 5. a definition whose `title` the server turns into the tool's name (`{ title: "Stop Task" }` listed as
 *    `bearq_stop_task`: the name ends with the title in snake case), with its handler or its class's;
 * 6. for a server that lists a single tool, its `tools/call` request handler.
 *
 * A definition object passed beside a function (`defineTool({ name: "x", … }, async () => …)`) is rank 3, and a
 * guard that turns every other name away (`if (name !== "x") throw …`) makes the statements after it the branch.
 *
 * From a handler, every call is looked at: a recognised side effect (`sinks.ts`) is recorded; a call to a function
 * that can be followed (a local or imported function, a method of an object literal, `this.method()`, a method of
 * a class instantiated with `new`) is read in turn, up to {@link MAX_CALL_DEPTH} calls deep. Functions nested in
 * the handler (callbacks) count as reached.
 *
 * Each effect is given a `scope` when it is the tool's own housekeeping (`effect-scope.ts`: its temporary, cache or
 * debug-log files, a read-only CLI, a module loaded through `Function`); a call under a debug check passes that on
 * to the functions it leads to, and each call's argument expressions stand for the parameters of the function it
 * reaches (`helper("kubectl", ["get", x])`). A function reached from another call site is read again (three times
 * with arguments, then once without); an effect reached along two paths keeps a scope only if both give it, and a
 * temporary file written keeps `temp` only when the handler reads it back or deletes it.
 */
import { readFile, lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { simple } from 'acorn-walk';
import type { CodeEffect, NamedCodeEffects, ToolCodeEffects } from '../../records/index.ts';
import { ownSourceFiles } from '../package-files.ts';
import { effectScope, type ScopeContext, underDebugCheck } from './effect-scope.ts';
import { Evaluator, methodOwner, NOT_LITERAL } from './evaluate.ts';
import { calleeName, importSpecifiers, type Module, moduleOf, type Namespace, requiredSpecifier, type SourceRoot, SourceProgram } from './program.ts';
import { type AnyNode, parentOf } from './scope.ts';
import { type ArgumentReader, type CalleeShape, packageOf, recogniseSink } from './sinks.ts';

/** Calls followed from a handler before giving up on a path. */
export const MAX_CALL_DEPTH = 4;
/** Most effects kept per tool. */
export const MAX_EFFECTS = 40;
/** Longest `call` text kept. */
export const MAX_CALL_TEXT = 160;

export interface EffectsOptions {
  /** Most files listed and read, the package's own. @default 3000 */
  maxFiles?: number;
  /** Largest file parsed, bytes. @default 5 MiB */
  maxFileBytes?: number;
  /** Most modules parsed in all (handler files and what they import). @default 400 */
  maxModules?: number;
  /** Most source bytes parsed in all. @default 24 MiB */
  maxParsedBytes?: number;
  /** Call depth followed from a handler. @default {@link MAX_CALL_DEPTH} */
  maxDepth?: number;
  /** AST nodes visited per tool. @default 150000 */
  maxNodesPerTool?: number;
  /** Direct dependencies whose files may be followed. @default 20 */
  maxDependencies?: number;
  /**
   * Time after which no more files are parsed and handlers are no longer followed, ms from the start: what was read
   * by then is returned, marked truncated, rather than nothing when the worker's wall clock runs out. @default 12000
   */
  softDeadlineMs?: number;
}

export interface EffectsAnalysis {
  /** One entry per listed tool name, in the order given (a name given twice is analysed once). */
  tools: NamedCodeEffects[];
  /** Source files parsed. */
  modulesParsed: number;
  /** Dependencies whose files were listed because the package imports them. */
  dependencies: string[];
}

const JS_FILE = /\.(?:[cm]?js)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
const REGISTRATION_METHODS = new Set(['tool', 'registerTool', 'addTool', 'registerToolTask']);
/** Methods that install the one `tools/call` handler of a low-level server. */
const CALL_HANDLER_METHODS = new Set(['setRequestHandler', 'handle', 'on']);
const HANDLER_KEYS = ['execute', 'handler', 'handle', 'run', 'call', 'callback', 'cb', 'exec', 'fn', 'invoke', 'implementation', 'func', 'action', '_call'];
const CLASS_HANDLERS = ['execute', 'handler', 'handle', 'run', 'call', 'invoke', '_call', '_execute', 'callback', 'process'];
const NAME_DISCRIMINANT = /name|tool|method|command|action|type/i;
/** Dependencies never followed: SDKs and frameworks, and libraries whose calls `sinks.ts` recognises at the call. */
const NOT_FOLLOWED = /^(?:@modelcontextprotocol\/.*|fastmcp|mcp-framework|tmcp|zod|zod-to-json-schema|axios|got|ky|node-fetch|undici|execa|fs-extra|puppeteer.*|playwright.*|@playwright\/.*|stripe|pg|mysql2?|better-sqlite3|sqlite3?|mongodb|mongoose|@prisma\/client|nodemailer|@slack\/.*|twilio|openai|@anthropic-ai\/.*|ethers|viem|web3|@solana\/.*|dotenv|chalk|commander|yargs|express|ws|lodash.*|uuid|typescript|tslib|@types\/.*|googleapis|google-auth-library|@google-cloud\/.*|@googleapis\/.*|@aws-sdk\/.*|aws-sdk|@azure\/.*|@microsoft\/.*|firebase.*|@octokit\/.*|octokit|@notionhq\/client|discord\.js|telegraf|@kubernetes\/.*|dockerode|@elastic\/.*|@supabase\/.*|@sentry\/.*|langchain|@langchain\/.*|rxjs|jsdom|cheerio|@babel\/.*|esbuild|webpack|vite|eslint|prettier|react.*|next|vue)$/;
/** How many imports deep a dependency's own modules are followed, and how many of its modules at most. */
const DEPENDENCY_DEPTH = 2;
const DEPENDENCY_MODULES = 120;

/** Handler kinds, best first. */
const enum Rank { Registration = 1, Definition = 2, NamedCall = 3, Keyed = 4, Titled = 5, OnlyTool = 6 }

interface HandlerSite {
  rank: Rank;
  /** What is read: a function, a call wrapping one, or the statements of a branch. */
  nodes: AnyNode[];
  /** Where the handler starts. */
  at: AnyNode;
}

/** Reads the package at `packageDir` and returns what each of `toolNames` does. Never throws for what the package contains. */
export async function analyseEffects(packageDir: string, toolNames: readonly string[], options: EffectsOptions = {}): Promise<EffectsAnalysis> {
  const maxFiles = options.maxFiles ?? 3000;
  const maxFileBytes = options.maxFileBytes ?? 5 * 1024 * 1024;
  const deadline = Date.now() + (options.softDeadlineMs ?? 12_000);
  const late = () => Date.now() > deadline;
  const names = [...new Set(toolNames)];
  const wanted = new Set(names);
  const manifest = await readManifest(packageDir);
  const own: { js: string[]; ts: string[] } = { js: [], ts: [] };
  for await (const file of ownSourceFiles(packageDir, 0, { extensions: /\.(?:[cm]?js|ts|mts|cts|tsx)$/, skipTests: true })) {
    if (own.js.length + own.ts.length >= maxFiles) break;
    if (JS_FILE.test(file)) own.js.push(file);
    else if (!DECLARATION_FILE.test(file)) own.ts.push(file);
  }
  const ownRoot: SourceRoot = { name: manifest?.name ?? '', dir: packageDir, files: new Set([...own.js, ...own.ts]) };
  const program = new SourceProgram([ownRoot], { maxFileBytes, maxCachedBytes: Number.MAX_SAFE_INTEGER, keepText: true });
  const ev = new Evaluator(program, 5_000);
  const loader = new Loader(program, packageDir, options.maxModules ?? 400, options.maxParsedBytes ?? 24 * 1024 * 1024, late);
  const handlers = new Map<string, HandlerSite>();

  /** The files (of `files`) that mention a tool still without a handler, parsed with what they import. */
  const scan = async (files: string[]) => {
    const missing = names.filter((n) => !handlers.has(n));
    if (missing.length === 0) return [];
    const mentioning: string[] = [];
    for (const file of files) {
      if (late()) break;
      const text = await readSmall(file, maxFileBytes);
      if (text !== null && missing.some((n) => text.includes(n))) mentioning.push(file);
    }
    await loader.closure(mentioning);
    return mentioning;
  };
  const handlerFiles = await scan(own.js);
  findHandlers(program, handlerFiles, wanted, handlers, ev);
  if (names.some((n) => !handlers.has(n)) && own.ts.length > 0) {
    const tsFiles = await scan(own.ts);
    handlerFiles.push(...tsFiles);
    findHandlers(program, tsFiles, wanted, handlers, ev);
  }
  // Names built from a definition's title (`${prefix}_${title in snake case}`): files that spell a missing name's
  // words as a quoted title.
  const titles = titleForms(names.filter((n) => !handlers.has(n)));
  if (titles.size > 0 && !late()) {
    const titled: string[] = [];
    for (const file of [...own.js, ...own.ts]) {
      if (late()) break;
      const text = (await readSmall(file, maxFileBytes))?.toLowerCase();
      if (text && /\btitle\b/.test(text) && [...titles.keys()].some((t) => text.includes(`"${t}"`) || text.includes(`'${t}'`) || text.includes(`\`${t}\``))) titled.push(file);
    }
    await loader.closure(titled);
    findHandlers(program, titled, wanted, handlers, ev, titles);
    handlerFiles.push(...titled);
  }
  // Dependencies the parsed files import: listed, then the files of theirs that the handler files reach parsed too.
  const dependencies = await addDependencies(program, loader, packageDir, manifest, options.maxDependencies ?? 20);
  if (dependencies.length > 0) await loader.closure(handlerFiles);

  const reader = new EffectReader(program, ev, packageDir, ownRoot, options.maxDepth ?? MAX_CALL_DEPTH, options.maxNodesPerTool ?? 150_000, late);
  const tools: NamedCodeEffects[] = names.map((name) => {
    const site = handlers.get(name);
    if (!site) return { name, effects: { handlerFound: false, effects: [], ...(late() ? { truncated: true } : {}) } };
    return { name, effects: reader.read(site) };
  });
  return { tools, modulesParsed: loader.parsed, dependencies };
}

async function readSmall(file: string, maxBytes: number): Promise<string | null> {
  try {
    if ((await stat(file)).size > maxBytes) return null;
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** Parses files and what they import, breadth first, within a module count and a byte budget. */
class Loader {
  parsed = 0;
  private bytes = 0;
  private readonly seen = new Set<string>();
  private readonly all = new Set<string>();

  private dependencyModules = 0;

  constructor(
    private readonly program: SourceProgram,
    private readonly packageDir: string,
    private readonly maxModules: number,
    private readonly maxBytes: number,
    private readonly late: () => boolean = () => false,
  ) {}

  /** Whether a file is the package's own (not under a `node_modules` folder). */
  private own(file: string): boolean {
    const relative = path.relative(this.packageDir, file);
    return !relative.startsWith('..') && !relative.split(path.sep).includes('node_modules');
  }

  /**
   * Parses `files` and what they import, breadth first, at most `maxDepth` imports deep; a dependency's modules only
   * {@link DEPENDENCY_DEPTH} imports below the first one reached, and {@link DEPENDENCY_MODULES} of them in all.
   */
  async closure(files: string[], maxDepth = 6): Promise<void> {
    this.seen.clear();
    let level = files.map((file) => ({ file, below: 0 }));
    for (let depth = 0; depth <= maxDepth && level.length > 0; depth += 1) {
      const next: Array<{ file: string; below: number }> = [];
      for (const { file, below } of level) {
        if (this.seen.has(file)) continue;
        this.seen.add(file);
        let module = this.program.loaded(file);
        const own = this.own(file);
        if (!module) {
          if (this.parsed >= this.maxModules || this.bytes >= this.maxBytes || this.program.failed(file) || this.late()) continue;
          if (!own && this.dependencyModules >= DEPENDENCY_MODULES) continue;
          module = (await this.program.load(file)) ?? undefined;
          if (!module) continue;
          this.parsed += 1;
          this.bytes += module.bytes;
          if (!own) this.dependencyModules += 1;
        }
        this.all.add(file);
        for (const specifier of importSpecifiers(module.ast)) {
          const target = this.program.resolve(module, specifier);
          if (!target || this.seen.has(target)) continue;
          const targetBelow = this.own(target) ? 0 : own ? 1 : below + 1;
          if (targetBelow <= DEPENDENCY_DEPTH + 1) next.push({ file: target, below: targetBelow });
        }
      }
      level = next;
    }
  }

  /** Every module parsed so far. */
  modules(): Module[] {
    return [...this.all].flatMap((f) => this.program.loaded(f) ?? []);
  }
}

interface Manifest {
  name?: string;
  main?: string;
  module?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const value = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Manifest) : null;
  } catch {
    return null;
  }
}

/** The file `exports["."]` (import, require or default condition), `module` or `main` names, if a string. */
function mainOf(manifest: Manifest | null): string | undefined {
  const pick = (value: unknown, depth = 0): string | undefined => {
    if (typeof value === 'string') return value;
    if (!value || typeof value !== 'object' || Array.isArray(value) || depth > 3) return undefined;
    const record = value as Record<string, unknown>;
    for (const key of ['.', 'import', 'node', 'require', 'default']) {
      if (Object.hasOwn(record, key)) {
        const found = pick(record[key], depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return pick(manifest?.exports) ?? (typeof manifest?.module === 'string' ? manifest.module : undefined) ?? (typeof manifest?.main === 'string' ? manifest.main : undefined);
}

/** Lists the direct dependencies that parsed own modules import (not SDKs or recognised libraries); returns their names. */
async function addDependencies(program: SourceProgram, loader: Loader, packageDir: string, manifest: Manifest | null, max: number): Promise<string[]> {
  const declared = new Set(Object.keys({ ...manifest?.dependencies, ...manifest?.optionalDependencies }));
  const imported = new Set<string>();
  for (const module of loader.modules()) {
    for (const specifier of importSpecifiers(module.ast)) {
      if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) continue;
      const name = packageOf(specifier).name;
      if (declared.has(name) && !NOT_FOLLOWED.test(name) && !program.hasRoot(name)) imported.add(name);
    }
  }
  const added: string[] = [];
  for (const dep of [...imported].sort()) {
    if (added.length >= max) break;
    for (const dir of [path.join(packageDir, 'node_modules', dep), ...enclosingNodeModules(packageDir).map((m) => path.join(m, dep))]) {
      const info = await lstat(dir).catch(() => null);
      if (!info?.isDirectory()) continue;
      const files = new Set<string>();
      for await (const file of ownSourceFiles(dir, 0, { extensions: /\.(?:[cm]?js)$/, skipTests: true })) {
        files.add(file);
        if (files.size >= 2000) break;
      }
      const main = mainOf(await readManifest(dir));
      program.addRoot({ name: dep, dir, files, ...(main ? { main: path.resolve(dir, main) } : {}) });
      added.push(dep);
      break;
    }
  }
  return added;
}

function enclosingNodeModules(packageDir: string): string[] {
  const out: string[] = [];
  for (let dir = path.resolve(packageDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') out.push(dir);
  }
  return out;
}

const FUNCTION = /^(?:FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/;

function isFunction(node: AnyNode): boolean {
  return !!node && FUNCTION.test(node.type);
}

/** Finds each wanted tool's handler in the given files, keeping a better (lower rank) or earlier one already found. */
/** Most words of a name tried as a title. */
const MAX_TITLE_WORDS = 8;

/**
 * Titles that would give each name: its words after a prefix, lower case and space-separated (`bearq_stop_task` →
 * "stop task"), two words at least, and the whole name. Title → the names it may stand for.
 */
function titleForms(names: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of names) {
    const words = name.toLowerCase().split(/[_-]+/).filter((w) => w !== '');
    if (words.length < 2 || words.length > MAX_TITLE_WORDS + 3) continue;
    for (let from = 0; from <= Math.min(3, words.length - 2); from += 1) {
      const title = words.slice(from).join(' ');
      const list = out.get(title) ?? [];
      if (!list.includes(name)) list.push(name);
      out.set(title, list);
    }
  }
  return out;
}

function findHandlers(program: SourceProgram, files: string[], wanted: ReadonlySet<string>, handlers: Map<string, HandlerSite>, ev: Evaluator, titles?: ReadonlyMap<string, readonly string[]>): void {
  const offer = (name: string | undefined, site: HandlerSite) => {
    if (name === undefined || !wanted.has(name)) return;
    const known = handlers.get(name);
    if (!known || known.rank > site.rank) handlers.set(name, site);
  };
  const str = (node: AnyNode): string | undefined => {
    if (!node) return undefined;
    if (node.type === 'Literal') return typeof node.value === 'string' ? node.value : undefined;
    ev.reset();
    return ev.string(node);
  };
  const fnValue = (node: AnyNode): AnyNode | undefined => {
    if (!node) return undefined;
    if (isFunction(node) || node.type === 'CallExpression') return node;
    ev.reset();
    const target = ev.deref(node);
    return isFunction(target) ? target : undefined;
  };
  for (const file of files) {
    const module = program.loaded(file);
    if (!module) continue;
    try {
      simple(module.ast, {
        CallExpression(node: AnyNode) {
          const callee = node.callee;
          const args: AnyNode[] = node.arguments;
          const method = callee.type === 'MemberExpression' && !callee.computed ? callee.property.name : undefined;
          if (method && REGISTRATION_METHODS.has(method) && args.length > 0) {
            ev.reset();
            const first = ev.deref(args[0]);
            if (first?.type === 'ObjectExpression') {
              const name = str(ev.objectProperty(first, 'name'));
              const inner = HANDLER_KEYS.map((k) => ev.objectProperty(first, k)).find((v) => v);
              const handler = inner ?? (args.length > 1 ? args[args.length - 1] : undefined);
              if (handler) offer(name, { rank: Rank.Registration, nodes: [handler], at: handler });
              return;
            }
            if (args.length >= 2) {
              const handler = args[args.length - 1];
              offer(str(args[0]), { rank: Rank.Registration, nodes: [handler], at: handler });
              return;
            }
          }
          // The `tools/call` handler of a server with one tool.
          if (method && CALL_HANDLER_METHODS.has(method) && wanted.size === 1 && args.length === 2 && isCallToolSchema(args[0])) {
            const fn = fnValue(args[1]);
            if (fn && fn.type !== 'CallExpression') offer([...wanted][0], { rank: Rank.OnlyTool, nodes: [fn], at: fn });
          }
          // Any other call naming a tool in a string literal and passing a function.
          const named = args.find((a) => a.type === 'Literal' && typeof a.value === 'string' && wanted.has(a.value));
          if (!named) {
            // Or passing a definition object that names it beside a function: `defineTool({ name: "x", … }, handler)`.
            if (args.length < 2) return;
            ev.reset();
            const definition = args.map((a) => (a.type === 'ObjectExpression' ? a : undefined)).find((a) => a && wanted.has(str(ev.objectProperty(a, 'name')) ?? '\u0000'));
            if (!definition) return;
            const name = str(ev.objectProperty(definition, 'name'));
            const handler = [...args].reverse().map((a) => (a === definition ? undefined : fnValue(a))).find((f) => f && f.type !== 'CallExpression');
            if (handler) offer(name, { rank: Rank.NamedCall, nodes: [handler], at: handler });
            return;
          }
          const fn = [...args].reverse().map((a) => (a === named ? undefined : fnValue(a))).find((f) => f && f.type !== 'CallExpression');
          if (fn) offer(named.value, { rank: Rank.NamedCall, nodes: [fn], at: fn });
        },
        ObjectExpression(node: AnyNode) {
          if (titles) titledDefinition(node, file);
          let nameProp: AnyNode | undefined;
          for (const p of node.properties) {
            if (p.type !== 'Property' || p.computed) continue;
            const key = p.key.type === 'Identifier' ? p.key.name : typeof p.key.value === 'string' ? p.key.value : undefined;
            if (key === 'name') nameProp = p.value;
            else if (key !== undefined && wanted.has(key)) {
              const fn = fnValue(p.value);
              if (fn && fn.type !== 'CallExpression') offer(key, { rank: Rank.Keyed, nodes: [fn], at: p });
              // `{ list_projects: tool({ ...spec, execute: async () => … }) }`: the handler of the wrapped definition.
              else if (fn?.type === 'CallExpression') {
                ev.reset();
                const definition = fn.arguments.find((a: AnyNode) => a.type === 'ObjectExpression');
                const inner = definition && HANDLER_KEYS.map((k) => ev.objectProperty(definition, k)).find((v) => v);
                if (inner) offer(key, { rank: Rank.Keyed, nodes: [inner], at: p });
              }
            }
          }
          if (!nameProp) return;
          const name = str(nameProp);
          if (name === undefined || !wanted.has(name)) return;
          ev.reset();
          const handler = HANDLER_KEYS.map((k) => ev.objectProperty(node, k)).find((v) => v);
          if (handler) offer(name, { rank: Rank.Definition, nodes: [handler], at: handler });
        },
        ClassDeclaration: (node: AnyNode) => toolClass(node),
        ClassExpression: (node: AnyNode) => toolClass(node),
        SwitchStatement(node: AnyNode) {
          if (!NAME_DISCRIMINANT.test(lastName(node.discriminant) ?? '')) return;
          node.cases.forEach((c: AnyNode, i: number) => {
            const name = c.test ? str(c.test) : undefined;
            if (name === undefined || !wanted.has(name)) return;
            // Grouped cases (`case "a": case "b": …`) share the next case's statements.
            let body = c.consequent;
            for (let j = i + 1; body.length === 0 && j < node.cases.length; j += 1) body = node.cases[j].consequent;
            if (body.length > 0) offer(name, { rank: Rank.Definition, nodes: body, at: c });
          });
        },
        IfStatement(node: AnyNode) {
          const test = node.test;
          if (test?.type !== 'BinaryExpression' || !/^[!=]==?$/.test(test.operator)) return;
          const [value, other] = test.left.type === 'Literal' ? [test.left, test.right] : [test.right, test.left];
          if (!NAME_DISCRIMINANT.test(lastName(other) ?? '')) return;
          const name = str(value);
          if (name === undefined || !wanted.has(name)) return;
          if (!test.operator.startsWith('!')) {
            offer(name, { rank: Rank.Definition, nodes: [node.consequent], at: node });
            return;
          }
          // `if (name !== "x") throw …;` turns every other tool away: what follows in the block is x's branch.
          if (node.alternate || !leaves(node.consequent)) return;
          const block = parentOf.get(node);
          const statements: AnyNode[] | undefined = block?.type === 'BlockStatement' || block?.type === 'Program' ? block.body : undefined;
          const rest = statements ? statements.slice(statements.indexOf(node) + 1) : [];
          if (rest.length > 0) offer(name, { rank: Rank.Definition, nodes: rest, at: node });
        },
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
  }

  /**
   * A definition object whose `title` gives a wanted name (`titles`): its own handler, or that of the class whose field
   * it is. When the title fits several names, the one whose prefix is a folder or file name of the path.
   */
  function titledDefinition(node: AnyNode, file: string): void {
    ev.reset();
    const title = str(ev.objectProperty(node, 'title'))?.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
    const candidates = title === undefined ? undefined : titles?.get(title);
    if (!candidates) return;
    const parts = file.toLowerCase().split(/[\\/.]/);
    const fitting = candidates.length === 1 ? candidates : candidates.filter((n) => parts.includes(n.toLowerCase().split(/[_-]/)[0] ?? ''));
    if (fitting.length !== 1 || handlers.has(fitting[0]!)) return;
    const inner = HANDLER_KEYS.map((k) => ev.objectProperty(node, k)).find((v) => v);
    if (inner) return offer(fitting[0], { rank: Rank.Titled, nodes: [inner], at: inner });
    const field = parentOf.get(node);
    // `register({ title: "Create Review", … }, async (args) => …)`: the function passed beside it.
    if (field?.type === 'CallExpression' && field.arguments.includes(node)) {
      const fn = [...field.arguments].reverse().map((a: AnyNode) => (a === node ? undefined : fnValue(a))).find((f: AnyNode) => f && f.type !== 'CallExpression');
      if (fn) offer(fitting[0], { rank: Rank.Titled, nodes: [fn], at: fn });
      return;
    }
    const cls = field?.type === 'PropertyDefinition' ? parentOf.get(parentOf.get(field)) : undefined;
    if (cls?.type !== 'ClassDeclaration' && cls?.type !== 'ClassExpression') return;
    for (const key of CLASS_HANDLERS) {
      const method = methodOf(ev, cls, key, false);
      if (method) return offer(fitting[0], { rank: Rank.Titled, nodes: [method], at: method });
    }
  }

  function toolClass(cls: AnyNode): void {
    ev.reset();
    const nameNode = ev.classMember(cls, 'name', false) ?? ev.classMember(cls, 'name', true);
    const name = nameNode ? str(nameNode) : undefined;
    if (name === undefined || !wanted.has(name)) return;
    for (const key of CLASS_HANDLERS) {
      const method = methodOf(ev, cls, key, false);
      if (method) return offer(name, { rank: Rank.Definition, nodes: [method], at: method });
    }
  }
}

/** Whether a statement always leaves its block: a `throw` or a `return`, alone or last in braces. */
function leaves(statement: AnyNode): boolean {
  const last = statement?.type === 'BlockStatement' ? statement.body[statement.body.length - 1] : statement;
  return last?.type === 'ThrowStatement' || last?.type === 'ReturnStatement';
}

/** `CallToolRequestSchema` (imported or spelled out) or the method name `"tools/call"`. */
function isCallToolSchema(node: AnyNode): boolean {
  const name = node?.type === 'Literal' ? node.value : lastName(node);
  return name === 'tools/call' || (typeof name === 'string' && /^CallToolRequest(?:Schema)?$/.test(name));
}

/** The last name of an identifier or member chain: `request.params.name` → "name". */
function lastName(node: AnyNode): string | undefined {
  if (node?.type === 'Identifier') return node.name;
  if (node?.type === 'MemberExpression' && !node.computed) return node.property.name;
  if (node?.type === 'ChainExpression') return lastName(node.expression);
  return undefined;
}

/** A class's method (or arrow-function field) by name, also in superclasses. */
function methodOf(ev: Evaluator, cls: AnyNode, key: string, isStatic: boolean, depth = 0): AnyNode | undefined {
  for (const m of cls.body?.body ?? []) {
    if (!!m.static !== isStatic || ev.propertyKey(m) !== key) continue;
    if (m.type === 'MethodDefinition' && m.kind === 'method') return m.value;
    if (m.type === 'PropertyDefinition' && isFunction(m.value)) return m.value;
  }
  if (!cls.superClass || depth >= 4) return undefined;
  const superClass = ev.deref(cls.superClass);
  return superClass?.type === 'ClassDeclaration' || superClass?.type === 'ClassExpression' ? methodOf(ev, superClass, key, isStatic, depth + 1) : undefined;
}

const SKIPPED_KEYS = new Set(['type', 'start', 'end', 'loc', 'range', 'raw']);

/**
 * A node still to read: how many calls deep it was reached, whether only under a debug check, and the calls that led
 * to it (each function with the argument expressions of its call), which housekeeping scopes read parameters through.
 */
interface StackItem {
  node: AnyNode;
  depth: number;
  debug: boolean;
  frames: readonly Frame[];
}

interface Frame {
  fn: AnyNode;
  args: AnyNode[];
}

/** How a function was queued for one tool: under a debug check only, and how many times. */
interface Followed {
  debug: boolean;
  visits: number;
}

/**
 * Times one function is read per tool with the arguments of a different call site in force; reached from one more,
 * it is read once more with no arguments known, so a scope that depends on one call site's arguments is dropped.
 */
const MAX_VISITS_WITH_ARGUMENTS = 3;

/** One tool's reading: the effects by location, the functions queued, the anchors of file effects. */
interface ReadState {
  out: ToolCodeEffects;
  seen: Map<string, CodeEffect>;
  followed: Map<AnyNode, Followed>;
  stack: StackItem[];
  anchors: Map<CodeEffect, Set<unknown>>;
  /** The call of each scoped effect, and the functions that could not be read again for another call site. */
  calls: Map<CodeEffect, AnyNode>;
  unsure: Set<AnyNode>;
}

/** Follows handlers to their effects. */
class EffectReader {
  private readonly lineStarts = new WeakMap<Module, number[]>();
  private readonly reader: ArgumentReader;
  private readonly scopes: ScopeContext;

  constructor(
    private readonly program: SourceProgram,
    private readonly ev: Evaluator,
    private readonly packageDir: string,
    private readonly ownRoot: SourceRoot,
    private readonly maxDepth: number,
    private readonly maxNodes: number,
    private readonly late: () => boolean = () => false,
  ) {
    this.reader = {
      string: (node) => {
        if (!node) return undefined;
        this.ev.reset();
        return this.ev.string(node);
      },
      member: (node, key) => {
        this.ev.reset();
        const target = this.ev.deref(node);
        return target?.type === 'ObjectExpression' ? this.ev.objectProperty(target, key) : undefined;
      },
    };
    this.scopes = {
      ...this.reader,
      literal: (node) => {
        if (!node) return undefined;
        this.ev.reset();
        const value = this.ev.literal(node);
        return value === NOT_LITERAL ? undefined : value;
      },
      deref: (node) => {
        this.ev.reset();
        return this.ev.deref(node);
      },
      shape: (callee) => this.shape(callee),
    };
  }

  read(site: HandlerSite): ToolCodeEffects {
    const at = this.location(site.at);
    const out: ToolCodeEffects = { handlerFound: true, ...(at ? { handler: at } : {}), effects: [] };
    const state: ReadState = { out, seen: new Map(), followed: new Map(), stack: [], anchors: new Map(), calls: new Map(), unsure: new Set() };
    const { stack } = state;
    for (const node of [...site.nodes].reverse()) {
      const fn = isFunction(node) ? node : undefined;
      if (fn) state.followed.set(fn, { debug: false, visits: Number.POSITIVE_INFINITY });
      stack.push({ node, depth: 0, debug: false, frames: [] });
    }
    let visited = 0;
    try {
      while (stack.length > 0) {
        const item = stack.pop()!;
        const { node, depth, debug, frames } = item;
        if (!node || typeof node !== 'object') continue;
        visited += 1;
        if (visited > this.maxNodes || (visited % 1024 === 0 && this.late())) {
          out.truncated = true;
          break;
        }
        if (node.type === 'CallExpression' || node.type === 'NewExpression' || node.type === 'TaggedTemplateExpression') {
          const done = this.call(node, item, state);
          if (done) break;
        }
        const children: AnyNode[] = [];
        for (const key of Object.keys(node)) {
          if (SKIPPED_KEYS.has(key)) continue;
          const value = node[key];
          if (Array.isArray(value)) {
            for (const v of value) if (v && typeof v.type === 'string') children.push(v);
          } else if (value && typeof value === 'object' && typeof value.type === 'string') children.push(value);
        }
        for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ node: children[i], depth, debug, frames });
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      out.truncated = true;
    }
    unsureScopes(state);
    ownTemporaryFiles(state);
    return out;
  }

  /**
   * Records the call if it is an effect (with its scope), else queues the function it calls; true when the effect
   * cap is reached. A function already queued is read again when it is now reached without a debug check, or from
   * another call site (see {@link MAX_VISITS_WITH_ARGUMENTS}), so one call's housekeeping does not cover another's.
   */
  private call(node: AnyNode, at: StackItem, state: ReadState): boolean {
    const { depth, debug, frames } = at;
    const { out, seen, followed, stack } = state;
    const callee = node.type === 'TaggedTemplateExpression' ? node.tag : node.callee;
    const shape = this.shape(callee);
    const sink = shape ? recogniseSink(node, shape, this.reader) : null;
    if (sink) {
      const where = this.location(node);
      if (!where) return false;
      const found = node.type === 'TaggedTemplateExpression' ? undefined : this.withFrames(frames, () => effectScope(node, sink, shape!, this.scopes, debug));
      const scope = found?.scope;
      const key = `${sink.kind}\u0000${sink.detail}\u0000${where.file}\u0000${where.line}`;
      const earlier = seen.get(key);
      if (earlier) {
        // One call reached along two paths: housekeeping only if both say so.
        if (earlier.scope !== scope) {
          if (scope === undefined) delete earlier.scope;
          else if (earlier.scope === 'debug-log') earlier.scope = scope;
        }
        const anchors = state.anchors.get(earlier);
        if (anchors && found) for (const a of found.anchors) anchors.add(a);
        return false;
      }
      if (out.effects.length >= MAX_EFFECTS) {
        out.truncated = true;
        return true;
      }
      const effect: CodeEffect = { kind: sink.kind, detail: sink.detail, file: where.file, line: where.line, call: this.text(node), ...(scope ? { scope } : {}) };
      seen.set(key, effect);
      if (found && (effect.kind === 'fs.read' || effect.scope === 'temp')) state.anchors.set(effect, found.anchors);
      if (scope) state.calls.set(effect, node);
      out.effects.push(effect);
      return false;
    }
    if (node.type === 'TaggedTemplateExpression') return false;
    const fn = this.target(callee);
    if (!fn) return false;
    const before = followed.get(fn);
    const guarded = debug || underDebugCheck(node, this.scopes);
    const args: AnyNode[] = node.arguments ?? [];
    let nextFrames: readonly Frame[] = [...frames, { fn, args }];
    let visits = 1;
    if (before) {
      const lostDebug = before.debug && !guarded;
      const otherSite = args.length > 0 && fn.params?.length > 0 && before.visits <= MAX_VISITS_WITH_ARGUMENTS;
      if (!lostDebug && !otherSite) return false;
      if (depth >= this.maxDepth) {
        // Already read, but not for this call: what it does is known, its housekeeping for this call is not.
        state.unsure.add(fn);
        return false;
      }
      visits = before.visits + 1;
      // Past the cap, read once more with no call's arguments known: what depends on them is no longer scoped.
      if (visits > MAX_VISITS_WITH_ARGUMENTS) nextFrames = [];
      if (visits > MAX_VISITS_WITH_ARGUMENTS + 1) visits = Number.POSITIVE_INFINITY;
    }
    if (depth >= this.maxDepth) {
      out.truncated = true;
      return false;
    }
    followed.set(fn, { debug: guarded && (before?.debug ?? true), visits });
    stack.push({ node: fn.body, depth: depth + 1, debug: guarded, frames: nextFrames });
    return false;
  }

  /** Runs `read` with the arguments of each call in `frames` standing for the parameters of its function. */
  private withFrames<T>(frames: readonly Frame[], read: () => T, index = 0): T {
    if (index >= frames.length) return read();
    const frame = frames[index]!;
    return this.ev.withArguments(frame.fn, frame.args, () => this.withFrames(frames, read, index + 1));
  }

  /** The function a callee names, when it can be followed within the listed packages. */
  private target(callee: AnyNode): AnyNode | undefined {
    this.ev.reset();
    let node = callee;
    if (node?.type === 'SequenceExpression') node = node.expressions[node.expressions.length - 1];
    if (node?.type === 'ChainExpression') node = node.expression;
    if (node?.type === 'MemberExpression') {
      const key = this.ev.propertyKey({ key: node.property, computed: node.computed });
      if (key === undefined) return undefined;
      if (node.object.type === 'ThisExpression') {
        const owner = methodOwner(node);
        if (!owner) return undefined;
        const found = owner.node.type === 'ObjectExpression' ? this.ev.objectProperty(owner.node, key) : methodOf(this.ev, owner.node, key, owner.isStatic);
        const fn = found && this.ev.deref(found);
        return isFunction(fn) ? fn : undefined;
      }
      const object = this.ev.deref(node.object);
      let found: AnyNode | undefined;
      if (object?.type === 'Namespace') found = this.ev.exportValue((object as Namespace).module, key);
      else if (object?.type === 'ObjectExpression') found = this.ev.objectProperty(object, key);
      else if (object?.type === 'ClassDeclaration' || object?.type === 'ClassExpression') found = methodOf(this.ev, object, key, true);
      else if (object?.type === 'NewExpression') {
        const cls = this.ev.deref(object.callee);
        if (cls?.type === 'ClassDeclaration' || cls?.type === 'ClassExpression') found = methodOf(this.ev, cls, key, false);
      }
      const fn = found && this.ev.deref(found);
      return isFunction(fn) ? fn : undefined;
    }
    const fn = node && this.ev.deref(node);
    return isFunction(fn) ? fn : undefined;
  }

  /** The callee's chain of names and the package its root comes from. */
  private shape(callee: AnyNode): CalleeShape | null {
    const names: string[] = [];
    let node = callee;
    let thisMember: AnyNode | undefined;
    for (let i = 0; i < 12 && node; i += 1) {
      if (node.type === 'SequenceExpression') node = node.expressions[node.expressions.length - 1];
      else if (node.type === 'ChainExpression' || node.type === 'ParenthesizedExpression') node = node.expression;
      else if (node.type === 'AwaitExpression') node = node.argument;
      else if (node.type === 'MemberExpression') {
        const key = node.computed ? (node.property.type === 'Literal' && typeof node.property.value === 'string' ? node.property.value : undefined) : node.property.name;
        if (key === undefined) return null;
        if (key !== 'default') names.unshift(key);
        if (node.object.type === 'ThisExpression') thisMember = node;
        node = node.object;
      } else break;
    }
    const origin = this.origin(thisMember ?? node, 0, new Set());
    if (node?.type === 'Identifier') {
      const binding = moduleOf(node)?.scopes.lookup(node);
      if (origin?.imported) names.unshift(origin.imported);
      else if (binding && binding.path.length > 0 && origin) names.unshift(String(binding.path[binding.path.length - 1]));
      else names.unshift(node.name);
      return { origin: origin?.name, ...(origin?.sub ? { originSub: origin.sub } : {}), names, global: !binding && node.name !== 'require' };
    }
    if (node?.type === 'ThisExpression') names.unshift('this');
    else if (node?.type === 'CallExpression' || node?.type === 'NewExpression') {
      const inner = calleeName(node.callee);
      if (inner) names.unshift(inner);
    }
    if (names.length === 0) return null;
    return { origin: origin?.name, ...(origin?.sub ? { originSub: origin.sub } : {}), names, global: false };
  }

  /**
   * The package a value comes from: an import or `require` of it, or a value made from one (`new Stripe(key)`,
   * `axios.create()`, `await browser.newPage()`, `this.client` assigned one in the constructor).
   */
  private origin(node: AnyNode, depth: number, seen: Set<AnyNode>): { name: string; sub: string; imported?: string } | undefined {
    if (!node || depth > 8 || seen.has(node)) return undefined;
    seen.add(node);
    switch (node.type) {
      case 'Identifier': {
        const module = moduleOf(node);
        const binding = module?.scopes.lookup(node);
        if (!binding || binding.ambiguous) return undefined;
        if (binding.kind === 'import') {
          const source = parentOf.get(binding.declaration)?.source?.value;
          if (typeof source !== 'string' || source.startsWith('.')) return undefined;
          const spec = binding.declaration;
          const imported = spec.type === 'ImportSpecifier' ? (spec.imported.name ?? spec.imported.value) : undefined;
          return { ...packageOf(source), ...(imported && imported !== 'default' ? { imported } : {}) };
        }
        if ((binding.kind === 'const' || binding.kind === 'let' || binding.kind === 'var') && !(binding.kind !== 'const' && binding.reassigned)) {
          const init = binding.declaration.init;
          return init ? this.origin(init, depth + 1, seen) : undefined;
        }
        return undefined;
      }
      case 'CallExpression': {
        const spec = requiredSpecifier(node);
        if (spec !== undefined) return spec.startsWith('.') ? undefined : packageOf(spec);
        const root = chainRoot(node.callee);
        return root ? stripImported(this.origin(root, depth + 1, seen)) : undefined;
      }
      case 'ImportExpression':
        return node.source?.type === 'Literal' && typeof node.source.value === 'string' && !node.source.value.startsWith('.') ? packageOf(node.source.value) : undefined;
      case 'NewExpression': {
        const root = chainRoot(node.callee);
        return root ? stripImported(this.origin(root, depth + 1, seen)) : undefined;
      }
      case 'AwaitExpression':
      case 'ChainExpression':
      case 'ParenthesizedExpression':
        return this.origin(node.argument ?? node.expression, depth + 1, seen);
      case 'SequenceExpression':
        return this.origin(node.expressions[node.expressions.length - 1], depth + 1, seen);
      case 'LogicalExpression':
        return this.origin(node.left, depth + 1, seen) ?? this.origin(node.right, depth + 1, seen);
      case 'MemberExpression': {
        if (node.object.type === 'ThisExpression' && !node.computed) {
          this.ev.reset();
          const value = this.ev.thisMember(node.object, node.property.name);
          return value ? stripImported(this.origin(value, depth + 1, seen)) : undefined;
        }
        const root = chainRoot(node);
        return root ? this.origin(root, depth + 1, seen) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Package-relative file and 1-based line of a node. */
  private location(node: AnyNode): { file: string; line: number } | undefined {
    const module = moduleOf(node);
    if (!module || module.file === '<source>') return module ? { file: '<source>', line: this.line(module, node.start) } : undefined;
    const file = module.root === this.ownRoot || module.root.dir === this.packageDir
      ? path.relative(this.packageDir, module.file)
      : `node_modules/${module.root.name}/${path.relative(module.root.dir, module.file)}`;
    return { file: file.split(path.sep).join('/'), line: this.line(module, node.start) };
  }

  private line(module: Module, offset: number): number {
    const text = module.text ?? '';
    let starts = this.lineStarts.get(module);
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts.set(module, starts);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return module.originalLines?.[lo] ?? lo + 1;
  }

  private text(node: AnyNode): string {
    const module = moduleOf(node);
    const raw = (module?.text ?? '').slice(node.start, Math.min(node.end, node.start + 4 * MAX_CALL_TEXT)).replace(/\s+/g, ' ').trim();
    return raw.length > MAX_CALL_TEXT ? `${raw.slice(0, MAX_CALL_TEXT - 1)}…` : raw;
  }
}

/** Effects inside a function that could not be read again for one of its call sites keep no scope. */
function unsureScopes(state: ReadState): void {
  if (state.unsure.size === 0) return;
  for (const [effect, call] of state.calls) {
    if (!effect.scope) continue;
    const module = moduleOf(call);
    for (const fn of state.unsure) {
      if (moduleOf(fn) === module && fn.start <= call.start && call.end <= fn.end) {
        delete effect.scope;
        break;
      }
    }
  }
}

/**
 * A temporary file written is the tool's own only when the same handler also reads it back or deletes it: a written
 * file scoped `temp` keeps its scope when a file read, or a `temp` deletion, shares an anchor with it (the variable
 * its path was built in, or the same path text); otherwise it was left for the caller and loses the scope.
 */
function ownTemporaryFiles(state: ReadState): void {
  const effects = state.out.effects;
  for (const effect of effects) {
    if (effect.scope !== 'temp' || effect.kind !== 'fs.write') continue;
    const anchors = state.anchors.get(effect);
    const shared = anchors !== undefined && effects.some((other) => other !== effect && (other.kind === 'fs.read' || (other.kind === 'fs.delete' && other.scope === 'temp'))
      && [...(state.anchors.get(other) ?? [])].some((a) => anchors.has(a)));
    if (!shared) delete effect.scope;
  }
}

/** The root of a member chain or call: `a.b.c()` → `a`, `this.x.y` → `this.x`. */
function chainRoot(node: AnyNode): AnyNode | undefined {
  let current = node;
  for (let i = 0; i < 16 && current; i += 1) {
    if (current.type === 'MemberExpression') {
      if (current.object.type === 'ThisExpression') return current;
      current = current.object;
    } else if (current.type === 'CallExpression' || current.type === 'NewExpression') current = current.callee;
    else if (current.type === 'AwaitExpression') current = current.argument;
    else if (current.type === 'ChainExpression' || current.type === 'ParenthesizedExpression') current = current.expression;
    else if (current.type === 'SequenceExpression') current = current.expressions[current.expressions.length - 1];
    else return current;
  }
  return undefined;
}

/** A value made from an import is of its package, not the named import itself. */
function stripImported(origin: { name: string; sub: string; imported?: string } | undefined): { name: string; sub: string } | undefined {
  return origin ? { name: origin.name, sub: origin.sub } : undefined;
}

/** Effects of tools in one source text (for tests; imports are not followed). */
export function effectsFromSource(text: string, toolNames: readonly string[], options: Pick<EffectsOptions, 'maxDepth' | 'maxNodesPerTool'> = {}): NamedCodeEffects[] | null {
  const module = SourceProgram.fromText(text);
  if (!module) return null;
  module.text = text;
  const program = new SourceProgram([]);
  const ev = new Evaluator(program, 5_000);
  const handlers = new Map<string, HandlerSite>();
  // A one-module program: findHandlers reads modules through the program, so the module is handed over directly.
  findHandlersIn([module], new Set(toolNames), handlers, ev);
  const reader = new EffectReader(program, ev, '', module.root, options.maxDepth ?? MAX_CALL_DEPTH, options.maxNodesPerTool ?? 150_000);
  return [...new Set(toolNames)].map((name) => {
    const site = handlers.get(name);
    return { name, effects: site ? reader.read(site) : { handlerFound: false, effects: [] } };
  });
}

function findHandlersIn(modules: Module[], wanted: ReadonlySet<string>, handlers: Map<string, HandlerSite>, ev: Evaluator): void {
  const byFile = new Map(modules.map((m) => [m.file, m]));
  const program = { loaded: (file: string) => byFile.get(file) } as unknown as SourceProgram;
  findHandlers(program, [...byFile.keys()], wanted, handlers, ev);
}
