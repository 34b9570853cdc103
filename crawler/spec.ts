/**
 * Package specs as the crawler takes them: `npm:<name>[@<version>]`, e.g. `npm:@scope/name@1.2.3`,
 * `npm:some-server@^2`, `npm:some-server@next`. The version part is an exact version, a semver range or a
 * dist-tag; without one the `latest` dist-tag is crawled.
 *
 * PyPI specs are `pypi:<name>[@<version>]`, e.g. `pypi:mcp-server-fetch@2025.1.17`: the name is normalized (PEP 503)
 * and the version is an exact PEP 440 version, a specifier (`>=1.2,<2`) or `latest` (the default).
 */
import { CrawlError } from './errors.ts';
import type { PackageSpec } from '../records/index.ts';

/** npm package name rules (npm's validate-npm-package-name, "new" names): lowercase, URL-safe, ≤ 214 chars. */
const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const VERSION_PART = /^[A-Za-z0-9.+\-^~<>=| *x]+$/;

export function isValidNpmName(name: string): boolean {
  return name.length > 0 && name.length <= 214 && NPM_NAME.test(name);
}

/**
 * Parses `npm:<name>[@<version>]`. A bare name without `npm:` is taken as npm.
 * @throws CrawlError `BAD_PACKAGE_SPEC` naming the spec and what was expected.
 */
export function parsePackageSpec(raw: string): PackageSpec {
  const text = raw.trim();
  if (text.startsWith('pypi:')) return parsePypiSpec(raw, text.slice(5));
  const body = text.startsWith('npm:') ? text.slice(4) : text;
  if (/^[a-z]+:/.test(body)) {
    throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": only npm:<name>[@<version>] and pypi:<name>[@<version>] specs are supported so far`);
  }
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

/** PEP 508 project names: ASCII letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit. */
const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/;
const PEP440_PART = /^[A-Za-z0-9.+!*_\-<>=~, ]+$/;

function parsePypiSpec(raw: string, body: string): PackageSpec {
  const at = body.indexOf('@');
  const name = at === -1 ? body : body.slice(0, at);
  const version = at === -1 ? 'latest' : body.slice(at + 1).trim();
  if (!PYPI_NAME.test(name)) throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": "${name}" is not a valid PyPI project name`);
  if (version.length === 0 || version.length > 256 || !PEP440_PART.test(version)) {
    throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": "${version}" is not a PEP 440 version or specifier`);
  }
  return { registry: 'pypi', name: name.toLowerCase().replace(/[-_.]+/g, '-'), version };
}

/** Formats a spec back to `npm:<name>@<version>`. */
export function formatPackageSpec(spec: PackageSpec): string {
  return `${spec.registry}:${spec.name}@${spec.version}`;
}

/**
 * Reads a packages file: one spec a line, `#` starts a comment, blank lines ignored.
 * Returns the specs and, separately, the lines that did not parse (with 1-based line numbers).
 */
export function parsePackagesFile(text: string): { specs: PackageSpec[]; errors: Array<{ line: number; message: string }> } {
  const specs: PackageSpec[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (!line) return;
    try {
      specs.push(parsePackageSpec(line));
    } catch (error) {
      errors.push({ line: index + 1, message: (error as Error).message });
    }
  });
  return { specs, errors };
}
