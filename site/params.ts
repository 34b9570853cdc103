/**
 * Parameter rows for a tool page, read from the tool's `inputSchema` (a JSON Schema object, as the server sent it).
 * The schema is untrusted: any field may be missing or of the wrong type, and nothing here throws on it. It may also be
 * huge: rows, names, types and descriptions are cut to the page's limits (limits.ts), and the JSON API keeps the whole.
 * @internal
 */
import { PAGE_LIMITS, type PageLimits } from './limits.ts';
import { truncate } from './words.ts';

export interface ParamRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** Most alternatives of an `anyOf`/`oneOf`/`allOf` or values of an `enum` spelled out in a type or note. */
const MAX_ALTERNATIVES = 20;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(schema: unknown, depth = 0): string {
  if (!isRecord(schema) || depth > 3) return 'any';
  const type = schema.type;
  if (typeof type === 'string') {
    if (type === 'array' && schema.items !== undefined) return `array of ${typeOf(schema.items, depth + 1)}`;
    return type;
  }
  if (Array.isArray(type)) return type.filter((item): item is string => typeof item === 'string').join(' | ') || 'any';
  if (Array.isArray(schema.enum)) return 'enum';
  if (Object.hasOwn(schema, 'const')) return 'const';
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const shown = options.slice(0, MAX_ALTERNATIVES).map((option) => typeOf(option, depth + 1));
      return [...shown, ...(options.length > MAX_ALTERNATIVES ? ['…'] : [])].join(key === 'allOf' ? ' & ' : ' | ');
    }
  }
  if (typeof schema.$ref === 'string') return 'reference';
  return 'any';
}

function enumNote(schema: Record<string, unknown>, max: number): string {
  if (!Array.isArray(schema.enum)) return '';
  const values = schema.enum.slice(0, MAX_ALTERNATIVES).map((value) => truncate(JSON.stringify(value) ?? String(value), max));
  return `One of: ${values.join(', ')}${schema.enum.length > MAX_ALTERNATIVES ? ', …' : ''}.`;
}

/**
 * Top-level parameters of `inputSchema`, in declaration order: at most `limits.items` rows, with the number left
 * out; names cut to `limits.name` characters, types and descriptions to `limits.cell`.
 */
export function paramRows(inputSchema: unknown, limits: Pick<PageLimits, 'items' | 'name' | 'cell'> = PAGE_LIMITS): { rows: ParamRow[]; omitted: number } {
  if (!isRecord(inputSchema) || !isRecord(inputSchema.properties)) return { rows: [], omitted: 0 };
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required.filter((item) => typeof item === 'string') : []);
  const entries = Object.entries(inputSchema.properties);
  const rows = entries.slice(0, limits.items).map(([name, schema]) => {
    const record = isRecord(schema) ? schema : {};
    const description = typeof record.description === 'string' ? truncate(record.description, limits.cell) : '';
    return {
      name: truncate(name, limits.name),
      type: truncate(typeOf(schema), limits.cell),
      required: required.has(name),
      description: [description, enumNote(record, Math.max(20, Math.floor(limits.cell / 4)))].filter((part) => part !== '').join(' '),
    };
  });
  return { rows, omitted: Math.max(0, entries.length - limits.items) };
}
