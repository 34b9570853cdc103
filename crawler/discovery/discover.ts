/**
 * Discovery, end to end: runs every source at once, each in isolation (one failing source never costs another's
 * candidates), stores findings and state as it goes, then deduplicates every stored candidate into servers and
 * says which are new or changed since the last run.
 */
import { setMaxListeners } from 'node:events';
import { assignOwn, NOT_SERVER_CODES, setOwn, type DiscoveredServer, type NotServerCode, type DiscoveryFindingRecord, type Finding, type SourceName, type Store } from '../../records/index.ts';
import { deduplicate, identityKey } from './dedupe.ts';
import { errorCode } from './errors.ts';
import type { DiscoveryFetcher } from './fetch.ts';
import type { Source, SourceContext } from './types.ts';

export interface DiscoverOptions {
  store: Store;
  sources: readonly Source[];
  fetch: DiscoveryFetcher;
  signal?: AbortSignal;
  /** Candidates wanted per source (`--limit`). @default unlimited */
  limit?: number;
  /** Called for each problem a source skipped over, and for a source's final error. */
  onWarning?: (source: SourceName, message: string) => void;
}

export interface SourceSummary {
  source: SourceName;
  /** Listings reported this run (servers and non-servers). */
  findings: number;
  /** Listings that are MCP servers. */
  candidates: number;
  /** Listings looked at and judged not an MCP server, with a reason (`ServerCandidate.notServer`); not crawled. */
  notServers: number;
  new: number;
  changed: number;
  warnings: number;
  /** Requests sent to the source's hosts this run. */
  requests: number;
  /** Of those, the ones answered with any status but a 429 or 5xx still there after retries (`DiscoveryFetcher.answeredCount`). */
  answered: number;
  /** Why the source stopped early, or null. Its findings up to then are kept. */
  error: { code: string; message: string } | null;
  /** Wall clock of the source's run, ms (its findings saved included). */
  durationMs: number;
}

export type ServerChange = 'new' | 'changed' | 'unchanged';
type Change = 'new' | 'changed' | 'same';

export interface DiscoverResult {
  /** Every known server (this run's listings and those stored by earlier runs), deduplicated, sorted by id. */
  servers: Array<DiscoveredServer & { change: ServerChange }>;
  /** Every known listing judged not an MCP server, deduplicated, sorted by id, each with its `notServer` reason. */
  notServers: Array<DiscoveredServer & { change: ServerChange }>;
  sources: SourceSummary[];
  /** `notServers` counts them; `byReason` counts them by reason code. */
  totals: {
    candidates: number; servers: number; notServers: number; byReason: Partial<Record<NotServerCode, number>>;
    new: number; changed: number; mergedDuplicates: number; requests: number; durationMs: number;
  };
}

/**
 * Whether a source failed this run: it stopped on an error before yielding any listing, or none of its requests got
 * an answer (each ended in a network error, or a 429 or 5xx still there after retries). A source that stopped after
 * yielding some listings, or that had nothing new to say (304s, 404s), did not.
 */
export function sourceFailed(summary: Pick<SourceSummary, 'findings' | 'requests' | 'answered' | 'error'>): boolean {
  return summary.error !== null ? summary.findings === 0 : summary.requests > 0 && summary.answered === 0;
}

/** Persisting findings in batches of this many keeps a killed run's progress. */
const SAVE_EVERY = 500;

/**
 * Runs discovery. Never throws for a source's failure (it is in that source's summary); throws only when the
 * store cannot be read at the end.
 */
export async function discover(options: DiscoverOptions): Promise<DiscoverResult> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  // Every queued request listens on the signal; thousands may wait at once.
  setMaxListeners(0, signal);
  const status = new Map<string, Change[]>();
  const summaries = await Promise.all(options.sources.map((source) => runSource(source, options, signal, status)));
  const stored = await options.store.discoveryFindings();
  const candidates = stored.flatMap((f) => (f.candidate ? [f.candidate] : []));
  const all = deduplicate(candidates).map((server) => ({ ...server, change: changeOf(server, status) }));
  const servers = all.filter((s) => !s.notServer);
  const notServers = all.filter((s) => s.notServer);
  const byReason: Partial<Record<NotServerCode, number>> = {};
  // Codes come from our rules (NOT_SERVER_CODES), never from a packument.
  for (const code of NOT_SERVER_CODES) {
    const count = notServers.filter((s) => s.notServer!.code === code).length;
    if (count > 0) byReason[code] = count;
  }
  return {
    servers,
    notServers,
    sources: summaries,
    totals: {
      candidates: candidates.length,
      servers: servers.length,
      notServers: notServers.length,
      byReason,
      new: servers.filter((s) => s.change === 'new').length,
      changed: servers.filter((s) => s.change === 'changed').length,
      mergedDuplicates: candidates.length - all.length,
      requests: options.fetch.requestCount,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/** New when every identity is new this run; changed when any identity is new or changed. */
function changeOf(server: DiscoveredServer, status: Map<string, Change[]>): ServerChange {
  const states = server.identities.flatMap((id) => status.get(id) ?? ['same' as const]);
  if (states.every((s) => s === 'new')) return 'new';
  return states.some((s) => s !== 'same') ? 'changed' : 'unchanged';
}

async function runSource(source: Source, options: DiscoverOptions, signal: AbortSignal, status: Map<string, Change[]>): Promise<SourceSummary> {
  const { store } = options;
  const started = performance.now();
  const summary: SourceSummary = { source: source.name, findings: 0, candidates: 0, notServers: 0, new: 0, changed: 0, warnings: 0, requests: 0, answered: 0, error: null, durationMs: 0 };
  const warn = (message: string) => {
    summary.warnings += 1;
    options.onWarning?.(source.name, message);
  };
  const fetch = options.fetch.child();
  let previous = new Map<string, DiscoveryFindingRecord>();
  const state: Record<string, unknown> = {};
  const dirty: Record<string, unknown> = {};
  const pending: Finding[] = [];
  const save = async () => {
    const findings = pending.splice(0);
    if (findings.length) await store.saveDiscoveryFindings(source.name, findings);
    const values = { ...dirty };
    for (const key of Object.keys(dirty)) delete dirty[key];
    if (Object.keys(values).length) await store.saveDiscoveryState(source.name, values);
  };
  const context: SourceContext = {
    fetch,
    signal,
    limit: options.limit,
    state: {
      get: (key) => (Object.hasOwn(dirty, key) ? dirty[key] ?? undefined : Object.hasOwn(state, key) ? state[key] : undefined),
      set: (key, value) => {
        setOwn(dirty, key, value ?? null);
        if (value === null || value === undefined) delete state[key];
        else setOwn(state, key, value);
      },
      seenMarker: (key) => previous.get(key)?.marker,
    },
    checkpoint: save,
    warn,
  };
  try {
    assignOwn(state, await store.discoveryState(source.name));
    previous = new Map((await store.discoveryFindings(source.name)).map((f) => [f.key, f]));
    for await (const finding of source.discover(context)) {
      summary.findings += 1;
      pending.push(finding);
      const before = previous.get(finding.key);
      const change: Change = !before ? 'new' : before.marker !== finding.marker ? 'changed' : 'same';
      if (finding.candidate) {
        if (finding.candidate.notServer) summary.notServers += 1;
        else {
          summary.candidates += 1;
          if (change === 'new') summary.new += 1;
          if (change === 'changed') summary.changed += 1;
        }
        const id = identityKey(finding.candidate);
        status.set(id, [...(status.get(id) ?? []), change]);
      }
      if (pending.length >= SAVE_EVERY) await save();
      if (options.limit !== undefined && summary.candidates >= options.limit) break;
    }
  } catch (error) {
    summary.error = { code: errorCode(error), message: error instanceof Error ? error.message : String(error) };
    options.onWarning?.(source.name, `${summary.error.code}: ${summary.error.message}`);
  }
  try {
    await save();
  } catch (error) {
    summary.error ??= { code: errorCode(error), message: `saving findings failed: ${(error as Error).message}` };
  }
  summary.requests = fetch.requestCount;
  summary.answered = fetch.answeredCount;
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}
