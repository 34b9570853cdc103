/**
 * Canonical hash of an MCP tool definition (DESIGN.md §3): SHA-256 over the RFC 8785 (JCS) canonical JSON of
 * `{name, title, description, inputSchema, outputSchema, annotations}`. Fields outside that set (`_meta`, `icons`)
 * do not change the hash; a change to any field inside it is a change we record and show.
 *
 * Why `_meta` is left out: the MCP specification (2025-06-18, "General fields: `_meta`") reserves `_meta` for
 * protocol and client metadata attached to a message, not for what the tool is or does; servers put request-time
 * data there (build ids, timestamps) that would make every listing look changed. What a model reads of a tool —
 * its name, title, description, schemas and annotations — is all inside the hashed set.
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

/**
 * Hash of a whole listing: SHA-256 over the JCS canonical JSON of its `[name, toolHash]` pairs sorted by name
 * (UTF-16 code unit order, as JCS sorts keys). Two listings with the same tools, in any order, hash alike.
 * Returns `sha256:<64 hex digits>`.
 */
export function listingHash(tools: ReadonlyArray<{ name: string; hash: string }>): string {
  const pairs = tools.map((t) => [t.name, t.hash]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  return `sha256:${createHash('sha256').update(canonicalize(pairs) ?? '[]').digest('hex')}`;
}
