/**
 * Features of one tool definition, extracted once and shared by every rule.
 * @internal
 */
import type { ServerContext, ToolAnnotations, ToolDefinition } from '../records/index.ts';
import { LEXICON_MAP, lemma } from './lexicon.ts';
import type { LexEntry, VerbClass } from './lexicon.ts';
import { blankTags } from './text.ts';
import { splitName, splitText } from './words.ts';

/** A verb found in the name or opening a text. `at` is the word index (name) or character offset (text). */
export interface VerbHit {
  word: string;
  verbClass: VerbClass;
  at: number;
}

/** One input-schema property, flattened (nested objects and array items up to depth 3). */
export interface PropInfo {
  /** Dotted path below `args`, e.g. `options.path`. */
  path: string;
  /**
   * Whether a policy condition can name it: `args.<path>` splits into exactly its names, so no name on the way is
   * empty or holds a `.` (`policy.schema.json`, condition `path`).
   */
  addressable: boolean;
  /** The property name as written. */
  name: string;
  /** Lower-case name with `_`, `-` and `.` removed: `api_key` → `apikey`. */
  key: string;
  /** JSON Schema `type` (first of a list), `''` when absent. */
  type: string;
  format: string;
  /** The property's `description`, `''` when absent. */
  description: string;
  /** Item type when `type` is `array`, `''` otherwise. */
  itemType: string;
  schema: Record<string, unknown>;
}

export interface Features {
  tool: ToolDefinition;
  server: ServerContext | undefined;
  name: string;
  words: readonly string[];
  /** Verbs of the name after ambiguity resolution (lexicon.ts), in name order. */
  nameVerbs: readonly VerbHit[];
  title: string;
  titleVerb: VerbHit | undefined;
  /** Raw description (verbatim, for quotes). */
  description: string;
  /** Description with HTML tags blanked; same length as `description`. */
  scan: string;
  /** Offsets of the description's first sentence in `scan`. */
  leadStart: number;
  leadEnd: number;
  leadVerb: VerbHit | undefined;
  props: readonly PropInfo[];
  annotations: ToolAnnotations | undefined;
  /** Server name and description joined with " — ", `''` without a server. */
  serverText: string;
}

const LEAD_IN = new RegExp(
  '^(?:(?:this|the) (?:tool|function|endpoint|command) (?:will |can |lets you |allows you to |helps (?:you )?(?:to )?)?' +
    '|(?:a )?tool (?:to|that|for) |(?:use|call) this(?: tool)? (?:to|when you (?:want|need) to) ' +
    '|allows? (?:you|the user|users|agents?|the (?:agent|model|assistant|llm)) to |lets? (?:you|the user|agents?) ' +
    '|(?:can be )?used to |helps? (?:you )?(?:to )?|(?:please )?)',
  'i',
);
const ADVERB = /^[A-Za-z]+ly$/;
const WORD = /[A-Za-z][A-Za-z0-9-]*/g;

function firstSentenceEnd(text: string, from: number): number {
  const m = /[.!?](?=\s|$)|\n/g;
  m.lastIndex = from;
  const hit = m.exec(text);
  return hit ? hit.index : text.length;
}

/** The first lexicon verb of `text[start, end)`, after a lead-in ("This tool…") and one adverb. */
function leadVerbOf(text: string, start: number, end: number): VerbHit | undefined {
  const sentence = text.slice(start, end);
  const lead = LEAD_IN.exec(sentence.trimStart());
  const offset = start + (sentence.length - sentence.trimStart().length) + (lead ? lead[0].length : 0);
  WORD.lastIndex = 0;
  const rest = text.slice(offset, end);
  let m = WORD.exec(rest);
  if (m && ADVERB.test(m[0]) && !LEXICON_MAP.has(m[0].toLowerCase())) m = WORD.exec(rest);
  if (!m) return undefined;
  const found = lemma(m[0]);
  // "Blocks until the task ends" waits; it blocks nothing.
  if (found?.word === 'block' && /^\s+until\b/i.test(rest.slice(m.index + m[0].length))) return { word: m[0], verbClass: 'read', at: offset + m.index };
  if (found && ASPECT_VERBS.has(found.word)) {
    // "Start a streaming search": the activity started is what the tool does, when it is a retrieval.
    // Up to three words after it, skipping articles and -ing adjectives ("a streaming").
    let looked = 0;
    for (let w = WORD.exec(rest); w && looked < 3; w = WORD.exec(rest)) {
      if (/^(?:a|an|the)$/i.test(w[0]) || /ing$/i.test(w[0])) continue;
      const target = lemma(w[0]);
      if (target && target.entry.verbClass === 'read' && !target.entry.ambiguous) return { word: w[0], verbClass: 'read', at: offset + w.index };
      looked += 1;
    }
  }
  return found ? { word: m[0], verbClass: found.entry.verbClass, at: offset + m.index } : undefined;
}

/** Verbs that only say when an activity begins: `start_search` searches, `begin_build` builds. */
const ASPECT_VERBS: ReadonlySet<string> = new Set(['start', 'begin']);

/** The verb a title opens with: its first word, or the retrieval it starts ("Start Search"). */
function titleVerbOf(words: readonly string[]): VerbHit | undefined {
  const first = words[0] === undefined ? undefined : lemma(words[0]);
  // Titles are often noun phrases ("Workflow Runs"), so an ambiguous first word is not taken as a verb.
  if (!first || first.entry.ambiguous) return undefined;
  const second = ASPECT_VERBS.has(first.word) && words[1] !== undefined ? lemma(words[1]) : undefined;
  if (second && second.entry.verbClass === 'read' && !second.entry.ambiguous) return { word: words[1] ?? '', verbClass: 'read', at: 1 };
  return { word: words[0] ?? '', verbClass: first.entry.verbClass, at: 0 };
}

/**
 * Verbs of the name, read as a verb phrase:
 * - a lexicon word directly after a retrieval verb is that verb's object, a noun: `get_commit_detail`,
 *   `list_merge_requests`, `verify_login` read;
 * - `start` or `begin` directly before another lexicon verb yields to it: `start_search` searches;
 * - after a retrieval verb, the rest of the name is its object until a conjunction (`and`, `or`, `then`):
 *   `fetch_test_case_runs_by_suite_run` and `retrieve_a_block` read, `get_or_create_user` also creates; `replace`
 *   stays a verb (`find_replace`), and so does every word when the description opens with a modifying verb;
 * - an ambiguous word counts only when it is the first word, or when neither the name nor the description's opening
 *   verb (`lead`) offers an unambiguous verb of another class: `git_log` described as "View commit history" reads.
 * `query` is left to the rule `name.verb.query` (it may be raw SQL).
 */
/** Words that start a second verb phrase in a name: `get_or_create_user`, `fetch_and_index`. */
const CONJUNCTIONS: ReadonlySet<string> = new Set(['and', 'or', 'then', 'plus']);
/** Verbs that stay verbs after a retrieval verb, as compound operations: `find_replace`, `search_replace`. */
const OBJECT_PHRASE_EXCEPTIONS: ReadonlySet<string> = new Set(['replace']);

function verbsOfName(words: readonly string[], lead: LexEntry | undefined): VerbHit[] {
  // Whether the words so far are the object of a retrieval verb (`get_…`): a description opening with a modifying
  // verb keeps every word a candidate.
  const leadModifies = lead !== undefined && !lead.ambiguous && lead.verbClass !== 'read';
  let inObject = false;
  const entries = words.map((w, i): LexEntry | undefined => {
    const e = w === 'query' ? undefined : LEXICON_MAP.get(w);
    if (CONJUNCTIONS.has(words[i - 1] ?? '')) inObject = false;
    if (inObject && e && !OBJECT_PHRASE_EXCEPTIONS.has(w)) return undefined;
    if (e && e.verbClass === 'read' && !e.ambiguous && !leadModifies) inObject = true;
    const before = i > 0 ? LEXICON_MAP.get(words[i - 1] ?? '') : undefined;
    if (e && before?.verbClass === 'read' && !before.ambiguous) return undefined;
    const next = LEXICON_MAP.get(words[i + 1] ?? '');
    if (ASPECT_VERBS.has(w) && next && !next.ambiguous) return undefined;
    return e;
  });
  const hasPlain = entries.some((e) => e !== undefined && !e.ambiguous);
  const out: VerbHit[] = [];
  entries.forEach((e, i) => {
    if (!e) return;
    const leadOverrules = lead !== undefined && !lead.ambiguous && lead.verbClass !== e.verbClass;
    // An ambiguous first word is a verb unless the description opens with a plain verb of another class
    // (`place_details` "Retrieve details of a place"); later ambiguous words need more (see above).
    // After a conjunction a second phrase starts (`fetch_and_index`): its first word is a verb whatever the
    // description opens with, since that describes the first phrase.
    const first = (i === 0 && !leadOverrules) || CONJUNCTIONS.has(words[i - 1] ?? '');
    if (!e.ambiguous || first || (!hasPlain && !leadOverrules)) out.push({ word: words[i] ?? '', verbClass: e.verbClass, at: i });
  });
  return out;
}

/** Words of a package name that say nothing about it: `@scope/remember-mcp` → remember. */
const GENERIC_SERVER_WORDS = new Set(['mcp', 'server', 'servers', 'model', 'context', 'protocol', 'tool', 'tools', 'ai']);

/**
 * The verbs of a tool's name, leaving out a first word that is the server's own name (`remember_admin_inspect_memory`
 * on `remember-mcp`, `datacore_capture` on `@datacore-one/mcp`): a prefix that names the server is not what the tool
 * does. Kept when nothing verb-like would remain (`search_web` on `search-mcp` still searches).
 */
function nameVerbsAfterServer(words: readonly string[], server: ServerContext | undefined, lead: LexEntry | undefined): VerbHit[] {
  const serverName = str(server?.name).replace(/^@[^/]*\//, '');
  const own = new Set(splitName(serverName).filter((w) => !GENERIC_SERVER_WORDS.has(w)));
  const first = words[0] ?? '';
  if (words.length > 1 && own.has(first) && LEXICON_MAP.has(first) && words.slice(1).some((w) => LEXICON_MAP.has(w))) {
    return verbsOfName(words.slice(1), lead).map((v) => ({ ...v, at: v.at + 1 }));
  }
  return verbsOfName(words, lead);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function typeOf(schema: Record<string, unknown>): string {
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return str(t.find((x) => x !== 'null'));
  return '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function collectProps(schema: unknown, prefix: string, depth: number, out: PropInfo[], addressable = true): void {
  if (!isObject(schema) || depth > 3 || out.length >= 200) return;
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  for (const [name, raw] of Object.entries(props)) {
    if (!isObject(raw)) continue;
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const reachable = addressable && name !== '' && !name.includes('.');
    const type = typeOf(raw);
    const items = isObject(raw['items']) ? raw['items'] : undefined;
    out.push({
      path, addressable: reachable, name, key: name.toLowerCase().replace(/[-_.\s]/g, ''), type, format: str(raw['format']).toLowerCase(),
      description: str(raw['description']), itemType: items ? typeOf(items) : '', schema: raw,
    });
    if (type === 'object' || hasVariants(raw)) collectProps(raw, path, depth + 1, out, reachable);
    if (items) collectProps(items, path, depth + 1, out, reachable);
  }
  // The variants of a union (`anyOf`/`oneOf`, a zod discriminated union) and the parts of an `allOf` hold
  // properties of the same object: `payload.anyOf[0].properties.action` is read as `payload.action`.
  for (const key of VARIANT_KEYS) {
    const variants = schema[key];
    if (Array.isArray(variants)) for (const v of variants.slice(0, 32)) collectProps(v, prefix, depth + 1, out, addressable);
  }
}

const VARIANT_KEYS = ['anyOf', 'oneOf', 'allOf'] as const;

function hasVariants(schema: Record<string, unknown>): boolean {
  return VARIANT_KEYS.some((k) => Array.isArray(schema[k]));
}

/** Extracts the features of `tool`. Never throws on odd definitions (missing or non-string fields). */
export function extractFeatures(tool: ToolDefinition, server?: ServerContext): Features {
  const name = str(tool.name);
  const words = splitName(name);
  const title = str(tool.title) || str(tool.annotations?.title);
  const description = str(tool.description);
  const scan = blankTags(description);
  const leadStart = scan.length - scan.trimStart().length;
  const leadEnd = firstSentenceEnd(scan, leadStart);
  const props: PropInfo[] = [];
  collectProps(tool.inputSchema, '', 0, props);
  const annotations = isObject(tool.annotations) ? tool.annotations : undefined;
  // A description that only repeats the name is no second witness.
  const leadVerb = scan.trim() === name ? undefined : leadVerbOf(scan, leadStart, leadEnd);
  return {
    tool, server, name, words, nameVerbs: nameVerbsAfterServer(words, server, leadVerb && lemma(leadVerb.word)?.entry), title,
    titleVerb: titleVerbOf(splitText(title)),
    description, scan, leadStart, leadEnd,
    leadVerb, props, annotations,
    serverText: server ? [str(server.name), str(server.description)].filter((s) => s !== '').join(' — ') : '',
  };
}
