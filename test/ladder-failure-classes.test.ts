/**
 * Failure classes of the start ladder, each recognised with its own reason and next step: V8 unable to reserve its
 * code range under the sandbox's data limit (`sandbox_limit`, started again with a larger limit), an import of a peer
 * or optional dependency npm left out (`missing_peer_dependency`), a credential or settings file named in an error
 * (`needs_configuration` with the file), variables a validation error names as required (given placeholders), and a
 * sub-command a CLI demands without naming one (the likely names tried). First on stderr as the tools print it, then
 * through the real sandbox with fixture servers published to a loopback registry.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { widerLimits, WIDER_DATA_FACTOR } from '../crawler/ladder.ts';
import { argumentLists, demandsCommand, LIKELY_SERVER_COMMANDS, placeholderEnvironment } from '../crawler/launch/index.ts';
import { requiredVariables } from '../crawler/launch/environment.ts';
import { missingPeerDependency, unresolvedPackages } from '../crawler/registries/npm/missing-module.ts';
import { DEFAULT_LIMITS } from '../crawler/sandbox.ts';
import { classifyFailure, missingConfigFile, type FailureEvidence } from '../crawler/session/failure.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type Store } from '../db/index.ts';
import { retryable } from '../records/index.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const NOTES_SERVER = path.resolve(import.meta.dirname, 'fixtures/servers/notes-server/server.js');

/** A start that exited before `initialize` with `stderrTail`. */
function exited(stderrTail: string, exit: FailureEvidence['exit'] = { code: 1, signal: null }): FailureEvidence {
  return { phase: 'initialize', timedOut: false, overflowed: false, exit, stderrTail, noiseLines: 0, noiseSamples: [], errorMessage: null, protocolError: false };
}

const CODE_RANGE_STDERR = [
  '',
  '<--- Last few GCs --->',
  '',
  '<--- JS stacktrace --->',
  '',
  '',
  '#',
  '# Fatal process out of memory: Failed to reserve virtual memory for CodeRange',
  '#',
  '----- Native stack trace -----',
  '',
  ' 1: 0xcc6ec1 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [/usr/bin/node]',
  ' 2: 0x10a4f10 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [/usr/bin/node]',
  ' 3: 0x10a51f7 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [/usr/bin/node]',
  ' 4: 0x12c4c35 v8::internal::Heap::SetUp(v8::internal::LocalHeap*) [/usr/bin/node]',
  ' 5: 0x11f4c36 v8::internal::Isolate::Init(v8::internal::SnapshotData*, v8::internal::SnapshotData*, v8::internal::SnapshotData*, bool) [/usr/bin/node]',
  ' 6: 0xd5e6d3 node::worker::WorkerThreadData::WorkerThreadData(node::worker::Worker*) [/usr/bin/node]',
].join('\n');

describe('V8 unable to reserve its code range under the sandbox limit', () => {
  it('is sandbox_limit, not a crash of the server, whichever way the process ended', () => {
    for (const exit of [{ code: null, signal: 'SIGTRAP' }, { code: null, signal: 'SIGABRT' }, { code: 134, signal: null }]) {
      const failure = classifyFailure(exited(CODE_RANGE_STDERR, exit));
      expect(failure.reason).toBe('sandbox_limit');
      expect(failure.message).toContain('Fatal process out of memory: Failed to reserve virtual memory for CodeRange');
      expect(failure.message).toMatch(/the limit is ours, not a crash/);
    }
    // A worker that dies this way while the main thread waits is the same class, not a time-out.
    expect(classifyFailure({ ...exited(CODE_RANGE_STDERR), exit: null, timedOut: true }).reason).toBe('sandbox_limit');
    // A server that crashes on its own stays crashed_on_start.
    expect(classifyFailure(exited('TypeError: Cannot read properties of undefined (reading \'tools\')\n    at main (/srv/pkg/node_modules/x/index.js:3:9)')).reason).toBe('crashed_on_start');
    expect(retryable('sandbox_limit')).toBe(false);
  });

  it('makes the next start with a data limit four times larger, leaving the other limits as they were', () => {
    expect(widerLimits(undefined)).toEqual({ dataBytes: DEFAULT_LIMITS.dataBytes * WIDER_DATA_FACTOR });
    expect(widerLimits({ dataBytes: 512 * 1024 * 1024, processes: 64 })).toEqual({ dataBytes: 2048 * 1024 * 1024, processes: 64 });
  });
});

describe('an import of a peer or optional dependency npm did not install', () => {
  const cjs = [
    'node:internal/modules/cjs/loader:1228',
    '  throw err;',
    '  ^',
    '',
    "Error: Cannot find module 'playwright-core/lib/server'",
    'Require stack:',
    '- /srv/pkg/node_modules/browser-mcp/dist/index.js',
    '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
    "  code: 'MODULE_NOT_FOUND',",
  ].join('\n');
  const esm = [
    'node:internal/modules/esm/resolve:854',
    '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
    '        ^',
    '',
    "Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@azure/identity' imported from /srv/pkg/node_modules/cloud-mcp/build/auth.js",
    '    at packageResolve (node:internal/modules/esm/resolve:854:9)',
    "  code: 'ERR_MODULE_NOT_FOUND'",
  ].join('\n');

  it('reads the package name from CommonJS and ESM errors, leaving out paths and built-ins', () => {
    expect(unresolvedPackages(cjs)).toEqual(['playwright-core']);
    expect(unresolvedPackages(esm)).toEqual(['@azure/identity']);
    expect(unresolvedPackages("Error: Cannot find module './dist/server.js'\nError: Cannot find module '/srv/pkg/node_modules/x/lib/a.js' imported from /srv/pkg/x.js\nCannot find module 'node:sqlite'")).toEqual([]);
  });

  it('names a declared peer or optional dependency that is not installed, and nothing else', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-peer-'));
    try {
      const packageDir = path.join(root, 'node_modules', 'cloud-mcp');
      mkdirSync(path.join(root, 'node_modules', '@azure', 'core-auth'), { recursive: true });
      mkdirSync(packageDir, { recursive: true });
      const manifest = { peerDependencies: { '@azure/identity': '^4', '@azure/core-auth': '^1' }, optionalDependencies: { 'playwright-core': '^1' } };
      expect(await missingPeerDependency(esm, manifest, root, packageDir)).toEqual({ name: '@azure/identity', field: 'peerDependencies' });
      expect(await missingPeerDependency(cjs, manifest, root, packageDir)).toEqual({ name: 'playwright-core', field: 'optionalDependencies' });
      // Installed, so the failure is something else; undeclared, so the package forgot a dependency: a crash.
      expect(await missingPeerDependency("Cannot find package '@azure/core-auth' imported from /srv/pkg/a.js", manifest, root, packageDir)).toBeNull();
      expect(await missingPeerDependency("Cannot find module 'left-pad'", manifest, root, packageDir)).toBeNull();
      expect(await missingPeerDependency(esm, { peerDependencies: Object.create(null) as object }, root, packageDir)).toBeNull();
      expect(await missingPeerDependency("Cannot find module 'constructor'", { peerDependencies: {} }, root, packageDir)).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a credential or settings file named in an error', () => {
  it('is needs_configuration, with the file named', () => {
    const cases: Array<[string, string]> = [
      ["Error: ENOENT: no such file or directory, open '/home/sandbox/.config/gmail-mcp/credentials.json'\n    at Object.openSync (node:fs:573:18)", '/home/sandbox/.config/gmail-mcp/credentials.json'],
      ['Error: credentials.json not found. Download it from the Google Cloud console.', 'credentials.json'],
      ["FileNotFoundError: [Errno 2] No such file or directory: 'service-account.json'", 'service-account.json'],
      ["[Error: ENOENT: no such file or directory, open './certs/client-key.pem'] { errno: -2, code: 'ENOENT', syscall: 'open' }", './certs/client-key.pem'],
      ['Could not find config file settings.yaml in the current directory', 'settings.yaml'],
    ];
    for (const [stderr, file] of cases) {
      expect(missingConfigFile(stderr)).toBe(file);
      const failure = classifyFailure(exited(stderr));
      expect(failure.reason).toBe('needs_configuration');
      expect(failure.message).toContain(`it needs the file ${file}`);
    }
  });

  it('leaves a file of the package itself missing as a crash', () => {
    for (const stderr of [
      "Error: ENOENT: no such file or directory, open '/srv/pkg/node_modules/x/dist/tools.json'",
      "Error: ENOENT: no such file or directory, open '/srv/pkg/node_modules/x/package.json'",
      "Error: Cannot find module '/srv/pkg/node_modules/x/build/index.js'",
    ]) {
      expect(missingConfigFile(stderr)).toBeNull();
      expect(classifyFailure(exited(stderr)).reason).toBe('crashed_on_start');
    }
  });
});

describe('variables a validation error names as required', () => {
  const zod3 = [
    'ZodError: [',
    '  {',
    '    "code": "invalid_type",',
    '    "expected": "string",',
    '    "received": "undefined",',
    '    "path": [',
    '      "OUTPUT_STYLE"',
    '    ],',
    '    "message": "Required"',
    '  }',
    ']',
  ].join('\n');
  const envalid = [
    '================================',
    ' Missing environment variables:',
    '    LINEAR_WORKSPACE: undefined',
    '    ACME_TENANT: undefined',
    '================================',
    '',
    ' Exiting with error code 1',
  ].join('\n');

  it('reads the names from zod, t3-env, envalid and plain sentences', () => {
    expect(requiredVariables(zod3)).toEqual(['OUTPUT_STYLE']);
    expect(requiredVariables('❌ Invalid environment variables: { NOTION_TOKEN: [ \'Required\' ], SYNC_SCOPE: [ \'Required\' ] }')).toEqual(['NOTION_TOKEN', 'SYNC_SCOPE']);
    expect(requiredVariables('Error: Invalid env:\nOUTPUT_STYLE: Required\nREGION: Required')).toEqual(['OUTPUT_STYLE', 'REGION']);
    expect(requiredVariables('ZodError: ✖ Invalid input: expected string, received undefined\n  → at OUTPUT_STYLE')).toEqual(['OUTPUT_STYLE']);
    expect(requiredVariables(envalid)).toEqual(['LINEAR_WORKSPACE', 'ACME_TENANT']);
    expect(requiredVariables('Error: Missing environment variable WIDGET_ACCOUNT\nEnvironment variable OUTPUT_STYLE is not set')).toEqual(['WIDGET_ACCOUNT', 'OUTPUT_STYLE']);
    // A configuration object's field and a word after "missing" are not variables.
    expect(requiredVariables('{ "path": [ "apiKey" ], "message": "Required" }\nMissing environment variable for the service')).toEqual([]);
  });

  it('gives each one a placeholder, even a name no credential word marks, and calls the failure configuration', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-required-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x' }));
      const env = await placeholderEnvironment(dir, zod3);
      expect(env).toHaveProperty('OUTPUT_STYLE', 'placeholder');
      // One that would switch the transport is never set.
      expect(await placeholderEnvironment(dir, 'MCP_TRANSPORT: Required')).not.toHaveProperty('MCP_TRANSPORT');
      expect(classifyFailure(exited(zod3)).reason).toBe('needs_configuration');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a sub-command a CLI demands without naming one', () => {
  it('is recognised from commander, yargs and cobra-style messages, not from a usage line alone', () => {
    expect(demandsCommand('error: command is missing')).toBe(true);
    expect(demandsCommand("error: missing required argument 'command'")).toBe(true);
    expect(demandsCommand('cli.js <command>\n\nNot enough non-option arguments: got 0, need at least 1')).toBe(true);
    expect(demandsCommand('Error: a subcommand is required')).toBe(true);
    expect(demandsCommand('Usage: acme-mcp --api-key <key>')).toBe(false);
    expect(demandsCommand("error: missing required argument 'apiKey'")).toBe(false);
  });

  it('tries the likely server commands when neither the output nor --help names one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-subcommand-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'acme-cli' }));
      const lists = await argumentLists(dir, 'acme-cli', 'acme', { output: 'error: command is missing', usage: async () => 'acme: a tool\n' });
      expect(lists).toEqual(LIKELY_SERVER_COMMANDS.map((c) => [...c]));
      // Named in the output: that one, and no guesses.
      expect(await argumentLists(dir, 'acme-cli', 'acme', { output: "error: command is missing; run 'acme serve' to start the MCP server" })).toEqual([['serve']]);
      // A usage without a demand guesses nothing.
      expect(await argumentLists(dir, 'acme-cli', 'acme', { output: 'Usage: acme --token <token>', usage: async () => '' })).toEqual([['--token', 'placeholder0000000000000000000000']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the classes through the real sandbox', () => {
  let registry: FakeRegistry;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let summary: CrawlSummary;

  /** A fixture package in `work`: package.json from `manifest`, `server.js` from `source`, and the notes server as `notes.js`. */
  function fixture(manifest: Record<string, unknown>, source: string): string {
    const dir = path.join(work, 'fixtures', String(manifest.name));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '1.0.0', license: 'Apache-2.0', bin: { [String(manifest.name)]: 'server.js' }, ...manifest }));
    writeFileSync(path.join(dir, 'server.js'), source);
    copyFileSync(NOTES_SERVER, path.join(dir, 'notes.js'));
    return dir;
  }

  beforeAll(async () => {
    work = sandboxTempDir('mcp-catalogue-failure-classes-');
    chmodSync(work, 0o755);
    const packages = [
      // Dies as V8 does when it cannot reserve its code range, unless its data limit is at least 2 GiB.
      fixture({ name: 'code-range-mcp-fixture' }, [
        '#!/usr/bin/env node',
        "const limits = require('node:fs').readFileSync('/proc/self/limits', 'utf8');",
        "const data = /^Max data size\\s+(\\d+|unlimited)/m.exec(limits)[1];",
        "if (data !== 'unlimited' && Number(data) < 2 * 1024 * 1024 * 1024) {",
        `  process.stderr.write(${JSON.stringify(CODE_RANGE_STDERR)} + '\\n');`,
        "  process.kill(process.pid, 'SIGABRT');",
        '}',
        "require('./notes.js');",
        '',
      ].join('\n')),
      // Imports an optional peer npm leaves out.
      fixture({ name: 'peer-mcp-fixture', peerDependencies: { 'absent-peer-fixture': '^1.0.0' }, peerDependenciesMeta: { 'absent-peer-fixture': { optional: true } } }, [
        '#!/usr/bin/env node',
        "require('absent-peer-fixture');",
        "require('./notes.js');",
        '',
      ].join('\n')),
      // A CLI whose MCP server is its `stdio` sub-command, which nothing it prints names.
      fixture({ name: 'subcommand-mcp-fixture' }, [
        '#!/usr/bin/env node',
        "if (process.argv[2] !== 'stdio') {",
        "  process.stderr.write('error: command is missing\\n');",
        '  process.exit(1);',
        '}',
        "require('./notes.js');",
        '',
      ].join('\n')),
    ];
    registry = await startFakeRegistry(packages.map((dir) => packFixture(dir)));
    const cacheDir = path.join(work, 'cache');
    mkdirSync(cacheDir);
    chmodSync(cacheDir, 0o755);
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    summary = await crawl(['npm:code-range-mcp-fixture', 'npm:peer-mcp-fixture', 'npm:subcommand-mcp-fixture'].map(parsePackageSpec), {
      store, http, npmRegistryUrl: registry.url, cacheDir, concurrency: 3, introspect: { timeoutMs: 20_000 },
    });
  }, 240_000);

  afterAll(async () => {
    await registry?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const resultOf = (name: string) => summary.results.find((r) => r.name === name)!;

  it('starts a server whose runtime could not reserve its code range again with a larger data limit, and lists it', () => {
    expect(resultOf('code-range-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio', failureReason: null });
    expect(resultOf('code-range-mcp-fixture').toolCount).toBeGreaterThan(0);
  });

  it('records an import of a peer npm left out as missing_peer_dependency, naming it (the tools then read from source)', () => {
    const result = resultOf('peer-mcp-fixture');
    expect(result).toMatchObject({ outcome: 'ok', method: 'static', failureReason: 'missing_peer_dependency' });
    expect(result.failureMessage).toMatch(/^it imports absent-peer-fixture, which it lists in peerDependencies and npm did not install/);
  });

  it('finds the stdio sub-command of a CLI that only says a command is missing', () => {
    expect(resultOf('subcommand-mcp-fixture')).toMatchObject({ outcome: 'ok', method: 'live-stdio-arguments' });
  });

  it('counts every start: two for the code range, one or more for each other', () => {
    expect(summary.installs).toBe(3);
    expect(summary.starts).toBeGreaterThanOrEqual(2 + 1 + 2);
  });
});
