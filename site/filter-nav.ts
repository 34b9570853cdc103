/**
 * Filters over the catalogue as static pages, and the navigation between them. Tools narrow by category and by risk
 * (`browse/category/<c>.html`, `browse/risk/<r>.html`, and both: `browse/category/<c>/<r>.html`); servers narrow by
 * registry and by outcome (`browse/registry/<registry>.html`, `browse/outcome/<outcome>.html`, and both:
 * `browse/registry/<registry>/<outcome>.html`). Two filters at most per list, so there are at most
 * categories × risks + registries × outcomes combined lists, and every tool or server is on exactly one list of each
 * kind: the pages grow with the catalogue, not with the number of filter combinations. Only lists with rows get a
 * page (and a link).
 * @internal
 */
import { RISKS } from '../records/index.ts';
import { CATEGORY_LABELS, UNCLASSIFIED, type ServerView, type SiteModel } from './model.ts';
import { categoryPagePath, categoryRiskPagePath, indexPagePath, outcomePagePath, registryOutcomePagePath, registryPagePath, riskPagePath } from './paths.ts';

/** What a server's newest attempt gave: tools listed by running it, tools read from its source, or no list. */
export const OUTCOMES = [
  { id: 'listed-live', label: 'Listed live' },
  { id: 'listed-from-source', label: 'Listed from source' },
  { id: 'not-listed', label: 'Not listed' },
] as const;
export type OutcomeId = (typeof OUTCOMES)[number]['id'];

/** Registries that get their own pages, in this order; a server of any other registry is on the index only. */
export const FILTER_REGISTRIES = ['npm', 'pypi', 'mcp-registry', 'github', 'oci', 'nuget', 'mcpb'] as const;

/** One group of filter links (`Risk: Low (3) Medium (1)`), for the `@filters` partial. */
export interface FilterGroup {
  label: string;
  links: Array<{ label: string; path: string; count: number; current: boolean }>;
}

export interface ToolSelection {
  category?: string;
  risk?: string;
}

export interface ServerSelection {
  registry?: string;
  outcome?: OutcomeId;
}

/** The outcome of `server`'s newest attempt: `ok` by a live method, `ok` by static extraction, or anything else. */
export function outcomeIdOf(server: ServerView): OutcomeId {
  const attempt = server.entry.introspection;
  if (attempt === null || attempt.outcome !== 'ok') return 'not-listed';
  return attempt.method === 'static' ? 'listed-from-source' : attempt.method === 'none' ? 'not-listed' : 'listed-live';
}

/** Path of page `n` of the tool list for `selection`, or null for the whole catalogue (no such list). */
export function toolListPath(selection: ToolSelection, n = 1): string | null {
  const { category, risk } = selection;
  if (category !== undefined && risk !== undefined) return categoryRiskPagePath(category, risk, n);
  if (category !== undefined) return categoryPagePath(category, n);
  if (risk !== undefined) return riskPagePath(risk, n);
  return null;
}

/** Path of page `n` of the server list for `selection`; the index for no selection. */
export function serverListPath(selection: ServerSelection, n = 1): string {
  const { registry, outcome } = selection;
  if (registry !== undefined && outcome !== undefined) return registryOutcomePagePath(registry, outcome, n);
  if (registry !== undefined) return registryPagePath(registry, n);
  if (outcome !== undefined) return outcomePagePath(outcome, n);
  return indexPagePath(n);
}

interface Counts {
  tools: Map<string, number>;
  servers: Map<string, number>;
}

const cache = new WeakMap<SiteModel, Counts>();

function key(a: string | undefined, b: string | undefined): string {
  return `${a ?? ''}\u0000${b ?? ''}`;
}

function bump(counts: Map<string, number>, k: string): void {
  counts.set(k, (counts.get(k) ?? 0) + 1);
}

/** Tools per (category, risk) and servers per (registry, outcome), each alone and together; counted once per model. */
function counts(model: SiteModel): Counts {
  let found = cache.get(model);
  if (found) return found;
  found = { tools: new Map(), servers: new Map() };
  for (const server of model.servers) {
    const registry = server.entry.server.registry;
    const outcome = outcomeIdOf(server);
    for (const k of [key(registry, outcome), key(registry, undefined), key(undefined, outcome), key(undefined, undefined)]) bump(found.servers, k);
    for (const tool of server.tools) {
      for (const k of [key(tool.category, tool.risk), key(tool.category, undefined), key(undefined, tool.risk)]) bump(found.tools, k);
    }
  }
  cache.set(model, found);
  return found;
}

/** Tools of `selection` in `model`. */
export function toolCount(model: SiteModel, selection: ToolSelection): number {
  return counts(model).tools.get(key(selection.category, selection.risk)) ?? 0;
}

/** Servers of `selection` in `model`. */
export function serverCount(model: SiteModel, selection: ServerSelection): number {
  return counts(model).servers.get(key(selection.registry, selection.outcome)) ?? 0;
}

/** Every combined tool list with rows: classified categories × risks. */
export function toolCombinations(model: SiteModel): Array<Required<ToolSelection>> {
  return CATEGORY_LABELS.filter((c) => c !== UNCLASSIFIED).flatMap((category) => RISKS.map((risk) => ({ category, risk }))).filter((s) => toolCount(model, s) > 0);
}

/** Every server list with rows other than the index: registries, outcomes, and registries × outcomes. */
export function serverSelections(model: SiteModel): ServerSelection[] {
  const registries = FILTER_REGISTRIES.filter((registry) => serverCount(model, { registry }) > 0);
  const outcomes = OUTCOMES.map((o) => o.id).filter((outcome) => serverCount(model, { outcome }) > 0);
  const both = registries.flatMap((registry) => outcomes.map((outcome) => ({ registry, outcome }))).filter((s) => serverCount(model, s) > 0);
  return [...registries.map((registry) => ({ registry })), ...outcomes.map((outcome) => ({ outcome })), ...both];
}

function group(label: string, options: Array<{ label: string; path: string | null; count: number; current: boolean }>): FilterGroup {
  const links = options.filter((o): o is { label: string; path: string; count: number; current: boolean } => o.path !== null && (o.current || o.count > 0));
  return { label, links };
}

/** Links that narrow or widen the tool list of `selection`: by category (keeping its risk) and by risk (keeping its category). */
export function toolFilters(model: SiteModel, selection: ToolSelection): FilterGroup[] {
  const { category, risk } = selection;
  const categories = CATEGORY_LABELS.filter((c) => risk === undefined || c !== UNCLASSIFIED);
  const byCategory = group('Category', [
    ...(risk === undefined ? [] : [{ label: 'Any', path: toolListPath({ risk }), count: toolCount(model, { risk }), current: category === undefined }]),
    ...categories.map((c) => ({ label: c, path: toolListPath({ category: c, risk }), count: toolCount(model, { category: c, risk }), current: c === category })),
  ]);
  const byRisk = category === UNCLASSIFIED ? null : group('Risk', [
    ...(category === undefined ? [] : [{ label: 'Any', path: toolListPath({ category }), count: toolCount(model, { category }), current: risk === undefined }]),
    ...RISKS.map((r) => ({ label: r, path: toolListPath({ category, risk: r }), count: toolCount(model, { category, risk: r }), current: r === risk })),
  ]);
  return byRisk === null ? [byCategory] : [byCategory, byRisk];
}

/** Links that narrow or widen the server list of `selection`: by registry (keeping its outcome) and by outcome (keeping its registry). */
export function serverFilters(model: SiteModel, selection: ServerSelection): FilterGroup[] {
  const { registry, outcome } = selection;
  return [
    group('Registry', [
      { label: 'Any', path: serverListPath({ outcome }), count: serverCount(model, { outcome }), current: registry === undefined },
      ...FILTER_REGISTRIES.map((r) => ({ label: r, path: serverListPath({ registry: r, outcome }), count: serverCount(model, { registry: r, outcome }), current: r === registry })),
    ]),
    group('Outcome', [
      { label: 'Any', path: serverListPath({ registry }), count: serverCount(model, { registry }), current: outcome === undefined },
      ...OUTCOMES.map((o) => ({ label: o.label, path: serverListPath({ registry, outcome: o.id }), count: serverCount(model, { registry, outcome: o.id }), current: o.id === outcome })),
    ]),
  ];
}
