/**
 * URL slugs for servers and tools (DESIGN.md §6). Every slug is a safe path segment: lowercase `[a-z0-9.-]`,
 * never empty, never `.` or `..` (no two dots in a row at all), never starting or ending with `.` or `-`, and at
 * most {@link MAX_SLUG_LENGTH} characters (plus a `-N` collision suffix from {@link assignSlugs}). Tool names and package identifiers are hostile input
 * (`../../etc/passwd`, markup, 5,000-character names); nothing of them survives but those characters.
 */
import { createHash } from 'node:crypto';
import type { Registry } from '../records/index.ts';

/** Longest slug produced, in characters. A longer slug is cut and ends with `-<8 hex digits>` of the full input. */
export const MAX_SLUG_LENGTH = 80;

const HASH_LENGTH = 8;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/** Reduces `text` to `[a-z0-9.-]` with no `..`, no `--`, and no `.`/`-` at either end. */
function clean(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/[.-]*-[.-]*/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '');
}

/** Bounds the length of a cleaned slug; `source` is the full original input the hash is taken of. */
function bound(slug: string, source: string, fallback: string): string {
  if (slug === '') return `${fallback}-${shortHash(source)}`;
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const head = slug.slice(0, MAX_SLUG_LENGTH - HASH_LENGTH - 1).replace(/[.-]+$/, '');
  return `${head}-${shortHash(source)}`;
}

/**
 * Slug of a server, from its identity (registry + identifier):
 * npm `@scope/name` → `scope-name`; MCP Registry `io.github.owner/repo` → `io-github-owner-repo` (the dots of the
 * reverse-DNS namespace become dashes); GitHub `owner/repo` → `owner-repo`; PyPI `awslabs.x-server` keeps its dots.
 * Not unique on its own: two identities can share a slug (npm `foo` and PyPI `foo`); {@link assignSlugs} settles that.
 */
export function serverSlug(registry: Registry, identifier: string): string {
  let text = identifier;
  if (registry === 'npm') text = text.replace(/^@/, '');
  if (registry === 'mcp-registry') {
    const slash = text.indexOf('/');
    const namespace = slash === -1 ? text : text.slice(0, slash);
    text = namespace.replace(/\./g, '-') + (slash === -1 ? '' : text.slice(slash));
  }
  return bound(clean(text), `${registry}:${identifier}`, 'server');
}

/**
 * Slug of a tool name: `gateway.search_registry` → `gateway.search-registry`. Underscores and every other character
 * outside `[a-z0-9.]` become `-`; `../../etc/passwd` → `etc-passwd`; a name with nothing usable → `tool-<hash>`.
 * Not unique on its own (`Search` and `search`); {@link assignSlugs} settles that.
 */
export function toolSlug(name: string): string {
  return bound(clean(name), name, 'tool');
}

/** One item to give a unique slug: `identity` orders the items (unique per item), `slug` is its wanted slug. */
export interface SlugRequest {
  identity: string;
  slug: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Makes slugs unique, deterministically. Items are sorted by `identity` (code-unit order, ties by input position);
 * the first item wanting a slug gets it, the next ones get `-2`, `-3`… in that order, skipping any slug that another
 * item wants as is (so `foo-2` wanted by a tool called `foo_2` is never taken from it). Comparison is on the
 * lowercased slug, so the result is also safe on case-insensitive file systems.
 * @returns the unique slugs, in the order of `items`.
 */
export function assignSlugs(items: readonly SlugRequest[]): string[] {
  const order = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => compareText(a.item.identity, b.item.identity) || a.index - b.index);
  const wanted = new Set(items.map((item) => item.slug.toLowerCase()));
  const taken = new Set<string>();
  const result: string[] = new Array<string>(items.length);
  for (const { item, index } of order) {
    let slug = item.slug;
    if (taken.has(slug.toLowerCase())) {
      for (let n = 2; ; n += 1) {
        const candidate = `${item.slug}-${n}`;
        const key = candidate.toLowerCase();
        if (!taken.has(key) && !wanted.has(key)) {
          slug = candidate;
          break;
        }
      }
    }
    taken.add(slug.toLowerCase());
    result[index] = slug;
  }
  return result;
}
