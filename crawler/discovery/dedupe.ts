/**
 * Deduplication: candidates from every source become one {@link DiscoveredServer} per server. The rules (and why)
 * are in this folder's README: package identity and the registry's declarations always merge; repository URLs,
 * repository ids and `mcpName` claims merge only when no two different packages of one registry share them;
 * display names never merge.
 */
import { normalisePypiName } from '../registries/pypi/client.ts';
import type { DeclaredArgument, DeclaredEnvVar, DiscoveredServer, RemoteRef, RepositoryRef, ServerCandidate, SourceName } from '../../records/index.ts';

/** Registries whose identifiers name packages (the ambiguity rule counts these). */
const IDENTITY_ORDER = ['mcp-registry', 'npm', 'pypi', 'oci', 'nuget', 'mcpb', 'github'];

/** `<registryType>:<identifier>` with the identifier in the registry's canonical spelling. */
export function packageKey(registryType: string, identifier: string): string {
  const type = registryType.toLowerCase();
  if (type === 'pypi') return `pypi:${normalisePypiName(identifier)}`;
  if (type === 'github' || type === 'oci') return `${type}:${identifier.toLowerCase()}`;
  return `${type}:${identifier}`;
}

/** A candidate's own identity key (`npm:@a/b`, `github:owner/repo`, `mcp-registry:io.github.a/b`). */
export function identityKey(candidate: ServerCandidate): string {
  return packageKey(candidate.registry, candidate.identifier);
}

/** Keys that always merge: the candidate's identity and every package it is published as or declares. */
function strongKeys(c: ServerCandidate): string[] {
  return [identityKey(c), ...c.packages.map((p) => packageKey(p.registryType, p.identifier))];
}

/**
 * Keys that merge only when unambiguous: the repository URL and id, or, for a server in a monorepo subfolder, the
 * URL with that subfolder only (the repository as a whole holds more than this server); and an `mcpName` claim.
 */
function weakKeys(c: ServerCandidate): string[] {
  const keys: string[] = [];
  if (c.repository) {
    const sub = c.repository.subfolder?.replace(/^\.?\/+|\/+$/g, '').toLowerCase();
    if (sub) keys.push(`repo:${c.repository.url}#${sub}`);
    else {
      keys.push(`repo:${c.repository.url}`);
      if (c.repository.id) keys.push(`repoid:${new URL(c.repository.url).host}:${c.repository.id}`);
    }
  }
  if (c.mcpName && c.registry !== 'mcp-registry') keys.push(`mcp-registry:${c.mcpName}`);
  return keys;
}

/** Package identities of a candidate by registry type, for the ambiguity rule (GitHub and registry names excluded). */
function packageIdentities(c: ServerCandidate): string[] {
  return strongKeys(c).filter((k) => !k.startsWith('github:') && !k.startsWith('mcp-registry:'));
}

class UnionFind {
  readonly #parent: number[];
  constructor(size: number) {
    this.#parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.#parent[i] !== i) {
      this.#parent[i] = this.#parent[this.#parent[i]!]!;
      i = this.#parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.#parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Merges candidates into servers, sorted by id. Deterministic: the same candidates in any order give the same
 * servers. Each server lists every identity, package, repository and source it was found under.
 */
export function deduplicate(candidates: readonly ServerCandidate[]): DiscoveredServer[] {
  const sorted = [...candidates].sort((a, b) => compareIdentity(identityKey(a), identityKey(b)) || a.source.localeCompare(b.source));
  const uf = new UnionFind(sorted.length);
  const carriers = new Map<string, { strong: number[]; weak: number[] }>();
  const carry = (key: string, index: number, kind: 'strong' | 'weak') => {
    let entry = carriers.get(key);
    if (!entry) carriers.set(key, (entry = { strong: [], weak: [] }));
    entry[kind].push(index);
  };
  sorted.forEach((c, i) => {
    for (const key of new Set(strongKeys(c))) carry(key, i, 'strong');
    for (const key of new Set(weakKeys(c))) carry(key, i, 'weak');
  });
  for (const { strong } of carriers.values()) for (const i of strong.slice(1)) uf.union(strong[0]!, i);
  // Package identities per group (by registry), so a weak key never joins groups holding different packages.
  const packagesOf = new Map<number, Map<string, Set<string>>>();
  sorted.forEach((c, i) => {
    const root = uf.find(i);
    const byRegistry = packagesOf.get(root) ?? new Map<string, Set<string>>();
    for (const key of packageIdentities(c)) {
      const registry = key.slice(0, key.indexOf(':'));
      byRegistry.set(registry, (byRegistry.get(registry) ?? new Set()).add(key));
    }
    packagesOf.set(root, byRegistry);
  });
  for (const { strong, weak } of carriers.values()) {
    if (weak.length === 0) continue;
    const roots = [...new Set([...strong, ...weak].map((i) => uf.find(i)))];
    if (roots.length < 2 || conflicting(roots.map((r) => packagesOf.get(r)!))) continue;
    const combined = new Map<string, Set<string>>();
    for (const r of roots) for (const [registry, keys] of packagesOf.get(r)!) combined.set(registry, new Set([...(combined.get(registry) ?? []), ...keys]));
    for (const r of roots.slice(1)) uf.union(roots[0]!, r);
    packagesOf.set(uf.find(roots[0]!), combined);
  }
  const groups = new Map<number, ServerCandidate[]>();
  sorted.forEach((c, i) => {
    const root = uf.find(i);
    groups.set(root, [...(groups.get(root) ?? []), c]);
  });
  return [...groups.values()].map(merge).sort((a, b) => compareIdentity(a.id, b.id));
}

/**
 * True when two of the groups hold packages of one registry and share none of them: joining them would put two
 * different packages (a monorepo's siblings, or a fork pointing at its upstream) into one server.
 */
function conflicting(groups: Array<Map<string, Set<string>>>): boolean {
  for (let a = 0; a < groups.length; a++) {
    for (let b = a + 1; b < groups.length; b++) {
      for (const [registry, keys] of groups[a]!) {
        const other = groups[b]!.get(registry);
        if (other && ![...keys].some((k) => other.has(k))) return true;
      }
    }
  }
  return false;
}

function rankOf(key: string): number {
  const index = IDENTITY_ORDER.indexOf(key.slice(0, key.indexOf(':')));
  return index === -1 ? IDENTITY_ORDER.length - 1 : index;
}

function compareIdentity(a: string, b: string): number {
  return rankOf(a) - rankOf(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function merge(group: ServerCandidate[]): DiscoveredServer {
  // `group` is in identity order: registry entries first, then npm, PyPI, other packages, GitHub.
  const active = group.filter((c) => c.status !== 'deleted');
  const primary = active[0] ?? group[0]!;
  const identities = [...new Set(group.map(identityKey))].sort(compareIdentity);
  const packages = new Map<string, { registryType: string; identifier: string; version: string | null }>();
  for (const c of group) {
    for (const p of c.packages) {
      const key = packageKey(p.registryType, p.identifier);
      const own = c.registry !== 'mcp-registry';
      const existing = packages.get(key);
      if (!existing || (own && p.version)) packages.set(key, { registryType: p.registryType, identifier: p.identifier, version: p.version ?? existing?.version ?? null });
    }
  }
  const repositories = new Map<string, RepositoryRef>();
  for (const c of group) {
    if (!c.repository) continue;
    const existing = repositories.get(c.repository.url);
    repositories.set(c.repository.url, {
      url: c.repository.url,
      id: existing?.id ?? c.repository.id,
      subfolder: existing?.subfolder ?? c.repository.subfolder,
    });
  }
  const versions: Record<string, string> = {};
  for (const c of group) if (c.version) versions[identityKey(c)] = c.version;
  const statuses = new Set(group.map((c) => c.status));
  const envVars = new Map<string, DeclaredEnvVar>();
  const args = new Map<string, DeclaredArgument>();
  const transports = new Set<string>();
  const remotes = new Map<string, RemoteRef>();
  for (const c of group) {
    for (const p of c.packages) {
      if (p.transport) transports.add(p.transport);
      for (const v of p.environmentVariables) if (!envVars.has(v.name)) envVars.set(v.name, v);
      for (const a of p.arguments) args.set(JSON.stringify(a), a);
    }
    for (const r of c.remotes) {
      transports.add(r.type);
      remotes.set(`${r.type} ${r.url}`, r);
    }
  }
  const downloads = group.filter((c) => c.downloads !== null);
  const stars = group.filter((c) => c.stars !== null);
  return {
    id: identities[0]!,
    name: primary.name,
    description: group.find((c) => c.description)?.description ?? null,
    identities,
    packages: [...packages.entries()].sort(([a], [b]) => compareIdentity(a, b)).map(([, p]) => p),
    repositories: [...repositories.values()].sort((a, b) => a.url.localeCompare(b.url)),
    remotes: [...remotes.values()],
    sources: [...new Set(group.map((c) => c.source))].sort() as SourceName[],
    versions,
    status: statuses.has('active') ? 'active' : statuses.has('deprecated') ? 'deprecated' : 'deleted',
    downloads: downloads.length ? downloads.reduce((sum, c) => sum + c.downloads!, 0) : null,
    stars: stars.length ? Math.max(...stars.map((c) => c.stars!)) : null,
    transports: [...transports].sort(),
    environmentVariables: [...envVars.values()],
    arguments: [...args.values()],
    // One listing that is a server (a registry entry naming the package, say) outweighs the packument's rules.
    notServer: group.every((c) => c.notServer) ? group[0]!.notServer! : null,
  };
}
