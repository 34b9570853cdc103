/**
 * Static extraction: tool definitions read from a package's source when no live start works (issue 5). Files are
 * parsed with acorn and values are followed through the source; nothing in the package is executed or imported.
 *
 * What is read, in order, the first definition of a name winning:
 * 1. the package's own JavaScript (`.js`, `.cjs`, `.mjs`), test folders and `*.test.*`/`*.spec.*` files left out;
 * 2. when that yields no tool, its own TypeScript (`.ts`, `.mts`, `.cts`, `.tsx`, not `.d.ts`), types stripped by
 *    esbuild's `transform` (a parse, not a build: nothing is bundled, resolved or run);
 * 3. its MCP dependencies of the same npm scope: direct dependencies named `@scope/…` that themselves depend on an
 *    MCP SDK or framework (`@modelcontextprotocol/*`, `fastmcp`, `tmcp`, `mcp-framework`), installed beside it
 *    (`<root>/node_modules/<dep>`, or nested under the package). They are read when the package's own files yield
 *    no tool, or when its own files name them (`import … from "@scope/provider"`). The MCP SDK itself and any
 *    dependency of another scope are never read.
 *
 * Values are followed through `const` bindings (and `let`/`var` never reassigned), object members, spreads, class
 * fields and getters, and imports of the same package's modules (ESM `import`/`export`, CommonJS `require` and
 * `exports.x =`, TypeScript's `tools_1.X` and `__exportStar`, esbuild's `__export`), at most 24 steps per value and
 * a fixed budget per registration, so cyclic bindings end. The registrations recognised are listed in
 * `static/recognize.ts`: the SDK's `tool` and `registerTool`, FastMCP's `addTool`, registration helpers, tool
 * objects and classes, tool literals with an `inputSchema`, definitions with a zod schema and a handler, OpenAI
 * function definitions and maps of definitions keyed by name. Zod (v3 and v4) becomes JSON Schema approximations
 * (`static/schema.ts`); anything that cannot be followed is left out rather than guessed.
 */
import { readFile, lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ToolDefinition } from '../../records/index.ts';
import { ownSourceFiles } from '../package-files.ts';
import { Evaluator } from './evaluate.ts';
import { type SourceRoot, SourceProgram } from './program.ts';
import { Recognizer } from './recognize.ts';
import { SchemaReader } from './schema.ts';

export interface StaticExtraction {
  tools: ToolDefinition[];
  /** Source files read (the package's and its dependencies'), whether or not they held a registration. */
  filesRead: number;
  /** Files that could not be read as JavaScript (syntax acorn does not know, TypeScript esbuild refused, too big). */
  filesUnparsed: number;
  /** TypeScript files whose types were stripped before parsing (npm packages; absent means none). */
  filesTranspiled?: number;
  /**
   * npm names of the dependencies some tools were read from, in reading order; empty (or absent) when all came from
   * the package itself.
   */
  dependencies?: string[];
}

export interface StaticOptions {
  /** Most files read, the package's and its dependencies' together. @default 3000 */
  maxFiles?: number;
  /** Largest file parsed, bytes. @default 5 MiB */
  maxFileBytes?: number;
  /** Most tools kept. @default 5000 */
  maxTools?: number;
  /** Read the package's MCP dependencies of the same npm scope (see above). @default true */
  dependencies?: boolean;
  /** Most dependencies read. @default 20 */
  maxDependencies?: number;
}

const JS_FILE = /\.(?:[cm]?js)$/;
const TS_FILE = /\.(?:ts|mts|cts|tsx)$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;
/** A file is parsed only if it mentions one of these words. */
const MENTIONS_TOOLS = /\b(?:tool|registerTool|addTool|inputSchema|parameters|schema|getConfig|getName)\b/;
/** Dependencies that make a same-scope package an MCP provider. */
const MCP_FRAMEWORK = /^(?:@modelcontextprotocol\/.+|fastmcp|tmcp|mcp-framework)$/;

/** Tools found in one source text, in source order (exported for tests; imports are not followed). */
export function extractFromSource(text: string): ToolDefinition[] | null {
  const module = SourceProgram.fromText(text);
  if (!module) return null;
  const ev = new Evaluator(null);
  return new Recognizer(ev, new SchemaReader(ev)).tools(module);
}

/**
 * Reads the package at `packageDir` (an installed `<root>/node_modules/<name>`, or an unpacked tarball) and returns
 * the tools it registers, first definition of a name winning. Never throws for what the package contains: files
 * that cannot be read are counted in `filesUnparsed`.
 */
export async function extractToolsStatically(packageDir: string, options: StaticOptions = {}): Promise<StaticExtraction> {
  const maxFiles = options.maxFiles ?? 3000;
  const maxFileBytes = options.maxFileBytes ?? 5 * 1024 * 1024;
  const maxTools = options.maxTools ?? 5000;
  const manifest = await readManifest(packageDir);
  const own = await sourceFiles(packageDir);
  const dependencies = options.dependencies === false ? [] : await mcpDependencies(packageDir, manifest, options.maxDependencies ?? 20);
  const roots: SourceRoot[] = [{ name: manifest?.name ?? '', dir: packageDir, files: new Set([...own.js, ...own.ts]) }, ...dependencies.map((d) => d.root)];
  const program = new SourceProgram(roots, { maxFileBytes, maxCachedBytes: 12 * 1024 * 1024 });
  const ev = new Evaluator(program);
  const recognizer = new Recognizer(ev, new SchemaReader(ev));

  const byName = new Map<string, ToolDefinition>();
  const named = new Set<string>();
  let filesRead = 0;
  let filesUnparsed = 0;
  const read = async (files: string[]) => {
    for (const file of files) {
      if (filesRead >= maxFiles || byName.size >= maxTools) return;
      filesRead += 1;
      let text: string;
      try {
        if ((await stat(file)).size > maxFileBytes) {
          filesUnparsed += 1;
          continue;
        }
        text = await readFile(file, 'utf8');
      } catch {
        filesUnparsed += 1;
        continue;
      }
      for (const d of dependencies) if (text.includes(`'${d.root.name}`) || text.includes(`"${d.root.name}`)) named.add(d.root.name);
      if (!MENTIONS_TOOLS.test(text)) continue;
      program.trim();
      const module = await program.loadWithImports(file, 3, { modules: 200 }, TS_FILE.test(file) ? undefined : text);
      if (!module) {
        filesUnparsed += 1;
        continue;
      }
      for (const tool of recognizer.tools(module)) if (!byName.has(tool.name) && byName.size < maxTools) byName.set(tool.name, tool);
    }
  };

  await read(own.js);
  if (byName.size === 0) await read(own.ts);
  const ownTools = byName.size;
  const contributing: string[] = [];
  for (const d of dependencies) {
    if (ownTools > 0 && !named.has(d.root.name)) continue;
    const before = byName.size;
    await read(d.js.length > 0 ? d.js : d.ts);
    if (byName.size > before) contributing.push(d.root.name);
  }
  return { tools: [...byName.values()], filesRead, filesUnparsed, filesTranspiled: program.filesTranspiled, dependencies: contributing };
}

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const value = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    return value && typeof value === 'object' ? (value as Manifest) : null;
  } catch {
    return null;
  }
}

/** A package's JavaScript and TypeScript sources (no declaration files, no tests), each list in path order. */
async function sourceFiles(dir: string): Promise<{ js: string[]; ts: string[] }> {
  const js: string[] = [];
  const ts: string[] = [];
  for await (const file of ownSourceFiles(dir, 0, { extensions: /\.(?:[cm]?js|ts|mts|cts|tsx)$/, skipTests: true })) {
    if (JS_FILE.test(file)) js.push(file);
    else if (!DECLARATION_FILE.test(file)) ts.push(file);
  }
  return { js, ts };
}

/**
 * The direct dependencies that share the package's npm scope (never `@modelcontextprotocol/*`) and themselves
 * depend on an MCP SDK or framework, with their sources; at most `max`.
 */
async function mcpDependencies(packageDir: string, manifest: Manifest | null, max: number): Promise<Array<{ root: SourceRoot; js: string[]; ts: string[] }>> {
  const name = manifest?.name;
  if (!name?.startsWith('@')) return [];
  const scope = name.split('/')[0]!;
  if (scope === '@modelcontextprotocol') return [];
  const wanted = Object.keys({ ...manifest?.dependencies, ...manifest?.optionalDependencies }).filter((d) => d.startsWith(`${scope}/`) && d !== name);
  const nodeModules = enclosingNodeModules(packageDir);
  const out: Array<{ root: SourceRoot; js: string[]; ts: string[] }> = [];
  for (const dep of wanted) {
    if (out.length >= max) break;
    for (const dir of [path.join(packageDir, 'node_modules', dep), ...nodeModules.map((m) => path.join(m, dep))]) {
      const info = await lstat(dir).catch(() => null);
      if (!info?.isDirectory()) continue;
      const depManifest = await readManifest(dir);
      const uses = Object.keys({ ...depManifest?.dependencies, ...depManifest?.peerDependencies });
      if (depManifest?.name === dep && uses.some((u) => MCP_FRAMEWORK.test(u))) {
        const files = await sourceFiles(dir);
        out.push({ root: { name: dep, dir, files: new Set([...files.js, ...files.ts]) }, ...files });
      }
      break;
    }
  }
  return out;
}

/** The `node_modules` folders above a package, nearest first, where Node would look for its dependencies. */
function enclosingNodeModules(packageDir: string): string[] {
  const out: string[] = [];
  for (let dir = path.resolve(packageDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === 'node_modules') out.push(dir);
  }
  return out;
}
