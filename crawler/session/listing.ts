/**
 * What a connected MCP client asks a server for, whatever the transport: `tools/list`, then — only when the
 * server's `initialize` result declares the capability — `prompts/list`, `resources/list` and
 * `resources/templates/list` (MCP specification 2025-06-18, "Tools", "Prompts", "Resources", "Pagination").
 *
 * Every list is walked by `nextCursor` under the same guards: at most `maxPages` pages, a cursor seen twice ends
 * the walk, and a cap on entries. Entries are untrusted data: each is checked and cut down to the fields the
 * specification defines (tools keep every field, since their hash covers the whole definition). A resource URI
 * or template is a string we store and show; it is never opened.
 * @internal
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import type { OptionalListFailure, OptionalListMethod, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition, ToolDefinition } from '../../records/index.ts';

export interface ListLimits {
  /** Most tools accepted; more fails the attempt as `too_large`. */
  maxTools: number;
  /** Most pages followed per list. */
  maxPages: number;
  /** Most prompts, resources or resource templates kept per list; the rest are cut, with a note. */
  maxListItems: number;
  /** Longest one optional list request may take, ms (never longer than the session has left). */
  optionalListTimeoutMs: number;
}

/** What {@link listServer} collected. `toolsOver` means the server listed more than `maxTools` tools. */
export interface Listing {
  tools: ToolDefinition[];
  /** Listed tools that were not valid Tool objects. */
  droppedTools: number;
  toolsOver: boolean;
  prompts: PromptDefinition[] | null;
  resources: ResourceDefinition[] | null;
  resourceTemplates: ResourceTemplateDefinition[] | null;
  listFailures: OptionalListFailure[];
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Copies the listed optional string fields of `from` that are strings. */
function strings<K extends string>(from: Obj, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) if (typeof from[key] === 'string') out[key] = from[key] as string;
  return out;
}

/** Keeps a listed tool if it has a non-empty string name; a missing or non-object `inputSchema` becomes `{type:"object"}`. */
export function normaliseTool(raw: unknown): ToolDefinition | null {
  if (!isObject(raw) || !nonEmptyString(raw.name)) return null;
  const inputSchema = isObject(raw.inputSchema) ? raw.inputSchema : { type: 'object' };
  const out: ToolDefinition = { ...raw, name: raw.name, inputSchema };
  for (const key of ['title', 'description'] as const) {
    if (out[key] !== undefined && typeof out[key] !== 'string') delete out[key];
  }
  if (out.annotations !== undefined && !isObject(out.annotations)) delete out.annotations;
  return out;
}

/** A `Prompt` with a non-empty name; arguments without a string name are dropped. */
export function normalisePrompt(raw: unknown): PromptDefinition | null {
  if (!isObject(raw) || !nonEmptyString(raw.name)) return null;
  const prompt: PromptDefinition = { name: raw.name, ...strings(raw, ['title', 'description'] as const) };
  if (Array.isArray(raw.arguments)) {
    prompt.arguments = raw.arguments.flatMap((arg) => {
      if (!isObject(arg) || !nonEmptyString(arg.name)) return [];
      return [{ name: arg.name, ...strings(arg, ['title', 'description'] as const), ...(typeof arg.required === 'boolean' ? { required: arg.required } : {}) }];
    });
  }
  return prompt;
}

/** A `Resource` with a non-empty `uri` and `name`; `size` only when a finite non-negative number. */
export function normaliseResource(raw: unknown): ResourceDefinition | null {
  if (!isObject(raw) || !nonEmptyString(raw.uri) || !nonEmptyString(raw.name)) return null;
  const size = typeof raw.size === 'number' && Number.isFinite(raw.size) && raw.size >= 0 ? { size: raw.size } : {};
  return { uri: raw.uri, name: raw.name, ...strings(raw, ['title', 'description', 'mimeType'] as const), ...size };
}

/** A `ResourceTemplate` with a non-empty `uriTemplate` and `name`. */
export function normaliseResourceTemplate(raw: unknown): ResourceTemplateDefinition | null {
  if (!isObject(raw) || !nonEmptyString(raw.uriTemplate) || !nonEmptyString(raw.name)) return null;
  return { uriTemplate: raw.uriTemplate, name: raw.name, ...strings(raw, ['title', 'description', 'mimeType'] as const) };
}

interface Walk<T> {
  items: T[];
  dropped: number;
  /** More than the cap were kept before the walk stopped. */
  over: boolean;
  /** The walk ended on `maxPages` or on a cursor seen before, with more pages announced. */
  cut: 'pages' | 'loop' | null;
}

/**
 * Follows `nextCursor` from the first page: at most `maxPages` pages; a cursor seen twice ends the walk; the walk
 * stops after the first page that takes the kept entries past `maxItems`.
 */
async function walkPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: unknown[]; nextCursor?: string | undefined }>,
  normalise: (raw: unknown) => T | null,
  maxItems: number,
  maxPages: number,
): Promise<Walk<T>> {
  const walk: Walk<T> = { items: [], dropped: 0, over: false, cut: null };
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; ; page += 1) {
    if (page >= maxPages) {
      walk.cut = 'pages';
      break;
    }
    const result = await fetchPage(cursor);
    for (const raw of result.items) {
      const item = normalise(raw);
      if (item === null) walk.dropped += 1;
      else walk.items.push(item);
    }
    if (walk.items.length > maxItems) {
      walk.over = true;
      break;
    }
    cursor = result.nextCursor;
    if (cursor === undefined) break;
    if (seen.has(cursor)) {
      walk.cut = 'loop';
      break;
    }
    seen.add(cursor);
  }
  return walk;
}

const ITEM_KEYS = { 'tools/list': 'tools', 'prompts/list': 'prompts', 'resources/list': 'resources', 'resources/templates/list': 'resourceTemplates' } as const;
type ListMethod = keyof typeof ITEM_KEYS;
/** A page of a list result: `{<key>: [...], nextCursor?}`; anything else in it is ignored. */
function pageSchema(key: string) {
  return z
    .object({ nextCursor: z.string().optional() })
    .passthrough()
    .refine((result) => Array.isArray((result as Record<string, unknown>)[key]), { message: `the result has no "${key}" array` });
}
const PAGE_SCHEMAS = {
  'tools/list': pageSchema('tools'),
  'prompts/list': pageSchema('prompts'),
  'resources/list': pageSchema('resources'),
  'resources/templates/list': pageSchema('resourceTemplates'),
};

function pager(client: Client, method: ListMethod, signal: AbortSignal, timeout: () => number) {
  return async (cursor: string | undefined) => {
    const result = await client.request(
      { method, params: cursor === undefined ? {} : { cursor } },
      PAGE_SCHEMAS[method],
      { signal, timeout: timeout() },
    );
    return { items: (result as Record<string, unknown>)[ITEM_KEYS[method]] as unknown[], nextCursor: result.nextCursor };
  };
}

/** True when a capability is declared: present and not `null` or `false`. */
function declares(capabilities: Obj | undefined, name: string): boolean {
  const value = capabilities?.[name];
  return value !== undefined && value !== null && value !== false;
}

function oneLine(text: string, max = 300): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}

const NOUNS: Record<OptionalListMethod, string> = {
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resource templates',
};

/**
 * Lists tools (throwing whatever the client throws, for the caller to classify), then each optional list the
 * server declares. An optional list that throws, times out, loops or runs past its cap is noted in
 * `listFailures` and never throws: the tools stand. `deadline` is `performance.now()` at which the session ends.
 */
export async function listServer(client: Client, limits: ListLimits, signal: AbortSignal, deadline: number): Promise<Listing> {
  const left = () => Math.max(1, Math.round(deadline - performance.now()));
  const tools = await walkPages(pager(client, 'tools/list', signal, left), normaliseTool, limits.maxTools, limits.maxPages);
  const listing: Listing = {
    tools: tools.items,
    droppedTools: tools.dropped,
    toolsOver: tools.over,
    prompts: null,
    resources: null,
    resourceTemplates: null,
    listFailures: [],
  };
  if (tools.over) return listing;

  const capabilities = client.getServerCapabilities() as Obj | undefined;
  const optionalTimeout = () => Math.min(limits.optionalListTimeoutMs, left());
  const optional = async <T>(method: OptionalListMethod, normalise: (raw: unknown) => T | null): Promise<T[] | null> => {
    if (signal.aborted) {
      listing.listFailures.push({ method, message: 'not asked: the session had ended' });
      return null;
    }
    try {
      const walk = await walkPages(pager(client, method, signal, optionalTimeout), normalise, limits.maxListItems, limits.maxPages);
      const notes: string[] = [];
      if (walk.over) notes.push(`listed more than ${limits.maxListItems} ${NOUNS[method]}; the first ${limits.maxListItems} are kept`);
      if (walk.cut === 'pages') notes.push(`still announced more pages after ${limits.maxPages}`);
      if (walk.cut === 'loop') notes.push('sent a cursor it had sent before; the walk stopped there');
      if (walk.dropped > 0) notes.push(`${walk.dropped} entr${walk.dropped === 1 ? 'y was' : 'ies were'} malformed and dropped`);
      if (notes.length > 0) listing.listFailures.push({ method, message: notes.join('; ') });
      return walk.items.slice(0, limits.maxListItems);
    } catch (error) {
      listing.listFailures.push({ method, message: oneLine(error instanceof Error ? error.message : String(error)) || 'failed' });
      return null;
    }
  };
  if (declares(capabilities, 'prompts')) listing.prompts = await optional('prompts/list', normalisePrompt);
  if (declares(capabilities, 'resources')) {
    listing.resources = await optional('resources/list', normaliseResource);
    listing.resourceTemplates = await optional('resources/templates/list', normaliseResourceTemplate);
  }
  return listing;
}
