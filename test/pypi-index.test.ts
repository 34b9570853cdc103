/**
 * The PyPI client's parts on their own: Simple API pages (PEP 691 JSON and PEP 503 HTML, fetched from a real index
 * on loopback), file names, PEP 440 release choice, wheel choice against the interpreter's tags, console scripts and
 * the launcher, core metadata, and `pypi:` specs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrawlError } from '../crawler/errors.ts';
import { HttpClient } from '../crawler/http.ts';
import { parseCoreMetadata } from '../crawler/registries/pypi/metadata.ts';
import { chooseConsoleScript, launcherSource, parseConsoleScripts } from '../crawler/registries/pypi/entry.ts';
import { findDirectReferences } from '../crawler/registries/pypi/install.ts';
import {
  fetchSimpleProject, parseSimpleProject, parseWheelFilename, sdistFilenameVersion, simpleIndexUrl, type DistributionFile, type SimpleProject,
} from '../crawler/registries/pypi/client.ts';
import { resolvePypiVersion } from '../crawler/registries/pypi/versions.ts';
import { admitsPython, selectWheel } from '../crawler/registries/pypi/wheels.ts';
import { formatPackageSpec, parsePackageSpec } from '../crawler/spec.ts';

const PAGE = 'https://index.example/simple/demo-server/';
const SHA = 'a'.repeat(64);

const JSON_PAGE = {
  meta: { 'api-version': '1.1', '_last-serial': 3 },
  name: 'demo-server',
  versions: ['1.0', '1.1'],
  files: [
    { filename: 'demo_server-1.0-py3-none-any.whl', url: 'https://files.example/p/demo_server-1.0-py3-none-any.whl', hashes: { sha256: SHA.toUpperCase() }, 'requires-python': '>=3.8', yanked: false, 'core-metadata': { sha256: SHA } },
    { filename: 'demo_server-1.1.tar.gz', url: '../../files/demo_server-1.1.tar.gz', hashes: { md5: 'x' }, yanked: 'bad upload', 'dist-info-metadata': true },
    { filename: 'demo-server-1.1-py3-none-any.whl', url: 'file:///etc/passwd', hashes: {} },
    { filename: 'other_project-1.0-py3-none-any.whl', url: 'https://files.example/o.whl', hashes: {} },
  ],
};

function file(filename: string, extra: Partial<DistributionFile> = {}): DistributionFile {
  const project = parseSimpleProject(PAGE, 'demo-server', 'text/html', `<a href="/f/${filename}#sha256=${SHA}">${filename}</a>`);
  return { ...project.files[0]!, ...extra };
}

function project(...files: DistributionFile[]): SimpleProject {
  return { name: 'demo-server', url: PAGE, format: 'html', files };
}

describe('Simple API pages', () => {
  it('reads a PEP 691 JSON page: relative URLs resolved, digests lower-cased, yanked reasons kept, foreign or non-http files dropped', () => {
    const page = parseSimpleProject(PAGE, 'Demo_Server', 'application/vnd.pypi.simple.v1+json', JSON.stringify(JSON_PAGE));
    expect(page).toMatchObject({ name: 'demo-server', format: 'json' });
    expect(page.files).toEqual([
      {
        filename: 'demo_server-1.0-py3-none-any.whl', url: 'https://files.example/p/demo_server-1.0-py3-none-any.whl', sha256: SHA, requiresPython: '>=3.8',
        yanked: false, kind: 'wheel', version: '1.0', wheel: { distribution: 'demo_server', version: '1.0', build: null, tags: ['py3-none-any'] }, coreMetadata: { sha256: SHA },
      },
      {
        filename: 'demo_server-1.1.tar.gz', url: 'https://index.example/files/demo_server-1.1.tar.gz', sha256: null, requiresPython: null,
        yanked: 'bad upload', kind: 'sdist', version: '1.1', wheel: null, coreMetadata: { sha256: null },
      },
    ]);
  });

  it('reads a PEP 503 HTML page with fragments, entities and data attributes', () => {
    const html = `<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.0"></head><body>
      <a href="/files/demo_server-2.0-py3-none-any.whl#sha256=${SHA}" data-requires-python="&gt;=3.10" data-dist-info-metadata="sha256=${SHA}">demo_server-2.0-py3-none-any.whl</a>
      <a href="https://cdn.example/demo-server-2.0.zip" data-yanked="">demo-server-2.0.zip</a>
      <a href="/files/notes.txt">notes.txt</a>
    </body></html>`;
    const page = parseSimpleProject(PAGE, 'demo-server', 'text/html; charset=utf-8', html);
    expect(page.format).toBe('html');
    expect(page.files.map((f) => [f.filename, f.url, f.sha256, f.requiresPython, f.yanked, f.kind, f.version, f.coreMetadata])).toEqual([
      ['demo_server-2.0-py3-none-any.whl', 'https://index.example/files/demo_server-2.0-py3-none-any.whl', SHA, '>=3.10', false, 'wheel', '2.0', { sha256: SHA }],
      ['demo-server-2.0.zip', 'https://cdn.example/demo-server-2.0.zip', null, null, '', 'sdist', '2.0', false],
      ['notes.txt', 'https://index.example/files/notes.txt', null, null, false, 'other', null, false],
    ]);
  });

  it('refuses malformed pages with SIMPLE_API_INVALID', () => {
    const invalid = (type: string, body: string) => {
      try {
        parseSimpleProject(PAGE, 'demo-server', type, body);
      } catch (error) {
        expect(error).toBeInstanceOf(CrawlError);
        return `${(error as CrawlError).code}: ${(error as Error).message}`;
      }
      throw new Error('accepted');
    };
    expect(invalid('application/vnd.pypi.simple.v1+json', '{"meta":')).toMatch(/^SIMPLE_API_INVALID: .*is not JSON/);
    expect(invalid('application/vnd.pypi.simple.v1+json', JSON.stringify({ ...JSON_PAGE, meta: { 'api-version': '2.0' } }))).toMatch(/Simple API version "2.0" is not 1.x/);
    expect(invalid('application/vnd.pypi.simple.v1+json', JSON.stringify({ name: 'demo-server', files: [] }))).toMatch(/not a PEP 691 project page \(meta: Required\)/);
    expect(invalid('application/vnd.pypi.simple.v1+json', JSON.stringify({ ...JSON_PAGE, name: 'someone-else' }))).toMatch(/for "someone-else"/);
    expect(invalid('application/vnd.pypi.simple.v1+json', JSON.stringify({ ...JSON_PAGE, files: [{ filename: 'x.whl', url: 3, hashes: {} }] }))).toMatch(/file entry .* is invalid \(url:/);
    expect(invalid('text/html', '<meta name="pypi:repository-version" content="2.0"><a href="x">x</a>')).toMatch(/repository version "2.0"/);
    expect(invalid('application/octet-stream', 'PK\u0003\u0004')).toMatch(/unexpected content type "application\/octet-stream"/);
  });

  it('parses wheel and sdist file names', () => {
    expect(parseWheelFilename('demo_server-1.0-1build-py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toEqual({
      distribution: 'demo_server', version: '1.0', build: '1build',
      tags: ['py2-none-manylinux_2_17_x86_64', 'py2-none-manylinux2014_x86_64', 'py3-none-manylinux_2_17_x86_64', 'py3-none-manylinux2014_x86_64'],
    });
    expect(parseWheelFilename('demo_server-1.0.tar.gz')).toBeNull();
    expect(sdistFilenameVersion('Demo.Server-1.0b2.tar.gz', 'demo-server')).toBe('1.0b2');
    expect(sdistFilenameVersion('demo_server-not.a.version.tar.gz', 'demo-server')).toBeNull();
    expect(sdistFilenameVersion('demo-server-1.0.exe', 'demo-server')).toBeUndefined();
    expect(sdistFilenameVersion('other-1.0.tar.gz', 'demo-server')).toBeUndefined();
  });

  it('builds index URLs from a PyPI base URL', () => {
    expect(simpleIndexUrl('https://pypi.org')).toBe('https://pypi.org/simple');
    expect(simpleIndexUrl('https://mirror.example/pypi/simple/')).toBe('https://mirror.example/pypi/simple');
  });
});

describe('fetching a project page from a real index', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  const http = new HttpClient({ maxRetries: 0 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.accept}`);
      if (req.url === '/simple/demo-server/') {
        res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
        return void res.end(JSON.stringify(JSON_PAGE));
      }
      if (req.url === '/simple/html-only/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end(`<a href="/f/html_only-3.0-py3-none-any.whl#sha256=${SHA}">html_only-3.0-py3-none-any.whl</a>`);
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await http.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('asks for JSON first and reads whichever form the index answers with', async () => {
    const json = await fetchSimpleProject(http, simpleIndexUrl(base), 'Demo.Server');
    expect(json).toMatchObject({ name: 'demo-server', format: 'json', url: `${base}/simple/demo-server/` });
    expect(seen[0]).toBe('/simple/demo-server/ application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01');
    const html = await fetchSimpleProject(http, simpleIndexUrl(base), 'html_only');
    expect(html).toMatchObject({ name: 'html-only', format: 'html' });
    expect(html.files[0]).toMatchObject({ url: `${base}/f/html_only-3.0-py3-none-any.whl`, version: '3.0' });
  });

  it('says when the project does not exist', async () => {
    await expect(fetchSimpleProject(http, simpleIndexUrl(base), 'nothing-here')).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND', message: /no such project/ });
  });
});

describe('choosing the release (PEP 440)', () => {
  const releases = project(
    file('demo_server-1.9.0-py3-none-any.whl'),
    file('demo_server-1.10.0-py3-none-any.whl'),
    file('demo_server-1.10.0.tar.gz'),
    file('demo_server-2.0.0rc1-py3-none-any.whl'),
    file('demo_server-1.11.0-py3-none-any.whl', { yanked: 'security' }),
    file('demo_server-1.10.0.post1-py3-none-any.whl', { yanked: '' }),
    file('demo_server-1.10.0.post1.tar.gz'),
  );

  it('takes the highest final release that is not yanked, comparing versions as PEP 440 does', () => {
    const chosen = resolvePypiVersion(releases);
    expect(chosen.version).toBe('1.10.0.post1');
    expect(chosen.files.map((f) => f.filename)).toEqual(['demo_server-1.10.0.post1.tar.gz']);
    expect(resolvePypiVersion(project(file('demo_server-1.9.0-py3-none-any.whl'), file('demo_server-1.10.0-py3-none-any.whl'))).version).toBe('1.10.0');
  });

  it('pins exact versions, yanked or not, and matches 1.10 to 1.10.0', () => {
    expect(resolvePypiVersion(releases, '1.11.0')).toMatchObject({ version: '1.11.0', yanked: 'security' });
    expect(resolvePypiVersion(releases, '1.10').version).toBe('1.10.0');
    expect(resolvePypiVersion(releases, '2.0.0rc1')).toMatchObject({ version: '2.0.0rc1', prerelease: true });
  });

  it('takes the highest non-yanked release a specifier admits', () => {
    expect(resolvePypiVersion(releases, '>=1.9,<1.10').version).toBe('1.9.0');
    expect(resolvePypiVersion(releases, '~=1.9').version).toBe('1.10.0.post1');
  });

  it('falls back to a pre-release when the project has nothing else', () => {
    expect(resolvePypiVersion(project(file('demo_server-0.1.0a1-py3-none-any.whl'), file('demo_server-0.1.0a2-py3-none-any.whl'))).version).toBe('0.1.0a2');
  });

  it('says what the project has when nothing matches', () => {
    expect(() => resolvePypiVersion(releases, '3.0')).toThrow(/no release 3.0 \(versions: 2.0.0rc1, 1.11.0, 1.10.0.post1, 1.10.0, 1.9.0\)/);
    expect(() => resolvePypiVersion(project(file('demo_server-1.0-py3-none-any.whl', { yanked: '' })))).toThrow(/every release is yanked/);
    expect(() => resolvePypiVersion(project())).toThrow(/it has no release files/);
    expect(() => resolvePypiVersion(releases, 'next')).toThrow(/not a PEP 440 version or specifier/);
  });
});

describe('choosing the wheel', () => {
  const interpreter = {
    version: '3.11.2',
    tags: ['cp311-cp311-manylinux_2_36_x86_64', 'cp311-cp311-manylinux_2_17_x86_64', 'cp311-abi3-manylinux_2_17_x86_64', 'cp311-none-any', 'py3-none-manylinux_2_17_x86_64', 'py3-none-any', 'py2-none-any'],
  };

  it('prefers a pure-Python wheel, then the most specific compatible tag', () => {
    const native = file('demo_server-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    const abi3 = file('demo_server-1.0-cp311-abi3-manylinux_2_17_x86_64.whl');
    const pure = file('demo_server-1.0-py2.py3-none-any.whl');
    expect(selectWheel([native, abi3, pure], interpreter)).toEqual({ wheel: pure, pure: true });
    expect(selectWheel([abi3, native], interpreter)).toEqual({ wheel: native, pure: false });
  });

  it('checks platform tags and Requires-Python against the interpreter', () => {
    const windows = file('demo_server-1.0-cp311-cp311-win_amd64.whl');
    const arm = file('demo_server-1.0-cp311-cp311-manylinux_2_17_aarch64.whl');
    expect(selectWheel([windows, arm], interpreter)).toEqual({ wheel: null, reason: expect.stringMatching(/^no wheel for this machine \(its most specific tag is cp311-cp311-manylinux_2_36_x86_64\); published: demo_server-1.0-cp311-cp311-win_amd64.whl/) });
    const newer = file('demo_server-1.0-py3-none-any.whl', { requiresPython: '>=3.12' });
    expect(selectWheel([newer], interpreter)).toEqual({ wheel: null, reason: 'every compatible wheel requires Python >=3.12; the sandbox runs Python 3.11.2' });
    expect(admitsPython('>=3.8, <4', '3.11.2')).toBe(true);
    expect(admitsPython('not a specifier', '3.11.2')).toBe(true);
  });

  it('refuses a release with only a source distribution, saying why', () => {
    expect(selectWheel([file('demo_server-1.0.tar.gz')], interpreter)).toEqual({
      wheel: null, reason: "only a source distribution was published (demo_server-1.0.tar.gz), and sdists are not built: building runs the package's own code",
    });
  });
});

describe('entry points and the launcher', () => {
  const text = `
# comment
[gui_scripts]
demo-gui = demo.gui:main

[console_scripts]
demo-cli = demo.cli:main [extra]
demo-server = demo.server:App.run
mcp-demo = demo.mcp:main
evil = os; import sys:main
bad name = demo:main
`;

  it('reads [console_scripts] and keeps only well-formed names', () => {
    expect(parseConsoleScripts(text)).toEqual([
      { name: 'demo-cli', module: 'demo.cli', object: 'main' },
      { name: 'demo-server', module: 'demo.server', object: 'App.run' },
      { name: 'mcp-demo', module: 'demo.mcp', object: 'main' },
    ]);
  });

  it('prefers the script named like the project, then the only one, then "mcp", then "server"', () => {
    const scripts = parseConsoleScripts(text);
    expect(chooseConsoleScript(scripts, 'Demo_Server')?.name).toBe('demo-server');
    expect(chooseConsoleScript(scripts, 'other')?.name).toBe('mcp-demo');
    expect(chooseConsoleScript(scripts.filter((s) => s.name !== 'mcp-demo'), 'other')?.name).toBe('demo-server');
    expect(chooseConsoleScript([scripts[0]!], 'other')?.name).toBe('demo-cli');
    expect(chooseConsoleScript([], 'other')).toBeNull();
  });

  it('writes a launcher that imports the object and exits with its result', () => {
    const source = launcherSource({ kind: 'console_script', name: 'demo-server', module: 'demo.server', object: 'App.run' });
    expect(source).toContain('from demo.server import App\n');
    expect(source).toContain('sys.argv[0] = "demo-server"\n');
    expect(source).toContain('sys.exit(App.run())\n');
    expect(launcherSource({ kind: 'module', name: 'demo', module: 'demo' })).toContain('runpy.run_module("demo", run_name="__main__", alter_sys=True)');
    expect(() => launcherSource({ kind: 'console_script', name: 'x', module: 'os; import sys', object: 'main' })).toThrow(/not a module name/);
  });
});

describe('core metadata and specs', () => {
  it('reads the name, summary and a source repository from METADATA headers', () => {
    const metadata = 'Metadata-Version: 2.1\nName: Demo-Server\nSummary: Does\n  things\nHome-page: https://demo.example\nProject-URL: Documentation, https://docs.example\nProject-URL: Source Code, https://git.example/demo\n\nSummary: not a header\n';
    expect(parseCoreMetadata(metadata)).toEqual({ name: 'Demo-Server', summary: 'Does things', repositoryUrl: 'https://git.example/demo' });
    expect(parseCoreMetadata('Name: x\nHome-page: javascript:alert(1)\n')).toEqual({ name: 'x', summary: null, repositoryUrl: null });
  });

  it('finds dependencies named by URL (PEP 508 direct references) in Requires-Dist', () => {
    const metadata = 'Name: x\nRequires-Dist: mcp>=1.2\nRequires-Dist: helper[cli] @ https://evil.example/h.whl ; python_version >= "3.8"\nRequires-Dist: other (>=1.0)\nrequires-dist: y@git+https://evil.example/y.git\n\nRequires-Dist: z @ https://in.the.body/\n';
    expect(findDirectReferences(metadata)).toEqual(['helper[cli] @ https://evil.example/h.whl ; python_version >= "3.8"', 'y@git+https://evil.example/y.git']);
    expect(findDirectReferences('Name: x\nRequires-Dist: mcp[cli]>=1.2; extra == "at"\n')).toEqual([]);
  });

  it('parses pypi: specs with normalized names and PEP 440 versions', () => {
    expect(parsePackageSpec('pypi:Demo_Server.X')).toEqual({ registry: 'pypi', name: 'demo-server-x', version: 'latest' });
    expect(parsePackageSpec('pypi:demo@1!2.0.post1')).toEqual({ registry: 'pypi', name: 'demo', version: '1!2.0.post1' });
    expect(formatPackageSpec(parsePackageSpec('pypi:demo@>=1.2,<2'))).toBe('pypi:demo@>=1.2,<2');
    expect(() => parsePackageSpec('pypi:../etc')).toThrow(/not a valid PyPI project name/);
    expect(() => parsePackageSpec('pypi:demo@$(reboot)')).toThrow(/not a PEP 440 version or specifier/);
  });
});
