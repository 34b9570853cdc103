/**
 * `mcp-catalogue import FILE`: reads an `export`'s `servers.jsonl` (site/export.ts, one `ExportedServer` a
 * line) back into a store, streaming line by line, so that export → import → export gives the same file.
 * Every line is untrusted: its shape is checked here (zod), names stay data (no object is keyed by them), and the
 * store hashes and scrubs what it writes as it does for a crawl. Fields the export derives (slug, toolCount, hash,
 * policy paths, policyError) are read back by the next export, not taken from the line.
 */
import { z } from 'zod';
import { DEFAULT_MAX_LINE_BYTES, describeIssues, readLines } from '../classifier/index.ts';
import { CATEGORIES, FAILURE_REASONS, REGISTRIES, PACKAGE_REGISTRY_TYPES, RISKS, type ServerImport, type Store, type ToolDefinition, type ToolCodeEffects } from '../records/index.ts';

/** A JSON object passed through as parsed: zod would drop an own `__proto__` key of a record it rebuilt. */
function plainObject<T>() {
  return z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'expected an object' });
}

const METHODS = ['live-stdio', 'live-stdio-placeholders', 'live-stdio-arguments', 'live-http', 'remote-http', 'static', 'none'] as const;
const LIST_METHODS = ['prompts/list', 'resources/list', 'resources/templates/list'] as const;

const toolSchema = z.object({
  name: z.string().min(1),
  hash: z.string(),
  definition: plainObject<ToolDefinition>().refine((d) => typeof d.name === 'string', { message: 'definition.name must be a string' }),
  classification: z.object({
    category: z.enum(CATEGORIES),
    risk: z.enum(RISKS),
    confidence: z.number().min(0).max(1),
    rationale: z.string(),
    evidence: z.array(plainObject<never>()),
    signals: z.array(plainObject<never>()),
    // Absent from exports written before rule ids were exported: stored empty.
    ruleIds: z.array(z.string()).default([]),
    method: z.enum(['heuristic', 'llm', 'heuristic+llm']),
    classifierVersion: z.string().min(1),
  }).nullable(),
  codeEffects: z.object({
    handlerFound: z.boolean(),
    handler: z.object({ file: z.string(), line: z.number().int().nonnegative() }).optional(),
    effects: z.array(plainObject<ToolCodeEffects['effects'][number]>()),
    truncated: z.boolean().optional(),
  }).nullable(),
}).refine((t) => t.definition.name === t.name, { message: 'name differs from definition.name', path: ['name'] });

/** One `servers.jsonl` line as `export` writes it (`ExportedServer`); unknown fields are ignored. */
export const exportedServerSchema = z.object({
  registry: z.enum([...REGISTRIES, ...PACKAGE_REGISTRY_TYPES]),
  identifier: z.string().min(1),
  displayName: z.string(),
  description: z.string().nullable(),
  repositoryUrl: z.string().nullable(),
  version: z.string().min(1).nullable(),
  introspection: z.object({
    outcome: z.enum(['ok', 'failed']),
    failureReason: z.enum(FAILURE_REASONS).nullable(),
    failureMessage: z.string().nullable(),
    method: z.enum(METHODS),
    startedAt: z.string().datetime({ offset: true }),
    prompts: z.array(plainObject<never>()).nullable(),
    resources: z.array(plainObject<never>()).nullable(),
    resourceTemplates: z.array(plainObject<never>()).nullable(),
    listFailures: z.array(z.object({ method: z.enum(LIST_METHODS), message: z.string() })),
  }).nullable(),
  tools: z.array(toolSchema),
}).refine((s) => s.tools.length === 0 || (s.version !== null && s.introspection !== null), { message: 'tools without a version and an attempt', path: ['tools'] });

/** A parsed line as the store takes it. */
export function toServerImport(line: z.infer<typeof exportedServerSchema>): ServerImport {
  const i = line.introspection;
  return {
    server: { registry: line.registry, identifier: line.identifier, displayName: line.displayName, description: line.description, repositoryUrl: line.repositoryUrl },
    version: line.version,
    introspection: i ? { ...i, startedAt: new Date(i.startedAt) } : null,
    tools: line.tools.map((t) => ({ definition: t.definition, classification: t.classification, codeEffects: t.codeEffects })),
  };
}

/** Counts of {@link importJsonl}. */
export interface ImportSummary {
  /** Lines imported: one server each. */
  servers: number;
  /** Of those, lines with a version. */
  versions: number;
  /** Tools stored, summed over the lines. */
  tools: number;
  /** Lines skipped: malformed, over the line limit, or refused by the store. */
  skipped: number;
}

/**
 * Imports a `servers.jsonl` stream into `store`, one line (one transaction) at a time. A bad line — over
 * `options.maxLineBytes` (default {@link DEFAULT_MAX_LINE_BYTES}, 16 MiB), not JSON, not the export's shape, or
 * refused by the store — is reported on `errors` as `line N: …` (N from 1, blank lines counted and ignored) and
 * skipped; the others are imported. The caller exits nonzero when `skipped > 0`.
 * @throws when a stream errors or the store is closed or unreachable (every line after it would fail the same way).
 */
export async function importJsonl(store: Store, input: NodeJS.ReadableStream, errors: NodeJS.WritableStream, options: { maxLineBytes?: number } = {}): Promise<ImportSummary> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const summary: ImportSummary = { servers: 0, versions: 0, tools: 0, skipped: 0 };
  const skip = (number: number, message: string) => {
    summary.skipped++;
    errors.write(`line ${number}: ${message}; skipped\n`);
  };
  for await (const read of readLines(input, maxLineBytes)) {
    if ('tooLong' in read) {
      skip(read.number, `${read.tooLong.toLocaleString('en-US')} bytes, over the line limit of ${maxLineBytes.toLocaleString('en-US')} bytes`);
      continue;
    }
    if (read.text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(read.text);
    } catch (error) {
      skip(read.number, `invalid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const result = exportedServerSchema.safeParse(parsed);
    if (!result.success) {
      skip(read.number, describeIssues(result.error));
      continue;
    }
    let stored: { tools: number };
    try {
      stored = await store.importServer(toServerImport(result.data));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'DB_CLOSED' || code === 'DB_UNAVAILABLE') throw error;
      skip(read.number, `not stored (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    summary.servers++;
    if (result.data.version !== null) summary.versions++;
    summary.tools += stored.tools;
  }
  return summary;
}
