/**
 * A start that failed on an import of a package npm did not install because the server declares it as a peer or an
 * optional dependency: npm leaves out an optional peer (`peerDependenciesMeta[x].optional`) and an optional
 * dependency that does not install on this platform, and the server imports it at start anyway. Recorded as
 * `missing_peer_dependency` rather than a crash, with the package named.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isValidNpmName } from './spec.ts';

/**
 * What Node prints for an import it cannot resolve, the request being the capture: CommonJS's `Cannot find module
 * 'x'` (with its `Require stack:`), ESM's `Cannot find package 'x' imported from …` (ERR_MODULE_NOT_FOUND).
 */
const NOT_FOUND = [/Cannot find module ['"]([^'"\n]{1,214})['"]/g, /Cannot find package ['"]([^'"\n]{1,214})['"]/g];

/**
 * The npm package names of the imports a failed start could not resolve, in order, without repeats: a bare request's
 * package (`x/sub` → `x`, `@s/x/sub` → `@s/x`); relative and absolute paths, `node:` built-ins and names npm would
 * not accept are left out.
 */
export function unresolvedPackages(stderrTail: string): string[] {
  const found: Array<{ at: number; name: string }> = [];
  for (const pattern of NOT_FOUND) {
    for (const m of stderrTail.matchAll(pattern)) {
      const request = m[1]!;
      if (/^(?:\.|\/|[a-z]+:)/i.test(request)) continue;
      const parts = request.split('/');
      const name = request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
      if (isValidNpmName(name)) found.push({ at: m.index, name });
    }
  }
  const names: string[] = [];
  for (const { name } of found.sort((a, b) => a.at - b.at)) if (!names.includes(name)) names.push(name);
  return names;
}

/** A manifest's dependency fields, as read from package.json (any shape). */
export interface DependencyFields {
  peerDependencies?: unknown;
  optionalDependencies?: unknown;
}

/** Which of the two fields declares `name`, peer first; null when neither does. Reads own keys only. */
function declaredIn(name: string, manifest: DependencyFields): 'peerDependencies' | 'optionalDependencies' | null {
  for (const field of ['peerDependencies', 'optionalDependencies'] as const) {
    const deps = manifest[field];
    if (deps !== null && typeof deps === 'object' && !Array.isArray(deps) && Object.hasOwn(deps, name)) return field;
  }
  return null;
}

/**
 * The first package a failed start could not import ({@link unresolvedPackages}) that `manifest` declares as a peer or
 * optional dependency and that is not installed under `installRoot/node_modules` (nor beside the package, as npm may
 * nest it); null when there is none.
 */
export async function missingPeerDependency(
  stderrTail: string, manifest: DependencyFields, installRoot: string, packageDir: string,
): Promise<{ name: string; field: 'peerDependencies' | 'optionalDependencies' } | null> {
  for (const name of unresolvedPackages(stderrTail)) {
    const field = declaredIn(name, manifest);
    if (field === null) continue;
    const places = [path.join(installRoot, 'node_modules', name), path.join(packageDir, 'node_modules', name)];
    const installed = await Promise.all(places.map((p) => stat(p).then((s) => s.isDirectory(), () => false)));
    if (!installed.some(Boolean)) return { name, field };
  }
  return null;
}
