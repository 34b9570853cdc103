/** Registries a server can be published on that discovery enumerates (DESIGN.md §2), in discovery's order. */
export const REGISTRIES = ['mcp-registry', 'npm', 'pypi', 'github'] as const;
/**
 * Package registry types a `server.json` package may name (MCP Registry `server.json` schema 2025-12-11,
 * `packages[].registryType`): the registries a crawler of `crawler/registries/` can install from.
 */
export const PACKAGE_REGISTRY_TYPES = ['npm', 'pypi', 'oci', 'nuget', 'mcpb'] as const;
/** A registry name: a discovery source (`npm`, `pypi`, `github`, `mcp-registry`) or a package registry type (`oci`, `mcpb`, …). */
export type Registry = (typeof REGISTRIES)[number] | (typeof PACKAGE_REGISTRY_TYPES)[number];
