/**
 * What a registry the crawler knows provides. Every folder under `registries/` has the same shape (`spec.ts`,
 * `client.ts`, `install.ts`, `entry.ts`, `crawl.ts` as the registry needs them, and `index.ts` exporting one
 * {@link RegistryCrawler}); `registries/index.ts` lists them, and the queue, the plan and spec parsing dispatch on that
 * table.
 */
import type { DiscoveredServer, PackageSpec } from '../../records/index.ts';
import type { CrawlProgress } from '../contain.ts';
import type { CrawlOptions, PackageResult } from '../types.ts';

/** One registry's crawl of its unit of work `T`: a package spec for a package registry, a remote server entry. */
export interface RegistryCrawler<T> {
  /** The registry's name: the prefix of its specs and the `registryType` of a `server.json` package (`npm`). */
  readonly registry: string;
  /** The unit of work's label in results and logs: `npm:<name>@<version>`. */
  label(target: T): string;
  /** The name shown for the unit of work. */
  name(target: T): string;
  /**
   * Crawls one unit of work end to end and stores the attempt, noting in `progress` how far it got. Anything the
   * package does ends as a recorded failure; a throw is a fault of ours, which the queue contains (`contain.ts`).
   */
  crawl(target: T, crawlRunId: number, options: CrawlOptions, progress: CrawlProgress): Promise<PackageResult>;
}

/** A registry of installable packages: its units of work are {@link PackageSpec}s, written `<registry>:<name>[@<version>]`. */
export interface PackageRegistryCrawler extends RegistryCrawler<PackageSpec> {
  readonly registry: PackageSpec['registry'];
  /**
   * Parses `body`, the part of spec `raw` after `<registry>:`.
   * @throws CrawlError `BAD_PACKAGE_SPEC` naming the spec and what was expected.
   */
  parseSpec(raw: string, body: string): PackageSpec;
}

/** The registry that crawls servers offered only as remote endpoints, keyed by their registry entry. */
export interface RemoteRegistryCrawler<T> extends RegistryCrawler<T> {
  /** The unit of work for a discovered server, or null when it has no registry identity or no remote. */
  targetOf(server: DiscoveredServer): T | null;
  /** The store key of a unit of work's version, or null when the version is unknown. */
  versionKey(target: T): string | null;
}
