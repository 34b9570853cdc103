/**
 * The registry table (`crawler/registries/index.ts`) is whole: every registry folder is in it, each package
 * registry parses its own specs, and spec parsing and the plan dispatch on it.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_REGISTRIES, REMOTE_REGISTRY, packageRegistry, registryOf } from '../crawler/registries/index.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { formatPackageSpec, PACKAGE_REGISTRY_TYPES, REGISTRIES } from '../records/index.ts';

const folder = path.resolve(import.meta.dirname, '../crawler/registries');

describe('the registry table', () => {
  it('lists every folder under crawler/registries/, each folder with an index.ts', async () => {
    const folders = readdirSync(folder).filter((f) => statSync(path.join(folder, f)).isDirectory()).sort();
    const listed: string[] = [];
    for (const name of folders) {
      const mod = (await import(path.join(folder, name, 'index.ts'))) as Record<string, unknown>;
      const crawler = Object.values(mod).find((v) => v === REMOTE_REGISTRY || PACKAGE_REGISTRIES.includes(v as never));
      expect(crawler, `crawler/registries/${name}/index.ts exports a crawler that is in the table`).toBeDefined();
      listed.push(name);
    }
    expect(listed).toEqual(folders);
    expect(PACKAGE_REGISTRIES.length + 1).toBe(folders.length);
  });

  it('names every package registry as a registry of the records', () => {
    const names = [...REGISTRIES, ...PACKAGE_REGISTRY_TYPES] as string[];
    for (const r of PACKAGE_REGISTRIES) expect(names).toContain(r.registry);
    expect(names).toContain(REMOTE_REGISTRY.registry);
    expect(new Set(PACKAGE_REGISTRIES.map((r) => r.registry)).size).toBe(PACKAGE_REGISTRIES.length);
  });

  it('parses each registry\'s specs with its own rules and formats them back', () => {
    for (const raw of ['npm:@scope/name@1.2.3', 'pypi:mcp-server-fetch@2025.1.17']) {
      const spec = parsePackageSpec(raw);
      expect(formatPackageSpec(spec)).toBe(raw);
      expect(registryOf(spec).registry).toBe(raw.split(':')[0]);
      expect(registryOf(spec).label(spec)).toBe(raw);
    }
    expect(parsePackageSpec('some-server')).toEqual({ registry: 'npm', name: 'some-server', version: 'latest' });
    expect(parsePackageSpec('pypi:Mcp_Server.Fetch')).toEqual({ registry: 'pypi', name: 'mcp-server-fetch', version: 'latest' });
    expect(() => parsePackageSpec('oci:ghcr.io/acme/server')).toThrow(/only npm:<name>\[@<version>\] and pypi:<name>\[@<version>\] specs/);
    expect(packageRegistry('NPM')).toBe(packageRegistry('npm'));
    expect(packageRegistry('nuget')).toBeUndefined();
    expect(() => registryOf({ registry: 'oci', name: 'x', version: 'latest' })).toThrow(/no crawler for registry "oci"/);
  });
});
