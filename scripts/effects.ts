/**
 * What stored tools' code does: the backfill (`mcp-catalogue effects`) that reads, for every stored npm and PyPI
 * version without code effects whose install is still in the package cache (or, for PyPI, installed again when asked),
 * what its tools' handlers do; and the coverage report (`npm run bench:effects`) of what is stored.
 */
import {
  analyseEffectsInWorker, analysePythonEffects, cachedNpmPackageDir, cachedPypiInstall, installPypiVersion, type PypiReinstallOptions,
} from '../crawler/index.ts';
import { EFFECT_KINDS, undeclaredEffect, type CatalogueEntry, type EffectKind, type NamedCodeEffects, type Store, type VersionNeedingCodeEffects } from '../records/index.ts';

/** Registries whose stored versions the backfill reads: npm (JavaScript and TypeScript) and PyPI (Python). */
export const BACKFILL_REGISTRIES = ['npm', 'pypi'] as const;
export type BackfillRegistry = (typeof BACKFILL_REGISTRIES)[number];

export interface BackfillSummary {
  /** Stored versions with tools and no code effects, by registry. */
  pending: Map<BackfillRegistry, number>;
  /** All of them. */
  versions: number;
  analysed: number;
  /** Versions whose package is not in any of the cache folders (and, for PyPI, was not installed again). */
  notCached: number;
  /** PyPI versions installed again from the index because the cache no longer held them. */
  installed: number;
  /** PyPI versions whose install again failed (not stored: they stay pending). */
  installFailed: number;
  /** Analyses that gave no answer within the budget (stored as not found and truncated). */
  failed: number;
  tools: number;
  handlersFound: number;
  effects: Map<EffectKind, number>;
}

export interface BackfillOptions {
  /** Versions read at once. @default 2 */
  concurrency?: number;
  signal?: AbortSignal;
  /** Called after each version: its label, handlers found, tools, and why it was not read or gave no answer. */
  onVersion?: (label: string, found: number, tools: number, failure: string | null) => void;
  /** Registries read. @default both, {@link BACKFILL_REGISTRIES} */
  registries?: readonly BackfillRegistry[];
  /** bubblewrap for the PyPI reader (and installs). @default "bwrap" */
  bwrapPath?: string;
  /**
   * When given, a PyPI version the cache no longer holds is installed again from this index into `cacheDir` (the
   * wheel downloaded and checked against the index's digest, unpacked in the sandbox), as the crawl installs it.
   */
  pypiInstall?: Omit<PypiReinstallOptions, 'bwrapPath' | 'signal'>;
}

/**
 * Analyses and stores the code effects of every stored npm and PyPI version lacking them whose install (or, for npm,
 * unpacked tarball) is in one of `cacheDirs`, `concurrency` at a time; PyPI versions in the sandbox. Nothing is
 * installed or downloaded unless `pypiInstall` is given.
 */
export async function backfillCodeEffects(store: Store, cacheDirs: readonly string[], options: BackfillOptions = {}): Promise<BackfillSummary> {
  const summary: BackfillSummary = {
    pending: new Map(), versions: 0, analysed: 0, notCached: 0, installed: 0, installFailed: 0, failed: 0, tools: 0, handlersFound: 0, effects: new Map(),
  };
  const pending: Array<VersionNeedingCodeEffects & { registry: BackfillRegistry }> = [];
  for (const registry of options.registries ?? BACKFILL_REGISTRIES) {
    const versions = await store.versionsNeedingCodeEffects(registry);
    summary.pending.set(registry, versions.length);
    pending.push(...versions.map((v) => ({ ...v, registry })));
  }
  summary.versions = pending.length;
  let next = 0;
  const worker = async () => {
    while (next < pending.length && !options.signal?.aborted) {
      const version = pending[next++]!;
      const label = `${version.registry}:${version.identifier}@${version.version}`;
      const read = version.registry === 'npm' ? await readNpm(version, cacheDirs, options) : await readPypi(version, cacheDirs, options, summary);
      if (read === NOT_CACHED) summary.notCached += 1;
      if (options.signal?.aborted) break;
      if (typeof read === 'string') {
        options.onVersion?.(label, 0, version.toolNames.length, read);
        continue;
      }
      await store.recordCodeEffects(version.serverVersionId, read.tools);
      summary.analysed += 1;
      if (read.failure) summary.failed += 1;
      const found = read.tools.filter((t) => t.effects.handlerFound).length;
      summary.tools += read.tools.length;
      summary.handlersFound += found;
      for (const t of read.tools) for (const e of t.effects.effects) summary.effects.set(e.kind, (summary.effects.get(e.kind) ?? 0) + 1);
      options.onVersion?.(label, found, read.tools.length, read.failure);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return summary;
}

type Read = { tools: NamedCodeEffects[]; failure: string | null } | string;
const NOT_CACHED = 'not in the package cache';

/** An npm version's effects, read in a worker from its cached install or unpacked tarball; or why not. */
async function readNpm(version: VersionNeedingCodeEffects, cacheDirs: readonly string[], options: BackfillOptions): Promise<Read> {
  for (const cacheDir of cacheDirs) {
    const dir = await cachedNpmPackageDir(cacheDir, version.identifier, version.version);
    if (dir) return analyseEffectsInWorker(dir, version.toolNames, { signal: options.signal });
  }
  return NOT_CACHED;
}

/** A PyPI version's effects, read in the sandbox from its cached install (or one installed again); or why not. */
async function readPypi(version: VersionNeedingCodeEffects, cacheDirs: readonly string[], options: BackfillOptions, summary: BackfillSummary): Promise<Read> {
  let installed: Awaited<ReturnType<typeof cachedPypiInstall>> = null;
  for (const cacheDir of cacheDirs) {
    installed = await cachedPypiInstall(cacheDir, version.identifier, version.version);
    if (installed) break;
  }
  if (!installed && options.pypiInstall) {
    try {
      installed = await installPypiVersion(version.identifier, version.version, { ...options.pypiInstall, bwrapPath: options.bwrapPath, signal: options.signal });
      summary.installed += 1;
    } catch (error) {
      summary.installFailed += 1;
      return `installing it again failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300)}`;
    }
  }
  if (!installed) return NOT_CACHED;
  return analysePythonEffects(installed, version.toolNames, { signal: options.signal, bwrapPath: options.bwrapPath });
}

export function backfillLines(s: BackfillSummary): string[] {
  const lacking = BACKFILL_REGISTRIES.filter((r) => s.pending.has(r)).map((r) => `${s.pending.get(r)} ${r} version${s.pending.get(r) === 1 ? '' : 's'}`);
  const installs = s.installed || s.installFailed ? `; ${s.installed} installed again${s.installFailed ? `, ${s.installFailed} could not be` : ''}` : '';
  return [
    `versions lacking:     ${lacking.join(', ') || '0 versions'} with tools and no code effects`,
    `analysed:             ${s.analysed}${s.failed ? ` (${s.failed} past their budget)` : ''}; ${s.notCached} not in the package cache${installs}`,
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
  /**
   * Per registry, which is the language read (npm: JavaScript/TypeScript; pypi: Python; a remote server's code is not
   * read): tools listed, tools with effects read, handlers found, and of those (npm) in TypeScript files.
   */
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

/** The language a registry's packages are read in, for the coverage report. */
const LANGUAGES: ReadonlyMap<string, string> = new Map([['npm', 'JavaScript/TypeScript'], ['pypi', 'Python']]);

export function coverageLines(c: EffectsCoverage): string[] {
  const lines = ['handlers found, by registry and language:'];
  for (const r of c.byRegistry) {
    const label = `${r.registry} (${LANGUAGES.get(r.registry) ?? 'not read'})`;
    const typescript = r.registry === 'npm' ? `; ${r.foundInTypeScript} in TypeScript files` : '';
    lines.push(`  ${label.padEnd(30)} ${r.found} of ${r.tools} listed tools (${percent(r.found, r.tools)}); ${r.analysed} analysed, ${percent(r.found, r.analysed)} of those found${typescript}`);
  }
  lines.push(`effects by kind:      ${kindsLine(c.effects)}`);
  lines.push(`tools reaching kind:  ${kindsLine(c.toolsWith)}`);
  lines.push(`cut short:            ${c.truncated} tools (call depth, step budget or effect cap)`);
  lines.push(`undeclared side effects: ${c.undeclared.length}`);
  for (const f of c.undeclared) lines.push(`  ${f.server}\t${f.tool}\t${f.claim}\t${f.effect}\t${f.at}\t${f.call}`);
  return lines;
}
