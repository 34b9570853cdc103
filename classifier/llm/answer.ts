/**
 * The model's answer: parsed as JSON, validated with zod, evidence kept only when it is a verbatim substring of
 * the definition (a quote the model invented, or took from its own instructions, is dropped).
 */
import { z } from 'zod';
import { CATEGORIES, RISKS, type Category, type Evidence, type EvidenceSource, type Risk, type ServerContext, type ToolDefinition } from '../../records/index.ts';
import { LlmError } from './errors.ts';

/** Most characters of a quote, as for heuristic evidence; longer quotes are cut with "…". */
const MAX_QUOTE = 200;
/** Shorter quotes prove nothing (any definition contains "a"). */
const MIN_QUOTE = 3;

const caseless = <T extends string>(values: readonly [T, ...T[]]) =>
  z.preprocess((v) => (typeof v === 'string' ? values.find((x) => x.toLowerCase() === v.trim().toLowerCase()) ?? v : v), z.enum(values));

/** The answer's shape. Category and risk are matched without regard to case; `evidence` may be absent. */
export const answerSchema = z.object({
  category: caseless<Category>(CATEGORIES as unknown as [Category, ...Category[]]),
  risk: caseless<Risk>(RISKS as unknown as [Risk, ...Risk[]]),
  confidence: z.coerce.number().min(0).max(1),
  rationale: z.string().trim().min(1).max(4000),
  evidence: z.array(z.string()).max(50).default([]),
});

/** A validated answer. `evidence` holds only verified quotes; `droppedQuotes` counts the others. */
export interface LlmAnswer {
  category: Category;
  risk: Risk;
  confidence: number;
  rationale: string;
  evidence: Evidence[];
  droppedQuotes: number;
}

function strings(value: unknown, out: string[], depth = 0): void {
  if (depth > 8) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out, depth + 1);
    }
  }
}

/** The texts a quote may come from, by source. */
function haystacks(tool: ToolDefinition, server?: ServerContext): Array<{ source: EvidenceSource; texts: string[] }> {
  const schema: string[] = [JSON.stringify(tool.inputSchema ?? {}), JSON.stringify(tool.inputSchema ?? {}, null, 2)];
  strings(tool.inputSchema, schema);
  const annotations: string[] = [];
  if (tool.annotations) {
    annotations.push(JSON.stringify(tool.annotations));
    strings(tool.annotations, annotations);
  }
  const str = (v: unknown) => (typeof v === 'string' ? [v] : []);
  return [
    { source: 'name', texts: str(tool.name) },
    { source: 'title', texts: str(tool.title) },
    { source: 'description', texts: str(tool.description) },
    { source: 'inputSchema', texts: schema },
    { source: 'annotations', texts: annotations },
    { source: 'server', texts: server ? [server.name, ...str(server.description)] : [] },
  ];
}

/** Keeps the quotes found verbatim in the definition, with the part they come from and `ruleId: "llm"`. */
export function verifyQuotes(quotes: readonly string[], tool: ToolDefinition, server?: ServerContext): { evidence: Evidence[]; dropped: number } {
  const fields = haystacks(tool, server);
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  for (const quote of quotes) {
    const field = quote.trim().length >= MIN_QUOTE ? fields.find((f) => f.texts.some((t) => t.includes(quote))) : undefined;
    if (!field) {
      dropped++;
      continue;
    }
    const cut = quote.length > MAX_QUOTE ? `${quote.slice(0, MAX_QUOTE - 1)}…` : quote;
    if (seen.has(cut)) continue;
    seen.add(cut);
    evidence.push({ source: field.source, quote: cut, ruleId: 'llm' });
  }
  return { evidence, dropped };
}

/** The JSON text of an answer: the content itself, or the body of a ```json fence around it. */
function jsonText(content: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/i.exec(content);
  return (fenced?.[1] ?? content).trim();
}

/**
 * Parses and validates the message content of a chat completion.
 * @throws LlmError `LLM_MALFORMED_ANSWER` when the content is not JSON or fails {@link answerSchema}.
 */
export function parseAnswer(content: string | null | undefined, tool: ToolDefinition, server?: ServerContext): LlmAnswer {
  if (content === null || content === undefined || content.trim() === '') {
    throw new LlmError('LLM_MALFORMED_ANSWER', `the model's answer for ${tool.name} is empty; expected one JSON object`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText(content));
  } catch (cause) {
    throw new LlmError('LLM_MALFORMED_ANSWER', `the model's answer for ${tool.name} is not JSON: ${JSON.stringify(content.slice(0, 120))}`, { cause });
  }
  const parsed = answerSchema.safeParse(raw);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`).join('; ');
    throw new LlmError('LLM_MALFORMED_ANSWER', `the model's answer for ${tool.name} fails the answer schema: ${what}`, { cause: parsed.error });
  }
  const { evidence, dropped } = verifyQuotes(parsed.data.evidence, tool, server);
  return { ...parsed.data, confidence: Math.round(parsed.data.confidence * 100) / 100, evidence, droppedQuotes: dropped };
}
