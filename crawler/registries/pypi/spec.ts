/**
 * PyPI package specs: `pypi:<name>[@<version>]`, e.g. `pypi:mcp-server-fetch@2025.1.17`. The name is normalized
 * (PEP 503) and the version is an exact PEP 440 version, a specifier (`>=1.2,<2`) or `latest` (the default).
 */
import type { PackageSpec } from '../../../records/index.ts';
import { CrawlError } from '../../errors.ts';
import { normalisePypiName } from './client.ts';

/** PEP 508 project names: ASCII letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit. */
const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/;
const PEP440_PART = /^[A-Za-z0-9.+!*_\-<>=~, ]+$/;

/**
 * Parses `body`, the part of spec `raw` after `pypi:`: `<name>[@<version>]`.
 * @throws CrawlError `BAD_PACKAGE_SPEC` naming the spec and what was expected.
 */
export function parsePypiSpec(raw: string, body: string): PackageSpec {
  const at = body.indexOf('@');
  const name = at === -1 ? body : body.slice(0, at);
  const version = at === -1 ? 'latest' : body.slice(at + 1).trim();
  if (!PYPI_NAME.test(name)) throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": "${name}" is not a valid PyPI project name`);
  if (version.length === 0 || version.length > 256 || !PEP440_PART.test(version)) {
    throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": "${version}" is not a PEP 440 version or specifier`);
  }
  return { registry: 'pypi', name: normalisePypiName(name), version };
}
