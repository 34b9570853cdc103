import { describe, expect, it } from 'vitest';
import { declaredArguments, declaredEnvironment } from '../crawler/launch/declared.ts';
import { CRAWLER_VERSION, MAX_TRANSIENT_ATTEMPTS, type DeclaredArgument, type DeclaredEnvVar, type DiscoveredServer, type VersionCrawlState } from '../records/index.ts';
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

  it('leaves out deleted, remote-only, uninstallable and not-a-server listings, each counted', () => {
    const plan = planCrawl([
      npmServer('gone', '1.0.0', { status: 'deleted' }),
      npmServer('some-mcp-client', '2.0.0', { notServer: { code: 'client', reason: 'described as an MCP client' } }),
      npmServer('tool-mcp-linux-x64', '2.0.0', { notServer: { code: 'platform-binary', reason: 'a platform binary package' } }),
      npmServer('plain', '2.0.0', { notServer: null }),
      npmServer('old', '1.0.0', { status: 'deprecated' }),
      server('github:hosted/elsewhere', { remotes: [{ type: 'streamable-http', url: 'https://example.invalid/mcp' }] }),
      server('mcp-registry:docker', { packages: [{ registryType: 'oci', identifier: 'docker.io/x/y', version: '1' }] }),
      server('github:o/r'),
    ], []);
    expect(plan.specs.map((s) => s.name)).toEqual(['old', 'plain']);
    expect(plan.remotes).toEqual([]);
    expect(plan.skipped).toEqual({ notServer: 2, alreadyAttempted: 0, deleted: 1, remoteOnly: 1, noInstallablePackage: 2, overLimit: 0 });
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

describe('planCrawl with retry state', () => {
  const state = (fields: Partial<VersionCrawlState>): VersionCrawlState => ({
    attempts: 1, lastReason: 'needs_configuration', lastTransient: false, transientStreak: 0, lastCrawlerVersion: CRAWLER_VERSION, listed: false, ...fields,
  });
  const transient = (n: number, fields: Partial<VersionCrawlState> = {}) => state({ attempts: n, lastReason: 'timed_out', lastTransient: true, transientStreak: n, ...fields });
  const names = (plan: ReturnType<typeof planCrawl>) => plan.specs.map((s) => s.name);

  it('crawls a version again while its attempts fail transiently, then gives up after MAX_TRANSIENT_ATTEMPTS', () => {
    expect(MAX_TRANSIENT_ATTEMPTS).toBe(3);
    const servers = [npmServer('once', '1.0.0'), npmServer('twice', '1.0.0'), npmServer('thrice', '1.0.0'), npmServer('fresh', '1.0.0')];
    const plan = planCrawl(servers, new Map([
      ['npm:once@1.0.0', transient(1)],
      ['npm:twice@1.0.0', transient(2, { lastReason: 'unreachable' })],
      ['npm:thrice@1.0.0', transient(3)],
    ]));
    expect(names(plan)).toEqual(['fresh', 'once', 'twice']);
    expect(plan.retried).toEqual({ transient: 2, newerCrawler: 0, gaveUp: 1 });
    expect(plan.skipped.alreadyAttempted).toBe(0);
  });

  it('counts only the newest transient failures in a row: a transient failure after a permanent one starts afresh', () => {
    const plan = planCrawl([npmServer('a', '1.0.0')], new Map([['npm:a@1.0.0', transient(1, { attempts: 4 })]]));
    expect(names(plan)).toEqual(['a']);
  });

  it('leaves out a version that failed permanently, with or without recrawlFailed, under the current crawler', () => {
    const states = new Map([['npm:a@1.0.0', state({ attempts: 2 })]]);
    for (const recrawlFailed of [false, true]) {
      const plan = planCrawl([npmServer('a', '1.0.0')], states, { recrawlFailed });
      expect(plan.specs).toEqual([]);
      expect(plan.skipped.alreadyAttempted).toBe(1);
      expect(plan.retried).toEqual({ transient: 0, newerCrawler: 0, gaveUp: 0 });
    }
  });

  it('crawls a permanent failure of an older crawler version again only with recrawlFailed', () => {
    const servers = [npmServer('old', '1.0.0'), npmServer('given-up-old', '1.0.0')];
    const states = new Map([
      ['npm:old@1.0.0', state({ lastReason: 'crashed_on_start', lastCrawlerVersion: CRAWLER_VERSION - 1 })],
      ['npm:given-up-old@1.0.0', transient(3, { lastCrawlerVersion: CRAWLER_VERSION - 1 })],
    ]);
    const without = planCrawl(servers, states);
    expect(without.specs).toEqual([]);
    expect(without.skipped.alreadyAttempted).toBe(1);
    expect(without.retried).toEqual({ transient: 0, newerCrawler: 0, gaveUp: 1 });
    const withFlag = planCrawl(servers, states, { recrawlFailed: true });
    expect(names(withFlag)).toEqual(['given-up-old', 'old']);
    expect(withFlag.retried).toEqual({ transient: 0, newerCrawler: 2, gaveUp: 0 });
    expect(withFlag.skipped.alreadyAttempted).toBe(0);
  });

  it('never crawls again a version that listed tools, live or from source', () => {
    const plan = planCrawl([npmServer('live', '1.0.0'), npmServer('static', '1.0.0'), npmServer('listed-then-flaky', '1.0.0')], new Map([
      ['npm:live@1.0.0', state({ lastReason: null, listed: true, lastCrawlerVersion: 0 })],
      ['npm:static@1.0.0', state({ lastReason: 'install_failed', listed: true, lastCrawlerVersion: 0 })],
      ['npm:listed-then-flaky@1.0.0', transient(1, { attempts: 2, listed: true, lastCrawlerVersion: 0 })],
    ]), { recrawlFailed: true });
    expect(plan.specs).toEqual([]);
    expect(plan.skipped.alreadyAttempted).toBe(3);
    expect(plan.retried).toEqual({ transient: 0, newerCrawler: 0, gaveUp: 0 });
  });

  it('with relist, plans again only the versions whose newest attempt listed tools live, marked relist', () => {
    const states = new Map([
      ['npm:live@1.0.0', state({ lastReason: null, listed: true })],
      ['npm:static@1.0.0', state({ lastReason: 'install_failed', listed: true })],
      ['npm:failed@1.0.0', state({ lastReason: 'no_entry_point', listed: false })],
    ]);
    const servers = [npmServer('live', '1.0.0'), npmServer('static', '1.0.0'), npmServer('failed', '1.0.0'), npmServer('new', '2.0.0')];
    expect(planCrawl(servers, states).relisted).toEqual([]);
    const plan = planCrawl(servers, states, { relist: true });
    expect(plan.relisted).toEqual([{ registry: 'npm', name: 'live', version: '1.0.0', relist: true }]);
    expect(names(plan)).toEqual(['new']);
    expect(plan.skipped.alreadyAttempted).toBe(3);
  });

  it('applies the same rules to remote-only registry entries', () => {
    const remote = (name: string) => server(`mcp-registry:${name}`, {
      versions: { [`mcp-registry:${name}`]: '1.0.0' }, remotes: [{ type: 'streamable-http', url: `https://${name}.example/mcp` }],
    });
    const plan = planCrawl([remote('io.a/flaky'), remote('io.a/down')], new Map([
      ['mcp-registry:io.a/flaky@1.0.0', transient(1, { lastReason: 'unreachable' })],
      ['mcp-registry:io.a/down@1.0.0', transient(3, { lastReason: 'unreachable' })],
    ]));
    expect(plan.remotes.map((r) => r.name)).toEqual(['io.a/flaky']);
    expect(plan.retried).toEqual({ transient: 1, newerCrawler: 0, gaveUp: 1 });
  });

  it('counts as retried only the retries kept within maxServers', () => {
    const plan = planCrawl([npmServer('a', '1.0.0', { downloads: 5 }), npmServer('b', '1.0.0', { downloads: 1 })], new Map([
      ['npm:a@1.0.0', transient(1)], ['npm:b@1.0.0', transient(1)],
    ]), { maxServers: 1 });
    expect(names(plan)).toEqual(['a']);
    expect(plan.retried.transient).toBe(1);
    expect(plan.skipped.overLimit).toBe(1);
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

  it('sets a variable named like an Object.prototype member as an own variable', () => {
    const env = declaredEnvironment([envVar('__proto__', { default: 'x' }), envVar('constructor', { default: 'y' }), envVar('toString')]);
    expect(Object.keys(env)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
    expect(env['__proto__']).toBe('x');
    expect(JSON.stringify(env)).toBe('{"__proto__":"x","constructor":"y","toString":"placeholder"}');
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
