/**
 * Record shapes of discovery: every source yields {@link ServerCandidate}s; deduplication merges them into
 * {@link DiscoveredServer}s (`crawler/discovery/README.md` gives the identity rules).
 */
import { REGISTRIES } from './registry.ts';

/** Where a candidate was found: a registry discovery enumerates. */
export type SourceName = (typeof REGISTRIES)[number];
export const SOURCE_NAMES: readonly SourceName[] = REGISTRIES;

/** An environment variable a server declares (MCP Registry `server.json` `environmentVariables[]`). */
export interface DeclaredEnvVar {
  name: string;
  description: string | null;
  isRequired: boolean;
  isSecret: boolean;
  default: string | null;
  placeholder: string | null;
}

/** A header a remote declares (`server.json` `remotes[].headers[]`, a `KeyValueInput`): credentials, usually. */
export interface DeclaredHeader {
  name: string;
  description: string | null;
  isRequired: boolean;
  isSecret: boolean;
  /** A fixed value given by the entry, if any. */
  value: string | null;
}

/** A remote endpoint of a registry entry (`remotes[]`); `headers` only when the entry declares some. */
export interface RemoteRef {
  /** `streamable-http` or `sse`, as published. */
  type: string;
  url: string;
  headers?: DeclaredHeader[];
}

/** An argument a server declares (`packageArguments[]`/`runtimeArguments[]`): positional value or named flag. */
export interface DeclaredArgument {
  type: 'positional' | 'named';
  /** Flag name for `named` (e.g. `--root`); null for positional. */
  name: string | null;
  value: string | null;
  valueHint: string | null;
  isRequired: boolean;
  /** `runtime` arguments go to the runtime (`node`, `uvx`, `docker`), `package` ones to the server. */
  scope: 'package' | 'runtime';
}

/** A package a candidate is published as, or declares (registry entries list several). */
export interface PackageRef {
  /** `npm`, `pypi`, `oci`, `nuget`, `mcpb` or another registry type as published. */
  registryType: string;
  identifier: string;
  version: string | null;
  /** `stdio`, `streamable-http` or `sse`, when declared. */
  transport: string | null;
  environmentVariables: DeclaredEnvVar[];
  arguments: DeclaredArgument[];
  /** Set when every listing is "not a server" (the first listing's reason); null or absent: a server. */
  notServer?: NotServer | null;
}

/** A repository, its URL normalised by `normaliseRepositoryUrl` (`https://host/owner/repo`, lower case). */
export interface RepositoryRef {
  url: string;
  /** The host's stable repository id (GitHub's numeric id; MCP Registry `repository.id`), when known. */
  id: string | null;
  /** Folder of a monorepo the server lives in (`repository.subfolder`, npm `repository.directory`). */
  subfolder: string | null;
}

/** One listing of a server by one source, as published there. */
export interface ServerCandidate {
  source: SourceName;
  /** The registry the identifier belongs to: `npm`, `pypi`, `github` (owner/repo) or `mcp-registry` (server name). */
  registry: SourceName;
  /** npm name, normalised PyPI name (PEP 503), `owner/repo` in lower case, or the MCP Registry server name. */
  identifier: string;
  version: string | null;
  /** Display name; never used for identity. */
  name: string;
  description: string | null;
  repository: RepositoryRef | null;
  /** Downloads in the last month where the source publishes them (npm search); null elsewhere. */
  downloads: number | null;
  /** GitHub stars, for GitHub repositories; null elsewhere. */
  stars: number | null;
  /** Packages the candidate is published as (npm/PyPI: itself; registry entries: every `packages[]` item). */
  packages: PackageRef[];
  /** Remote endpoints (`remotes[]{type, url, headers}`) of a registry entry. */
  remotes: RemoteRef[];
  /** `deprecated` and `deleted` registry entries, deprecated npm versions and archived repositories are marked. */
  status: 'active' | 'deprecated' | 'deleted';
  /** A GitHub fork (its own repository; see README for how forks are merged). */
  fork: boolean;
  /** Why the candidate counts as an MCP server: `mcpName`, `dependency:@modelcontextprotocol/sdk`, `topic:mcp`… */
  markers: string[];
  /** The `mcp-name`/`mcpName` the package declares (ties it to an MCP Registry entry), when present. */
  mcpName: string | null;
  /** When the source last changed the listing (ISO 8601), when published. */
  updatedAt: string | null;
  /**
   * Set when the listing was looked at and is not an MCP server: kept, with the reason, so the decision shows in
   * the summary and `discover --json`, but never crawled. Absent or null: a server.
   */
  notServer?: NotServer | null;
}

/**
 * Why a listing looked at is not an MCP server (`crawler/discovery/server-decision.ts` gives the rules):
 * `platform-binary` (one platform's slice of another package), `no-entry` (nothing to run: no bin, or no entry at
 * all), `plugin` (a plugin for another tool), `client` (an MCP client, inspector, tester or installer), `sdk` (an
 * SDK, framework or library for building MCP software).
 */
export type NotServerCode = 'platform-binary' | 'no-entry' | 'plugin' | 'client' | 'sdk';
export const NOT_SERVER_CODES: readonly NotServerCode[] = ['platform-binary', 'no-entry', 'plugin', 'client', 'sdk'];

/** A "not a server" discovery outcome: the rule's code and a sentence naming the packument facts it read. */
export interface NotServer {
  code: NotServerCode;
  reason: string;
}

/**
 * What a source reports of one listing: the candidate, or `null` when the listing was looked at and is not an MCP
 * server. `marker` is the source's change marker (a version, a serial, an update time); an unchanged marker lets
 * the next run skip the listing's details.
 */
export interface Finding {
  /** `<registry>:<identifier>`, unique within the source. */
  key: string;
  marker: string;
  candidate: ServerCandidate | null;
}

/** One catalogue entry after deduplication: every listing of the same server, merged. */
export interface DiscoveredServer {
  /** The primary identity: the MCP Registry name, else npm, PyPI, other packages, then GitHub (`npm:@a/b`). */
  id: string;
  name: string;
  description: string | null;
  /** Every identity key it was found under (`npm:@a/b`, `github:owner/repo`, `mcp-registry:io.github.a/b`), sorted. */
  identities: string[];
  packages: Array<{ registryType: string; identifier: string; version: string | null }>;
  repositories: RepositoryRef[];
  remotes: RemoteRef[];
  sources: SourceName[];
  /** Version by identity key, where known. */
  versions: Record<string, string>;
  /** `active` if any listing is active, else `deprecated`, else `deleted`. */
  status: 'active' | 'deprecated' | 'deleted';
  downloads: number | null;
  stars: number | null;
  transports: string[];
  environmentVariables: DeclaredEnvVar[];
  arguments: DeclaredArgument[];
  /** Set when every listing is "not a server" (the first listing's reason); null or absent: a server. */
  notServer?: NotServer | null;
}
