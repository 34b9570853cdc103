/** The npm registry: specs `npm:<name>[@<version>]`, installed with npm, started on Node. */
import { formatPackageSpec, type PackageSpec } from '../../../records/index.ts';
import type { PackageRegistryCrawler } from '../types.ts';
import { crawlNpmPackage } from './crawl.ts';
import { parseNpmSpec } from './spec.ts';

export const npmRegistry: PackageRegistryCrawler = {
  registry: 'npm',
  parseSpec: parseNpmSpec,
  label: formatPackageSpec,
  name: (spec: PackageSpec) => spec.name,
  crawl: crawlNpmPackage,
};

export { crawlNpmPackage } from './crawl.ts';
export { fetchPackument, packumentUrl, parsePackument, repositoryUrlOf, resolveVersion } from './client.ts';
export type { Manifest, Packument } from './client.ts';
export { cachedNpmPackageDir, installNpmPackage, unpackNpmPackage } from './install.ts';
export { chooseNodeRuntime, newerNodeWanted, nodeLadderHooks } from './runtime.ts';
export type { RuntimeChoice } from './runtime.ts';
export { isValidNpmName, parseNpmSpec } from './spec.ts';
