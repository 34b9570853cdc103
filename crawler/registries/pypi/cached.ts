/**
 * A crawled PyPI version's install, for work after the crawl (`mcp-catalogue effects`): the one the package cache
 * already holds ({@link cachedPypiInstall}), or the same release installed again from the index as the crawl installs
 * it ({@link installPypiVersion}: the wheel downloaded and checked against its digest, unpacked inside the sandbox).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CrawlError } from '../../errors.ts';
import type { HttpClient } from '../../http.ts';
import type { SandboxLimits } from '../../sandbox.ts';
import { fetchSimpleProject, simpleIndexUrl } from './client.ts';
import { findDistInfo, installPypiPackage, pypiInstallRoot, sitePackagesOf, type InstalledPypiPackage } from './install.ts';
import { resolvePypiVersion } from './versions.ts';
import { probeInterpreter, selectWheel } from './wheels.ts';

/**
 * The finished install of `name` at `version` in the package cache at `cacheDir` (`<cacheDir>/pypi/<name>/<version>`
 * with its `.installed.json` marker), laid out for the Python it was installed with; null when there is none, the
 * marker is unreadable or the project's `.dist-info` is missing. Nothing is installed or run.
 */
export async function cachedPypiInstall(cacheDir: string, name: string, version: string): Promise<Pick<InstalledPypiPackage, 'root' | 'sitePackages' | 'distInfoDir'> | null> {
  try {
    const root = pypiInstallRoot(cacheDir, name, version);
    const marker: unknown = JSON.parse(await readFile(path.join(root, '.installed.json'), 'utf8'));
    const python = marker && typeof marker === 'object' ? (marker as { python?: unknown }).python : undefined;
    if (typeof python !== 'string' || !/^\d+\.\d+/.test(python)) return null;
    const sitePackages = path.join(root, sitePackagesOf(python));
    return { root, sitePackages, distInfoDir: await findDistInfo(sitePackages, name, version) };
  } catch {
    return null;
  }
}

export interface PypiReinstallOptions {
  cacheDir: string;
  http: HttpClient;
  /** PyPI base URL; the Simple API is read at `<pypiUrl>/simple`. */
  pypiUrl: string;
  limits?: Partial<SandboxLimits>;
  bwrapPath?: string;
  signal?: AbortSignal;
}

/**
 * Installs `name` at exactly `version` into the package cache as the crawl does (`installPypiPackage`, reusing a
 * finished install): resolved on the index's Simple API, the wheel chosen for this machine's Python.
 * @throws CrawlError `VERSION_NOT_FOUND` (no such release on the index), `INSTALL_FAILED` (no wheel for this machine, a
 * failed install), or the index's error.
 */
export async function installPypiVersion(name: string, version: string, options: PypiReinstallOptions): Promise<InstalledPypiPackage> {
  const indexUrl = simpleIndexUrl(options.pypiUrl);
  const release = resolvePypiVersion(await fetchSimpleProject(options.http, indexUrl, name, options.signal), version);
  const interpreter = await probeInterpreter();
  const choice = selectWheel(release.files, interpreter);
  if (!choice.wheel) throw new CrawlError('INSTALL_FAILED', `${name} ${version}: ${choice.reason}`);
  return installPypiPackage(name, version, choice.wheel, {
    cacheDir: options.cacheDir, http: options.http, indexUrl, interpreter, limits: options.limits, bwrapPath: options.bwrapPath, signal: options.signal,
  });
}
