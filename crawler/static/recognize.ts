/**
 * The registrations static extraction recognises in one module, each read through the {@link Evaluator} so that
 * names, descriptions, schemas and configs may sit in constants, in other modules, or in class members:
 *
 * | form | example |
 * |---|---|
 * | SDK `tool` | `server.tool(name, description?, shape?, annotations?, handler)`; tmcp's `server.tool({ name, description, schema }, h)` |
 * | SDK `registerTool` | `server.registerTool(name, { title, description, inputSchema, annotations }, handler)` |
 * | FastMCP `addTool` | `server.addTool({ name, description, parameters, execute })` |
 * | a registration helper | `function reg(server, name, config, h) { server.registerTool(name, config, h) }` called as `reg(s, "x", {…}, h)` |
 * | a tool object registering itself | `{ name: "x", description, register(server, { name }) { server.tool(name, …) } }` |
 * | a tool literal | `{ name, description?, inputSchema }`, as `tools/list` handlers return |
 * | a tool definition with a handler | `{ name, description, schema \| parameters: z.object(…), execute \| handler }` |
 * | an OpenAI function definition | `{ type: "function", function: { name, description, parameters } }` |
 * | a map of definitions | `{ list_items: { description, parameters \| inputSchema }, … }` (keys are the names) |
 * | a tool class | `class X { name = "x"; description = "…"; inputSchema = … }`, or `getName()` with `getConfig()` |
 */
import { simple } from 'acorn-walk';
import type { ToolDefinition } from '../../records/index.ts';
import { type Evaluator, methodOwner, NOT_LITERAL } from './evaluate.ts';
import { type Module, moduleOf, returnedExpression } from './program.ts';
import type { SchemaReader } from './schema.ts';
import type { AnyNode } from './scope.ts';

/** Names accepted from the structural forms (object literals, maps, classes); calls accept any string. */
const TOOL_NAME = /^[\w.-]{1,128}$/;
/** Keys of a map of definitions must also start like an identifier (not `"200"`, as in an OpenAPI document). */
const MAP_KEY = /^[A-Za-z_][\w.-]{0,127}$/;
const REGISTRATION_METHODS = new Set(['tool', 'registerTool', 'addTool']);
/** Keys that hold a tool's implementation in definition objects. */
const HANDLER_KEYS = ['execute', 'handler', 'handle', 'run', 'call', 'callback', 'cb', 'exec', 'fn', 'invoke', 'implementation'];
const SCHEMA_KEYS = ['parameters', 'schema', 'argsSchema'];
const CLASS_SCHEMA_KEYS = ['inputSchema', 'schema', 'parameters', 'argsSchema'];

export class Recognizer {
  private readonly wrappers = new WeakMap<object, WrapperSignature | null>();
  /** Object literals already read as the config of a registration or class. */
  private consumed = new WeakSet<object>();

  constructor(
    private readonly ev: Evaluator,
    private readonly schemas: SchemaReader,
  ) {}

  /**
   * Every tool definition recognised in a module, in source order (a name may repeat). Calls and classes are read
   * first; an object literal they read as a config is not read again as a tool literal.
   */
  tools(module: Module): ToolDefinition[] {
    const found: Array<{ start: number; tool: ToolDefinition }> = [];
    this.consumed = new WeakSet();
    const attempt = (site: AnyNode, read: () => ToolDefinition | ToolDefinition[] | null) => {
      this.ev.reset();
      try {
        const tools = read();
        for (const tool of Array.isArray(tools) ? tools : tools ? [tools] : []) found.push({ start: site.start, tool });
      } catch (error) {
        // A pathological expression (too deep for the stack) is skipped, not fatal.
        if (!(error instanceof RangeError)) throw error;
      }
    };
    simple(module.ast, {
      CallExpression: (node: AnyNode) => attempt(node, () => this.call(node)),
      ClassDeclaration: (node: AnyNode) => attempt(node, () => this.toolClass(node)),
      ClassExpression: (node: AnyNode) => attempt(node, () => this.toolClass(node)),
    });
    simple(module.ast, {
      ObjectExpression: (node: AnyNode) => {
        if (!this.consumed.has(node)) attempt(node, () => this.object(node));
      },
    });
    return found.sort((a, b) => a.start - b.start).map((f) => f.tool);
  }

  private call(node: AnyNode): ToolDefinition | null {
    const callee = node.callee;
    if (callee.type === 'MemberExpression' && !callee.computed && REGISTRATION_METHODS.has(callee.property.name)) {
      return this.registration(callee.property.name, node.arguments, node);
    }
    return this.wrapperCall(node);
  }

  /** A `tool` / `registerTool` / `addTool` call's arguments as a tool; `site` is the call, for owner lookups. */
  private registration(method: string, args: AnyNode[], site: AnyNode): ToolDefinition | null {
    const first = args[0] && this.ev.deref(args[0]);
    const firstIsConfig = first?.type === 'ObjectExpression';
    if (method === 'addTool' || (firstIsConfig && (method === 'tool' || method === 'registerTool'))) {
      if (!firstIsConfig) return null;
      return this.fromConfig(this.ev.string(this.ev.objectProperty(first, 'name')), first, ['parameters', 'inputSchema', 'schema']);
    }
    if (args.length < 2) return null;
    if (method === 'registerTool') return this.fromConfig(this.nameOf(args[0], site), args[1], ['inputSchema']);
    return this.fromToolCall(args, site);
  }

  /** SDK `tool(name, description?, paramsShape?, annotations?, handler)`. */
  private fromToolCall(args: AnyNode[], site: AnyNode): ToolDefinition | null {
    const name = this.nameOf(args[0], site);
    if (!name) return null;
    const tool: ToolDefinition = { name, inputSchema: { type: 'object' } };
    let rest = args.slice(1, -1);
    const description = rest[0] ? (this.ev.string(rest[0]) ?? this.ownerString(rest[0], site, 'description')) : undefined;
    if (description !== undefined) {
      tool.description = description;
      rest = rest.slice(1);
    }
    if (rest[0]) {
      const shape = this.schemas.shape(rest[0]) ?? this.objectZod(rest[0]);
      if (shape) {
        tool.inputSchema = shape;
        rest = rest.slice(1);
      }
    }
    const annotations = this.annotations(rest[0]);
    if (annotations) tool.annotations = annotations;
    return tool;
  }

  private objectZod(node: AnyNode): Record<string, unknown> | null {
    const zod = this.schemas.zod(node);
    if (!zod || zod.type !== 'object') return null;
    const { __optional: _ignored, ...clean } = zod;
    return clean;
  }

  /** A tool from a config object (`registerTool`'s second argument, `addTool`'s argument, a tool literal). */
  private fromConfig(name: string | undefined, config: AnyNode, schemaKeys: string[]): ToolDefinition | null {
    if (!name) return null;
    const target = this.ev.deref(config);
    if (target?.type === 'ObjectExpression') this.consumed.add(target);
    const tool: ToolDefinition = { name, inputSchema: { type: 'object' } };
    const title = this.ev.string(this.ev.member(config, 'title'));
    const description = this.ev.string(this.ev.member(config, 'description'));
    if (title !== undefined) tool.title = title;
    if (description !== undefined) tool.description = description;
    for (const key of schemaKeys) {
      const node = this.ev.member(config, key);
      if (node) {
        tool.inputSchema = this.schemas.inputSchema(node) ?? { type: 'object' };
        break;
      }
    }
    const annotations = this.annotations(this.ev.member(config, 'annotations'));
    if (annotations) tool.annotations = annotations;
    return tool;
  }

  private annotations(node: AnyNode): ToolDefinition['annotations'] | undefined {
    if (!node) return undefined;
    const v = this.ev.literal(node);
    if (v === NOT_LITERAL || !v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    return Object.keys(v).some((k) => /Hint$|^title$/.test(k)) ? (v as ToolDefinition['annotations']) : undefined;
  }

  /** A name argument: its string value, else the `name` of the definition object or class the call sits in. */
  private nameOf(node: AnyNode, site: AnyNode): string | undefined {
    return this.ev.string(node) ?? this.ownerString(node, site, 'name');
  }

  /**
   * When a registration passes `name` (or `x.name`, `this.name`) that cannot be followed, and the call sits in a
   * method of an object literal or class that defines `name` as a string, that string: a tool object registering
   * itself. Only the key asked for is read, and only when the argument is spelled with it.
   */
  private ownerString(node: AnyNode, site: AnyNode, key: 'name' | 'description'): string | undefined {
    const spelled = (node?.type === 'Identifier' && node.name === key) || (node?.type === 'MemberExpression' && !node.computed && node.property.name === key);
    if (!spelled) return undefined;
    const owner = methodOwner(site);
    if (!owner) return undefined;
    if (owner.node.type === 'ObjectExpression') return this.ev.string(this.ev.objectProperty(owner.node, key));
    return this.classString(owner.node, key);
  }

  /** A class's `name`/`description`: field, getter, or `getName()`/`getDescription()` returning a string. */
  private classString(cls: AnyNode, key: string): string | undefined {
    const member = this.ev.classMember(cls, key, false) ?? this.ev.classMember(cls, key, true);
    const direct = member ? this.ev.string(member) : undefined;
    if (direct !== undefined) return direct;
    const method = this.method(cls, `get${key[0]?.toUpperCase()}${key.slice(1)}`);
    return method ? this.ev.string(method) : undefined;
  }

  /** The expression a class's instance method (found by name, also in superclasses) returns. */
  private method(cls: AnyNode, name: string, depth = 0): AnyNode | undefined {
    for (const m of cls.body?.body ?? []) {
      if (m.type === 'MethodDefinition' && m.kind === 'method' && !m.static && this.ev.propertyKey(m) === name) return returnedExpression(m.value);
    }
    if (!cls.superClass || depth >= 4) return undefined;
    const superClass = this.ev.deref(cls.superClass);
    return superClass?.type === 'ClassDeclaration' || superClass?.type === 'ClassExpression' ? this.method(superClass, name, depth + 1) : undefined;
  }

  /** Tool literals, definitions with a handler, OpenAI function definitions and maps of definitions. */
  private object(node: AnyNode): ToolDefinition[] {
    const out: ToolDefinition[] = [];
    const keys = new Set<string>();
    let spreads = false;
    for (const p of node.properties) {
      if (p.type === 'SpreadElement') spreads = true;
      else if (!p.computed) keys.add(p.key.name ?? String(p.key.value));
    }
    if (keys.has('name') || spreads) {
      const tool = this.definition(node);
      if (tool) out.push(tool);
    }
    if (keys.has('function') && keys.has('type') && this.ev.literal(this.ev.objectProperty(node, 'type')) === 'function') {
      const fn = this.ev.deref(this.ev.objectProperty(node, 'function'));
      const name = fn?.type === 'ObjectExpression' ? this.ev.string(this.ev.objectProperty(fn, 'name')) : undefined;
      if (name && TOOL_NAME.test(name)) {
        const tool = this.fromConfig(name, fn, ['parameters']);
        if (tool) out.push(tool);
      }
    }
    if (!keys.has('name')) out.push(...this.definitionMap(node));
    return out;
  }

  /** `{ name, inputSchema }`, or `{ name, description, schema | parameters, execute | handler }` with a real schema. */
  private definition(node: AnyNode): ToolDefinition | null {
    const name = this.ev.string(this.ev.objectProperty(node, 'name'));
    if (!name || !TOOL_NAME.test(name)) return null;
    if (this.ev.objectProperty(node, 'inputSchema')) return this.fromConfig(name, node, ['inputSchema']);
    if (!HANDLER_KEYS.some((k) => this.ev.objectProperty(node, k))) return null;
    if (!this.ev.objectProperty(node, 'description')) return null;
    for (const key of SCHEMA_KEYS) {
      const schemaNode = this.ev.objectProperty(node, key);
      const schema = schemaNode && this.schemas.inputSchema(schemaNode);
      if (schema) return { ...this.fromConfig(name, node, [])!, inputSchema: schema };
    }
    return null;
  }

  /** `{ tool_name: { description, parameters | inputSchema | schema }, … }`: the keys name the tools. */
  private definitionMap(node: AnyNode): ToolDefinition[] {
    const out: ToolDefinition[] = [];
    for (const p of node.properties.slice(0, 500)) {
      if (p.type !== 'Property' || p.computed || p.kind !== 'init' || p.method) continue;
      if (!['ObjectExpression', 'Identifier', 'MemberExpression'].includes(p.value.type)) continue;
      const key = p.key.name ?? String(p.key.value);
      if (!MAP_KEY.test(key)) continue;
      const value = this.ev.deref(p.value);
      if (value?.type !== 'ObjectExpression' || this.ev.objectProperty(value, 'name')) continue;
      if (this.ev.string(this.ev.objectProperty(value, 'description')) === undefined) continue;
      for (const schemaKey of ['inputSchema', 'parameters', 'schema']) {
        const schemaNode = this.ev.objectProperty(value, schemaKey);
        // `schema` only as zod: `{ description, schema: {…} }` is also an OpenAPI response object.
        const schema = schemaNode && (schemaKey === 'schema' ? (this.schemas.shape(schemaNode) ?? this.objectZod(schemaNode)) : this.schemas.inputSchema(schemaNode));
        if (schema) {
          out.push({ ...this.fromConfig(key, value, [])!, inputSchema: schema });
          break;
        }
      }
    }
    return out;
  }

  /**
   * A class that defines a tool: a name (field, getter, `getName()`) and either a schema (`inputSchema`, `schema`,
   * `parameters` as field, getter, `getInputSchema()` or in the object the constructor passes to `super(…)`) or a
   * config (`getConfig()`/`getDefinition()` returning an object with `inputSchema`).
   */
  private toolClass(cls: AnyNode): ToolDefinition | null {
    const name = this.classString(cls, 'name');
    if (!name || !TOOL_NAME.test(name)) return null;
    const configNode = this.method(cls, 'getConfig') ?? this.method(cls, 'getDefinition') ?? this.ev.classMember(cls, 'definition', false);
    const config = configNode && this.ev.deref(configNode);
    const hasConfig = config?.type === 'ObjectExpression' && config.properties.some((p: AnyNode) => p.type === 'Property' && this.ev.propertyKey(p) === 'inputSchema');
    const superConfig = this.superArgument(cls);
    if (superConfig) this.consumed.add(superConfig);
    let schema: Record<string, unknown> | null = null;
    for (const key of CLASS_SCHEMA_KEYS) {
      const candidates = [
        () => this.ev.classMember(cls, key, false),
        () => this.ev.classMember(cls, key, true),
        () => this.method(cls, `get${key[0]!.toUpperCase()}${key.slice(1)}`),
        () => superConfig && this.ev.objectProperty(superConfig, key),
      ];
      for (const candidate of candidates) {
        const node = candidate();
        schema = node ? this.schemas.inputSchema(node) : null;
        if (schema) break;
      }
      if (schema) break;
    }
    if (!schema && !hasConfig) return null;
    const tool = (hasConfig ? this.fromConfig(name, config, ['inputSchema']) : null) ?? { name, inputSchema: { type: 'object' } };
    if (schema) tool.inputSchema = schema;
    const description = this.classString(cls, 'description') ?? (superConfig && this.ev.string(this.ev.objectProperty(superConfig, 'description')));
    if (description !== undefined && tool.description === undefined) tool.description = description;
    if (!tool.annotations) {
      const annotations = this.annotations(this.ev.classMember(cls, 'annotations', false) ?? this.ev.classMember(cls, 'annotations', true) ?? (superConfig && this.ev.objectProperty(superConfig, 'annotations')));
      if (annotations) tool.annotations = annotations;
    }
    return tool;
  }

  /** The object literal a class's constructor passes to `super(…)`, if any. */
  private superArgument(cls: AnyNode): AnyNode | undefined {
    const ctor = (cls.body?.body ?? []).find((m: AnyNode) => m.type === 'MethodDefinition' && m.kind === 'constructor');
    for (const statement of ctor?.value.body.body ?? []) {
      const call = statement.type === 'ExpressionStatement' ? statement.expression : undefined;
      if (call?.type === 'CallExpression' && call.callee.type === 'Super') {
        const arg = call.arguments[0] && this.ev.deref(call.arguments[0]);
        return arg?.type === 'ObjectExpression' ? arg : undefined;
      }
    }
    return undefined;
  }

  /**
   * A call to a registration helper: the helper's own registration, read with the helper's parameters standing for
   * this call's arguments.
   */
  private wrapperCall(node: AnyNode): ToolDefinition | null {
    const args = node.arguments;
    if (args.length < 2 || !args.some((a: AnyNode) => (a.type === 'Literal' && typeof a.value === 'string') || a.type === 'TemplateLiteral')) return null;
    const fn = this.ev.deref(node.callee);
    if (!fn || !/^(?:FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(fn.type)) return null;
    let signature = this.wrappers.get(fn);
    if (signature === undefined) {
      signature = wrapperSignature(fn);
      this.wrappers.set(fn, signature);
    }
    if (!signature) return null;
    const { call, method } = signature;
    return this.ev.withArguments(fn, args, () => this.registration(method, call.arguments, call));
  }
}

interface WrapperSignature {
  /** The registration call inside the helper. */
  call: AnyNode;
  method: string;
}

/**
 * A function that registers a tool named by one of its parameters: its first `tool`/`registerTool`/`addTool` call
 * whose first argument is a parameter of the function (or, for `addTool`, an object whose `name` is one); null
 * otherwise.
 */
function wrapperSignature(fn: AnyNode): WrapperSignature | null {
  const scopes = moduleOf(fn)?.scopes;
  if (!scopes || fn.params.length === 0) return null;
  const isParam = (node: AnyNode) => node?.type === 'Identifier' && scopes.lookup(node)?.declaration === fn && scopes.lookup(node)?.kind === 'param';
  let found: WrapperSignature | null = null;
  simple(fn.body, {
    CallExpression(node: AnyNode) {
      if (found) return;
      const method = node.callee.type === 'MemberExpression' && !node.callee.computed ? node.callee.property.name : undefined;
      if (!method || !REGISTRATION_METHODS.has(method)) return;
      const first = node.arguments[0];
      const named = isParam(first) || (first?.type === 'ObjectExpression' && first.properties.some((p: AnyNode) => p.type === 'Property' && !p.computed && p.key.name === 'name' && isParam(p.value)));
      if (named) found = { call: node, method };
    },
  });
  return found;
}
