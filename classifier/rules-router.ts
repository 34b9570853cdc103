/**
 * Rules for router tools: one tool that dispatches to many sub-commands of a service, with a `command` naming the
 * sub-command and a `parameters` object carrying its arguments (`@azure/mcp` publishes one per Azure service).
 * Such a tool has no verb in its name and no operation in its schema; what it can do is in the prose. The rubric
 * (eval/LABELLING.md, "Routers") labels it by the most dangerous operation its description names:
 * - only the description before the routing boilerplate ("This tool is a hierarchical MCP command router…") is
 *   read: the boilerplate's own verbs ("invoke", "set") describe the mechanism, not the service;
 * - when a sentence spells out what the router includes ("Includes operations for listing …") and names at least
 *   one operation, that sentence alone counts: "Commands for managing X" before it is a heading;
 * - otherwise the operations are those of the first sentence and of a sentence saying what the tools are for
 *   ("Use these tools to …"); later sentences are usage advice ("Call this tool before creating any plans");
 * - gerunds count through the lexicon (listing → list, executing → execute; an ambiguous one only when it reads),
 *   so do the unambiguous base-form verbs; "managing", "administering" and "CRUD" are added here (Write, Write,
 *   Destructive);
 * - generating text artefacts (code, commands, designs, templates, recommendations) reads: nothing runs.
 * A router whose prose names no operation gets no vote from these rules.
 * @internal
 */
import type { Features } from './features.ts';
import { LEXICON_MAP, VERB_CATEGORY } from './lexicon.ts';
import type { VerbClass } from './lexicon.ts';
import type { Rule, RuleMatch } from './rule-types.ts';
import { sentenceAt } from './text.ts';

/** The routing mechanism's own sentences; the service's operations come before them. */
const ROUTER_BOILERPLATE = /this tool is an? [\w -]{0,40}?router\b|sub[- ]?commands? are routed|to invoke a (?:sub[- ]?)?command\b/i;
const INCLUDES = /\bInclud(?:es|ing)\b[^.]{0,40}\boperations?\b[^.]*/i;
const TOKEN = /[A-Za-z]+/g;
/** Operation words of router prose that the verb lexicon does not hold. */
const ROUTER_WORDS: ReadonlyMap<string, VerbClass> = new Map([
  ['manage', 'write'], ['administer', 'write'], ['crud', 'delete'],
]);
/** Things that generating produces as text, for the reader to use: generating them changes nothing. */
export const TEXT_ARTEFACT = /^(?:commands?|code|snippets?|scripts?|quer(?:y|ies)|plans?|templates?|designs?|diagrams?|recommendations?|suggestions?|documentation|docs|examples?|instructions|summar(?:y|ies)|descriptions?|text|regex(?:es)?|boilerplate)$/i;
const DANGER: readonly VerbClass[] = ['read', 'write', 'execute', 'delete'];

/** Base forms a gerund may come from: listing → list, creating → create, getting → get. */
function gerundStems(word: string): string[] {
  const stem = word.slice(0, -3);
  const out = [stem, `${stem}e`];
  if (stem.length > 2 && stem[stem.length - 1] === stem[stem.length - 2]) out.push(stem.slice(0, -1));
  return out;
}

function classOf(word: string): VerbClass | undefined {
  const w = word.toLowerCase();
  const extra = ROUTER_WORDS.get(w);
  if (extra) return extra;
  if (w.length > 5 && w.endsWith('ing')) {
    for (const stem of gerundStems(w)) {
      const extraStem = ROUTER_WORDS.get(stem);
      if (extraStem) return extraStem;
      const e = LEXICON_MAP.get(stem);
      // "guidance for building apps" names no operation; an ambiguous gerund counts only as a read.
      if (e && (!e.ambiguous || e.verbClass === 'read')) return e.verbClass;
    }
    return undefined;
  }
  const e = LEXICON_MAP.get(w);
  return e && !e.ambiguous ? e.verbClass : undefined;
}

interface Operation { word: string; verbClass: VerbClass; at: number }

/** The most dangerous operation named in `scan[from, to)`, or undefined. */
function strongest(scan: string, from: number, to: number): Operation | undefined {
  const words: Array<{ w: string; at: number }> = [];
  TOKEN.lastIndex = 0;
  const text = scan.slice(from, to);
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) words.push({ w: m[0], at: from + m.index });
  let best: Operation | undefined;
  words.forEach(({ w, at }, i) => {
    let verbClass = classOf(w);
    if (verbClass === undefined) return;
    if (/^generat/i.test(w) && words.slice(i + 1, i + 5).some((x) => TEXT_ARTEFACT.test(x.w))) verbClass = 'read';
    if (!best || DANGER.indexOf(verbClass) > DANGER.indexOf(best.verbClass)) best = { word: w, verbClass, at };
  });
  return best;
}

const SENTENCE_END = /[.!?](?=\s)/g;
const PURPOSE = /^\s*(?:use|call) (?:these|this|the) (?:tools?|commands?) (?:to|for)\b/i;

/** Offsets of the first sentence of `scan[0, end)` and of each sentence saying what the tools are for. */
function purposeSentences(scan: string, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (;;) {
    const m = SENTENCE_END.exec(scan);
    const stop = m && m.index < end ? m.index : end;
    if (out.length === 0 || PURPOSE.test(scan.slice(start, stop))) out.push([start, stop]);
    if (stop === end) return out;
    start = stop + 1;
  }
}

/** True when the tool dispatches sub-commands: `command` + an object of `parameters`, or routing boilerplate. */
function isRouter(f: Features): boolean {
  if (ROUTER_BOILERPLATE.test(f.scan)) return true;
  const command = f.props.find((p) => p.key === 'command' && p.path === 'command');
  return command !== undefined && !Array.isArray(command.schema.enum) &&
    f.props.some((p) => (p.key === 'parameters' || p.key === 'params') && p.type === 'object' && !p.path.includes('.'));
}

/** The router's most dangerous named operation, memoised per features object (four rules ask). */
const cache = new WeakMap<Features, Operation | null>();
function routerOperation(f: Features): Operation | null {
  const known = cache.get(f);
  if (known !== undefined) return known;
  let op: Operation | null = null;
  if (f.scan !== '' && isRouter(f)) {
    const boiler = ROUTER_BOILERPLATE.exec(f.scan);
    const end = boiler ? boiler.index : f.scan.length;
    const inc = INCLUDES.exec(f.scan.slice(0, end));
    op = (inc ? strongest(f.scan, inc.index, inc.index + inc[0].length) : undefined) ?? null;
    for (const [from, to] of inc && op ? [] : purposeSentences(f.scan, end)) {
      const found = strongest(f.scan, from, to);
      if (found && (!op || DANGER.indexOf(found.verbClass) > DANGER.indexOf(op.verbClass))) op = found;
    }
  }
  cache.set(f, op);
  return op;
}

const SUPERSEDES = ['desc.lead.read', 'desc.lead.write', 'desc.lead.delete', 'desc.lead.execute',
  'title.lead.read', 'title.lead.write', 'title.lead.delete', 'title.lead.execute'];
const BOILER = 'This tool is a command router: a sub-command goes in "command", its arguments in "parameters".';
const R = (description: string) => ({
  name: 'service', description: `${description} ${BOILER}`,
  inputSchema: { type: 'object', properties: { command: { type: 'string' }, parameters: { type: 'object' }, learn: { type: 'boolean' } } },
});

function routerRule(verbClass: VerbClass, examples: Rule['examples']): Rule {
  return {
    id: `desc.router.${verbClass}`, category: VERB_CATEGORY[verbClass], weight: 3, supersedes: SUPERSEDES,
    message: `it routes to sub-commands, and the most dangerous operation its description names is "{match}"`,
    test(f): RuleMatch | null {
      const op = routerOperation(f);
      if (!op || op.verbClass !== verbClass) return null;
      return { source: 'description', quote: sentenceAt(f.description, op.at, op.word.length), match: op.word };
    },
    examples,
  };
}

export const ROUTER_RULES: readonly Rule[] = [
  routerRule('read', {
    match: [R('Monitoring - Commands for managing and monitoring alerts. Includes operations for listing alerts and retrieving their state.'),
      R('Architecture helper - Commands for generating architecture designs and recommendations.')],
    noMatch: [R('Cache - Commands for managing caches. Includes operations for listing and creating caches.'),
      { name: 'search', description: 'Lists and searches issues.', inputSchema: { type: 'object', properties: { query: { type: 'string' } } } }],
  }),
  routerRule('write', {
    match: [R('Web apps - Commands for managing hosted web apps and their settings.'),
      R('Desktops - Commands for managing and accessing desktops. Includes operations for host pools and sessions.')],
    noMatch: [R('Quotas - Commands for getting regions or checking quota and usage.'),
      { name: 'create_issue', description: 'Creates an issue.', inputSchema: { type: 'object', properties: { title: { type: 'string' } } } }],
  }),
  routerRule('execute', {
    match: [R('Load tests - Commands for managing tests. Includes operations for creating test resources and executing load tests.')],
    noMatch: [R('Messaging - Commands for managing hubs. Includes operations for listing hubs.')],
  }),
  routerRule('delete', {
    match: [R('Event streams - Commands for managing namespaces. Includes CRUD operations on stream resources.'),
      R('Storage - Commands for listing, creating and deleting containers.')],
    noMatch: [R('Storage - Commands for listing and creating containers.')],
  }),
];
