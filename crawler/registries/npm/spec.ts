/**
 * npm package specs: `npm:<name>[@<version>]`, e.g. `npm:@scope/name@1.2.3`, `npm:some-server@^2`,
 * `npm:some-server@next`. The version part is an exact version, a semver range or a dist-tag; without one the
 * `latest` dist-tag is crawled.
 */
import type { PackageSpec } from '../../../records/index.ts';
import { CrawlError } from '../../errors.ts';

/** npm package name rules (npm's validate-npm-package-name, "new" names): lowercase, URL-safe, ≤ 214 chars. */
const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const VERSION_PART = /^[A-Za-z0-9.+\-^~<>=| *x]+$/;

export function isValidNpmName(name: string): boolean {
  return name.length > 0 && name.length <= 214 && NPM_NAME.test(name);
}

/**
 * Parses `body`, the part of spec `raw` after `npm:`: `<name>[@<version>]`.
 * @throws CrawlError `BAD_PACKAGE_SPEC` naming the spec and what was expected.
 */
export function parseNpmSpec(raw: string, body: string): PackageSpec {
  const at = body.indexOf('@', body.startsWith('@') ? 1 : 0);
  const name = at === -1 ? body : body.slice(0, at);
  const version = at === -1 ? 'latest' : body.slice(at + 1);
  if (!isValidNpmName(name)) {
    throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": "${name}" is not a valid npm package name`);
  }
  if (version.length === 0 || version.length > 256 || !VERSION_PART.test(version)) {
    throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": "${version}" is not a version, range or dist-tag`);
  }
  return { registry: 'npm', name, version };
}
