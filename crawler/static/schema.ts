/**
 * Input schemas read from source: zod expressions (v3 and v4 forms) and shapes become JSON Schema approximations,
 * JSON Schema literals are taken as written. Values are followed through bindings by the {@link Evaluator}, so a
 * shape or a schema held in a `const`, exported by another module, or spread into an object is read as well.
 */
import { calleeName } from './program.ts';
import { type Evaluator, NOT_LITERAL, setsPrototype } from './evaluate.ts';
import type { AnyNode } from './scope.ts';
import { assignOwn, setOwn } from '../../records/index.ts';

type Schema = Record<string, unknown>;

/** Converters that turn a zod schema into JSON Schema (`zodToJsonSchema(x)`, zod 4's `z.toJSONSchema(x)`). */
const TO_JSON_SCHEMA = /^(?:zodToJsonSchema|zodToJSONSchema|toJSONSchema|toJsonSchema|zodSchemaToJsonSchema|zod2JsonSchema|zodToJson)$/;

const STRING_FORMATS: Record<string, string | undefined> = { email: 'email', url: 'uri', uuid: 'uuid', iso: undefined, ipv4: 'ipv4', ipv6: 'ipv6', datetime: 'date-time' };

/** Reads zod (and JSON Schema) expressions for one evaluator. */
export class SchemaReader {
  constructor(private readonly ev: Evaluator) {}

  /**
   * A JSON Schema for a zod expression, with `optional` in a non-standard `__optional` flag for the caller, or null
   * when the expression is not a zod chain.
   */
  zod(node: AnyNode, depth = 0): Schema | null {
    if (depth > 12) return null;
    const modifiers: Array<{ name: string; args: AnyNode[] }> = [];
    let current = this.ev.deref(node);
    for (let guard = 0; guard < 64; guard += 1) {
      if (current?.type === 'MemberExpression' && !current.computed && current.property.name === 'shape' && modifiers.length === 0) {
        const object = this.zod(current.object, depth + 1);
        return object && object.type === 'object' ? object : null;
      }
      if (current?.type !== 'CallExpression' || current.callee.type !== 'MemberExpression' || current.callee.computed) return null;
      const name = current.callee.property.name as string;
      const inner = this.ev.deref(current.callee.object);
      const innerIsChain = inner?.type === 'CallExpression' && inner.callee.type === 'MemberExpression' && calleeName(inner.callee) !== 'require';
      if (!innerIsChain) {
        const base = this.base(name, current.arguments, depth);
        return base ? this.apply(base, modifiers.reverse(), depth) : null;
      }
      modifiers.push({ name, args: current.arguments });
      current = inner;
    }
    return null;
  }

  /** `{ a: z.string(), …other }` → `{type: "object", properties, required}`, or null when it holds no zod. */
  shape(node: AnyNode, depth = 0): Schema | null {
    if (depth > 12) return null;
    const n = this.ev.deref(node);
    if (n?.type === 'MemberExpression' && !n.computed && n.property.name === 'shape') return this.zod(n, depth + 1);
    if (n?.type !== 'ObjectExpression') return null;
    const properties: Record<string, unknown> = {};
    const required = new Set<string>();
    let zodProps = 0;
    for (const p of n.properties) {
      if (p.type === 'SpreadElement') {
        const spread = this.shape(p.argument, depth + 1);
        if (!spread) continue;
        zodProps += 1;
        assignOwn(properties, spread.properties as object);
        for (const r of (spread.required as string[] | undefined) ?? []) required.add(r);
        continue;
      }
      if (p.type !== 'Property' || setsPrototype(p)) continue;
      const key = this.ev.propertyKey(p);
      const schema = key === undefined ? null : this.zod(p.value, depth + 1);
      if (key === undefined || schema === null) continue;
      zodProps += 1;
      const { __optional, ...clean } = schema;
      setOwn(properties, key, clean);
      if (__optional) required.delete(key);
      else required.add(key);
    }
    if (zodProps === 0 && n.properties.length > 0) return null;
    return required.size > 0 ? { type: 'object', properties, required: [...required] } : { type: 'object', properties };
  }

  /**
   * An inputSchema from a JSON Schema literal, a zod shape, a `z.object(...)` or a converter call around one
   * (`zodToJsonSchema(x)`); null when the expression is none of those.
   */
  inputSchema(node: AnyNode): Schema | null {
    if (!node) return null;
    const n = this.ev.deref(node);
    if (n?.type === 'CallExpression' && TO_JSON_SCHEMA.test(calleeName(n.callee) ?? '') && n.arguments[0]) return this.inputSchema(n.arguments[0]);
    const zod = this.zod(n);
    if (zod) {
      const { __optional: _ignored, ...clean } = zod;
      return clean.type === 'object' ? clean : null;
    }
    const shape = this.shape(n);
    if (shape) return shape;
    const value = this.ev.literal(n);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const schema = value as Schema;
      if (schema.type === 'object') return schema;
      if (schema.properties && typeof schema.properties === 'object' && schema.type === undefined) return { type: 'object', ...schema };
    }
    return null;
  }

  private base(name: string, args: AnyNode[], depth: number): Schema | null {
    switch (name) {
      case 'string':
        return { type: 'string' };
      case 'number':
      case 'float32':
      case 'float64':
        return { type: 'number' };
      case 'bigint':
      case 'int':
      case 'int32':
      case 'int64':
        return { type: 'integer' };
      case 'boolean':
        return { type: 'boolean' };
      case 'date':
        return { type: 'string', format: 'date-time' };
      case 'null':
        return { type: 'null' };
      case 'any':
      case 'unknown':
      case 'custom':
      case 'lazy':
      case 'instanceof':
      case 'function':
        return {};
      case 'email':
      case 'url':
      case 'uuid':
      case 'ipv4':
      case 'ipv6':
        return STRING_FORMATS[name] ? { type: 'string', format: STRING_FORMATS[name] } : { type: 'string' };
      case 'literal': {
        const v = this.ev.literal(args[0]);
        return v === NOT_LITERAL ? {} : { const: v };
      }
      case 'enum':
      case 'nativeEnum': {
        const v = this.ev.literal(args[0]);
        const values = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : null;
        return values && values.every((x) => typeof x === 'string' || typeof x === 'number') ? { type: typeof values[0] === 'number' ? 'number' : 'string', enum: values } : { type: 'string' };
      }
      case 'array':
        return { type: 'array', items: this.clean(this.zod(args[0], depth + 1)) };
      case 'object':
      case 'strictObject':
      case 'looseObject':
        return args[0] ? (this.shape(args[0], depth + 1) ?? { type: 'object' }) : { type: 'object' };
      case 'record':
      case 'map':
        return { type: 'object' };
      case 'tuple':
      case 'set':
        return { type: 'array' };
      case 'union':
      case 'discriminatedUnion': {
        const list = this.ev.deref(name === 'union' ? args[0] : args[1]);
        const members = list?.type === 'ArrayExpression' ? list.elements.map((e: AnyNode) => this.zod(e, depth + 1)).filter(Boolean).map((s: Schema) => this.clean(s)) : [];
        return members.length > 0 ? { anyOf: members } : {};
      }
      case 'optional':
      case 'nullable':
      case 'nullish': {
        const inner = this.zod(args[0], depth + 1);
        return inner ? { ...inner, ...(name === 'nullable' ? {} : { __optional: true }) } : null;
      }
      case 'preprocess':
        return this.zod(args[1], depth + 1);
      default:
        return null;
    }
  }

  private apply(schema: Schema, modifiers: Array<{ name: string; args: AnyNode[] }>, depth: number): Schema {
    let out = schema;
    for (const m of modifiers) {
      switch (m.name) {
        case 'describe': {
          const d = this.ev.string(m.args[0]);
          if (d !== undefined) out = { ...out, description: d };
          break;
        }
        case 'meta': {
          const meta = this.ev.literal(m.args[0]);
          const d = meta && typeof meta === 'object' ? (meta as Schema).description : undefined;
          if (typeof d === 'string') out = { ...out, description: d };
          break;
        }
        case 'optional':
        case 'nullish':
          out = { ...out, __optional: true };
          break;
        case 'default': {
          out = { ...out, __optional: true };
          const v = this.ev.literal(m.args[0]);
          if (v !== NOT_LITERAL) out.default = v;
          break;
        }
        case 'array':
          out = { type: 'array', items: this.clean(out) };
          break;
        case 'or': {
          const other = this.zod(m.args[0], depth + 1);
          out = { anyOf: [this.clean(out), this.clean(other)] };
          break;
        }
        case 'extend':
        case 'merge':
        case 'safeExtend': {
          const more = m.name === 'merge' ? this.zod(m.args[0], depth + 1) : this.shape(m.args[0], depth + 1);
          if (out.type === 'object' && more?.type === 'object') {
            const properties = { ...(out.properties as object), ...(more.properties as object) };
            const required = [...new Set([...((out.required as string[]) ?? []), ...((more.required as string[]) ?? [])])];
            out = { ...out, properties, ...(required.length > 0 ? { required } : {}) };
          }
          break;
        }
        case 'partial':
          if (out.type === 'object' && m.args.length === 0) {
            const { required: _dropped, ...rest } = out;
            out = rest;
          }
          break;
        case 'pick':
        case 'omit': {
          const keys = this.ev.literal(m.args[0]);
          if (out.type === 'object' && keys && typeof keys === 'object' && !Array.isArray(keys)) {
            const chosen = Object.keys(keys);
            const keep = (k: string) => (m.name === 'pick' ? chosen.includes(k) : !chosen.includes(k));
            const properties = Object.fromEntries(Object.entries((out.properties as Schema) ?? {}).filter(([k]) => keep(k)));
            const required = ((out.required as string[]) ?? []).filter(keep);
            out = { type: 'object', properties, ...(required.length > 0 ? { required } : {}), ...(out.description ? { description: out.description } : {}) };
          }
          break;
        }
        default:
          break;
      }
    }
    return out;
  }

  private clean(schema: Schema | null): Schema {
    if (!schema) return {};
    const { __optional: _ignored, ...rest } = schema;
    return rest;
  }
}
