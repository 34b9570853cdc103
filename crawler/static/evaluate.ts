/**
 * Following values through a package's source without running it: an identifier to its `const` (or never
 * reassigned `let`/`var`) initializer, a member to the property of an object literal, a class's field or getter, an
 * import to the other module's export (ESM, CommonJS and the compiled forms TypeScript, esbuild and Babel emit), and
 * the literal value of an expression built from those (strings, template literals, `+`, arrays, objects, spreads).
 * A member of a TypeScript `enum` compiled by tsc or esbuild (`(function (E) { E["A"] = "a"; })(E || (E = {}))`) is
 * the value its body assigns.
 *
 * Every walk is bounded: at most {@link MAX_HOPS} resolutions per value and a step budget per candidate, so cyclic
 * bindings (`const a = b; const b = a`, `const o = { self: o }`) end as "not literal".
 */
import { simple } from 'acorn-walk';
import { calleeName, type Module, moduleOf, type Namespace, requiredSpecifier, returnedExpression, type SourceProgram } from './program.ts';
import { type AnyNode, type Binding, parentOf } from './scope.ts';
import { assignOwn, setOwn } from '../../records/index.ts';

export const NOT_LITERAL = Symbol('not literal');

/**
 * Whether an object literal's property is `__proto__: value` (not computed, not shorthand, not a method), which in
 * JavaScript sets the new object's prototype and defines no property. `["__proto__"]: value` does define one.
 */
export function setsPrototype(p: AnyNode): boolean {
  if (p?.type !== 'Property' || p.computed || p.shorthand || p.method || p.kind !== 'init') return false;
  const key = p.key;
  return (key?.type === 'Identifier' && key.name === '__proto__') || (key?.type === 'Literal' && key.value === '__proto__');
}

/** Most resolutions followed from one expression. */
export const MAX_HOPS = 24;
/** Deepest nesting of a literal value evaluated. */
const MAX_LITERAL_DEPTH = 24;
/** Longest string built by concatenation. */
const MAX_STRING = 100_000;

const DEDENT_TAGS = /^(?:dedent|outdent|stripIndent|stripIndents|endent|trimIndent)$/;
const FREEZE = /^(?:freeze|seal|preventExtensions)$/;
const INTEROP = /^(?:__importDefault|__importStar|__toESM|_interopRequireDefault|_interopRequireWildcard|__toCommonJS)$/;

export class Evaluator {
  private steps = 0;
  /** Arguments in force for functions being read as if called (see {@link withArguments}). */
  private readonly calls = new Map<AnyNode, AnyNode[]>();

  constructor(
    private readonly program: SourceProgram | null,
    /** Resolution steps allowed between two {@link reset} calls. */
    private readonly maxSteps = 20_000,
  ) {}

  /** Starts a new step budget (one per candidate registration). */
  reset(): void {
    this.steps = 0;
  }

  private tick(): boolean {
    this.steps += 1;
    return this.steps <= this.maxSteps;
  }

  /**
   * Runs `read` with the parameters of `fn` standing for the given argument expressions, as if `fn` were called
   * with them (a registration helper read for one of its call sites). Nothing is executed.
   */
  withArguments<T>(fn: AnyNode, args: AnyNode[], read: () => T): T {
    if (this.calls.has(fn)) return read();
    this.calls.set(fn, args);
    try {
      return read();
    } finally {
      this.calls.delete(fn);
    }
  }

  /** Follows identifiers, members, imports and `Object.freeze(…)` to the expression that defines a value. */
  deref(node: AnyNode): AnyNode {
    let current = node;
    for (let hop = 0; hop < MAX_HOPS && current && this.tick(); hop += 1) {
      const next = this.step(current);
      if (!next || next === current) return current;
      current = next;
    }
    return current;
  }

  /** The value of a property (or array element, or module export) of an expression, unresolved: undefined if unknown. */
  member(object: AnyNode, key: string | number): AnyNode | undefined {
    if (!this.tick()) return undefined;
    const target = object?.type === 'Namespace' ? object : this.deref(object);
    switch (target?.type) {
      case 'Namespace':
        return typeof key === 'string' ? this.exportValue((target as Namespace).module, key) : undefined;
      case 'ObjectExpression':
        return this.objectProperty(target, String(key));
      case 'ArrayExpression': {
        const index = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : -1;
        const elements = target.elements.slice(0, index + 1);
        if (index < 0 || elements.some((e: AnyNode) => e?.type === 'SpreadElement')) return undefined;
        return target.elements[index] ?? undefined;
      }
      case 'ClassDeclaration':
      case 'ClassExpression':
        return this.classMember(target, String(key), true);
      case 'Identifier':
      case 'CallExpression': {
        const body = enumBody(target);
        return body && typeof key === 'string' ? enumMembers(body).get(key) : undefined;
      }
      default:
        return undefined;
    }
  }

  /** A property of an object literal, the last definition winning, looking into spreads. */
  objectProperty(object: AnyNode, key: string): AnyNode | undefined {
    for (let i = object.properties.length - 1; i >= 0; i -= 1) {
      const p = object.properties[i];
      if (p.type === 'SpreadElement') {
        const found = this.member(p.argument, key);
        if (found) return found;
        continue;
      }
      if (p.type !== 'Property' || p.kind === 'set' || this.propertyKey(p) !== key) continue;
      return p.kind === 'get' ? returnedExpression(p.value) : p.value;
    }
    return undefined;
  }

  /**
   * The key of a property or member: its name, its string or number literal, or a computed key that evaluates to one.
   * A private name `#x` is `"#x"`, never the same key as a public `x`. Undefined for a member without a key (a class's
   * `static { … }` block) or a key that is none of these.
   */
  propertyKey(p: AnyNode): string | undefined {
    const key = p?.key;
    if (!key || typeof key.type !== 'string') return undefined;
    if (!p.computed) {
      if (key.type === 'Identifier' && typeof key.name === 'string') return key.name;
      if (key.type === 'PrivateIdentifier' && typeof key.name === 'string') return `#${key.name}`;
      if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
      return undefined;
    }
    const v = this.literal(key);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }

  /**
   * A class member: a field (`name = "x"`, `static NAME = "x"`), a getter's returned expression, or (instance
   * only) the value the constructor assigns to `this.key`; then the superclass's.
   */
  classMember(cls: AnyNode, key: string, isStatic: boolean, depth = 0): AnyNode | undefined {
    const members = cls.body?.body ?? [];
    for (const m of members) {
      if ((m.type !== 'PropertyDefinition' && m.type !== 'MethodDefinition') || !!m.static !== isStatic || this.propertyKey(m) !== key) continue;
      if (m.type === 'PropertyDefinition') return m.value ?? undefined;
      if (m.type === 'MethodDefinition' && m.kind === 'get') return returnedExpression(m.value);
    }
    if (!isStatic) {
      const ctor = members.find((m: AnyNode) => m.type === 'MethodDefinition' && m.kind === 'constructor');
      const assigned = (ctor?.value.body.body ?? [])
        .map((s: AnyNode) => s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=' ? s.expression : null)
        .filter((e: AnyNode) => e && e.left.type === 'MemberExpression' && e.left.object.type === 'ThisExpression' && this.propertyKey({ key: e.left.property, computed: e.left.computed }) === key);
      if (assigned.length === 1) return assigned[0].right;
    }
    if (cls.superClass && depth < 4 && this.tick()) {
      const superClass = this.deref(cls.superClass);
      if (superClass?.type === 'ClassDeclaration' || superClass?.type === 'ClassExpression') return this.classMember(superClass, key, isStatic, depth + 1);
    }
    return undefined;
  }

  /**
   * What `this.key` is inside a method: the property of the object literal the method belongs to, or the member of
   * its class.
   */
  thisMember(thisNode: AnyNode, key: string): AnyNode | undefined {
    const owner = methodOwner(thisNode);
    if (!owner) return undefined;
    return owner.node.type === 'ObjectExpression' ? this.objectProperty(owner.node, key) : this.classMember(owner.node, key, owner.isStatic);
  }

  private step(node: AnyNode): AnyNode | undefined {
    switch (node.type) {
      case 'Identifier':
        return this.identifier(node);
      case 'MemberExpression': {
        const module = moduleOf(node);
        const cjs = cjsTarget(node);
        if (module && cjs === '*') return namespace(module);
        if (module && cjs) return this.exportValue(module, cjs);
        const key = this.propertyKey({ key: node.property, computed: node.computed });
        if (key === undefined) return undefined;
        if (node.object.type === 'ThisExpression') return this.thisMember(node.object, key);
        return this.member(node.object, key);
      }
      case 'ChainExpression':
        return node.expression;
      case 'SequenceExpression':
        return node.expressions[node.expressions.length - 1];
      case 'CallExpression': {
        const spec = requiredSpecifier(node);
        const name = calleeName(node.callee);
        if (spec !== undefined) {
          const module = moduleOf(node);
          const target = module && this.program?.moduleFor(module, spec);
          return target ? namespace(target) : undefined;
        }
        if (name && INTEROP.test(name)) return node.arguments[0];
        if (name && FREEZE.test(name) && node.callee.type === 'MemberExpression' && node.callee.object.type === 'Identifier' && node.callee.object.name === 'Object') return node.arguments[0];
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private identifier(node: AnyNode): AnyNode | undefined {
    const module = moduleOf(node);
    if (!module) return undefined;
    const binding = module.scopes.lookup(node);
    if (!binding) return node.name === 'exports' ? namespace(module) : undefined;
    if (binding.kind === 'param' && binding.paramIndex !== undefined && this.calls.has(binding.declaration) && !binding.ambiguous && !binding.opaque) {
      let value: AnyNode | undefined = this.calls.get(binding.declaration)?.[binding.paramIndex];
      for (const key of binding.path) {
        if (!value) return undefined;
        value = this.member(value, key);
      }
      return value;
    }
    return this.bindingValue(binding, module);
  }

  /** The expression a binding stands for: an initializer (through its destructuring path), a declaration, an import. */
  private bindingValue(binding: Binding, module: Module): AnyNode | undefined {
    if (binding.ambiguous || binding.opaque) return undefined;
    switch (binding.kind) {
      case 'const':
      case 'let':
      case 'var': {
        if (binding.kind !== 'const' && binding.reassigned) return undefined;
        let value: AnyNode | undefined = binding.declaration.init ?? undefined;
        for (const key of binding.path) {
          if (!value) return undefined;
          value = this.member(value, key);
        }
        return value;
      }
      case 'function':
      case 'class':
        return binding.declaration;
      case 'import': {
        const specifier = binding.declaration;
        const source = parentOf.get(specifier)?.source?.value;
        const target = typeof source === 'string' ? this.program?.moduleFor(module, source) : undefined;
        if (!target) return undefined;
        if (specifier.type === 'ImportNamespaceSpecifier') return namespace(target);
        const imported = specifier.type === 'ImportDefaultSpecifier' ? 'default' : (specifier.imported.name ?? specifier.imported.value);
        return this.exportValue(target, imported);
      }
      default:
        return undefined;
    }
  }

  /** The expression a module exports under a name, following re-exports; CommonJS `module.exports = …` included. */
  exportValue(module: Module, name: string, depth = 0): AnyNode | undefined {
    if (!this.program || depth > 8 || !this.tick()) return undefined;
    const entry = this.program.exportOf(module, name);
    if (entry) {
      if ('node' in entry) return entry.node;
      if ('local' in entry) {
        const binding = module.scopes.topLevel(entry.local);
        return binding ? this.bindingValue(binding, module) : undefined;
      }
      const target = this.program.moduleFor(module, 'from' in entry ? entry.from : entry.namespaceFrom);
      if (!target) return undefined;
      return 'from' in entry ? this.exportValue(target, entry.name, depth + 1) : namespace(target);
    }
    const whole = this.program.exportOf(module, 'module.exports');
    if (whole && 'node' in whole) return name === 'default' ? whole.node : this.member(whole.node, name);
    for (const spec of this.program.starExportsOf(module)) {
      const target = this.program.moduleFor(module, spec);
      const found = target && name !== 'default' ? this.exportValue(target, name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The literal value of an expression, following bindings, or {@link NOT_LITERAL}. */
  literal(node: AnyNode, depth = 0): unknown {
    if (!node || depth > MAX_LITERAL_DEPTH || !this.tick()) return NOT_LITERAL;
    const n = this.deref(node);
    switch (n?.type) {
      case 'Literal':
        return n.regex || n.bigint !== undefined ? NOT_LITERAL : n.value;
      case 'TemplateLiteral':
        return this.template(n, depth);
      case 'TaggedTemplateExpression': {
        const tag = calleeName(n.tag);
        if (!tag || !DEDENT_TAGS.test(tag)) return NOT_LITERAL;
        const text = this.template(n.quasi, depth);
        return typeof text === 'string' ? dedent(text) : NOT_LITERAL;
      }
      case 'UnaryExpression': {
        const v = this.literal(n.argument, depth + 1);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        if (n.operator === '!') return !v;
        if (n.operator === '-' && typeof v === 'number') return -v;
        if (n.operator === '+' && typeof v === 'number') return v;
        return NOT_LITERAL;
      }
      case 'BinaryExpression': {
        if (n.operator !== '+') return NOT_LITERAL;
        const l = this.literal(n.left, depth + 1);
        if (l === NOT_LITERAL) return NOT_LITERAL;
        const r = this.literal(n.right, depth + 1);
        if (typeof l === 'number' && typeof r === 'number') return l + r;
        if ((typeof l === 'string' || typeof l === 'number') && (typeof r === 'string' || typeof r === 'number')) {
          const s = String(l) + String(r);
          return s.length > MAX_STRING ? NOT_LITERAL : s;
        }
        return NOT_LITERAL;
      }
      case 'ArrayExpression': {
        const out: unknown[] = [];
        for (const element of n.elements) {
          if (element?.type === 'SpreadElement') {
            const v = this.literal(element.argument, depth + 1);
            if (!Array.isArray(v)) return NOT_LITERAL;
            out.push(...v);
            continue;
          }
          const v = this.literal(element, depth + 1);
          if (v === NOT_LITERAL) return NOT_LITERAL;
          out.push(v);
        }
        return out;
      }
      case 'ObjectExpression': {
        const out: Record<string, unknown> = {};
        for (const p of n.properties) {
          if (p.type === 'SpreadElement') {
            const v = this.literal(p.argument, depth + 1);
            if (v && typeof v === 'object' && !Array.isArray(v)) assignOwn(out, v);
            continue;
          }
          if (p.type !== 'Property' || p.kind !== 'init' || p.method || setsPrototype(p)) continue;
          const key = this.propertyKey(p);
          if (key === undefined) continue;
          const v = this.literal(p.value, depth + 1);
          // Keys are the package's names (a parameter may be called "__proto__"): defined, never assigned.
          if (v !== NOT_LITERAL) setOwn(out, key, v);
        }
        return out;
      }
      case 'CallExpression':
        return this.literalCall(n, depth);
      default:
        return NOT_LITERAL;
    }
  }

  /** The string value of an expression, if it has one. */
  string(node: AnyNode): string | undefined {
    const v = this.literal(node);
    return typeof v === 'string' ? v : undefined;
  }

  private template(n: AnyNode, depth: number): string | typeof NOT_LITERAL {
    let out = n.quasis[0]?.value.cooked ?? '';
    for (let i = 0; i < n.expressions.length; i += 1) {
      const v = this.literal(n.expressions[i], depth + 1);
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return NOT_LITERAL;
      out += String(v) + (n.quasis[i + 1]?.value.cooked ?? '');
      if (out.length > MAX_STRING) return NOT_LITERAL;
    }
    return out;
  }

  /** The few pure built-ins worth following: `[…].join(sep)`, `"…".trim()`, `Object.keys/values(…)`, `String(…)`. */
  private literalCall(n: AnyNode, depth: number): unknown {
    const callee = n.callee;
    if (callee.type === 'Identifier' && callee.name === 'String' && n.arguments.length === 1) {
      const v = this.literal(n.arguments[0], depth + 1);
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : NOT_LITERAL;
    }
    if (callee.type !== 'MemberExpression' || callee.computed) return NOT_LITERAL;
    const method = callee.property.name;
    if (callee.object.type === 'Identifier' && callee.object.name === 'Object' && (method === 'keys' || method === 'values')) {
      const v = this.literal(n.arguments[0], depth + 1);
      if (!v || typeof v !== 'object' || Array.isArray(v)) return NOT_LITERAL;
      return method === 'keys' ? Object.keys(v) : Object.values(v);
    }
    const target = this.literal(callee.object, depth + 1);
    if (method === 'join' && Array.isArray(target)) {
      const sep = n.arguments.length === 0 ? ',' : this.literal(n.arguments[0], depth + 1);
      if (typeof sep !== 'string' || !target.every((t) => typeof t === 'string' || typeof t === 'number')) return NOT_LITERAL;
      const s = target.join(sep);
      return s.length > MAX_STRING ? NOT_LITERAL : s;
    }
    if (typeof target === 'string' && n.arguments.length === 0) {
      if (method === 'trim') return target.trim();
      if (method === 'trimStart') return target.trimStart();
      if (method === 'trimEnd') return target.trimEnd();
    }
    return NOT_LITERAL;
  }
}

/**
 * The object literal or class whose method encloses a node (arrow functions see through to their enclosing
 * method; a class field's initializer belongs to its class), and whether the method is static.
 */
export function methodOwner(node: AnyNode): { node: AnyNode; isStatic: boolean } | undefined {
  let fn = parentOf.get(node);
  while (fn && !(fn.type === 'FunctionExpression' || fn.type === 'FunctionDeclaration')) {
    if (fn.type === 'Program') return undefined;
    if (fn.type === 'PropertyDefinition') {
      const cls = parentOf.get(parentOf.get(fn));
      return cls ? { node: cls, isStatic: !!fn.static } : undefined;
    }
    fn = parentOf.get(fn);
  }
  const holder = fn && parentOf.get(fn);
  if (holder?.type === 'Property') {
    const object = parentOf.get(holder);
    return object?.type === 'ObjectExpression' ? { node: object, isStatic: false } : undefined;
  }
  if (holder?.type === 'MethodDefinition') {
    const cls = parentOf.get(parentOf.get(holder));
    return cls ? { node: cls, isStatic: !!holder.static } : undefined;
  }
  return undefined;
}

/** A function literal, the callee of a compiled enum. */
function enumFunction(node: AnyNode): AnyNode | undefined {
  return node && (node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') && node.params[0]?.type === 'Identifier' ? node : undefined;
}

/** `E || (E = {})` or `E || {}`, the argument a compiled enum's function is called with; the name `E`. */
function enumArgumentName(node: AnyNode): string | undefined {
  return node?.type === 'LogicalExpression' && node.operator === '||' && node.left.type === 'Identifier' ? node.left.name : undefined;
}

/**
 * The function whose body fills a compiled TypeScript enum: for esbuild's `var E = ((E2) => { E2["A"] = "a"; return E2; })(E || {})`
 * the initializer itself, for tsc's `var E; (function (E) { E["A"] = "a"; })(E || (E = {}));` the call beside the
 * declaration that passes the same binding.
 */
function enumBody(target: AnyNode): AnyNode | undefined {
  if (target.type === 'CallExpression') return enumArgumentName(target.arguments[0]) !== undefined ? enumFunction(target.callee) : undefined;
  const module = moduleOf(target);
  const binding = module?.scopes.lookup(target);
  if (!module || !binding || binding.kind !== 'var' && binding.kind !== 'let') return undefined;
  let holder = parentOf.get(parentOf.get(binding.declaration));
  if (holder?.type === 'ExportNamedDeclaration') holder = parentOf.get(holder);
  const statements = holder?.body;
  if (!Array.isArray(statements)) return undefined;
  for (const statement of statements) {
    const call = statement?.type === 'ExpressionStatement' ? statement.expression : undefined;
    if (call?.type !== 'CallExpression' || enumArgumentName(call.arguments[0]) !== target.name) continue;
    if (module.scopes.lookup(call.arguments[0].left) !== binding) continue;
    const fn = enumFunction(call.callee);
    if (fn) return fn;
  }
  return undefined;
}

const enumCache = new WeakMap<AnyNode, Map<string, AnyNode>>();

/** The members a compiled enum's function assigns to its parameter (`E["A"] = "a"`, `E[E["B"] = 1] = "B"` gives B → 1). */
function enumMembers(fn: AnyNode): Map<string, AnyNode> {
  const cached = enumCache.get(fn);
  if (cached) return cached;
  const members = new Map<string, AnyNode>();
  const param = fn.params[0].name;
  try {
    simple(fn.body, {
      AssignmentExpression(node: AnyNode) {
        const left = node.left;
        if (node.operator !== '=' || left.type !== 'MemberExpression' || left.object.type !== 'Identifier' || left.object.name !== param) return;
        const key = left.computed ? (left.property.type === 'Literal' ? left.property.value : undefined) : left.property.name;
        if (typeof key === 'string' && !members.has(key)) members.set(key, node.right);
      },
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  enumCache.set(fn, members);
  return members;
}

function namespace(module: Module): Namespace {
  return { type: 'Namespace', module };
}

/** `exports` / `module.exports` → "*", `exports.x` / `module.exports.x` → "x", else null. */
function cjsTarget(node: AnyNode): string | null {
  const isExports = (n: AnyNode) =>
    (n.type === 'Identifier' && n.name === 'exports') ||
    (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && n.object.name === 'module' && n.property.name === 'exports');
  if (isExports(node)) return node.type === 'MemberExpression' && moduleOf(node)?.scopes.lookup(node.object) ? null : '*';
  if (node.type === 'MemberExpression' && isExports(node.object) && !node.computed) {
    const root = node.object.type === 'Identifier' ? node.object : node.object.object;
    if (moduleOf(node)?.scopes.lookup(root)) return null;
    return node.property.name;
  }
  return null;
}

/** Removes the indentation common to every non-blank line and the blank first and last lines (what `dedent` tags do). */
export function dedent(text: string): string {
  const lines = text.replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(common, /^[ \t]*/.exec(l)?.[0].length ?? 0))).join('\n');
}
