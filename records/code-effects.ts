/**
 * What a tool's code does, read from the package's source without running it (issue 13 item 2): the handler a
 * tool's registration names, and the side effects reachable from it within a bounded call depth.
 */

/** Kinds of side effect the code reader recognises. */
export const EFFECT_KINDS = ['fs.write', 'fs.delete', 'fs.read', 'spawn', 'eval', 'http', 'sql', 'browser', 'payment', 'message'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/** One call in the package's source that has a side effect. */
export interface CodeEffect {
  kind: EffectKind;
  /**
   * Short detail: the method for files, processes, browsers, payments and messages (`writeFile`,
   * `child_process.exec`, `refunds.create`); the HTTP method and host where literal (`DELETE api.example.com`,
   * `POST`); the SQL statement's verb (`DELETE`), or `dynamic` when the statement is not a literal.
   */
  detail: string;
  /** The file, relative to the package folder (a dependency's file as `node_modules/<dep>/…`). */
  file: string;
  /** 1-based line in that file. */
  line: number;
  /** The source text of the call, at most 160 characters (longer text cut with "…"). */
  call: string;
}

/** What the code reader found for one listed tool. */
export interface ToolCodeEffects {
  /** The registration was followed to a handler. */
  handlerFound: boolean;
  /** Where the handler starts: the function, or the `case`/`if` branch of a `tools/call` handler. */
  handler?: { file: string; line: number };
  /** Side effects reachable from the handler, deduplicated, in the order they were found. */
  effects: CodeEffect[];
  /** Some calls were not followed: the call depth, the step budget or the effect cap ran out. */
  truncated?: boolean;
}

/** One tool's code effects, by name (tool names are untrusted text: never object keys). */
export interface NamedCodeEffects {
  name: string;
  effects: ToolCodeEffects;
}

/** Effect kinds that change something: the sinks a "read-only" tool must not reach. */
export const WRITING_EFFECTS: ReadonlySet<EffectKind> = new Set(['fs.write', 'fs.delete', 'spawn', 'eval', 'payment', 'message']);

/**
 * Whether an effect changes state: a file written or deleted, a process spawned or code evaluated, money moved, a
 * message sent, an HTTP request other than GET/HEAD/OPTIONS, an SQL statement other than SELECT, a browser click,
 * type or fill.
 */
export function isWritingEffect(effect: Pick<CodeEffect, 'kind' | 'detail'>): boolean {
  if (WRITING_EFFECTS.has(effect.kind)) return true;
  const verb = effect.detail.split(' ')[0]?.toUpperCase() ?? '';
  if (effect.kind === 'http') return /^(?:POST|PUT|PATCH|DELETE)$/.test(verb);
  if (effect.kind === 'sql') return /^(?:INSERT|UPDATE|DELETE|DROP|TRUNCATE|ALTER|CREATE|REPLACE|MERGE|UPSERT|GRANT|REVOKE)$/.test(verb);
  if (effect.kind === 'browser') return /^(?:click|type|fill|press|select|check|uncheck|setInputFiles|keyboard\.type)$/.test(verb);
  return false;
}
