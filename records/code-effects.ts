/**
 * What a tool's code does, read from the package's source without running it (issue 13 item 2): the handler a
 * tool's registration names, and the side effects reachable from it within a bounded call depth.
 */

/** Kinds of side effect the code reader recognises. */
export const EFFECT_KINDS = ['fs.write', 'fs.delete', 'fs.read', 'spawn', 'eval', 'http', 'sql', 'browser', 'payment', 'message'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];

/**
 * Where an effect lands when the reader can tell it is the tool's own housekeeping rather than a change the caller
 * would see (`crawler/static/effect-scope.ts` decides, from the source only):
 * - `temp`: a file or folder under the system's temporary folder (`os.tmpdir()`, `mkdtemp`, a `tmp`/`tempy` helper,
 *   a literal `/tmp/…` path), for every path the call touches;
 * - `cache`: a path named like a cache (`.cache`, `CACHE_DIR`, `this.cacheDir`), or a write made inside a cache
 *   helper (a function or class named like a cache, or an eviction);
 * - `debug-log`: a file write guarded by a debug check (`process.env.DEBUG`, `NODE_ENV !== "production"`, a
 *   `debug` flag) on the way from the handler, or to a literal `*.log` file;
 * - `read-only-cli`: a process started with a literal program and literal sub-command that only read
 *   (`kubectl get`, `git log`, `rg`, `npm view`, `docker ps`); a computed program, sub-command or shell text is no
 *   such thing;
 * - `module-load`: `Function`/`eval` whose literal text only loads a module (`new Function("m", "return import(m)")`).
 */
export const EFFECT_SCOPES = ['temp', 'cache', 'debug-log', 'read-only-cli', 'module-load'] as const;
export type EffectScope = (typeof EFFECT_SCOPES)[number];

/** One call in the package's source that has a side effect. */
export interface CodeEffect {
  kind: EffectKind;
  /**
   * Short detail: the method for files, processes, browsers, payments and messages (`writeFile`,
   * `child_process.exec`, `refunds.create`); the HTTP method and host where literal (`DELETE api.example.com`,
   * `POST`); the SQL statement's verb (`DELETE`), or `dynamic` when the statement is not a literal.
   */
  detail: string;
  /**
   * The file, relative to the package folder (npm; a dependency's file as `node_modules/<dep>/…`) or to
   * `site-packages`, the path inside the wheel (PyPI; a dependency's file as `<distribution>-<version>/…`).
   */
  file: string;
  /** 1-based line in that file. */
  line: number;
  /** The source text of the call, at most 160 characters (longer text cut with "…"). */
  call: string;
  /**
   * Set when the effect is the tool's own housekeeping ({@link EffectScope}); absent when it may change what the
   * caller sees, or when it was read before scopes were recorded (those rows count as unscoped).
   */
  scope?: EffectScope;
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

/**
 * Whether an effect is the tool's own housekeeping: its `scope` is one of {@link EFFECT_SCOPES}. An absent or unknown
 * scope (an old row, a value this version does not know) is not.
 */
export function isHousekeeping(effect: Pick<CodeEffect, 'scope'>): boolean {
  return typeof effect.scope === 'string' && (EFFECT_SCOPES as readonly string[]).includes(effect.scope);
}

/** Whether an effect changes something the caller can see: {@link isWritingEffect} and not {@link isHousekeeping}. */
export function changesState(effect: Pick<CodeEffect, 'kind' | 'detail' | 'scope'>): boolean {
  return isWritingEffect(effect) && !isHousekeeping(effect);
}

/** Opening words of a tool name that say it only reads. */
const READING_NAME = /^(?:get|list|search|read|find|fetch|view|show|describe|lookup|retrieve|count|inspect|browse)$/i;

/**
 * Effects that contradict a claim to only read: files written or deleted, processes, evaluated code, money, messages,
 * SQL that changes data, and HTTP DELETE/PUT/PATCH. An HTTP POST is left out: search and GraphQL APIs read by POST.
 * Housekeeping ({@link isHousekeeping}: its own temporary, cache or debug-log files, a read-only CLI, a module
 * loaded through `Function`) is left out too.
 */
function contradictsReading(effect: CodeEffect): boolean {
  if (isHousekeeping(effect)) return false;
  if (effect.kind === 'http') return /^(?:PUT|PATCH|DELETE)\b/.test(effect.detail);
  return isWritingEffect(effect);
}

/** The first word of a tool name: `get_user`, `getUser`, `list-items`, `search.docs` → get, get, list, search. */
export function firstNameWord(name: string): string {
  return (/^[A-Za-z][a-z0-9]*|^[A-Z]+(?![a-z])/.exec(name.replace(/^[^A-Za-z]+/, ''))?.[0] ?? '').toLowerCase();
}

export interface UndeclaredEffect {
  /** What the tool declares: `readOnlyHint: true`, or `name "get_user"`. */
  claim: string;
  effect: CodeEffect;
}

/**
 * An "undeclared side effect": the tool declares `readOnlyHint: true`, or its name opens with a reading verb
 * (get, list, search, read, …), yet its handler reaches a write, a deletion, a process, evaluated code, a payment or
 * a message that is not its own housekeeping (see {@link contradictsReading}). Returns the claim and the first such
 * effect, or null.
 */
export function undeclaredEffect(tool: { name: string; annotations?: { readOnlyHint?: unknown } }, code: ToolCodeEffects | undefined | null): UndeclaredEffect | null {
  if (!code?.handlerFound) return null;
  const effect = code.effects.find(contradictsReading);
  if (!effect) return null;
  if (tool.annotations?.readOnlyHint === true) return { claim: 'readOnlyHint: true', effect };
  return READING_NAME.test(firstNameWord(typeof tool.name === 'string' ? tool.name : '')) ? { claim: `name "${tool.name}"`, effect } : null;
}
