/**
 * File cache of validated answers, one `<cacheDir>/<sha256>.json` per (tool hash, prompt version, model).
 * The tool hash covers everything the prompt shows of the tool and its server (RFC 8785 canonical JSON), so a
 * changed description or a changed prompt misses. Writes are atomic (temporary file, then rename); an entry that
 * fails to read or to validate is a miss.
 * @internal
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import canonicalizeModule from 'canonicalize';
import { z } from 'zod';
import type { ServerContext, ToolDefinition } from '../../records/index.ts';
import type { LlmAnswer } from './answer.ts';
import { answerSchema } from './answer.ts';

// The package is CommonJS (`module.exports = fn`) with ESM-style typings; the default import is the function.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `sha256:<hex>` over the canonical JSON of the fields the prompt shows (prompt.ts `definitionJson`). */
export function llmToolHash(tool: ToolDefinition, server?: ServerContext): string {
  const shown = {
    name: tool.name, title: tool.title, description: tool.description, inputSchema: tool.inputSchema,
    outputSchema: tool.outputSchema, annotations: tool.annotations, server: server ? { name: server.name, description: server.description } : undefined,
  };
  return `sha256:${sha256(canonicalize(JSON.parse(JSON.stringify(shown))) ?? '{}')}`;
}

/** The cache key: sha256 of `toolHash`, `promptVersion` and `model`, joined by NUL. */
export function cacheKey(toolHash: string, promptVersion: string, model: string): string {
  return sha256(`${toolHash}\u0000${promptVersion}\u0000${model}`);
}

const entrySchema = z.object({
  key: z.string(),
  toolHash: z.string(),
  promptVersion: z.string(),
  model: z.string(),
  createdAt: z.string(),
  tokens: z.number(),
  answer: answerSchema.extend({
    evidence: z.array(z.object({ source: z.enum(['name', 'title', 'description', 'inputSchema', 'annotations', 'server']), quote: z.string(), ruleId: z.string().optional() })),
    droppedQuotes: z.number(),
  }),
});

export class AnswerCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /** The cached answer, or undefined on a miss (absent, unreadable or invalid entry). */
  async get(key: string): Promise<LlmAnswer | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const entry = entrySchema.safeParse(JSON.parse(text));
      return entry.success && entry.data.key === key ? entry.data.answer : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores an answer; creates the folder when needed. */
  async set(key: string, meta: { toolHash: string; promptVersion: string; model: string; tokens: number }, answer: LlmAnswer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const entry = { key, ...meta, createdAt: new Date().toISOString(), answer };
    const tmp = `${this.file(key)}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, `${JSON.stringify(entry, null, 2)}\n`);
    await rename(tmp, this.file(key));
  }
}
