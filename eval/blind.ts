/**
 * Blind evaluation against servers' own annotations, at the scale of a whole crawl (`npm run eval:blind`, method in
 * eval/BLIND.md). Every tool that declares `readOnlyHint` (or `destructiveHint`) explicitly is classified with its
 * `annotations` removed, and the verdict is compared with the declaration: per tool, and as a mean over servers.
 * Servers are split into `tuning`, `held` and `below600` ({@link assignSplit}). Deterministic; the only work is
 * classification.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CATEGORIES } from '../classifier/index.ts';
import type { Category, Classification, ServerContext, ToolDefinition } from '../classifier/index.ts';
import type { ToolCodeEffects } from '../records/index.ts';
import { calibration } from './calibration.ts';
import { parseJsonlLines } from './data.ts';
import type { BucketResult } from './metrics.ts';
import { underClassified } from './under.ts';
import type { UnderCase } from './under.ts';

export type Classify = (tool: ToolDefinition, server: ServerContext) => Classification;

/** The annotations compared. */
export const HINTS = ['readOnlyHint', 'destructiveHint'] as const;
export type HintName = (typeof HINTS)[number];

/** The splits reported, `all` being their union. */
export const SPLITS = ['tuning', 'held', 'below600', 'all'] as const;
export type SplitName = (typeof SPLITS)[number];

/** Number of top-ranked npm packages split by hash; the rest go to `below600`. */
export const DEFAULT_TOP = 600;

/** One server of a `servers.jsonl` export, with the context the classifier is given for it. */
export interface BlindServer {
  /** `<registry>:<identifier>`, the input of the split hash. */
  identity: string;
  registry: string;
  identifier: string;
  version: string | null;
  context: ServerContext;
  tools: ToolDefinition[];
  /**
   * What each tool's code does, by position in `tools` (undefined: not read). The pipeline classifies with it, so
   * the blind run does too; it is read from the source and claims nothing about the tool.
   */
  codeEffects?: (ToolCodeEffects | undefined)[];
}

interface ExportLine {
  registry: string;
  identifier: string;
  displayName?: string | null;
  version?: string | null;
  description?: string | null;
  introspection?: { outcome?: string; method?: string } | null;
  tools?: Array<{ name: string; definition: ToolDefinition; codeEffects?: ToolCodeEffects | null }>;
}

/**
 * Reads a `servers.jsonl` export. The server context is the one the pipeline classifies with (`db/store.ts`,
 * `toolsNeedingClassification`): the display name, the description, and the method of a successful listing.
 */
export function loadExport(path: string): BlindServer[] {
  const out: BlindServer[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let s: ExportLine;
    try {
      s = JSON.parse(line) as ExportLine;
    } catch (err) {
      throw new Error(`${path}:${i + 1}: not JSON`, { cause: err });
    }
    if (typeof s.registry !== 'string' || typeof s.identifier !== 'string') throw new Error(`${path}:${i + 1}: no registry or identifier`);
    const method = s.introspection?.outcome === 'ok' ? s.introspection.method : undefined;
    out.push({
      identity: `${s.registry}:${s.identifier}`,
      registry: s.registry,
      identifier: s.identifier,
      version: s.version ?? null,
      context: {
        name: s.displayName || s.identifier,
        ...(s.description ? { description: s.description } : {}),
        ...(method ? { introspectionMethod: method } : {}),
      },
      ...listed(s.tools ?? []),
    });
  });
  return out;
}

function listed(tools: NonNullable<ExportLine['tools']>): Pick<BlindServer, 'tools' | 'codeEffects'> {
  const kept = tools.filter((t) => !!t.definition && typeof t.definition.name === 'string');
  return { tools: kept.map((t) => t.definition), codeEffects: kept.map((t) => t.codeEffects ?? undefined) };
}

/**
 * The definition the classifier sees: `annotations` removed. A title given only as `annotations.title` is kept as
 * the top-level `title`, since a title is a description and not a hint.
 */
export function withoutAnnotations(tool: ToolDefinition): ToolDefinition {
  const { annotations, ...rest } = tool;
  const title = annotations?.title;
  if (typeof rest.title !== 'string' && typeof title === 'string' && title) return { ...rest, title };
  return rest;
}

/** `tuning` when the first byte of sha256(identity) is even, `held` when odd. Identity: `<registry>:<identifier>`. */
export function hashHalf(identity: string): 'tuning' | 'held' {
  const first = createHash('sha256').update(identity, 'utf8').digest()[0] as number;
  return first % 2 === 0 ? 'tuning' : 'held';
}

/** Reads a ranking file: one npm name per line, most downloaded first; `#` lines and blank lines skipped. Name → 0-based rank. */
export function loadRanking(path: string): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const name = line.split(/\s+/)[0] as string;
    if (!ranks.has(name)) ranks.set(name, ranks.size);
  }
  return ranks;
}

/**
 * The split of a server. An npm package whose 0-based rank is `top` or more (outside the first `top` names of the
 * ranking) is `below600`; every other server (ranked in the top, or not ranked at all: PyPI, remotes, npm packages
 * missing from the list) goes by {@link hashHalf}.
 */
export function assignSplit(server: Pick<BlindServer, 'identity' | 'registry' | 'identifier'>, ranking: ReadonlyMap<string, number>, top = DEFAULT_TOP): 'tuning' | 'held' | 'below600' {
  if (server.registry === 'npm') {
    const rank = ranking.get(server.identifier);
    if (rank !== undefined && rank >= top) return 'below600';
  }
  return hashHalf(server.identity);
}

/** One line of `eval/wrong-hints.jsonl`: a declared hint a reviewer found plainly wrong, and why. */
export const wrongHintSchema = z.object({
  /** `<registry>:<identifier>`, or with `@<version>` to pin one version. */
  server: z.string().min(1),
  tool: z.string().min(1),
  hint: z.enum(HINTS),
  declared: z.boolean(),
  reason: z.string().min(1),
});
export type WrongHint = z.infer<typeof wrongHintSchema>;

/** Reads and validates a wrong-hints file; an absent file is an empty list. Throws on the first bad line. */
export function loadWrongHints(path: string, required = false): WrongHint[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: WrongHint[] = [];
  parseJsonlLines(path, text, wrongHintSchema, (hint) => out.push(hint));
  return out;
}

/** The classifier's verdict as the report keeps it. */
export interface Verdict {
  category: Category;
  risk: string;
  confidence: number;
  ruleIds: string[];
  firstEvidence: string | null;
}

/** One tool compared with one of its declared hints. */
export interface HintCase {
  server: string;
  version: string | null;
  split: 'tuning' | 'held' | 'below600';
  tool: string;
  hint: HintName;
  declared: boolean;
  verdict: Verdict;
  agree: boolean;
  /** First 100 characters of the description, whitespace collapsed. */
  description: string;
  /** The reviewed entry of `eval/wrong-hints.jsonl` that calls this declaration wrong. */
  wrong: WrongHint | null;
}

/** A tool declared destructive (`destructiveHint` true, `readOnlyHint` not true), for under-classification. */
export type UnderRef = HintCase;

/** Agreement over a set of cases: per tool, and as the mean of each server's own agreement. */
export interface AgreementFigure {
  tools: number;
  agree: number;
  /** agree / tools; 0 for none. */
  rate: number;
  servers: number;
  /** Mean over servers of each server's agreement; 0 for none. */
  perServerMean: number;
  trueHints: { total: number; agree: number };
  falseHints: { total: number; agree: number };
}

export interface HintSplitResult {
  asDeclared: AgreementFigure;
  /** The same, leaving out the declarations listed in the wrong-hints file. */
  excludingWrong: AgreementFigure;
  /** declared (true/false) × category. */
  confusion: { true: Record<Category, number>; false: Record<Category, number> };
  disagreements: HintCase[];
  /** Cases found in the wrong-hints file (they still count in `asDeclared`). */
  reviewedWrong: HintCase[];
  /** Ten equal-width confidence buckets, agreement as the correctness. */
  calibration: { n: number; ece: number; buckets: BucketResult[] };
}

export interface SplitResult {
  split: SplitName;
  /** Servers of the export in this split, and those with at least one tool in a population. */
  servers: number;
  serversWithHints: number;
  tools: number;
  hints: Record<HintName, HintSplitResult>;
  /** Destructive-declared tools that come out Read, as declared. */
  under: UnderCase<UnderRef>[];
}

export interface BlindResult {
  input: { servers: number; tools: number; top: number; rankedServers: number };
  splits: Record<SplitName, SplitResult>;
  /** Entries of the wrong-hints file that match no declaration in the export. */
  unmatchedWrongHints: WrongHint[];
}

const oneLine = (s: unknown, n: number): string => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim().slice(0, n) : '');

/** Agreement figures over `cases` (per tool, per server, by declared value). */
export function agreementFigure(cases: readonly HintCase[]): AgreementFigure {
  const byServer = new Map<string, { n: number; agree: number }>();
  for (const c of cases) {
    const s = byServer.get(c.server) ?? { n: 0, agree: 0 };
    s.n += 1;
    if (c.agree) s.agree += 1;
    byServer.set(c.server, s);
  }
  const agree = cases.filter((c) => c.agree).length;
  const count = (v: boolean) => {
    const withV = cases.filter((c) => c.declared === v);
    return { total: withV.length, agree: withV.filter((c) => c.agree).length };
  };
  const rates = [...byServer.values()].map((s) => s.agree / s.n);
  return {
    tools: cases.length,
    agree,
    rate: cases.length === 0 ? 0 : agree / cases.length,
    servers: byServer.size,
    perServerMean: rates.length === 0 ? 0 : rates.reduce((a, b) => a + b, 0) / rates.length,
    trueHints: count(true),
    falseHints: count(false),
  };
}

/** Whether a category agrees with a declared hint: readOnlyHint true ↔ Read, destructiveHint true ↔ Destructive. */
export function agrees(hint: HintName, declared: boolean, category: Category): boolean {
  const target: Category = hint === 'readOnlyHint' ? 'Read' : 'Destructive';
  return declared === (category === target);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const bySort = (a: HintCase, b: HintCase): number => cmp(a.server, b.server) || cmp(a.tool, b.tool) || cmp(a.hint, b.hint);

function hintSplit(cases: readonly HintCase[]): HintSplitResult {
  const row = (): Record<Category, number> => Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const confusion = { true: row(), false: row() };
  for (const c of cases) confusion[String(c.declared) as 'true' | 'false'][c.verdict.category] += 1;
  return {
    asDeclared: agreementFigure(cases),
    excludingWrong: agreementFigure(cases.filter((c) => !c.wrong)),
    confusion,
    disagreements: cases.filter((c) => !c.agree).sort(bySort),
    reviewedWrong: cases.filter((c) => c.wrong).sort(bySort),
    calibration: calibration(cases.map((c) => ({ confidence: c.verdict.confidence, correct: c.agree }))),
  };
}

/**
 * The whole evaluation. Populations: `readOnlyHint` — every tool that declares it as a boolean; `destructiveHint` —
 * every tool that declares it as a boolean and whose `readOnlyHint` is not true. Each tool is classified once, with
 * its annotations removed.
 */
export function evaluateBlind(
  servers: readonly BlindServer[],
  classify: Classify,
  options: { ranking?: ReadonlyMap<string, number>; wrongHints?: readonly WrongHint[]; top?: number } = {},
): BlindResult {
  const ranking = options.ranking ?? new Map<string, number>();
  const top = options.top ?? DEFAULT_TOP;
  const wrongHints = options.wrongHints ?? [];
  const usedWrong = new Set<WrongHint>();
  const findWrong = (s: BlindServer, tool: string, hint: HintName, declared: boolean): WrongHint | null => {
    const w = wrongHints.find((x) => (x.server === s.identity || x.server === `${s.identity}@${s.version ?? ''}`) && x.tool === tool && x.hint === hint && x.declared === declared);
    if (w) usedWrong.add(w);
    return w ?? null;
  };

  const cases: HintCase[] = [];
  const declaredDestructive: HintCase[] = [];
  const splitOf = new Map<string, 'tuning' | 'held' | 'below600'>();
  let tools = 0;
  for (const s of servers) {
    const split = assignSplit(s, ranking, top);
    splitOf.set(s.identity, split);
    for (const [index, def] of s.tools.entries()) {
      tools += 1;
      const a = def.annotations;
      const ro = a?.readOnlyHint;
      const de = a?.destructiveHint;
      const wanted: [HintName, boolean][] = [];
      if (typeof ro === 'boolean') wanted.push(['readOnlyHint', ro]);
      if (typeof de === 'boolean' && ro !== true) wanted.push(['destructiveHint', de]);
      if (wanted.length === 0) continue;
      const code = s.codeEffects?.[index];
      const r = classify(withoutAnnotations(def), code ? { ...s.context, codeEffects: code } : s.context);
      const verdict: Verdict = {
        category: r.category,
        risk: r.risk,
        confidence: r.confidence,
        ruleIds: r.ruleIds,
        firstEvidence: r.evidence[0] ? `${r.evidence[0].source}: ${r.evidence[0].quote}` : null,
      };
      for (const [hint, declared] of wanted) {
        const c: HintCase = {
          server: s.identity,
          version: s.version,
          split,
          tool: def.name,
          hint,
          declared,
          verdict,
          agree: agrees(hint, declared, r.category),
          description: oneLine(def.description, 100),
          wrong: findWrong(s, def.name, hint, declared),
        };
        cases.push(c);
        if (hint === 'destructiveHint' && declared) declaredDestructive.push(c);
      }
    }
  }

  const inSplit = (name: SplitName) => (split: string) => name === 'all' || split === name;
  const splits = {} as Record<SplitName, SplitResult>;
  for (const name of SPLITS) {
    const keep = inSplit(name);
    const mine = cases.filter((c) => keep(c.split));
    const splitServers = servers.filter((s) => keep(splitOf.get(s.identity) as string));
    splits[name] = {
      split: name,
      servers: splitServers.length,
      serversWithHints: new Set(mine.map((c) => c.server)).size,
      tools: splitServers.reduce((n, s) => n + s.tools.length, 0),
      hints: {
        readOnlyHint: hintSplit(mine.filter((c) => c.hint === 'readOnlyHint')),
        destructiveHint: hintSplit(mine.filter((c) => c.hint === 'destructiveHint')),
      },
      under: underClassified(
        declaredDestructive.filter((c) => keep(c.split)).sort(bySort).map((c) => ({ gold: 'Destructive' as Category, predicted: c.verdict.category, ref: c })),
      ),
    };
  }
  return {
    input: {
      servers: servers.length,
      tools,
      top,
      rankedServers: servers.filter((s) => s.registry === 'npm' && ranking.has(s.identifier)).length,
    },
    splits,
    unmatchedWrongHints: wrongHints.filter((w) => !usedWrong.has(w)),
  };
}
