/**
 * Choosing the release of a PyPI project to crawl, by PEP 440 ordering (`@renovatebot/pep440`).
 *
 * - `latest` (the default): the highest release that has a file that is not yanked and is not a pre- or
 *   development release; when a project has only pre-releases, the highest of those (PEP 440, "Handling of
 *   pre-releases": pre-releases are accepted when nothing else satisfies the request).
 * - an exact version (`1.2`, equal to `1.2.0`): that release, yanked or not (PEP 592 lets an exact pin select a
 *   yanked release).
 * - a specifier (`>=1.2,<2`, `~=1.4`, `==1.*`): the highest non-yanked release it admits, final releases first.
 *
 * Versions are grouped by their normalized form, so `foo-1.0.tar.gz` and `foo-1.0.0-py3-none-any.whl` are one release.
 */
import { clean, compare, explain, satisfies, valid, validRange } from '@renovatebot/pep440';
import { CrawlError } from '../../errors.ts';
import type { DistributionFile, SimpleProject } from './client.ts';

/** One release of a project: its normalized version and its files. */
export interface PypiRelease {
  /** Normalized PEP 440 version, e.g. `1.0rc1`. */
  version: string;
  /** The release's files; when the release is not yanked, only its files that are not. */
  files: DistributionFile[];
  /** False, or why the release was yanked (every one of its files is). */
  yanked: false | string;
  /** A pre-release or development release. */
  prerelease: boolean;
}

/** Groups a project's files into releases by normalized version. Files whose name states no valid version are left out. */
export function releasesOf(project: SimpleProject): PypiRelease[] {
  const byVersion = new Map<string, DistributionFile[]>();
  for (const file of project.files) {
    if (file.version === null || file.kind === 'other') continue;
    const version = clean(file.version);
    if (!version) continue;
    const list = byVersion.get(version) ?? [];
    list.push(file);
    byVersion.set(version, list);
  }
  return [...byVersion].map(([version, files]) => {
    const live = files.filter((f) => f.yanked === false);
    const yanked = live.length === 0 ? (files[0]!.yanked as string) : false;
    return { version, files: yanked === false ? live : files, yanked, prerelease: explain(version)?.is_prerelease ?? false };
  });
}

function highest(releases: PypiRelease[]): PypiRelease | undefined {
  const finals = releases.filter((r) => !r.prerelease);
  const pool = finals.length > 0 ? finals : releases;
  return [...pool].sort((a, b) => compare(b.version, a.version))[0];
}

function knownVersions(releases: PypiRelease[]): string {
  const versions = releases.map((r) => r.version).sort((a, b) => compare(b, a));
  return versions.length === 0 ? 'none' : `${versions.slice(0, 8).join(', ')}${versions.length > 8 ? ', …' : ''}`;
}

/**
 * Picks the release `requested` names (see the module comment).
 * @throws CrawlError `VERSION_NOT_FOUND` naming the request and the versions the project has.
 */
export function resolvePypiVersion(project: SimpleProject, requested = 'latest'): PypiRelease {
  const releases = releasesOf(project);
  const request = requested.trim();
  if (request === '' || request === 'latest') {
    const chosen = highest(releases.filter((r) => r.yanked === false));
    if (chosen) return chosen;
    const why = releases.length === 0 ? 'it has no release files' : 'every release is yanked';
    throw new CrawlError('VERSION_NOT_FOUND', `${project.name}: no release to crawl: ${why} (versions: ${knownVersions(releases)})`);
  }
  if (valid(request)) {
    const exact = releases.find((r) => compare(r.version, request) === 0);
    if (exact) return exact;
    throw new CrawlError('VERSION_NOT_FOUND', `${project.name}: no release ${request} (versions: ${knownVersions(releases)})`);
  }
  if (validRange(request)) {
    const chosen = highest(releases.filter((r) => r.yanked === false && satisfies(r.version, request)));
    if (chosen) return chosen;
    throw new CrawlError('VERSION_NOT_FOUND', `${project.name}: no release satisfies "${request}" (versions: ${knownVersions(releases)})`);
  }
  throw new CrawlError('VERSION_NOT_FOUND', `${project.name}: "${request}" is not a PEP 440 version or specifier`);
}
