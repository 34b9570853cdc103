/**
 * The modules static extraction reads: a package's own files and, when allowed, a few of its dependencies', parsed
 * with acorn (TypeScript first stripped of its types by esbuild's `transform`), with their scopes, imports and
 * exports. Only files listed up front can be loaded, so nothing outside those packages is ever opened, and nothing
 * is ever executed.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'acorn';
import { simple } from 'acorn-walk';
import { type AnyNode, parentOf, Scopes } from './scope.ts';

export interface Module {
  /** Absolute path, or `<source>` for text given directly. */
  file: string;
  ast: AnyNode;
  scopes: Scopes;
  /** The package the file belongs to. */
  root: SourceRoot;
  bytes: number;
  /** The text parsed (TypeScript: after its types were stripped). */
  text?: string;
  /** For a transpiled file: the original line of each line of `text` (0-based index, 1-based values), from esbuild's source map. */
  originalLines?: Int32Array;
  exportTable?: Map<string, ExportEntry | null>;
  starExports?: string[];
}

/** A package whose files may be loaded: its folder, its npm name, and the files found in it. */
export interface SourceRoot {
  name: string;
  dir: string;
  files: Set<string>;
  /** The file a bare import of the package (no subpath) loads: `exports["."]`, `module` or `main`, when known. */
  main?: string;
}

/**
 * An export: an expression node in its module, a local name, or a name re-exported from another module; null when
 * a name is exported twice with different values.
 */
export type ExportEntry = { node: AnyNode } | { local: string } | { from: string; name: string } | { namespaceFrom: string };

/** A module namespace (`import * as ns`, `require("./x")`) as a value. */
export interface Namespace {
  type: 'Namespace';
  module: Module;
}

/** The module each parsed program node belongs to. */
const moduleOfAst = new WeakMap<AnyNode, Module>();

/** The module a node was parsed in (found by climbing to its program node), if it was. */
export function moduleOf(node: AnyNode): Module | undefined {
  let current = node;
  for (let parent = parentOf.get(current); parent; parent = parentOf.get(current)) current = parent;
  return moduleOfAst.get(current);
}

const TS_FILE = /\.(?:ts|mts|cts|tsx)$/;
const ACORN_OPTIONS = { ecmaVersion: 'latest', allowHashBang: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowImportExportEverywhere: true } as const;

/** Parses JavaScript as a module, then as a script; null when neither parses. */
export function parseJavaScript(text: string): AnyNode | null {
  try {
    return parse(text, { ...ACORN_OPTIONS, sourceType: 'module' });
  } catch {
    try {
      return parse(text, { ...ACORN_OPTIONS, sourceType: 'script' });
    } catch {
      return null;
    }
  }
}

type Transform = (code: string, options: Record<string, unknown>) => Promise<{ code: string }>;
let esbuildTransform: Promise<Transform> | undefined;

/**
 * TypeScript to JavaScript by esbuild's `transform`: types are removed, nothing is bundled or run. With `lines`,
 * also the original line of every output line, read from the source map.
 */
async function stripTypes(text: string, file: string, lines = false): Promise<{ code: string; originalLines?: Int32Array }> {
  esbuildTransform ??= import('esbuild').then((m) => m.transform as unknown as Transform);
  const transform = await esbuildTransform;
  const result = await transform(text, {
    loader: file.endsWith('.tsx') ? 'tsx' : 'ts',
    target: 'esnext',
    logLevel: 'silent',
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, experimentalDecorators: true } },
    ...(lines ? { sourcemap: 'external' } : {}),
  }) as { code: string; map?: string };
  return { code: result.code, ...(lines && result.map ? { originalLines: originalLinesOf(result.map, result.code) } : {}) };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The original line (1-based) of each generated line, from a source map's `mappings` (the first segment of a line
 * that names a source line; a line without one inherits the line above's).
 */
export function originalLinesOf(map: string, code: string): Int32Array {
  let mappings = '';
  try {
    const parsed = JSON.parse(map) as { mappings?: unknown };
    if (typeof parsed.mappings === 'string') mappings = parsed.mappings;
  } catch {
    // no map: every line maps to itself below
  }
  let lineCount = 1;
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineCount += 1;
  const out = new Int32Array(lineCount);
  let sourceLine = 0;
  let generated = 0;
  let first = true;
  let field = 0;
  let value = 0;
  let shift = 0;
  let segment: number[] = [];
  const endSegment = () => {
    if (segment.length >= 4) {
      sourceLine += segment[2]!;
      if (first && generated < lineCount) {
        out[generated] = sourceLine + 1;
        first = false;
      }
    }
    segment = [];
    field = 0;
  };
  for (let i = 0; i < mappings.length; i += 1) {
    const c = mappings[i]!;
    if (c === ';' || c === ',') {
      endSegment();
      if (c === ';') {
        generated += 1;
        first = true;
      }
      continue;
    }
    const digit = BASE64.indexOf(c);
    if (digit < 0) continue;
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    segment[field] = value & 1 ? -(value >>> 1) : value >>> 1;
    field += 1;
    value = 0;
    shift = 0;
  }
  endSegment();
  for (let l = 0; l < lineCount; l += 1) if (out[l] === 0) out[l] = l === 0 ? 1 : out[l - 1]!;
  return out;
}

/** Bare names of the interop helpers that compilers wrap around `require()`. */
const INTEROP = /^(?:__importDefault|__importStar|__toESM|_interopRequireDefault|_interopRequireWildcard|__toCommonJS)$/;

export class SourceProgram {
  private readonly modules = new Map<string, Module>();
  private readonly rootOf = new Map<string, SourceRoot>();
  private readonly unparsed = new Set<string>();
  private readonly byName = new Map<string, SourceRoot>();
  private cachedBytes = 0;
  filesTranspiled = 0;

  constructor(
    roots: SourceRoot[],
    private readonly limits: { maxFileBytes: number; maxCachedBytes: number; keepText?: boolean } = { maxFileBytes: 5 * 1024 * 1024, maxCachedBytes: 12 * 1024 * 1024 },
  ) {
    for (const root of roots) this.addRoot(root);
  }

  /** Lists another package whose files may be loaded (a dependency found to be imported). */
  addRoot(root: SourceRoot): void {
    if (!this.byName.has(root.name)) this.byName.set(root.name, root);
    for (const file of root.files) if (!this.rootOf.has(file)) this.rootOf.set(file, root);
  }

  /** Whether a package of this npm name is listed. */
  hasRoot(name: string): boolean {
    return this.byName.has(name);
  }

  /** A module for text given directly (no file, no imports followed). */
  static fromText(text: string): Module | null {
    const ast = parseJavaScript(text);
    if (!ast) return null;
    const module: Module = { file: '<source>', ast, scopes: new Scopes(ast), root: { name: '', dir: '', files: new Set() }, bytes: text.length };
    moduleOfAst.set(ast, module);
    return module;
  }

  /** Whether the file failed to read, transpile or parse. */
  failed(file: string): boolean {
    return this.unparsed.has(file);
  }

  /** The loaded module for a file, if it has been loaded and not dropped from the cache. */
  loaded(file: string): Module | undefined {
    const module = this.modules.get(file);
    if (module) {
      this.modules.delete(file);
      this.modules.set(file, module);
    }
    return module;
  }

  /** Reads and parses a listed file (TypeScript transpiled first); null when it is unlisted, too big, or does not parse. */
  async load(file: string, knownText?: string): Promise<Module | null> {
    const cached = this.loaded(file);
    if (cached) return cached;
    const root = this.rootOf.get(file);
    if (!root || this.unparsed.has(file)) return null;
    try {
      let text = knownText;
      if (text === undefined) {
        if ((await stat(file)).size > this.limits.maxFileBytes) throw new Error('too big');
        text = await readFile(file, 'utf8');
      }
      let originalLines: Int32Array | undefined;
      if (TS_FILE.test(file)) {
        const stripped = await stripTypes(text, file, this.limits.keepText === true);
        text = stripped.code;
        originalLines = stripped.originalLines;
        this.filesTranspiled += 1;
      }
      const ast = parseJavaScript(text);
      if (!ast) throw new Error('does not parse');
      const module: Module = { file, ast, scopes: new Scopes(ast), root, bytes: text.length };
      if (this.limits.keepText) {
        module.text = text;
        if (originalLines) module.originalLines = originalLines;
      }
      moduleOfAst.set(ast, module);
      this.modules.set(file, module);
      this.cachedBytes += module.bytes;
      return module;
    } catch {
      this.unparsed.add(file);
      return null;
    }
  }

  /**
   * Loads a file and the modules it imports, `depth` levels deep (static `import`, `export … from` and
   * `require("…")` with a literal name, resolved within the listed packages only).
   */
  async loadWithImports(file: string, depth = 3, limit = { modules: 200 }, knownText?: string): Promise<Module | null> {
    const module = await this.load(file, knownText);
    if (!module || depth <= 0) return module;
    for (const specifier of importSpecifiers(module.ast)) {
      if (limit.modules <= 0) break;
      const target = this.resolve(module, specifier);
      if (!target || this.modules.has(target)) continue;
      limit.modules -= 1;
      await this.loadWithImports(target, depth - 1, limit);
    }
    return module;
  }

  /** Drops the least recently used modules until the cache is within its byte budget, keeping `keep`. */
  trim(keep: Set<string> = new Set()): void {
    for (const [file, module] of this.modules) {
      if (this.cachedBytes <= this.limits.maxCachedBytes) break;
      if (keep.has(file)) continue;
      this.modules.delete(file);
      this.cachedBytes -= module.bytes;
    }
  }

  /** The listed file an import specifier names, or null (a package not listed, a file not present). */
  resolve(from: Module, specifier: string): string | null {
    let base: string;
    let root: SourceRoot | undefined;
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      base = path.resolve(path.dirname(from.file), specifier);
      root = from.root;
    } else {
      const parts = specifier.split('/');
      const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
      root = this.byName.get(name);
      if (!root) return null;
      const sub = specifier.slice(name.length + 1);
      base = sub ? path.join(root.dir, sub) : root.dir;
      if (!sub && root.main && root.files.has(root.main)) return root.main;
    }
    if (!root) return null;
    const candidates = [base, ...['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx'].map((e) => base + e)];
    const withoutJs = base.replace(/\.(m|c)?js$/, '');
    if (withoutJs !== base) candidates.push(...['.ts', '.mts', '.cts', '.tsx'].map((e) => withoutJs + e));
    for (const index of ['index.js', 'index.mjs', 'index.cjs', 'index.ts', 'index.mts', 'index.tsx']) candidates.push(path.join(base, index));
    return candidates.find((c) => root.files.has(c)) ?? null;
  }

  /** The module an import specifier names, if loaded. */
  moduleFor(from: Module, specifier: string): Module | undefined {
    const file = this.resolve(from, specifier);
    return file ? this.loaded(file) : undefined;
  }

  /** What a module exports under a name (ESM and CommonJS forms), or undefined. */
  exportOf(module: Module, name: string): ExportEntry | undefined {
    const table = this.exportTable(module);
    const entry = table.get(name);
    if (entry !== undefined) return entry ?? undefined;
    return undefined;
  }

  /** Modules whose exports are re-exported wholesale (`export * from`, `__exportStar(require(…))`). */
  starExportsOf(module: Module): string[] {
    this.exportTable(module);
    return module.starExports ?? [];
  }

  private exportTable(module: Module): Map<string, ExportEntry | null> {
    if (module.exportTable) return module.exportTable;
    const table = new Map<string, ExportEntry | null>();
    const stars: string[] = [];
    const set = (name: string, entry: ExportEntry) => {
      if (table.has(name)) table.set(name, null);
      else table.set(name, entry);
    };
    const visitExpression = (expression: AnyNode) => {
      if (expression?.type === 'SequenceExpression') return expression.expressions.forEach(visitExpression);
      if (expression?.type === 'AssignmentExpression' && expression.operator === '=') {
        const name = cjsExportName(expression.left);
        const value = expression.right;
        if (name === '*') {
          if (value.type === 'ObjectExpression') {
            for (const p of value.properties) {
              const key = p.type === 'Property' && !p.computed ? (p.key.name ?? p.key.value) : undefined;
              if (typeof key === 'string') set(key, { node: p.value });
            }
          } else if (!isVoid(value)) set('module.exports', { node: value });
        } else if (name !== null) {
          if (isVoid(value)) {
            // `exports.x = void 0`: TypeScript's forward declaration.
          } else if (value.type === 'AssignmentExpression') {
            // `exports.a = exports.b = value`: every name in the chain gets the innermost value.
            visitExpression(value);
            let inner = value;
            while (inner.type === 'AssignmentExpression') inner = inner.right;
            if (!isVoid(inner)) set(name, { node: inner });
          } else set(name, { node: value });
        } else if (value.type === 'AssignmentExpression') visitExpression(value);
        return;
      }
      if (expression?.type === 'CallExpression') {
        const callee = calleeName(expression.callee);
        const args = expression.arguments;
        // Object.defineProperty(exports, "x", { enumerable: true, get: function () { return m.x; } })
        if (callee === 'defineProperty' && cjsExportName(args[0]) === '*' && args[1]?.type === 'Literal' && typeof args[1].value === 'string' && args[2]?.type === 'ObjectExpression') {
          const getter = args[2].properties.find((p: AnyNode) => p.type === 'Property' && !p.computed && (p.key.name === 'get' || p.key.name === 'value'));
          const value = getter?.key.name === 'get' ? returnedExpression(getter.value) : getter?.value;
          if (value) set(args[1].value, { node: value });
        }
        // __exportStar(require("./x"), exports) (TypeScript), __export(require("./x")) (older TypeScript)
        if ((callee === '__exportStar' || callee === '__export' || callee === '__reExport') && args[0]) {
          const spec = requiredSpecifier(args[0]) ?? requiredSpecifier(args[1]);
          if (spec) stars.push(spec);
        }
        // esbuild's CommonJS output: __export(target, { name: () => local })
        if (callee === '__export' && args[1]?.type === 'ObjectExpression') {
          for (const p of args[1].properties) {
            const key = p.type === 'Property' && !p.computed ? (p.key.name ?? p.key.value) : undefined;
            const body = p.type === 'Property' ? returnedExpression(p.value) : undefined;
            if (typeof key === 'string' && body) set(key, { node: body });
          }
        }
      }
    };
    for (const statement of module.ast.body) {
      switch (statement.type) {
        case 'ExportNamedDeclaration':
          if (statement.declaration) {
            const d = statement.declaration;
            if (d.type === 'VariableDeclaration') {
              for (const declarator of d.declarations) if (declarator.id.type === 'Identifier') set(declarator.id.name, { local: declarator.id.name });
            } else if (d.id) set(d.id.name, { node: d });
          }
          for (const s of statement.specifiers ?? []) {
            const exported = s.exported.name ?? s.exported.value;
            if (s.type === 'ExportNamespaceSpecifier' && statement.source) set(exported, { namespaceFrom: statement.source.value });
            else if (statement.source) set(exported, { from: statement.source.value, name: s.local.name ?? s.local.value });
            else set(exported, { local: s.local.name ?? s.local.value });
          }
          break;
        case 'ExportDefaultDeclaration':
          set('default', { node: statement.declaration });
          break;
        case 'ExportAllDeclaration':
          if (statement.exported) set(statement.exported.name ?? statement.exported.value, { namespaceFrom: statement.source.value });
          else stars.push(statement.source.value);
          break;
        case 'ExpressionStatement':
          visitExpression(statement.expression);
          break;
      }
    }
    module.exportTable = table;
    module.starExports = stars;
    return table;
  }
}

function isVoid(node: AnyNode): boolean {
  return node?.type === 'UnaryExpression' && node.operator === 'void';
}

/** `exports.x` / `module.exports.x` → "x"; `exports` / `module.exports` → "*"; else null. */
export function cjsExportName(node: AnyNode): string | null {
  if (!node) return null;
  if (node.type === 'Identifier' && node.name === 'exports') return '*';
  if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' && node.object.name === 'module' && node.property.name === 'exports') return '*';
  if (node.type === 'MemberExpression' && cjsExportName(node.object) === '*') {
    if (!node.computed) return node.property.name;
    if (node.property.type === 'Literal' && typeof node.property.value === 'string') return node.property.value;
  }
  return null;
}

/** The name a callee ends in: `f`, `a.b.f`, `(0, a.f)` → "f". */
export function calleeName(callee: AnyNode): string | undefined {
  if (!callee) return undefined;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed) return callee.property.name;
  if (callee.type === 'SequenceExpression') return calleeName(callee.expressions[callee.expressions.length - 1]);
  return undefined;
}

/** `require("x")`, possibly inside an interop helper (`__importDefault(require("x"))`) → "x". */
export function requiredSpecifier(node: AnyNode): string | undefined {
  if (node?.type !== 'CallExpression') return undefined;
  const name = calleeName(node.callee);
  if (name === 'require' && node.arguments[0]?.type === 'Literal' && typeof node.arguments[0].value === 'string') return node.arguments[0].value;
  if (name && INTEROP.test(name)) return requiredSpecifier(node.arguments[0]);
  return undefined;
}

/** The expression a function returns: an arrow's body, or the argument of its only `return`. */
export function returnedExpression(fn: AnyNode): AnyNode | undefined {
  if (!fn || !/Function/.test(fn.type)) return undefined;
  if (fn.expression || fn.body?.type !== 'BlockStatement') return fn.body;
  const returns: AnyNode[] = [];
  const visit = (node: AnyNode) => {
    if (!node || typeof node !== 'object' || returns.length > 1) return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (node.type === 'ReturnStatement') returns.push(node);
    if (/Function|Class/.test(node.type ?? '')) return;
    for (const key of Object.keys(node)) if (key !== 'type' && key !== 'start' && key !== 'end') visit(node[key]);
  };
  fn.body.body.forEach(visit);
  return returns.length === 1 ? (returns[0].argument ?? undefined) : undefined;
}

/** The specifiers a module imports statically: `import … from`, `export … from`, `require("…")`. */
export function importSpecifiers(ast: AnyNode): string[] {
  const out = new Set<string>();
  const source = (node: AnyNode) => {
    if (typeof node.source?.value === 'string') out.add(node.source.value);
  };
  simple(ast, {
    ImportDeclaration: source,
    ExportNamedDeclaration: source,
    ExportAllDeclaration: source,
    CallExpression(node: AnyNode) {
      const spec = requiredSpecifier(node);
      if (spec) out.add(spec);
    },
  });
  return [...out];
}
