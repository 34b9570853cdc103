/**
 * The stages after the crawl, each reading and writing the store, so any can be re-run alone:
 * classify the stored tools, recommend a policy per server, export, build the site.
 */
import { classifyTool, CLASSIFIER_VERSION } from '../classifier/index.ts';
import { explainToolRule, recommendPolicies, type PolicyFormat } from '../policy/index.ts';
import type { LlmStage, LlmSummary } from '../classifier/index.ts';
import { diffHistory, type ListingDiff } from '../changes/index.ts';
import type { CatalogueEntry, ClassificationRecord, HistoryListing, Policy, ServerVersionRecord, Store, ToolDefinition } from '../records/index.ts';
import { assignNames, buildRegistry, registryFacts, type RegistryIndex } from '../serve/index.ts';
import { buildStreamedSite, createSearchIndexer, problemMessage, renderExport, writeSite, type PublishProblem, type SiteSource } from '../site/index.ts';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * Builds the static site into `outDir` from the store, streamed and incremental (site/build.ts): servers are read a
 * batch at a time (`Store.catalogue` with `serverIds`), with their recommended policies, change history and, with
 * `options.registry`, their static registry API documents (site/registry-api.ts); a server whose
 * `Store.catalogueStamps()` stamp is as at the last build keeps its files. The search index (`pagefind/`) is built by
 * Pagefind from one record per tool. `options.full` renders every server whatever the last build left.
 */
export async function buildSite(store: Store, outDir: string, options: { baseUrl?: string; now?: Date; registry?: boolean; full?: boolean; batchSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<SiteBuildResult> {
  const problems: PublishProblem[] = [];
  const stamps = await store.catalogueStamps(CLASSIFIER_VERSION);
  const listed = new Set(stamps.filter((s) => s.listings > 0).map((s) => s.id));
  let registry: { facts: Awaited<ReturnType<typeof registryFacts>>; names: Map<number, string>; versions: Map<number, ServerVersionRecord[]> } | undefined;
  if (options.registry) {
    const facts = await registryFacts(store);
    const versions = new Map<number, ServerVersionRecord[]>();
    for (const v of await store.serverVersions()) {
      let list = versions.get(v.serverId);
      if (!list) versions.set(v.serverId, (list = []));
      list.push(v);
    }
    registry = { facts, versions, names: assignNames(stamps.map((s) => ({ serverId: s.id, registry: s.registry, identifier: s.identifier })), facts.officialNames) };
  }
  const source: SiteSource = {
    servers: async () => stamps,
    batch: async (ids) => {
      const entries = await store.catalogue(CLASSIFIER_VERSION, { serverIds: ids });
      const policyProblems: PublishProblem[] = [];
      const policies = recommendServerPolicies(entries, (p) => policyProblems.push(p));
      problems.push(...policyProblems);
      // Classifications of any classifier version: a definition listed only in the past is not classified again.
      const withListings = ids.filter((id) => listed.has(id));
      const history = withListings.length === 0 ? { listings: [], definitions: new Map(), classifications: new Map() } : await store.history({ serverIds: withListings });
      const listings = new Map<number, HistoryListing[]>();
      for (const listing of history.listings) {
        let list = listings.get(listing.serverId);
        if (!list) listings.set(listing.serverId, (list = []));
        list.push(listing);
      }
      let documents: RegistryIndex | undefined;
      if (registry) {
        documents = buildRegistry({
          entries, policies, listings, definitions: history.definitions, classifications: history.classifications,
          versions: ids.flatMap((id) => registry!.versions.get(id) ?? []), ...registry.facts, names: registry.names,
        });
        problems.push(...documents.problems.filter((p) => p.code === 'SCHEMA').map((p): PublishProblem => ({ serverId: p.serverId, server: p.identity, step: 'page', path: 'v0.1/servers/', message: p.message })));
      }
      return {
        entries, policies,
        policyErrors: new Map(policyProblems.map((p) => [p.serverId, p.message])),
        changes: { diffs: diffHistory(history), listings: new Map([...listings].map(([id, list]) => [id, { count: list.length, first: list[0]!.listedAt }])) },
        registry: documents,
      };
    },
  };
  const built = await buildStreamedSite(source, outDir, {
    generatedAt: options.now ?? new Date(), baseUrl: options.baseUrl, explainRule, full: options.full, batchSize: options.batchSize,
    key: await rendererKey(JSON.stringify([registry ? [...registry.facts.officialNames].sort() : null, registry ? [...(registry.facts.remotes ?? new Map())].sort() : null])),
    search: createSearchIndexer, onProblem: (p) => problems.push(p), onProgress: options.onProgress,
  });
  return { servers: built.servers, files: built.files, bytes: built.bytes, outDir: built.outDir, problems, mode: built.mode, rendered: built.rendered, removed: built.removed };
}

/** What {@link buildSite} did: a {@link PublishResult} with whether the build was full or incremental, and how much it rendered. */
export interface SiteBuildResult extends PublishResult {
  mode: 'full' | 'incremental';
  /** Servers whose files were rendered this time. */
  rendered: number;
  /** Servers gone since the last build, whose files were removed. */
  removed: number;
}

let codeHash: Promise<string> | undefined;

/**
 * A key of what the pages depend on besides the records: the source of the code that renders them (site/, policy/,
 * changes/, serve/ and records/), read once, and `extra`. A new release or a local edit of any of them makes the next
 * build a full one. The classifier reaches a server's pages only through its stored classifications (in the stamps);
 * the catalogue pages that name its version are rendered on every build.
 */
async function rendererKey(extra: string): Promise<string> {
  codeHash ??= (async () => {
    const hash = createHash('sha256');
    const root = fileURLToPath(new URL('..', import.meta.url));
    for (const dir of ['site', 'policy', 'changes', 'serve', 'records']) {
      const files = (await readdir(path.join(root, dir), { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
      for (const file of files) hash.update(`${dir}/${file}\0`).update(await readFile(path.join(root, dir, file))).update('\0');
    }
    return hash.digest('hex');
  })();
  return `${await codeHash}:${extra}`;
}
