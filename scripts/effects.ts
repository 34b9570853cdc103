/**
 * What stored tools' code does: the backfill (`mcp-catalogue effects`) that reads, for every stored npm version
 * without code effects whose package is still in the package cache, what its tools' handlers do; and the coverage
 * report (`npm run bench:effects`) of what is stored.
 */
import { analyseEffectsInWorker, cachedNpmPackageDir } from '../crawler/index.ts';
import { EFFECT_KINDS, undeclaredEffect, type CatalogueEntry, type EffectKind, type Store } from '../records/index.ts';

export interface BackfillSummary {
  /** Stored npm versions with tools and no code effects. */
  versions: number;
  analysed: number;
  /** Versions whose package is not in any of the cache folders. */
  notCached: number;
  /** Analyses that gave no answer within the budget (stored as not found and truncated). */
  failed: number;
  tools: number;
  handlersFound: number;
  effects: Map<EffectKind, number>;
}

/**
 * Analyses and stores the code effects of every stored npm version lacking them whose install (or unpacked tarball)
 * is in one of `cacheDirs`, `concurrency` at a time. Nothing is installed or downloaded.
 */
export async function backfillCodeEffects(
  store: Store,
  cacheDirs: readonly string[],
  options: { concurrency?: number; signal?: AbortSignal; onVersion?: (label: string, found: number, tools: number, failure: string | null) => void } = {},
): Promise<BackfillSummary> {
  const pending = await store.versionsNeedingCodeEffects('npm');
  const summary: BackfillSummary = { versions: pending.length, analysed: 0, notCached: 0, failed: 0, tools: 0, handlersFound: 0, effects: new Map() };
  let next = 0;
  const worker = async () => {
    while (next < pending.length && !options.signal?.aborted) {
      const version = pending[next++]!;
      let dir: string | null = null;
      for (const cacheDir of cacheDirs) {
        dir = await cachedNpmPackageDir(cacheDir, version.identifier, version.version);
        if (dir) break;
      }
      if (!dir) {
        summary.notCached += 1;
        options.onVersion?.(`${version.identifier}@${version.version}`, 0, version.toolNames.length, 'not in the package cache');
        continue;
      }
      const analysis = await analyseEffectsInWorker(dir, version.toolNames, { signal: options.signal });
      if (options.signal?.aborted) break;
      await store.recordCodeEffects(version.serverVersionId, analysis.tools);
      summary.analysed += 1;
      if (analysis.failure) summary.failed += 1;
      const found = analysis.tools.filter((t) => t.effects.handlerFound).length;
      summary.tools += analysis.tools.length;
      summary.handlersFound += found;
      for (const t of analysis.tools) for (const e of t.effects.effects) summary.effects.set(e.kind, (summary.effects.get(e.kind) ?? 0) + 1);
      options.onVersion?.(`${version.identifier}@${version.version}`, found, analysis.tools.length, analysis.failure);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return summary;
}

export function backfillLines(s: BackfillSummary): string[] {
  return [
    `versions lacking:     ${s.versions} npm versions with tools and no code effects`,
    `analysed:             ${s.analysed}${s.failed ? ` (${s.failed} past their budget)` : ''}; ${s.notCached} not in the package cache`,
    `handlers found:       ${s.handlersFound} of ${s.tools} tools (${percent(s.handlersFound, s.tools)})`,
    `effects:              ${kindsLine(s.effects)}`,
  ];
}

function percent(n: number, of: number): string {
  return of === 0 ? '0%' : `${((100 * n) / of).toFixed(1)}%`;
}

function kindsLine(counts: ReadonlyMap<EffectKind, number>): string {
  const parts = EFFECT_KINDS.filter((k) => counts.has(k)).map((k) => `${k} ${counts.get(k)}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** One "undeclared side effect": a tool that says it only reads and whose handler does not. */
export interface UndeclaredFinding {
  server: string;
  tool: string;
  claim: string;
  effect: string;
  at: string;
  call: string;
}

export interface EffectsCoverage {
  /** Per registry (the language: npm is JavaScript/TypeScript, pypi Python): tools listed, tools with effects read, handlers found. */
  byRegistry: Array<{ registry: string; tools: number; analysed: number; found: number; foundInTypeScript: number }>;
  effects: Map<EffectKind, number>;
  /** Tools with at least one effect of a kind. */
  toolsWith: Map<EffectKind, number>;
  truncated: number;
  undeclared: UndeclaredFinding[];
}

/** Coverage of the stored code effects over the catalogue (each server's newest version). */
export function effectsCoverage(entries: readonly CatalogueEntry[]): EffectsCoverage {
  const registries = new Map<string, { registry: string; tools: number; analysed: number; found: number; foundInTypeScript: number }>();
  const effects = new Map<EffectKind, number>();
  const toolsWith = new Map<EffectKind, number>();
  const undeclared: UndeclaredFinding[] = [];
  let truncated = 0;
  for (const entry of entries) {
    const row = registries.get(entry.server.registry) ?? { registry: entry.server.registry, tools: 0, analysed: 0, found: 0, foundInTypeScript: 0 };
    registries.set(entry.server.registry, row);
    for (const { tool, codeEffects } of entry.tools) {
      row.tools += 1;
      if (!codeEffects) continue;
      row.analysed += 1;
      if (codeEffects.truncated) truncated += 1;
      if (!codeEffects.handlerFound) continue;
      row.found += 1;
      if (/\.(?:ts|mts|cts|tsx)$/.test(codeEffects.handler?.file ?? '')) row.foundInTypeScript += 1;
      const kinds = new Set<EffectKind>();
      for (const e of codeEffects.effects) {
        effects.set(e.kind, (effects.get(e.kind) ?? 0) + 1);
        kinds.add(e.kind);
      }
      for (const k of kinds) toolsWith.set(k, (toolsWith.get(k) ?? 0) + 1);
      const finding = undeclaredEffect(tool.definition, codeEffects);
      if (finding) {
        undeclared.push({
          server: `${entry.server.registry}:${entry.server.identifier}@${entry.version?.version ?? '?'}`, tool: tool.name, claim: finding.claim,
          effect: `${finding.effect.kind} ${finding.effect.detail}`, at: `${finding.effect.file}:${finding.effect.line}`, call: finding.effect.call,
        });
      }
    }
  }
  return { byRegistry: [...registries.values()].sort((a, b) => (a.registry < b.registry ? -1 : 1)), effects, toolsWith, truncated, undeclared };
}

export function coverageLines(c: EffectsCoverage): string[] {
  const lines = ['handlers found, by registry (npm: JavaScript and TypeScript; pypi: Python):'];
  for (const r of c.byRegistry) {
    lines.push(`  ${r.registry.padEnd(8)} ${r.found} of ${r.tools} listed tools (${percent(r.found, r.tools)}); ${r.analysed} analysed, ${percent(r.found, r.analysed)} of those found; ${r.foundInTypeScript} in TypeScript files`);
  }
  lines.push(`effects by kind:      ${kindsLine(c.effects)}`);
  lines.push(`tools reaching kind:  ${kindsLine(c.toolsWith)}`);
  lines.push(`cut short:            ${c.truncated} tools (call depth, step budget or effect cap)`);
  lines.push(`undeclared side effects: ${c.undeclared.length}`);
  for (const f of c.undeclared) lines.push(`  ${f.server}\t${f.tool}\t${f.claim}\t${f.effect}\t${f.at}\t${f.call}`);
  return lines;
}
