/**
 * Which of a version's dependencies npm would fetch from somewhere other than the registry. A dependency's spec may
 * be a URL (`http://…/x.tgz`), a git repository (`git+https://…`, `git://…`, `github:user/repo`, `user/repo`), a
 * path (`file:…`, `link:…`, `../x`) or an alias to one; npm fetches or links each of those itself. The install
 * reaches only the registry (`registry-proxy.ts`), so a package that depends on one of them directly is refused
 * before npm runs, with a message that names it; one deeper in the tree fails in the sandbox, at the proxy.
 *
 * The rule is an allowlist of what npm (npm-package-arg) resolves from the registry: a version, a semver range, a
 * dist-tag, or `npm:<name>@<one of those>`.
 */
import semver from 'semver';
import { isValidNpmName } from './spec.ts';

/** A dependency npm would not take from the registry: the manifest field, the dependency's name and its spec. */
export interface ForeignDependency {
  field: 'dependencies' | 'peerDependencies';
  name: string;
  spec: string;
}

/** A dist-tag as npm accepts one: a spec that URI encoding leaves unchanged and that is not a range (npm-package-arg). */
const DIST_TAG = /^[A-Za-z0-9][A-Za-z0-9._~!*'()-]*$/;

/**
 * Whether npm resolves `spec` against the registry: empty (any version), a version or semver range, a dist-tag, or an
 * alias `npm:<name>[@<version, range or dist-tag>]`.
 */
export function isRegistrySpec(spec: string): boolean {
  const trimmed = spec.trim();
  if (trimmed.startsWith('npm:')) {
    const alias = /^npm:((?:@[^/@\s]+\/)?[^/@\s]+)(?:@(.*))?$/.exec(trimmed);
    return alias !== null && isValidNpmName(alias[1]!) && (alias[2] === undefined || (!alias[2].trim().startsWith('npm:') && isRegistrySpec(alias[2])));
  }
  if (trimmed === '' || semver.validRange(trimmed, { loose: true }) !== null) return true;
  // npm takes a name ending like a tarball for a file beside the package, not a dist-tag.
  return DIST_TAG.test(trimmed) && !/\.(?:tgz|tar|tar\.gz)$/i.test(trimmed);
}

/**
 * The dependencies of `manifest` (a version from the packument) that npm would not take from the registry: every
 * entry of `dependencies`, and of `peerDependencies` unless `peerDependenciesMeta` marks it optional (npm installs the
 * others). `optionalDependencies` are left to the sandbox: npm goes on without one it cannot fetch. A field that is
 * not an object is ignored; an entry whose spec is not a string is returned as its JSON.
 */
export function foreignDependencies(manifest: { dependencies?: unknown; peerDependencies?: unknown; peerDependenciesMeta?: unknown }): ForeignDependency[] {
  const found: ForeignDependency[] = [];
  const optionalPeer = (name: string): boolean => {
    const meta = manifest.peerDependenciesMeta;
    if (meta === null || typeof meta !== 'object' || !Object.hasOwn(meta, name)) return false;
    const entry: unknown = (meta as Record<string, unknown>)[name];
    return entry !== null && typeof entry === 'object' && (entry as { optional?: unknown }).optional === true;
  };
  for (const field of ['dependencies', 'peerDependencies'] as const) {
    const deps = manifest[field];
    if (deps === null || typeof deps !== 'object' || Array.isArray(deps)) continue;
    for (const [name, spec] of Object.entries(deps as Record<string, unknown>)) {
      if (field === 'peerDependencies' && optionalPeer(name)) continue;
      if (typeof spec !== 'string') found.push({ field, name, spec: JSON.stringify(spec) ?? String(spec) });
      else if (!isRegistrySpec(spec)) found.push({ field, name, spec });
    }
  }
  return found;
}

/** The one-line reason an install with `foreign` dependencies is refused (at most three named, each cut to 200 characters). */
export function foreignDependencyMessage(foreign: readonly ForeignDependency[]): string {
  const named = foreign.slice(0, 3).map((d) => `${d.field}.${d.name} is not a version from the registry (${JSON.stringify(d.spec.slice(0, 200))})`);
  const more = foreign.length > 3 ? `, and ${foreign.length - 3} more` : '';
  return `${named.join('; ')}${more}: npm would fetch or link it from there, and the install reaches only the registry, so it was not run`;
}
