/**
 * What a discovery source is: a {@link Source} yields findings through a {@link SourceContext}. The records it yields
 * live in `records/discovery.ts`.
 */
import type { Finding, SourceName } from '../../records/index.ts';
import type { DiscoveryFetcher } from './fetch.ts';

/** What a source reads and writes between runs, persisted in the database per source. */
export interface SourceState {
  get(key: string): unknown;
  /** Sets (or with `null` deletes) a value; written at the next {@link SourceContext.checkpoint}. */
  set(key: string, value: unknown): void;
  /** The change marker stored for a finding key by an earlier run, if any. */
  seenMarker(key: string): string | undefined;
}

export interface SourceContext {
  fetch: DiscoveryFetcher;
  state: SourceState;
  signal: AbortSignal;
  /** At most this many findings are wanted (`--limit`); sources may stop fetching early. @default unlimited */
  limit?: number;
  /** Persists the state and the findings yielded so far, so a run that fails later resumes from here. */
  checkpoint(): Promise<void>;
  /** Records a problem that did not stop the source (a malformed item skipped). */
  warn(message: string): void;
}

/** A place servers are published. Implementations must not throw for a malformed item, only for a failed page. */
export interface Source {
  readonly name: SourceName;
  /**
   * Yields findings until the source is exhausted. Throws (a `DiscoveryError` or a `CrawlError`) when it cannot
   * go on; findings yielded before the throw are kept.
   */
  discover(context: SourceContext): AsyncIterable<Finding>;
}
