/** PyPI: specs `pypi:<name>[@<version>]`, wheels installed inside the sandbox, started on Debian's Python. */
import { formatPackageSpec, type PackageSpec } from '../../../records/index.ts';
import type { PackageRegistryCrawler } from '../types.ts';
import { crawlPypiPackage } from './crawl.ts';
import { parsePypiSpec } from './spec.ts';

export const pypiRegistry: PackageRegistryCrawler = {
  registry: 'pypi',
  parseSpec: parsePypiSpec,
  label: formatPackageSpec,
  name: (spec: PackageSpec) => spec.name,
  crawl: crawlPypiPackage,
};

export { cachedPypiInstall, installPypiVersion } from './cached.ts';
export type { PypiReinstallOptions } from './cached.ts';
export { crawlPypiPackage } from './crawl.ts';
export { analysePythonEffects, PYTHON_EFFECTS_BUDGET_MS } from './effects.ts';
export type { PythonEffectsAnalysis, PythonEffectsOptions } from './effects.ts';
export { normalisePypiName } from './client.ts';
export { parsePypiSpec } from './spec.ts';
