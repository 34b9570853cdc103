/**
 * What a model reads of a tool, and what in it speaks to the model: instruction phrases, hidden Unicode, and the
 * names of other tools. Each detector is a small table of patterns tested with examples (`changes.test.ts`).
 */
import type { ToolDefinition } from '../records/index.ts';

/**
 * Every string a model is shown of a tool besides its name: title, description, and every string inside
 * `inputSchema`, `outputSchema` and `annotations` (property names and parameter descriptions included), one a line.
 */
export function modelText(tool: ToolDefinition): string {
  const out: string[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const item of value) walk(item, depth + 1);
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        out.push(key);
        walk(item, depth + 1);
      }
    }
  };
  for (const field of ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const) walk(tool[field], 0);
  return out.join('\n');
}

/** Phrases that address the model rather than describe the tool (tool poisoning); case-insensitive. */
export const INSTRUCTION_PATTERNS: ReadonlyArray<{ id: string; pattern: RegExp }> = [
  { id: 'ignore-previous', pattern: /\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|other)\b/i },
  { id: 'hide-from-user', pattern: /\b(do\s+not|don['’]t|never)\s+(tell|inform|mention|reveal|show|notify)\b[^.]{0,40}\buser\b/i },
  { id: 'without-telling', pattern: /\bwithout\s+(telling|informing|notifying|asking)\s+(the\s+)?user\b/i },
  { id: 'before-other-tools', pattern: /\bbefore\s+(using|calling|running|invoking)\s+(any|every|another|other|this)\b/i },
  { id: 'instruction-tag', pattern: /<\s*\/?\s*(important|system|instructions?|secret|hidden)\s*>/i },
  { id: 'you-must', pattern: /\byou\s+(must|should|have\s+to|need\s+to)\s+(always|first|never|also|immediately)\b/i },
  { id: 'secretly', pattern: /\b(secretly|silently|covertly)\b/i },
  { id: 'read-secrets', pattern: /(~\/\.ssh|id_rsa|\.env\b|mcp\.json|credentials?\s+file)/i },
];

/** Ids of the instruction patterns `text` matches, in table order. */
export function instructionPhrases(text: string): string[] {
  return INSTRUCTION_PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ id }) => id);
}

/** Characters a reader does not see: zero-width, bidirectional controls and Unicode tag characters. */
const HIDDEN = [
  { kind: 'zero-width', pattern: /[\u200B-\u200D\u2060\uFEFF\u180E]/u },
  { kind: 'bidi control', pattern: /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u },
  { kind: 'tag characters', pattern: /[\u{E0000}-\u{E007F}]/u },
] as const;

/** Kinds of hidden characters in `text`: `zero-width`, `bidi control`, `tag characters`. */
export function hiddenUnicode(text: string): string[] {
  return HIDDEN.filter(({ pattern }) => pattern.test(text)).map(({ kind }) => kind);
}

/** Names from `names` (other tools of the listing, at least 3 characters) that `text` mentions as a whole word. */
export function toolReferences(text: string, names: Iterable<string>): string[] {
  const found: string[] = [];
  for (const name of names) {
    if (name.length < 3) continue;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^\\p{L}\\p{N}_-])${escaped}($|[^\\p{L}\\p{N}_-])`, 'u').test(text)) found.push(name);
  }
  return found.sort();
}
