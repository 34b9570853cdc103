/**
 * Diffs between consecutive listings of a server: tools added, removed and changed, and for a changed tool which
 * hashed fields, a word-level description diff (`diffWords` of the `diff` package), parameters added, removed,
 * retyped, made required or optional, and annotations changed. Findings are raised on each diff by `findings.ts`.
 */
import canonicalizeModule from 'canonicalize';
import { diffWords } from 'diff';
import semver from 'semver';
import { getOwn, type HistoryListing, type StoredHistory, type ToolDefinition } from '../records/index.ts';
import { raiseFindings } from './findings.ts';
import type { AnnotationChange, ClassificationView, ListingDiff, ListingRef, ParameterChange, ToolChange, ToolSide, WordPart } from './types.ts';

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

const FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/**
 * Every change in `history`: for each server, each listing compared with the one before it (by listedAt), where
 * their list hashes differ. Sorted by server, then by the later listing's time. A server's first listing is no change.
 */
export function diffHistory(history: StoredHistory): ListingDiff[] {
  const byServer = new Map<number, HistoryListing[]>();
  for (const listing of history.listings) {
    let list = byServer.get(listing.serverId);
    if (!list) byServer.set(listing.serverId, (list = []));
    list.push(listing);
  }
  const diffs: ListingDiff[] = [];
  for (const listings of byServer.values()) {
    // Every definition a name had in earlier listings: a tool removed and back with another one is a finding.
    const seen = new Map<string, Set<string>>();
    for (let i = 0; i < listings.length; i += 1) {
      const to = listings[i]!;
      const from = listings[i - 1];
      if (from && from.listHash !== to.listHash) diffs.push(diffListings(from, to, history, seen));
      for (const tool of to.tools) {
        let hashes = seen.get(tool.name);
        if (!hashes) seen.set(tool.name, (hashes = new Set()));
        hashes.add(tool.hash);
      }
    }
  }
  return diffs;
}

/**
 * The diff of two listings of one server, with its findings. `seen` holds the hashes each tool name had in the
 * server's listings before `to` (empty when unknown).
 */
export function diffListings(from: HistoryListing, to: HistoryListing, history: Pick<StoredHistory, 'definitions' | 'classifications'>, seen: ReadonlyMap<string, ReadonlySet<string>> = new Map()): ListingDiff {
  const side = (tool: { name: string; hash: string }): ToolSide => ({
    name: tool.name,
    hash: tool.hash,
    definition: history.definitions.get(tool.hash) ?? { name: tool.name, inputSchema: {} },
    classification: view(history.classifications.get(tool.hash)),
  });
  const before = new Map(from.tools.map((t) => [t.name, t]));
  const after = new Map(to.tools.map((t) => [t.name, t]));
  const added = to.tools.filter((t) => !before.has(t.name)).map(side);
  const removed = from.tools.filter((t) => !after.has(t.name)).map(side);
  const changed: ToolChange[] = [];
  for (const tool of to.tools) {
    const old = before.get(tool.name);
    if (old && old.hash !== tool.hash) changed.push(diffTool(side(old), side(tool)));
  }
  const diff: ListingDiff = {
    serverId: to.serverId, from: ref(from), to: ref(to), release: releaseKind(from.version, to.version), added, removed, changed, findings: [],
  };
  diff.findings = raiseFindings(diff, seen, [...new Set([...before.keys(), ...after.keys()])]);
  return diff;
}

/** `same` for one version, `semver.diff` of two valid versions (`patch`, `minor`, `major`, `prepatch`, …), or null. */
export function releaseKind(from: string, to: string): string | null {
  if (from === to) return 'same';
  if (!semver.valid(from) || !semver.valid(to)) return null;
  return semver.diff(from, to);
}

/** What changed in one tool between two definitions. */
export function diffTool(before: ToolSide, after: ToolSide): ToolChange {
  const a = before.definition;
  const b = after.definition;
  const fields = FIELDS.filter((field) => canonicalize(a[field] ?? null) !== canonicalize(b[field] ?? null));
  return {
    name: after.name, before, after, fields,
    description: fields.includes('description') ? wordDiff(a.description ?? '', b.description ?? '') : null,
    parameters: fields.includes('inputSchema') ? parameterChanges(a, b) : [],
    annotations: fields.includes('annotations') ? annotationChanges(a, b) : [],
  };
}

/** Word-level diff: runs of kept, added and removed words with the whitespace between them. */
export function wordDiff(before: string, after: string): WordPart[] {
  return diffWords(before, after).map((part) => ({ value: part.value, op: part.added ? 'added' : part.removed ? 'removed' : 'same' }));
}

/** The top-level `properties` of an `inputSchema` as name → property schema, and its `required` names. */
function parameters(tool: ToolDefinition): { properties: Map<string, unknown>; required: Set<string> } {
  const props = getOwn(tool.inputSchema, 'properties');
  const properties = new Map<string, unknown>(props !== null && typeof props === 'object' && !Array.isArray(props) ? Object.entries(props) : []);
  const req = getOwn(tool.inputSchema, 'required');
  return { properties, required: new Set(Array.isArray(req) ? req.filter((r): r is string => typeof r === 'string') : []) };
}

function typeOf(schema: unknown): string {
  const type = getOwn(schema, 'type');
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.map(String).join(' | ');
  return 'any';
}

export function parameterChanges(a: ToolDefinition, b: ToolDefinition): ParameterChange[] {
  const before = parameters(a);
  const after = parameters(b);
  const out: ParameterChange[] = [];
  for (const [name, schema] of after.properties) {
    const old = before.properties.get(name);
    if (!before.properties.has(name)) {
      out.push({ name, change: 'added', after: typeOf(schema) });
      continue;
    }
    if (typeOf(old) !== typeOf(schema)) out.push({ name, change: 'retyped', before: typeOf(old), after: typeOf(schema) });
    if (!before.required.has(name) && after.required.has(name)) out.push({ name, change: 'made required' });
    if (before.required.has(name) && !after.required.has(name)) out.push({ name, change: 'made optional' });
  }
  for (const [name, schema] of before.properties) {
    if (!after.properties.has(name)) out.push({ name, change: 'removed', before: typeOf(schema) });
  }
  return out;
}

export function annotationChanges(a: ToolDefinition, b: ToolDefinition): AnnotationChange[] {
  const entries = (tool: ToolDefinition) => new Map<string, unknown>(tool.annotations !== null && typeof tool.annotations === 'object' ? Object.entries(tool.annotations) : []);
  const before = entries(a);
  const after = entries(b);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names
    .filter((name) => canonicalize(before.get(name) ?? null) !== canonicalize(after.get(name) ?? null))
    .map((name) => ({ name, before: before.get(name), after: after.get(name) }));
}

function view(c: { category: ClassificationView['category']; risk: ClassificationView['risk']; ruleIds: string[] } | undefined): ClassificationView | null {
  return c ? { category: c.category, risk: c.risk, ruleIds: [...c.ruleIds] } : null;
}

function ref(listing: HistoryListing): ListingRef {
  return { id: listing.id, version: listing.version, listedAt: listing.listedAt, method: listing.method, listHash: listing.listHash };
}
