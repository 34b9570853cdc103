/**
 * The registries the crawler knows, in one table: the queue, the plan and spec parsing dispatch on it. Adding a
 * registry (OCI images, `.mcpb` bundles) is a folder beside these exporting a {@link PackageRegistryCrawler}, and one
 * line in {@link PACKAGE_REGISTRIES}.
 */
import type { PackageSpec } from '../../records/index.ts';
import { npmRegistry } from './npm/index.ts';
import { pypiRegistry } from './pypi/index.ts';
import { remoteRegistry } from './remote/index.ts';
import type { PackageRegistryCrawler } from './types.ts';

/** Package registries the crawl installs from, in the order a server's packages are preferred. */
export const PACKAGE_REGISTRIES: readonly PackageRegistryCrawler[] = [
  npmRegistry,
  pypiRegistry,
];

/** Servers offered only as remote endpoints of an MCP Registry entry. */
export const REMOTE_REGISTRY = remoteRegistry;

/** The package registry named `name` (a spec's prefix, a `server.json` `registryType`), or undefined. */
export function packageRegistry(name: string): PackageRegistryCrawler | undefined {
  return PACKAGE_REGISTRIES.find((r) => r.registry === name.toLowerCase());
}

/** The package registry that crawls `spec`. @throws Error when no registry of the table has `spec.registry`. */
export function registryOf(spec: PackageSpec): PackageRegistryCrawler {
  const registry = packageRegistry(spec.registry);
  if (!registry) throw new Error(`no crawler for registry "${spec.registry}" (known: ${PACKAGE_REGISTRIES.map((r) => r.registry).join(', ')})`);
  return registry;
}

export type { PackageRegistryCrawler, RegistryCrawler, RemoteRegistryCrawler } from './types.ts';
export type { RemoteServer } from './remote/index.ts';
