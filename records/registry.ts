/** Registries a server can be published on, each also a discovery source (DESIGN.md §2), in discovery's order. */
export const REGISTRIES = ['mcp-registry', 'npm', 'pypi', 'github'] as const;
/** A registry name: `npm`, `pypi`, `github` or `mcp-registry`. */
export type Registry = (typeof REGISTRIES)[number];
