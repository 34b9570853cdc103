/**
 * Package specs as the crawler takes them: `<registry>:<name>[@<version>]`, each registry of the table
 * (`registries/index.ts`) parsing its own (`npm:@scope/name@1.2.3`, `pypi:mcp-server-fetch@2025.1.17`). A bare name
 * without a prefix is taken as npm.
 */
import { formatPackageSpec, type PackageSpec } from '../records/index.ts';
import { CrawlError } from './errors.ts';
import { PACKAGE_REGISTRIES, packageRegistry } from './registries/index.ts';

export { formatPackageSpec };

/**
 * Parses `<registry>:<name>[@<version>]` with the registry's own rules; a bare name is an npm spec.
 * @throws CrawlError `BAD_PACKAGE_SPEC` naming the spec and what was expected.
 */
export function parsePackageSpec(raw: string): PackageSpec {
  const text = raw.trim();
  const prefix = /^([a-z][a-z0-9-]*):/.exec(text);
  const registry = packageRegistry(prefix ? prefix[1]! : 'npm');
  if (!registry) {
    const known = PACKAGE_REGISTRIES.map((r) => `${r.registry}:<name>[@<version>]`).join(' and ');
    throw new CrawlError('BAD_PACKAGE_SPEC', `"${raw}": only ${known} specs are supported so far`);
  }
  return registry.parseSpec(raw, prefix ? text.slice(prefix[0].length) : text);
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
