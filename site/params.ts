/**
 * Parameter rows for a tool page, read from the tool's `inputSchema` (a JSON Schema object, as the server sent it).
 * The schema is untrusted: any field may be missing or of the wrong type, and nothing here throws on it.
 * @internal
 */

export interface ParamRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** Most rows shown; the rest are counted (a schema can declare thousands of properties). */
export const MAX_PARAMS = 200;

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
    if (Array.isArray(options)) return options.map((option) => typeOf(option, depth + 1)).join(key === 'allOf' ? ' & ' : ' | ');
  }
  if (typeof schema.$ref === 'string') return 'reference';
  return 'any';
}

function enumNote(schema: Record<string, unknown>): string {
  if (!Array.isArray(schema.enum)) return '';
  const values = schema.enum.slice(0, 20).map((value) => JSON.stringify(value) ?? String(value));
  return `One of: ${values.join(', ')}${schema.enum.length > 20 ? ', …' : ''}.`;
}

/** Top-level parameters of `inputSchema`, in declaration order, with the number left out past {@link MAX_PARAMS}. */
export function paramRows(inputSchema: unknown): { rows: ParamRow[]; omitted: number } {
  if (!isRecord(inputSchema) || !isRecord(inputSchema.properties)) return { rows: [], omitted: 0 };
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required.filter((item) => typeof item === 'string') : []);
  const entries = Object.entries(inputSchema.properties);
  const rows = entries.slice(0, MAX_PARAMS).map(([name, schema]) => {
    const record = isRecord(schema) ? schema : {};
    const description = typeof record.description === 'string' ? record.description : '';
    return {
      name,
      type: typeOf(schema),
      required: required.has(name),
      description: [description, enumNote(record)].filter((part) => part !== '').join(' '),
    };
  });
  return { rows, omitted: Math.max(0, entries.length - MAX_PARAMS) };
}
