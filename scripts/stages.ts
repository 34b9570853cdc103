/**
 * The stages after the crawl, each reading and writing the store, so any can be re-run alone:
 * classify the stored tools, recommend a policy per server, export, build the site.
 */
import { classifyTool, CLASSIFIER_VERSION } from '../classifier/index.ts';
import { explainToolRule, recommendPolicies, type PolicyFormat } from '../policy/index.ts';
import type { LlmStage, LlmSummary } from '../classifier/index.ts';
import { diffHistory, type ListingDiff } from '../changes/index.ts';
import type { CatalogueEntry, ClassificationRecord, HistoryListing, Policy, Store, ToolDefinition } from '../records/index.ts';
import type { RegistryIndex } from '../serve/index.ts';
import { assignServerSlugs, createSearchIndexer, problemMessage, registryApiPages, renderExport, renderSite, writeSite, type PublishProblem, type SitePage } from '../site/index.ts';
import { storedLlmCandidates } from './llm-stage.ts';
import type { LlmCandidate } from './llm-stage.ts';

/**
 * Classifies every stored tool that has no classification at the current classifier version. With `llm`, then
 * sends the tools the stage applies to — those just classified and those stored earlier by the heuristic alone —
 * to the model, and stores the results that used an answer (method "heuristic+llm"). A dry run stores nothing.
 * @returns the count of heuristic classifications, the classifier version, and the LLM stage's summary when used.
 */
export async function classifyStoredTools(
  store: Store,
  onProgress?: (done: number, total: number) => void,
  llm?: LlmStage,
): Promise<{ classified: number; classifierVersion: string; llm?: LlmSummary }> {
  const pending = await store.toolsNeedingClassification(CLASSIFIER_VERSION);
  const dryRun = llm?.settings.dryRun === true;
  const fresh: LlmCandidate[] = [];
  let done = 0;
  for (const { hash, definition, server } of pending) {
    const heuristic = classifyTool(definition, server);
    if (!dryRun) await store.saveClassification(hash, heuristic);
    if (llm?.eligible(heuristic)) fresh.push({ hash, definition, server, heuristic });
    done += 1;
    if (done % 50 === 0 || done === pending.length) onProgress?.(done, pending.length);
  }
  if (!llm) return { classified: pending.length, classifierVersion: CLASSIFIER_VERSION };
  const candidates = [...fresh, ...(await storedLlmCandidates(store, llm, new Set(pending.map((p) => p.hash))))];
  await Promise.all(candidates.map(async ({ hash, definition, server, heuristic }) => {
    const outcome = await llm.refine(definition, server, heuristic);
    if (!dryRun && outcome.classification.method !== 'heuristic') await store.saveClassification(hash, outcome.classification);
  }));
  return { classified: pending.length, classifierVersion: CLASSIFIER_VERSION, llm: llm.summary() };
}

/** {@link recommendPolicies} of policy/, each problem reported as a publish problem of step "policy". */
export function recommendServerPolicies(entries: readonly CatalogueEntry[], onProblem?: (problem: PublishProblem) => void): Map<number, Policy> {
  const names = new Map(entries.map((e) => [e.server.id, `${e.server.registry}:${e.server.identifier}`]));
  return recommendPolicies(entries, (serverId, reason) => onProblem?.({ serverId, server: names.get(serverId) ?? String(serverId), step: 'policy', path: null, message: problemMessage(reason) }));
}

function explainRule(rule: Parameters<typeof explainToolRule>[0] | undefined, hidden: boolean): string {
  const parts: string[] = [];
  if (hidden) parts.push('Hidden from tools/list and denied.');
  parts.push(rule ? explainToolRule(rule) : 'Not listed, so the policy default (deny) applies.');
  return parts.join(' ');
}

export interface PublishResult {
  servers: number;
  files: number;
  bytes: number;
  outDir: string;
  /** Pages or export lines of servers that could not be built from their stored records (the rest were written). */
  problems: PublishProblem[];
}

/** What export and site are rendered from: the stored catalogue and each server's recommended policy. */
export interface CatalogueSnapshot {
  entries: CatalogueEntry[];
  policies: Map<number, Policy>;
  /** Servers with classified tools whose policy could not be made ({@link recommendServerPolicies}), with the reason. */
  policyProblems: PublishProblem[];
  /** Every stored listing by server id, sorted by listedAt (`Store.history()`). */
  listings: Map<number, HistoryListing[]>;
  /** Every change between consecutive listings, with its findings (`diffHistory`). */
  diffs: ListingDiff[];
  /** `Store.history()` definitions and classifications by tool hash (the registry API's older versions show them). */
  definitions?: Map<string, ToolDefinition>;
  classifications?: Map<string, ClassificationRecord>;
}

/** Reads the catalogue at the current classifier version and recommends every server's policy, once per job. */
export async function loadCatalogue(store: Store): Promise<CatalogueSnapshot> {
  const entries = await store.catalogue(CLASSIFIER_VERSION);
  const policyProblems: PublishProblem[] = [];
  const policies = recommendServerPolicies(entries, (problem) => policyProblems.push(problem));
  // Classifications of any classifier version: a definition listed only in the past is not classified again.
  const history = await store.history();
  const listings = new Map<number, HistoryListing[]>();
  for (const listing of history.listings) {
    let list = listings.get(listing.serverId);
    if (!list) listings.set(listing.serverId, (list = []));
    list.push(listing);
  }
  return { entries, policies, policyProblems, listings, diffs: diffHistory(history), definitions: history.definitions, classifications: history.classifications };
}

function policyErrors(snapshot: CatalogueSnapshot): Map<number, string> {
  return new Map(snapshot.policyProblems.map((p) => [p.serverId, p.message]));
}

/**
 * Writes each server's policy in every chosen format (`<format dir>/<slug>.<ext>`, `policies/<slug>.json` for
 * policy.json), its pins (`pins/<slug>.json`) and `servers.jsonl` under `outDir`, replacing a previous export.
 * @param options.formats the formats (default: all); options.serverName the name clients give every server (default:
 *   derived from each server's slug).
 */
export async function exportCatalogue(snapshot: CatalogueSnapshot, outDir: string, options: { formats?: readonly PolicyFormat[]; serverName?: string } = {}): Promise<PublishResult> {
  const problems: PublishProblem[] = [];
  const pages = renderExport(snapshot.entries, snapshot.policies, { policyErrors: policyErrors(snapshot), onProblem: (p) => problems.push(p), formats: options.formats, serverName: options.serverName, listings: snapshot.listings });
  const written = await writeSite(pages, outDir);
  return { servers: snapshot.entries.length, files: written.pages, bytes: written.bytes, outDir, problems };
}

/**
 * Builds the static site into `outDir` (replacing a previous build), with its search index (`pagefind/`, built by
 * Pagefind from one record per tool as the pages are rendered); with `options.registry`, the static registry API
 * under `v0.1/servers/` too (site/registry-api.ts).
 */
export async function buildSite(snapshot: CatalogueSnapshot, outDir: string, options: { baseUrl?: string; now?: Date; registry?: RegistryIndex } = {}): Promise<PublishResult> {
  const problems: PublishProblem[] = [];
  const search = await createSearchIndexer();
  let pages: SitePage[];
  try {
    pages = renderSite({
      entries: snapshot.entries,
      policies: snapshot.policies,
      explainRule,
      generatedAt: options.now ?? new Date(),
      baseUrl: options.baseUrl,
      policyErrors: policyErrors(snapshot),
      onProblem: (p) => problems.push(p),
      changes: { diffs: snapshot.diffs, listings: new Map([...snapshot.listings].map(([id, list]) => [id, { count: list.length, first: list[0]!.listedAt }])) },
      search,
    });
  } catch (error) {
    await search.close();
    throw error;
  }
  // The registry API's hook: one writer per server and an index pass, over the site's slugs.
  if (options.registry) pages.push(...registryApiPages(options.registry, assignServerSlugs(snapshot.entries)));
  const written = await writeSite([...pages, ...(await search.finish())], outDir);
  return { servers: snapshot.entries.length, files: written.pages, bytes: written.bytes, outDir, problems };
}
