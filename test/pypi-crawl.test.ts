/**
 * PyPI servers end to end through the crawl: a Simple API index on loopback serves wheels this test builds from a
 * small stdio MCP server written for it (and its dependency, published as a second project). The crawl resolves,
 * downloads and verifies, installs with pip inside the sandbox, starts the console script in the sandbox, lists the
 * tools and stores them; the broken projects end in recorded failures, and the server's code never runs outside.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, type CrawlSummary, type PackageResult } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { parsePackageSpec } from '../crawler/spec.ts';
import { openStore, type CatalogueEntry, type Store } from '../db/index.ts';
import { buildWheel, fixtureFiles, pypiPrerequisitesMissing, startPypiIndex, type FakeIndex, type IndexFile, type IndexProject } from './helpers/pypi-index.ts';
import { sandboxTempDir } from './helpers/sandbox-paths.ts';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures/pypi');
const missing = pypiPrerequisitesMissing();

describe.skipIf(missing !== null)(`PyPI servers through the crawl${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let index: FakeIndex;
  let store: Store;
  let http: HttpClient;
  let work: string;
  let canary: string;
  let summary: CrawlSummary;
  let second: CrawlSummary;
  let catalogue: CatalogueEntry[];
  let downloadsBefore: number;
  let escapeTarget: string;
  let directTarget: string;
  const wheelDownloads = () => index.requests.filter((r) => r.startsWith('/files/pyfix_mcp_server-1.1.0-py3-none-any.whl ')).length;
  const byName = (results: PackageResult[], name: string) => results.find((r) => r.name === name)!;
  const entry = (identifier: string) => catalogue.find((e) => e.server.identifier === identifier)!;

  beforeAll(async () => {
    work = sandboxTempDir('mcp-catalogue-pypi-');
    chmodSync(work, 0o755); // the sandbox's unprivileged uid must reach the package cache below it
    const canaryFolder = path.join(work, 'canary-folder');
    mkdirSync(canaryFolder);
    canary = path.join(canaryFolder, 'written-outside-the-sandbox');
    escapeTarget = path.join(work, 'escaped-from-a-wheel');
    const secret = path.join(work, 'crawler-secret.txt');
    writeFileSync(secret, 'TOPSECRET-VALUE', { mode: 0o644 });

    const server = (version: string) => buildWheel({
      name: 'pyfix-mcp-server',
      version,
      summary: 'A notes server for the crawler tests',
      requires: ['pyfix-helper>=1.0'],
      consoleScripts: { 'pyfix-mcp-server': 'pyfix_mcp_server.server:main', 'pyfix-other-tool': 'pyfix_mcp_server:nothing' },
      files: {
        ...fixtureFiles(FIXTURES, ['pyfix_mcp_server']),
        'pyfix_mcp_server/_paths.py': `CANARY = ${JSON.stringify(canary)}\nSECRET = ${JSON.stringify(secret)}\n`,
        // A .pth file runs whenever an interpreter starts with this site-packages: it must only ever happen inside.
        'pyfix_trap.pth': `import os; os.environ["PYFIX_PTH_RAN"] = "1"; os.path.isdir(${JSON.stringify(canaryFolder)}) and open(${JSON.stringify(canary)}, "w").write("a .pth file ran outside the sandbox")\n`,
      },
    });
    const current = server('1.1.0');
    const junk = (filename: string): IndexFile => ({ filename, bytes: Buffer.from('not the wheel') });
    const tagged = (filename: string, bytes: Buffer): IndexFile => ({ filename, bytes });
    const badBytes = buildWheel({ name: 'pyfix-badhash', version: '1.0.0', consoleScripts: { 'pyfix-badhash': 'pyfix_badhash:main' }, files: { 'pyfix_badhash/__init__.py': 'def main():\n    return 0\n' } });

    const projects: IndexProject[] = [
      {
        name: 'pyfix-mcp-server',
        files: [
          server('1.0.0'),
          current,
          junk('pyfix_mcp_server-1.1.0.tar.gz'),
          tagged('pyfix_mcp_server-1.1.0-cp311-cp311-win_amd64.whl', Buffer.from('a Windows build')),
          server('1.2.0rc1'),
          { ...server('1.3.0'), yanked: 'broken release' },
        ],
      },
      { name: 'pyfix-helper', format: 'html', files: [buildWheel({ name: 'pyfix-helper', version: '1.0.0', files: fixtureFiles(FIXTURES, ['pyfix_helper']) })] },
      {
        name: 'pyfix-module-main',
        files: [buildWheel({
          name: 'pyfix-module-main', version: '0.1.0', requires: ['pyfix-mcp-server==1.1.0'],
          files: { 'pyfix_module_main/__init__.py': '', 'pyfix_module_main/__main__.py': 'import sys\nfrom pyfix_mcp_server.server import main\nsys.exit(main())\n' },
        })],
      },
      { name: 'pyfix-badhash', files: [{ ...badBytes, sha256: 'ab'.repeat(32) }] },
      { name: 'pyfix-sdist-only', files: [junk('pyfix_sdist_only-1.0.0.tar.gz')] },
      { name: 'pyfix-malformed', format: 'malformed', files: [] },
      { name: 'pyfix-library', files: [buildWheel({ name: 'pyfix-library', version: '2.0.0', files: { 'pyfix_library/__init__.py': 'VALUE = 1\n' } })] },
      {
        // A member whose path climbs out of site-packages: pip refuses it, and it unpacks inside the sandbox anyway.
        name: 'pyfix-escape',
        files: [buildWheel({ name: 'pyfix-escape', version: '1.0.0', consoleScripts: { 'pyfix-escape': 'pyfix_escape:main' }, files: { 'pyfix_escape/__init__.py': 'def main():\n    return 0\n', [`../../../../../../../..${escapeTarget}`]: 'escaped\n', '../../../../escaped-into-root': 'escaped\n' } })],
      },
      {
        name: 'pyfix-sdist-dep',
        files: [buildWheel({ name: 'pyfix-sdist-dep', version: '1.0.0', requires: ['pyfix-sdist-only'], consoleScripts: { 'pyfix-sdist-dep': 'pyfix_sdist_dep:main' }, files: { 'pyfix_sdist_dep/__init__.py': 'def main():\n    return 0\n' } })],
      },
    ];
    index = await startPypiIndex(projects);
    directTarget = `${index.url}/files/direct-reference-target.whl`;
    projects.push({
      name: 'pyfix-direct-url',
      files: [buildWheel({ name: 'pyfix-direct-url', version: '1.0.0', requires: [`pyfix-helper @ ${directTarget}`], consoleScripts: { 'pyfix-direct-url': 'pyfix_direct_url:main' }, files: { 'pyfix_direct_url/__init__.py': 'def main():\n    return 0\n' } })],
    });
    store = await openStore({ dataDir: 'memory://' });
    http = new HttpClient({ minTimeoutMs: 10, maxRetries: 1 });
    const options = {
      store, http, npmRegistryUrl: 'http://127.0.0.1:9', pypiUrl: index.url, cacheDir: path.join(work, 'cache'), concurrency: 2,
      introspect: { timeoutMs: 20_000 },
    };
    mkdirSync(options.cacheDir);
    chmodSync(options.cacheDir, 0o755);
    const specs = [
      'pypi:PyFix_MCP.Server', 'pypi:pyfix-module-main', 'pypi:pyfix-badhash', 'pypi:pyfix-sdist-only', 'pypi:pyfix-malformed', 'pypi:pyfix-library',
      'pypi:pyfix-sdist-dep', 'pypi:pyfix-escape', 'pypi:pyfix-direct-url', 'pypi:pyfix-not-there',
    ];
    summary = await crawl(specs.map(parsePackageSpec), options);
    downloadsBefore = wheelDownloads();
    second = await crawl([parsePackageSpec('pypi:pyfix-mcp-server@1.1')], options);
    catalogue = await store.catalogue();
  }, 240_000);

  afterAll(async () => {
    await index?.close();
    await http?.close();
    await store?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('resolves the newest final, non-yanked release, installs it with its dependency and lists its tools in the sandbox', () => {
    const result = byName(summary.results, 'pyfix-mcp-server');
    expect(result).toMatchObject({ spec: 'pypi:pyfix-mcp-server@latest', version: '1.1.0', outcome: 'ok', method: 'live-stdio', failureReason: null, toolCount: 3 });
    const server = entry('pyfix-mcp-server');
    expect(server.server).toMatchObject({ registry: 'pypi', identifier: 'pyfix-mcp-server', displayName: 'pyfix-mcp-server', description: 'A notes server for the crawler tests', repositoryUrl: 'https://example.invalid/pyfix/source' });
    expect(server.version?.version).toBe('1.1.0');
    expect(server.introspection).toMatchObject({ outcome: 'ok', serverInfo: { name: 'pyfix-mcp-server', version: '1.1.0' } });
    const tools = Object.fromEntries(server.tools.map((t) => [t.tool.name, t.tool.definition]));
    expect(Object.keys(tools).sort()).toEqual(['delete_all_notes', 'read_note', 'sandbox_report']);
    expect(tools.read_note!.description).toBe('Reads one note by its title. Served with pyfix-helper.');
    expect(tools.read_note!.inputSchema).toEqual({ type: 'object', properties: { title: { type: 'string' } }, required: ['title'] });
  });

  it('fetches the chosen wheel and the dependency through the same index, and nothing it did not choose', () => {
    const paths = index.requests.map((r) => r.split(' ')[0]);
    expect(index.requests.find((r) => r.startsWith('/simple/pyfix-mcp-server/ '))).toContain('application/vnd.pypi.simple.v1+json');
    expect(paths).toContain('/files/pyfix_mcp_server-1.1.0-py3-none-any.whl');
    expect(paths).toContain('/simple/pyfix-helper/');
    expect(paths).toContain('/files/pyfix_helper-1.0.0-py3-none-any.whl');
    for (const never of ['pyfix_mcp_server-1.3.0-py3-none-any.whl', 'pyfix_mcp_server-1.2.0rc1-py3-none-any.whl', 'pyfix_mcp_server-1.1.0-cp311-cp311-win_amd64.whl', 'pyfix_mcp_server-1.1.0.tar.gz']) {
      expect(paths, never).not.toContain(`/files/${never}`);
    }
  });

  it('runs the package code only inside the sandbox: the .pth file ran there, the canary outside is untouched', () => {
    const report = entry('pyfix-mcp-server').tools.find((t) => t.tool.name === 'sandbox_report')!.tool.definition.description;
    expect(report).toBe('pth=1 canary_folder_visible=false secret=unreadable uid=65534');
    expect(existsSync(canary)).toBe(false);
  });

  it('starts a package with no console script through its __main__ module', () => {
    expect(byName(summary.results, 'pyfix-module-main')).toMatchObject({ version: '0.1.0', outcome: 'ok', method: 'live-stdio', toolCount: 3 });
  });

  it('records a sha256 mismatch as install_failed and never installs the file', () => {
    const result = byName(summary.results, 'pyfix-badhash');
    expect(result).toMatchObject({ version: '1.0.0', outcome: 'failed', failureReason: 'install_failed' });
    expect(result.failureMessage).toMatch(/^sha256 mismatch for pyfix_badhash-1\.0\.0-py3-none-any\.whl: the index says (?:ab){32}, the downloaded \d+ bytes hash to [0-9a-f]{64}$/);
    expect(entry('pyfix-badhash').introspection).toMatchObject({ outcome: 'failed', failureReason: 'install_failed' });
    // The summary came from the wheel's metadata file (PEP 658), so the failed install still has it.
    expect(entry('pyfix-badhash').server.description).toBe("pyfix-badhash, a fixture for the crawler's tests");
    expect(index.requests.map((r) => r.split(' ')[0])).toContain('/files/pyfix_badhash-1.0.0-py3-none-any.whl.metadata');
    expect(existsSync(path.join(work, 'cache/pypi/pyfix-badhash/1.0.0'))).toBe(false);
  });

  it('refuses an sdist-only release with a reason, without downloading it', () => {
    const result = byName(summary.results, 'pyfix-sdist-only');
    expect(result).toMatchObject({ version: '1.0.0', outcome: 'failed', failureReason: 'install_failed' });
    expect(result.failureMessage).toMatch(/only a source distribution was published \(pyfix_sdist_only-1\.0\.0\.tar\.gz\), and sdists are not built/);
    expect(entry('pyfix-sdist-only').introspection?.failureReason).toBe('install_failed');
    expect(index.requests.map((r) => r.split(' ')[0])).not.toContain('/files/pyfix_sdist_only-1.0.0.tar.gz');
  });

  it('records a dependency that has no wheel as install_failed with pip\'s words', () => {
    const result = byName(summary.results, 'pyfix-sdist-dep');
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'install_failed' });
    expect(result.failureMessage).toMatch(/pip could not fetch the dependencies of pyfix_sdist_dep-1\.0\.0-py3-none-any\.whl as wheels/);
    expect(entry('pyfix-sdist-dep').introspection?.stderrTail).toMatch(/pyfix-sdist-only/);
  });

  it('records a malformed index page and an unknown project as registry errors, and goes on', () => {
    expect(byName(summary.results, 'pyfix-malformed')).toMatchObject({ version: null, outcome: 'failed', failureReason: 'registry_error' });
    expect(byName(summary.results, 'pyfix-malformed').failureMessage).toMatch(/not a PEP 691 project page|file entry .* is invalid/);
    expect(byName(summary.results, 'pyfix-not-there')).toMatchObject({ version: null, outcome: 'failed', failureReason: 'registry_error' });
    expect(byName(summary.results, 'pyfix-not-there').failureMessage).toMatch(/no such project/);
    expect(summary).toMatchObject({ tried: 10, introspected: 2, failed: 8 });
    expect(summary.failedByReason).toEqual({ install_failed: 5, registry_error: 2, no_entry_point: 1 });
  });

  it('contains a wheel whose files climb out of the install: pip refuses it inside the sandbox, nothing lands outside', () => {
    const result = byName(summary.results, 'pyfix-escape');
    expect(result).toMatchObject({ version: '1.0.0', outcome: 'failed', failureReason: 'install_failed' });
    expect(result.failureMessage).toMatch(/^pip install of pyfix_escape-1\.0\.0-py3-none-any\.whl in the sandbox failed \(exit code 1\): .*has a file '.*escaped-from-a-wheel' trying to install outside the target directory/);
    expect(existsSync(escapeTarget)).toBe(false);
    expect(existsSync(path.join(work, 'cache/pypi/pyfix-escape'))).toBe(true);
    expect(readdirSync(path.join(work, 'cache/pypi/pyfix-escape'))).toEqual([]);
    expect(existsSync('/escaped-into-root')).toBe(false);
  });

  it('refuses a wheel that names a dependency by URL, and never fetches that URL', () => {
    const result = byName(summary.results, 'pyfix-direct-url');
    expect(result).toMatchObject({ version: '1.0.0', outcome: 'failed', failureReason: 'install_failed' });
    expect(result.failureMessage).toBe(`pyfix_direct_url-1.0.0-py3-none-any.whl declares a dependency by URL (pyfix-helper @ ${directTarget}); URLs a package gives are never fetched`);
    expect(index.requests.map((r) => r.split(' ')[0])).not.toContain('/files/direct-reference-target.whl');
  });

  it('says when a wheel has nothing to start', () => {
    const library = byName(summary.results, 'pyfix-library');
    expect(library).toMatchObject({ version: '2.0.0', outcome: 'failed', failureReason: 'no_entry_point' });
    expect(library.stderrTail).toBe([
      '[mcp-catalogue] nothing to start: no entry_points.txt, and no package with a __main__ module',
      '[mcp-catalogue] the wheel installs: pyfix_library/',
    ].join('\n'));
  });

  it('reuses the installed version on the next crawl, by exact version', () => {
    expect(second.results[0]).toMatchObject({ spec: 'pypi:pyfix-mcp-server@1.1', version: '1.1.0', outcome: 'ok', toolCount: 3 });
    expect(downloadsBefore).toBeGreaterThan(0);
    expect(wheelDownloads()).toBe(downloadsBefore);
  });
});
