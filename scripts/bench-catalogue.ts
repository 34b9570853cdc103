/**
 * A synthetic catalogue for `npm run bench:site`: `servers.jsonl` lines in the shape `mcp-catalogue export` writes
 * (site/export.ts `ExportedServer`), drawn from figures measured on a real export — never its text.
 * - {@link deriveFigures} counts a real `servers.jsonl`: outcome/method/failure kinds, tools per server, category ×
 *   risk, rule ids per category, description and schema sizes, code-effect shares. Only counts leave it.
 * - {@link generateCatalogue} draws servers from those figures with a seeded PRNG (mulberry32): the same figures,
 *   seed and count give the same lines, byte for byte. Names and descriptions come from the word lists below.
 * The bundled figures (scripts/bench-catalogue-figures.json) were derived from two crawls of 2026-12-07: the 70
 * servers of the bundled list (1,438 tools, classified by heuristic-6) and 260 servers of a wider npm crawl
 * (7,423 tools, unclassified, so they count for everything but category, risk and rule ids).
 */
import { readFileSync } from 'node:fs';
import { RISKS, seededRandom, type CATEGORIES, type EFFECT_KINDS } from '../records/index.ts';

/** A histogram: `[value, how many]` pairs, values ascending (or in first-seen order for names). */
export type Histogram<T extends string | number = number> = Array<[T, number]>;

/** What {@link deriveFigures} measures on a `servers.jsonl`. All counts; no text of the source. */
export interface CatalogueFigures {
  /** Where the figures come from (a description, not a path to read). */
  source: string;
  servers: number;
  tools: number;
  /** Server kinds `outcome|method|failureReason|withTools` (`none` when never attempted), by count. */
  kinds: Histogram<string>;
  /** Tools per server, over servers with at least one tool. */
  toolsPerServer: Histogram;
  /** `category|risk` of classified tools. */
  classes: Histogram<string>;
  /** `category|ruleId`: how often each rule fired on a tool of the category. */
  ruleIds: Histogram<string>;
  /** Classified tools per category, the denominator of {@link ruleIds}. */
  categoryTools: Histogram<string>;
  /** Words in a tool's description (0 for none). */
  descriptionWords: Histogram;
  /** Words in a server's description (0 for none). */
  serverDescriptionWords: Histogram;
  /** Top-level `inputSchema.properties` per tool. */
  schemaProperties: Histogram;
  /** Of the properties, how many carry a description, and how many are required (shares, 0–1). */
  propertyDescribedShare: number;
  propertyRequiredShare: number;
  /** Property `type`s, by count. */
  propertyTypes: Histogram<string>;
  /** Tools with code effects read, and of those the effects per tool and their kinds. */
  codeEffectsShare: number;
  effectsPerTool: Histogram;
  effectKinds: Histogram<string>;
  /** Servers that listed prompts / resources (shares). */
  promptsShare: number;
  resourcesShare: number;
}

interface LooseLine {
  description?: string | null;
  introspection?: { outcome: string; method: string; failureReason: string | null; prompts?: unknown[] | null; resources?: unknown[] | null } | null;
  tools?: Array<{
    definition?: { description?: unknown; inputSchema?: { properties?: unknown; required?: unknown } };
    classification?: { category: string; risk: string; ruleIds?: string[] } | null;
    codeEffects?: { effects?: Array<{ kind?: string }> } | null;
  }>;
}

function bump<T extends string | number>(counts: Map<T, number>, key: T, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function histogram<T extends string | number>(counts: Map<T, number>): Histogram<T> {
  const entries = [...counts.entries()];
  return entries.sort(([a], [b]) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
}

function words(text: unknown): number {
  return typeof text === 'string' ? text.split(/\s+/).filter(Boolean).length : 0;
}

/**
 * Counts the figures of one or more `servers.jsonl` texts (the export's lines; a line that is not JSON is skipped).
 * Category, risk and rule ids count classified tools only; the rest count every tool.
 */
export function deriveFigures(texts: readonly string[], source: string): CatalogueFigures {
  const kinds = new Map<string, number>();
  const toolsPerServer = new Map<number, number>();
  const classes = new Map<string, number>();
  const ruleIds = new Map<string, number>();
  const categoryTools = new Map<string, number>();
  const descriptionWords = new Map<number, number>();
  const serverDescriptionWords = new Map<number, number>();
  const schemaProperties = new Map<number, number>();
  const propertyTypes = new Map<string, number>();
  const effectsPerTool = new Map<number, number>();
  const effectKinds = new Map<string, number>();
  let servers = 0, tools = 0, properties = 0, described = 0, required = 0, withEffects = 0, prompts = 0, resources = 0;
  for (const text of texts) {
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      let line: LooseLine;
      try {
        line = JSON.parse(raw) as LooseLine;
      } catch {
        continue;
      }
      servers++;
      const list = line.tools ?? [];
      const i = line.introspection;
      bump(kinds, i ? `${i.outcome}|${i.method}|${i.failureReason ?? ''}|${list.length > 0}` : 'none');
      if (i?.prompts) prompts++;
      if (i?.resources) resources++;
      if (list.length > 0) bump(toolsPerServer, list.length);
      bump(serverDescriptionWords, words(line.description));
      for (const t of list) {
        tools++;
        bump(descriptionWords, words(t.definition?.description));
        const props = t.definition?.inputSchema?.properties;
        const names = props && typeof props === 'object' ? Object.keys(props) : [];
        bump(schemaProperties, names.length);
        properties += names.length;
        const req = t.definition?.inputSchema?.required;
        if (Array.isArray(req)) required += req.filter((r) => names.includes(r as string)).length;
        for (const name of names) {
          const p = (props as Record<string, { type?: unknown; description?: unknown }>)[name];
          if (typeof p?.description === 'string') described++;
          bump(propertyTypes, typeof p?.type === 'string' ? p.type : 'other');
        }
        const c = t.classification;
        if (c) {
          bump(classes, `${c.category}|${c.risk}`);
          bump(categoryTools, c.category);
          for (const id of c.ruleIds ?? []) bump(ruleIds, `${c.category}|${id}`);
        }
        if (t.codeEffects) {
          withEffects++;
          const effects = t.codeEffects.effects ?? [];
          bump(effectsPerTool, effects.length);
          for (const e of effects) if (typeof e.kind === 'string') bump(effectKinds, e.kind);
        }
      }
    }
  }
  const share = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 1000) / 1000);
  return {
    source, servers, tools,
    kinds: histogram(kinds), toolsPerServer: histogram(toolsPerServer), classes: histogram(classes), ruleIds: histogram(ruleIds), categoryTools: histogram(categoryTools),
    descriptionWords: histogram(descriptionWords), serverDescriptionWords: histogram(serverDescriptionWords), schemaProperties: histogram(schemaProperties),
    propertyDescribedShare: share(described, properties), propertyRequiredShare: share(required, properties), propertyTypes: histogram(propertyTypes),
    codeEffectsShare: share(withEffects, tools), effectsPerTool: histogram(effectsPerTool), effectKinds: histogram(effectKinds),
    promptsShare: share(prompts, servers), resourcesShare: share(resources, servers),
  };
}

/** The bundled figures (see the module comment). */
export function bundledFigures(): CatalogueFigures {
  return JSON.parse(readFileSync(new URL('./bench-catalogue-figures.json', import.meta.url), 'utf8')) as CatalogueFigures;
}

/** mulberry32 (records/prng.ts), uniform in [0, 1). */
export const prng = seededRandom;

function draw<T extends string | number>(random: () => number, h: Histogram<T>): T {
  const total = h.reduce((n, [, c]) => n + c, 0);
  let x = random() * total;
  for (const [value, count] of h) {
    x -= count;
    if (x < 0) return value;
  }
  return h[h.length - 1]![0];
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

// Synthetic vocabulary: verbs by category, nouns, and filler for descriptions.
const VERBS: Record<(typeof CATEGORIES)[number], readonly string[]> = {
  Read: ['get', 'list', 'search', 'read', 'fetch', 'find', 'query', 'describe', 'show', 'inspect'],
  Write: ['create', 'update', 'add', 'set', 'send', 'upload', 'rename', 'move', 'post', 'save'],
  Execute: ['run', 'execute', 'start', 'launch', 'invoke', 'evaluate', 'build', 'deploy'],
  Destructive: ['delete', 'remove', 'drop', 'purge', 'destroy', 'reset', 'revoke', 'wipe'],
  Financial: ['pay', 'charge', 'refund', 'transfer', 'invoice', 'purchase', 'withdraw'],
};
const NOUNS = ['file', 'directory', 'issue', 'page', 'record', 'table', 'document', 'message', 'channel', 'user', 'project', 'task', 'note', 'image', 'repository',
  'branch', 'commit', 'ticket', 'order', 'payment', 'customer', 'event', 'calendar', 'contact', 'dataset', 'query', 'index', 'vector', 'memory', 'session',
  'browser', 'tab', 'element', 'screenshot', 'container', 'job', 'workflow', 'deployment', 'secret', 'bucket', 'object', 'invoice', 'product', 'report'];
const FILLER = ['the', 'a', 'of', 'in', 'for', 'with', 'from', 'to', 'by', 'and', 'or', 'returns', 'optional', 'given', 'specified', 'current', 'matching',
  'list', 'results', 'when', 'provided', 'default', 'each', 'all', 'new', 'existing', 'its', 'identifier', 'name', 'path', 'limit', 'filter', 'format', 'JSON',
  'text', 'content', 'value', 'field', 'status', 'workspace', 'account', 'response', 'request', 'data', 'items', 'maximum', 'number', 'string', 'URL'];
const PREFIXES = ['acme', 'nimbus', 'orbit', 'quartz', 'delta', 'lumen', 'atlas', 'vertex', 'cobalt', 'harbor', 'pixel', 'sable', 'tundra', 'zephyr'];
/** A call and its detail (records/code-effects.ts `CodeEffect`) per effect kind. */
const EFFECT_CALLS: Record<(typeof EFFECT_KINDS)[number], [string, string]> = {
  'fs.write': ['fs.writeFile(target, body)', 'writeFile'], 'fs.delete': ['fs.rm(target)', 'rm'], 'fs.read': ['fs.readFile(target)', 'readFile'],
  spawn: ['child_process.spawn(cmd, args)', 'child_process.spawn'], eval: ['vm.runInContext(code)', 'vm.runInContext'], http: ['fetch(url, init)', 'POST'],
  sql: ['db.query(statement)', 'dynamic'], browser: ['page.click(selector)', 'click'], payment: ['client.charges.create(params)', 'charges.create'],
  message: ['client.chat.postMessage(body)', 'chat.postMessage'],
};

function sentence(random: () => number, count: number, lead: string): string {
  const out: string[] = lead ? lead.split(' ') : [];
  while (out.length < count) out.push(random() < 0.25 ? pick(random, NOUNS) : pick(random, FILLER));
  const text = out.slice(0, Math.max(count, 1)).join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

/**
 * Synthetic `servers.jsonl` lines (no trailing newline each), `count` servers drawn from `figures` with `seed`.
 * Identifiers are unique (`@bench/<prefix>-<noun>-<n>`); tool names are unique within a server.
 */
export function* generateCatalogue(figures: CatalogueFigures, count: number, seed: number): Generator<string> {
  const random = prng(seed);
  const startedAt = '2026-12-07T00:00:00.000Z';
  // Category shares from the classified tools; risk and rule ids conditional on the category.
  const categories: Histogram<string> = figures.categoryTools.length > 0 ? figures.categoryTools : [['Read', 1]];
  const risksOf = new Map<string, Histogram<string>>();
  for (const [key, n] of figures.classes) {
    const [category, risk] = key.split('|') as [string, string];
    if (!risksOf.has(category)) risksOf.set(category, []);
    risksOf.get(category)!.push([risk, n]);
  }
  const rulesOf = new Map<string, Array<[string, number]>>();
  const categoryCount = new Map(categories);
  for (const [key, n] of figures.ruleIds) {
    const [category, id] = key.split('|') as [string, string];
    if (!rulesOf.has(category)) rulesOf.set(category, []);
    rulesOf.get(category)!.push([id, n / (categoryCount.get(category) ?? 1)]);
  }
  for (let n = 1; n <= count; n++) {
    const kind = draw(random, figures.kinds);
    const noun = pick(random, NOUNS);
    const identifier = `@bench/${pick(random, PREFIXES)}-${noun}-${n}`;
    const serverWords = draw(random, figures.serverDescriptionWords);
    const line: Record<string, unknown> = {
      registry: 'npm', identifier, slug: identifier.slice(1).replace('/', '-'), displayName: identifier,
      description: serverWords === 0 ? null : sentence(random, serverWords, `MCP server for ${noun}`),
      repositoryUrl: random() < 0.8 ? `https://example.com/bench/${n}` : null,
      version: kind === 'none' ? null : `1.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`,
    };
    let toolCount = 0;
    if (kind === 'none') line.introspection = null;
    else {
      const [outcome, method, failureReason, withTools] = kind.split('|') as [string, string, string, string];
      toolCount = withTools === 'true' ? draw(random, figures.toolsPerServer) : 0;
      line.introspection = {
        outcome, failureReason: failureReason || null, failureMessage: failureReason ? `synthetic ${failureReason}` : null, method, startedAt, toolCount,
        prompts: random() < figures.promptsShare ? [{ name: `${noun}-prompt`, description: 'A synthetic prompt.' }] : null,
        resources: random() < figures.resourcesShare ? [{ uri: `bench://${noun}/${n}`, name: `${noun} resource` }] : null,
        resourceTemplates: null, listFailures: [],
      };
    }
    line.policy = null;
    line.policyFiles = {};
    line.policyError = null;
    const tools: unknown[] = [];
    const names = new Set<string>();
    for (let t = 0; t < toolCount; t++) {
      const category = draw(random, categories) as (typeof CATEGORIES)[number];
      const risk = draw(random, risksOf.get(category) ?? [[RISKS[1], 1]]);
      const verb = pick(random, VERBS[category] ?? VERBS.Read);
      let name = `${verb}_${pick(random, NOUNS)}`;
      if (names.has(name)) name = `${name}_${t}`;
      names.add(name);
      const propertyCount = draw(random, figures.schemaProperties);
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (let p = 0; p < propertyCount; p++) {
        const prop = p === 0 ? 'id' : `${pick(random, NOUNS)}_${p}`;
        const type = draw(random, figures.propertyTypes);
        properties[prop] = {
          type: type === 'other' ? 'string' : type,
          ...(random() < figures.propertyDescribedShare ? { description: sentence(random, 4 + Math.floor(random() * 10), '') } : {}),
        };
        if (random() < figures.propertyRequiredShare) required.push(prop);
      }
      const descriptionWords = draw(random, figures.descriptionWords);
      const definition: Record<string, unknown> = {
        name,
        ...(descriptionWords > 0 ? { description: sentence(random, descriptionWords, `${verb} a ${noun}`) } : {}),
        inputSchema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
      };
      const fired = (rulesOf.get(category) ?? []).filter(([, share]) => random() < share).map(([id]) => id);
      const effectCount = random() < figures.codeEffectsShare ? draw(random, figures.effectsPerTool) : -1;
      tools.push({
        name,
        // The store computes the hash again on import; the export's value is not read back.
        hash: `sha256:${'0'.repeat(64)}`,
        definition,
        classification: {
          category, risk, confidence: Math.round((0.5 + random() * 0.5) * 100) / 100,
          rationale: `${name} is a ${category} tool by its name and description (synthetic). A ${category} tool starts at ${risk} risk.`,
          evidence: [{ quote: name, ruleId: fired[0] ?? 'name.verb', source: 'name' }],
          signals: [], ruleIds: fired, method: 'heuristic', classifierVersion: 'heuristic-6',
        },
        codeEffects: effectCount < 0 ? null : {
          handlerFound: true, handler: { file: 'dist/index.js', line: 10 + t },
          effects: Array.from({ length: effectCount }, (_, e) => {
            const kind = draw(random, figures.effectKinds) as (typeof EFFECT_KINDS)[number];
            const [call, detail] = EFFECT_CALLS[kind] ?? ['call()', 'call'];
            return { kind, detail, file: 'dist/index.js', line: 100 + e, call };
          }),
        },
      });
    }
    tools.sort((a, b) => ((a as { name: string }).name < (b as { name: string }).name ? -1 : 1));
    line.tools = tools;
    yield JSON.stringify(line);
  }
}
