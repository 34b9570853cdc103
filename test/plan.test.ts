import { describe, expect, it } from 'vitest';
import { declaredArguments, declaredEnvironment } from '../crawler/launch/declared.ts';
import type { DeclaredArgument, DeclaredEnvVar, DiscoveredServer } from '../records/index.ts';
import { REFUSING_URL, SCRATCH_DIR } from '../crawler/launch/index.ts';
import { planCrawl } from '../crawler/plan.ts';

function server(id: string, fields: Partial<DiscoveredServer> = {}): DiscoveredServer {
  return {
    id, name: id, description: null, identities: [id], packages: [], repositories: [], remotes: [], sources: ['npm'], versions: {},
    status: 'active', downloads: null, stars: null, transports: [], environmentVariables: [], arguments: [], ...fields,
  };
}

const npmServer = (name: string, version: string | null, fields: Partial<DiscoveredServer> = {}) =>
  server(`npm:${name}`, { packages: [{ registryType: 'npm', identifier: name, version }], ...fields });

function envVar(name: string, fields: Partial<DeclaredEnvVar> = {}): DeclaredEnvVar {
  return { name, description: null, isRequired: true, isSecret: false, default: null, placeholder: null, ...fields };
}

function arg(fields: Partial<DeclaredArgument>): DeclaredArgument {
  return { type: 'named', name: null, value: null, valueHint: null, isRequired: true, scope: 'package', ...fields };
}

describe('planCrawl', () => {
  it('plans new versions only, at the version discovery saw', () => {
    const plan = planCrawl([npmServer('a', '1.0.0'), npmServer('b', '2.0.0'), npmServer('@s/c', null)], ['npm:a@1.0.0', 'npm:b@1.9.0']);
    expect(plan.specs).toEqual([
      { registry: 'npm', name: '@s/c', version: 'latest' },
      { registry: 'npm', name: 'b', version: '2.0.0' },
    ]);
    expect(plan.skipped).toMatchObject({ alreadyAttempted: 1 });
  });

  it('takes a PyPI package when the server has no npm package', () => {
    const plan = planCrawl([server('pypi:only-py', { packages: [{ registryType: 'pypi', identifier: 'only-py', version: '0.4.2' }] })], ['pypi:only-py@0.4.1']);
    expect(plan.specs).toEqual([{ registry: 'pypi', name: 'only-py', version: '0.4.2' }]);
  });

  it('takes the version from the identity map when the package reference has none', () => {
    const plan = planCrawl([npmServer('a', null, { versions: { 'npm:a': '3.1.0' } })], []);
    expect(plan.specs).toEqual([{ registry: 'npm', name: 'a', version: '3.1.0' }]);
  });

  it('leaves out deleted, remote-only and uninstallable servers, each counted', () => {
    const plan = planCrawl([
      npmServer('gone', '1.0.0', { status: 'deleted' }),
      npmServer('old', '1.0.0', { status: 'deprecated' }),
      server('github:hosted/elsewhere', { remotes: [{ type: 'streamable-http', url: 'https://example.invalid/mcp' }] }),
      server('mcp-registry:docker', { packages: [{ registryType: 'oci', identifier: 'docker.io/x/y', version: '1' }] }),
      server('github:o/r'),
    ], []);
    expect(plan.specs.map((s) => s.name)).toEqual(['old']);
    expect(plan.remotes).toEqual([]);
    expect(plan.skipped).toEqual({ alreadyAttempted: 0, deleted: 1, remoteOnly: 1, noInstallablePackage: 2, overLimit: 0 });
  });

  it('plans registry entries offered only as remotes under their registry name, new versions only', () => {
    const remote = (name: string, version: string) => server(`mcp-registry:${name}`, {
      versions: { [`mcp-registry:${name}`]: version }, remotes: [{ type: 'streamable-http', url: `https://${name}.example/mcp` }],
    });
    const plan = planCrawl([remote('io.a/new', '1.0.0'), remote('io.a/seen', '2.0.0')], ['mcp-registry:io.a/seen@2.0.0']);
    expect(plan.specs).toEqual([]);
    expect(plan.remotes).toEqual([{ name: 'io.a/new', version: '1.0.0', description: null, repositoryUrl: null, remotes: [{ type: 'streamable-http', url: 'https://io.a/new.example/mcp' }] }]);
    expect(plan.skipped.alreadyAttempted).toBe(1);
  });

  it('prefers registries in the order given and attaches what server.json declares', () => {
    const declared = { environmentVariables: [envVar('X_TOKEN')], arguments: [arg({ name: '--root', valueHint: 'directory' })] };
    const both = server('mcp-registry:both', {
      packages: [{ registryType: 'pypi', identifier: 'both-py', version: '0.2.0' }, { registryType: 'npm', identifier: 'both-js', version: '1.0.0' }],
      ...declared,
    });
    expect(planCrawl([both], []).specs).toEqual([{ registry: 'npm', name: 'both-js', version: '1.0.0', declared }]);
    expect(planCrawl([both], [], { registries: ['pypi', 'npm'] }).specs[0]).toMatchObject({ registry: 'pypi', name: 'both-py', version: '0.2.0' });
  });

  it('keeps the most downloaded servers within --max-servers', () => {
    const plan = planCrawl([
      npmServer('few', '1.0.0', { downloads: 10 }),
      npmServer('many', '1.0.0', { downloads: 10_000 }),
      npmServer('unknown', '1.0.0'),
      npmServer('some', '1.0.0', { downloads: 500 }),
    ], [], { maxServers: 2 });
    expect(plan.specs.map((s) => s.name)).toEqual(['many', 'some']);
    expect(plan.skipped.overLimit).toBe(2);
  });
});

describe('declaredEnvironment', () => {
  it('uses a declared default, then a usable placeholder, then a type-aware placeholder', () => {
    expect(declaredEnvironment([
      envVar('REGION', { default: 'eu-west-2' }),
      envVar('ACME_KEY', { placeholder: 'sk_live_123' }),
      envVar('ACME_TOKEN', { placeholder: 'Your API token from the dashboard' }),
      envVar('ACME_API_URL'),
    ])).toEqual({ REGION: 'eu-west-2', ACME_KEY: 'sk_live_123', ACME_TOKEN: 'placeholder0000000000000000000000', ACME_API_URL: REFUSING_URL });
  });

  it('never sets path-like variables without a default, reserved names or malformed names', () => {
    expect(declaredEnvironment([
      envVar('CONFIG_FILE'), envVar('DATA_DIR'), envVar('PATH', { default: '/evil' }), envVar('HOME'), envVar('BAD NAME'), envVar('1X'),
      envVar('LOG_DIR', { default: '/path/to/logs' }),
    ])).toEqual({ LOG_DIR: SCRATCH_DIR });
  });

  it('rewrites URL defaults to the refusing loopback URL: the server never gets a real endpoint from us', () => {
    expect(declaredEnvironment([envVar('API_BASE', { default: 'https://api.example.com' })])).toEqual({ API_BASE: REFUSING_URL });
  });
});

describe('declaredArguments', () => {
  it('turns package arguments into flags and values, placeholders by hint, runtime arguments left out', () => {
    expect(declaredArguments([
      arg({ name: '--workspace', valueHint: 'directory' }),
      arg({ name: '--api-url', valueHint: 'url' }),
      arg({ name: '--read-only', isRequired: false, value: null }),
      arg({ name: '--verbose', isRequired: true }),
      arg({ type: 'positional', value: '/path/to/allowed', isRequired: true }),
      arg({ type: 'positional', valueHint: 'port', isRequired: true }),
      arg({ name: '--max-old-space-size=512', scope: 'runtime' }),
      arg({ name: 'rm -rf /', valueHint: 'x' }),
    ])).toEqual(['--workspace', SCRATCH_DIR, '--api-url', REFUSING_URL, '--verbose', SCRATCH_DIR, '9']);
  });

  it('returns null when nothing applies', () => {
    expect(declaredArguments([])).toBeNull();
    expect(declaredArguments([arg({ name: '--x', isRequired: false }), arg({ type: 'positional', isRequired: false })])).toBeNull();
  });
});
