/**
 * Static extraction: tool definitions read from a package's own JavaScript when no live start works (issue 5).
 * It parses with acorn and evaluates literals only; nothing in the package is executed or imported.
 *
 * Recognised registrations (MCP TypeScript SDK and common frameworks):
 * - `server.tool(name, description?, paramsShape?, annotations?, handler)` (SDK `McpServer.tool`);
 * - `server.registerTool(name, { title, description, inputSchema, annotations }, handler)` (SDK `registerTool`);
 * - `server.addTool({ name, description, parameters })` (FastMCP);
 * - object literals with a string `name` and an object `inputSchema`, as returned by `tools/list` handlers.
 * Zod shapes (`z.string().describe("…").optional()`, `z.object({...})`, `z.enum([...])`, `z.array(...)`) become
 * JSON Schema approximations; anything not literal is left out rather than guessed.
 */
import { readFile, stat } from 'node:fs/promises';
import { parse, type Node } from 'acorn';
import { simple } from 'acorn-walk';
import type { ToolDefinition } from '../classifier/types.ts';
import { ownSourceFiles } from './package-files.ts';

export interface StaticExtraction {
  tools: ToolDefinition[];
  filesRead: number;
  /** Files acorn could not parse (TypeScript sources, syntax it does not know). */
  filesUnparsed: number;
}

export interface StaticOptions {
  /** Most files read. @default 3000 */
  maxFiles?: number;
  /** Largest file parsed, bytes. @default 5 MiB */
  maxFileBytes?: number;
  /** Most tools kept. @default 5000 */
  maxTools?: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- ESTree nodes are walked structurally */
type AnyNode = any;

const NOT_LITERAL = Symbol('not literal');

/** The value of a literal expression (strings, numbers, booleans, null, arrays and objects of those), else NOT_LITERAL. */
function literal(node: AnyNode): unknown {
  if (!node) return NOT_LITERAL;
  switch (node.type) {
    case 'Literal':
      return node.regex ? NOT_LITERAL : node.value;
    case 'TemplateLiteral':
      return node.expressions.length === 0 ? node.quasis.map((q: AnyNode) => q.value.cooked).join('') : NOT_LITERAL;
    case 'UnaryExpression':
      if (node.operator === '-' || node.operator === '!') {
        const v = literal(node.argument);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        return node.operator === '-' ? -(v as number) : !v;
      }
      return NOT_LITERAL;
    case 'BinaryExpression': {
      if (node.operator !== '+') return NOT_LITERAL;
      const l = literal(node.left);
      const r = literal(node.right);
      return typeof l === 'string' && typeof r === 'string' ? l + r : NOT_LITERAL;
    }
    case 'ArrayExpression': {
      const out: unknown[] = [];
      for (const el of node.elements) {
        const v = literal(el);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out.push(v);
      }
      return out;
    }
    case 'ObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const p of node.properties) {
        if (p.type !== 'Property' || p.computed) continue;
        const key = propertyKey(p);
        const v = literal(p.value);
        if (key !== null && v !== NOT_LITERAL) out[key] = v;
      }
      return out;
    }
    default:
      return NOT_LITERAL;
  }
}

function propertyKey(p: AnyNode): string | null {
  if (p.key.type === 'Identifier') return p.key.name;
  if (p.key.type === 'Literal' && typeof p.key.value === 'string') return p.key.value;
  return null;
}

function prop(object: AnyNode, name: string): AnyNode | undefined {
  if (object?.type !== 'ObjectExpression') return undefined;
  return object.properties.find((p: AnyNode) => p.type === 'Property' && !p.computed && propertyKey(p) === name)?.value;
}

function stringOf(node: AnyNode): string | undefined {
  const v = literal(node);
  return typeof v === 'string' ? v : undefined;
}

const ZOD_BASES: Record<string, (args: AnyNode[]) => Record<string, unknown> | null> = {
  string: () => ({ type: 'string' }),
  number: () => ({ type: 'number' }),
  bigint: () => ({ type: 'integer' }),
  boolean: () => ({ type: 'boolean' }),
  date: () => ({ type: 'string', format: 'date-time' }),
  any: () => ({}),
  unknown: () => ({}),
  literal: (args) => {
    const v = literal(args[0]);
    return v === NOT_LITERAL ? {} : { const: v };
  },
  enum: (args) => {
    const v = literal(args[0]);
    return Array.isArray(v) ? { type: 'string', enum: v } : { type: 'string' };
  },
  array: (args) => ({ type: 'array', items: zodSchema(args[0]) ?? {} }),
  object: (args) => shapeSchema(args[0]) ?? { type: 'object' },
  record: () => ({ type: 'object' }),
  union: (args) => {
    const members = args[0]?.type === 'ArrayExpression' ? args[0].elements.map(zodSchema).filter(Boolean) : [];
    return members.length > 0 ? { anyOf: members } : {};
  },
};

/**
 * A JSON Schema for a zod expression, with `optional` in a non-standard `__optional` flag for the caller, or null
 * when the expression is not a zod chain.
 */
function zodSchema(node: AnyNode): Record<string, unknown> | null {
  const modifiers: Array<{ name: string; args: AnyNode[] }> = [];
  let current = node;
  while (current?.type === 'CallExpression' && current.callee.type === 'MemberExpression' && !current.callee.computed) {
    const name = current.callee.property.name as string;
    const base = ZOD_BASES[name];
    const inner = current.callee.object;
    const innerIsChain = inner?.type === 'CallExpression' && inner.callee.type === 'MemberExpression';
    if (base && !innerIsChain) {
      const schema: Record<string, unknown> = base(current.arguments) ?? {};
      for (const m of modifiers.reverse()) {
        if (m.name === 'describe') {
          const d = stringOf(m.args[0]);
          if (d !== undefined) schema.description = d;
        } else if (m.name === 'optional' || m.name === 'nullish') schema.__optional = true;
        else if (m.name === 'default') {
          schema.__optional = true;
          const v = literal(m.args[0]);
          if (v !== NOT_LITERAL) schema.default = v;
        }
      }
      return schema;
    }
    modifiers.push({ name, args: current.arguments });
    current = inner;
  }
  return null;
}

/** `{ a: z.string(), b: z.number().optional() }` → `{type: "object", properties, required}`, or null. */
function shapeSchema(node: AnyNode): Record<string, unknown> | null {
  if (node?.type !== 'ObjectExpression') return null;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  let zodProps = 0;
  for (const p of node.properties) {
    if (p.type !== 'Property' || p.computed) continue;
    const key = propertyKey(p);
    const schema = key === null ? null : zodSchema(p.value);
    if (key === null || schema === null) continue;
    zodProps += 1;
    const { __optional, ...clean } = schema;
    properties[key] = clean;
    if (!__optional) required.push(key);
  }
  if (zodProps === 0 && node.properties.length > 0) return null;
  return required.length > 0 ? { type: 'object', properties, required } : { type: 'object', properties };
}

/** An inputSchema from a JSON Schema literal, a zod shape or a `z.object(...)`; `{type:"object"}` when unknown. */
function inputSchemaOf(node: AnyNode): Record<string, unknown> {
  if (!node) return { type: 'object' };
  const zod = zodSchema(node);
  if (zod) {
    const { __optional: _ignored, ...clean } = zod;
    return clean.type === 'object' ? clean : { type: 'object' };
  }
  const shape = shapeSchema(node);
  if (shape) return shape;
  const value = literal(node);
  if (value && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>).type === 'object') return value as Record<string, unknown>;
  return { type: 'object' };
}

function annotationsOf(node: AnyNode): ToolDefinition['annotations'] | undefined {
  const v = literal(node);
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  return keys.some((k) => /Hint$|^title$/.test(k)) ? (v as ToolDefinition['annotations']) : undefined;
}

function fromToolCall(args: AnyNode[]): ToolDefinition | null {
  const name = stringOf(args[0]);
  if (!name) return null;
  const tool: ToolDefinition = { name, inputSchema: { type: 'object' } };
  let rest = args.slice(1, -1);
  const description = stringOf(rest[0]);
  if (description !== undefined) {
    tool.description = description;
    rest = rest.slice(1);
  }
  if (rest[0]) {
    const shape = shapeSchema(rest[0]);
    if (shape) {
      tool.inputSchema = shape;
      rest = rest.slice(1);
    }
  }
  const annotations = annotationsOf(rest[0]);
  if (annotations) tool.annotations = annotations;
  return tool;
}

function fromConfigObject(name: string | undefined, config: AnyNode, schemaKeys: string[]): ToolDefinition | null {
  if (!name) return null;
  const tool: ToolDefinition = { name, inputSchema: { type: 'object' } };
  const title = stringOf(prop(config, 'title'));
  const description = stringOf(prop(config, 'description'));
  if (title !== undefined) tool.title = title;
  if (description !== undefined) tool.description = description;
  for (const key of schemaKeys) {
    const node = prop(config, key);
    if (node) {
      tool.inputSchema = inputSchemaOf(node);
      break;
    }
  }
  const annotations = annotationsOf(prop(config, 'annotations'));
  if (annotations) tool.annotations = annotations;
  return tool;
}

/** Tools found in one source text (exported for tests). */
export function extractFromSource(text: string): ToolDefinition[] | null {
  let ast: Node;
  const options = { ecmaVersion: 'latest', allowHashBang: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true, allowImportExportEverywhere: true } as const;
  try {
    ast = parse(text, { ...options, sourceType: 'module' });
  } catch {
    try {
      ast = parse(text, { ...options, sourceType: 'script' });
    } catch {
      return null;
    }
  }
  const tools: ToolDefinition[] = [];
  simple(ast, {
    CallExpression(node: AnyNode) {
      if (node.callee.type !== 'MemberExpression' || node.callee.computed) return;
      const method = node.callee.property.name;
      const args = node.arguments;
      let tool: ToolDefinition | null = null;
      if (method === 'tool' && args.length >= 2) tool = fromToolCall(args);
      else if (method === 'registerTool' && args.length >= 2) tool = fromConfigObject(stringOf(args[0]), args[1], ['inputSchema']);
      else if (method === 'addTool' && args[0]?.type === 'ObjectExpression') tool = fromConfigObject(stringOf(prop(args[0], 'name')), args[0], ['parameters', 'inputSchema']);
      if (tool) tools.push(tool);
    },
    ObjectExpression(node: AnyNode) {
      const name = stringOf(prop(node, 'name'));
      const schema = prop(node, 'inputSchema');
      if (!name || !schema || !/^[\w.-]{1,128}$/.test(name)) return;
      const tool = fromConfigObject(name, node, ['inputSchema']);
      if (tool) tools.push(tool);
    },
  });
  return tools;
}

/** Reads the package's own JavaScript and returns the tools it registers, first definition of a name winning. */
export async function extractToolsStatically(packageDir: string, options: StaticOptions = {}): Promise<StaticExtraction> {
  const maxFiles = options.maxFiles ?? 3000;
  const maxFileBytes = options.maxFileBytes ?? 5 * 1024 * 1024;
  const maxTools = options.maxTools ?? 5000;
  const byName = new Map<string, ToolDefinition>();
  let filesRead = 0;
  let filesUnparsed = 0;
  for await (const file of ownSourceFiles(packageDir)) {
    if (filesRead >= maxFiles || byName.size >= maxTools) break;
    if ((await stat(file)).size > maxFileBytes) continue;
    filesRead += 1;
    const text = await readFile(file, 'utf8');
    if (!/\b(?:tool|registerTool|addTool|inputSchema)\b/.test(text)) continue;
    const found = extractFromSource(text);
    if (found === null) {
      filesUnparsed += 1;
      continue;
    }
    for (const tool of found) if (!byName.has(tool.name) && byName.size < maxTools) byName.set(tool.name, tool);
  }
  return { tools: [...byName.values()], filesRead, filesUnparsed };
}
