/**
 * Inputs of `npm run eval`: the labelled set (`eval/labels.jsonl`, rubric in `eval/LABELLING.md`) and a crawl
 * export (`servers.jsonl` from `mcp-catalogue export`), joined on server identifier + version + tool name.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CATEGORIES, RISKS } from '../classifier/index.ts';
import type { ServerContext, ToolDefinition } from '../classifier/index.ts';
import { toolHash } from '../records/index.ts';
import type { ToolCodeEffects } from '../records/index.ts';

/** One line of `eval/labels.jsonl`. `server` is `npm:<identifier>@<version>`. */
export const labelSchema = z.object({
  server: z.string().regex(/^[a-z]+:.+@[^@]+$/, 'expected "<registry>:<identifier>@<version>"'),
  tool: z.string().min(1),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  category: z.enum(CATEGORIES),
  risk: z.enum(RISKS),
  split: z.enum(['dev', 'heldout']),
  note: z.string().optional(),
});
export type Label = z.infer<typeof labelSchema>;
export type Split = Label['split'];

/** Reads and validates a labels file. Throws with the file name and line number on the first bad line. */
export function loadLabels(path: string): Label[] {
  const out: Label[] = [];
  const seen = new Set<string>();
  parseJsonlLines(path, readFileSync(path, 'utf8'), labelSchema, (label, line) => {
    const key = `${label.server}\u0000${label.tool}`;
    if (seen.has(key)) throw new Error(`${path}:${line}: duplicate label for ${label.server} ${label.tool}`);
    seen.add(key);
    out.push(label);
  });
  return out;
}

/**
 * Parses `text` (the contents of `path`) as JSON lines validated by `schema`, blank lines skipped, calling `each` with
 * every record and its 1-based line number. Throws with the file name and line number on the first bad line.
 */
export function parseJsonlLines<T>(path: string, text: string, schema: z.ZodType<T>, each: (record: T, line: number) => void): void {
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new Error(`${path}:${i + 1}: not JSON`, { cause: err });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    each(parsed.data, i + 1);
  });
}

/** A crawled tool with its server context, as the export lists it. */
export interface CrawledTool {
  /** `<registry>:<identifier>@<version>` */
  server: string;
  context: ServerContext;
  name: string;
  /** The export's hash, or the canonical hash of the definition when the export has none. */
  hash: string;
  definition: ToolDefinition;
}

interface ExportLine {
  registry: string;
  identifier: string;
  version: string | null;
  description?: string | null;
  /** The newest introspection attempt; its method says how the tools were listed when it succeeded. */
  introspection?: { outcome?: string; method?: string } | null;
  tools?: Array<{ name: string; hash?: string; definition: ToolDefinition; codeEffects?: ToolCodeEffects | null }>;
}

/** Reads every tool of a `servers.jsonl` export. Servers without tools contribute nothing. */
export function loadCrawl(path: string): CrawledTool[] {
  const out: CrawledTool[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let s: ExportLine;
    try {
      s = JSON.parse(line) as ExportLine;
    } catch (err) {
      throw new Error(`${path}:${i + 1}: not JSON`, { cause: err });
    }
    const server = `${s.registry}:${s.identifier}@${s.version ?? ''}`;
    const method = s.introspection?.outcome === 'ok' ? s.introspection.method : undefined;
    const context: ServerContext = {
      name: s.identifier,
      ...(s.description ? { description: s.description } : {}),
      ...(method ? { introspectionMethod: method } : {}),
    };
    for (const t of s.tools ?? []) {
      // What the handler does is part of what the pipeline classifies with (`toolsNeedingClassification`).
      const toolContext = t.codeEffects ? { ...context, codeEffects: t.codeEffects } : context;
      out.push({ server, context: toolContext, name: t.name, hash: t.hash ?? toolHash(t.definition), definition: t.definition });
    }
  });
  return out;
}

/** A label and the crawled tool it refers to. */
export interface Joined {
  label: Label;
  tool: CrawledTool;
}

/** Labels that could not be evaluated, and why. */
export interface Unmatched {
  label: Label;
  reason: 'missing' | 'hash-mismatch';
  /** The crawled hash, for a mismatch. */
  found?: string;
}

/**
 * Joins labels to crawled tools on server (identifier + version) and tool name. A label whose tool is absent, or
 * whose hash differs from the crawled definition's, is returned in `unmatched` and left out of the metrics: the
 * label was given to a different definition.
 */
export function joinLabels(labels: readonly Label[], crawl: readonly CrawledTool[]): { joined: Joined[]; unmatched: Unmatched[] } {
  const index = new Map<string, CrawledTool>();
  for (const t of crawl) index.set(`${t.server}\u0000${t.name}`, t);
  const joined: Joined[] = [];
  const unmatched: Unmatched[] = [];
  for (const label of labels) {
    const tool = index.get(`${label.server}\u0000${label.tool}`);
    if (!tool) unmatched.push({ label, reason: 'missing' });
    else if (tool.hash !== label.hash) unmatched.push({ label, reason: 'hash-mismatch', found: tool.hash });
    else joined.push({ label, tool });
  }
  return { joined, unmatched };
}
