/**
 * The schema of one input line of `classifyJsonl`: an MCP `Tool` object (MCP 2025-06-18) with an optional
 * `server` context. Validated once, at the boundary; the schema is also the type.
 */
import { z } from 'zod';

const annotationsSchema = z
  .object({
    title: z.string().optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .passthrough();

/**
 * One JSONL input line. `name` must be a non-empty string; `title` and `description` may be null (treated
 * as absent); `inputSchema` defaults to `{ "type": "object" }`; unknown fields are kept.
 */
export const toolLineSchema = z
  .object({
    name: z.string().min(1, 'must be a non-empty string'),
    title: z.string().nullish().transform((v) => v ?? undefined),
    description: z.string().nullish().transform((v) => v ?? undefined),
    inputSchema: z.record(z.unknown()).default({ type: 'object' }),
    outputSchema: z.record(z.unknown()).optional(),
    annotations: annotationsSchema.optional(),
    server: z.object({ name: z.string().min(1), description: z.string().nullish().transform((v) => v ?? undefined) }).optional(),
  })
  .passthrough();

export type ToolLine = z.infer<typeof toolLineSchema>;

/** Zod issues as `<path>: <message>` joined with "; ", e.g. `name: Required`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(line)'}: ${i.message}`)
    .join('; ');
}
