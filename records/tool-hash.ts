/**
 * Canonical hash of an MCP tool definition (DESIGN.md §3): SHA-256 over the RFC 8785 (JCS) canonical JSON of
 * `{name, title, description, inputSchema, outputSchema, annotations}`. Fields outside that set (`_meta`, `icons`)
 * do not change the hash; a change to any field inside it is a change we record and show.
 */
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { ToolDefinition } from './tool.ts';

// The package is CommonJS (`module.exports = fn`) with ESM-style typings; the default import is the function.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

const HASHED_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/** Returns `sha256:<64 hex digits>`. */
export function toolHash(tool: ToolDefinition): string {
  const picked: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) {
    if (tool[field] !== undefined) picked[field] = tool[field];
  }
  const text = canonicalize(picked) ?? '{}';
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}
