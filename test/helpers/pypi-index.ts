/**
 * A real Python package index on loopback for tests, and the wheels it serves, built by the test itself.
 *
 * The index answers the Simple API in the published shapes: `GET /simple/<normalized name>/` as PEP 691 JSON
 * (`application/vnd.pypi.simple.v1+json`) when the client accepts it and the project is served as JSON, else as a
 * PEP 503 HTML page (`#sha256=` fragments, `data-requires-python`, `data-yanked`); `GET /files/<filename>` serves the
 * bytes and `GET /files/<filename>.metadata` a wheel's METADATA (PEP 658). Wheels are zip archives laid out as PEP 427 says (`<package>/…`, `<dist>-<version>.dist-info/METADATA`,
 * `WHEEL`, `entry_points.txt`, `RECORD` with urlsafe-base64 SHA-256 digests), written with Python's zipfile.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const PYTHON = '/usr/bin/python3';

/** Why the PyPI tests cannot run here, or null when bubblewrap, Debian's python3, venv and pip are all present. */
export function pypiPrerequisitesMissing(): string | null {
  if (!existsSync('/usr/bin/bwrap') && spawnSync('bwrap', ['--version']).status !== 0) return 'bubblewrap is not installed';
  if (!existsSync(PYTHON)) return `${PYTHON} is not installed (apt-get install python3 python3-venv python3-pip)`;
  const probe = spawnSync(PYTHON, ['-I', '-c', 'import pip, venv'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} lacks pip or venv (apt-get install python3-venv python3-pip): ${probe.stderr.trim().split('\n').pop()}`;
  return null;
}

export interface WheelSpec {
  /** Project name as published, e.g. `pyfix-mcp-server`. */
  name: string;
  version: string;
  /** @default "py3-none-any" */
  tag?: string;
  /** Archive path → text content. */
  files: Record<string, string>;
  /** `Requires-Dist` lines. */
  requires?: string[];
  /** `[console_scripts]` name → `module:object`. */
  consoleScripts?: Record<string, string>;
  summary?: string;
}

export interface BuiltFile {
  filename: string;
  bytes: Buffer;
  /** A wheel's METADATA text, served at `<file URL>.metadata` and advertised as `core-metadata` (PEP 658, PEP 714). */
  metadata?: string;
}

const BUILD_WHEEL = `
import base64, hashlib, io, json, sys, zipfile
spec = json.load(sys.stdin)
files = dict(spec["files"])
info = spec["distInfo"]
files[info + "/METADATA"] = spec["metadata"]
files[info + "/WHEEL"] = "Wheel-Version: 1.0\\nGenerator: mcp-catalogue-tests\\nRoot-Is-Purelib: true\\nTag: %s\\n" % spec["tag"]
if spec["entryPoints"]:
    files[info + "/entry_points.txt"] = spec["entryPoints"]
record = []
for name, text in files.items():
    data = text.encode("utf-8")
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
record.append(info + "/RECORD,,")
files[info + "/RECORD"] = "\\n".join(record) + "\\n"
out = io.BytesIO()
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    for name, text in files.items():
        archive.writestr(zipfile.ZipInfo(name, (2026, 1, 2, 0, 0, 0)), text)
sys.stdout.buffer.write(out.getvalue())
`;

/** Builds a wheel with Python's zipfile; returns its PEP 427 file name and bytes. */
export function buildWheel(spec: WheelSpec): BuiltFile {
  const dist = spec.name.replace(/[-_.]+/g, '_');
  const tag = spec.tag ?? 'py3-none-any';
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Summary: ${spec.summary ?? `${spec.name}, a fixture for the crawler's tests`}`,
    'Project-URL: Source, https://example.invalid/pyfix/source',
    ...(spec.requires ?? []).map((r) => `Requires-Dist: ${r}`),
    '',
    'A fixture package.',
    '',
  ].join('\n');
  const scripts = Object.entries(spec.consoleScripts ?? {});
  const entryPoints = scripts.length > 0 ? `[console_scripts]\n${scripts.map(([n, t]) => `${n} = ${t}`).join('\n')}\n` : '';
  const bytes = execFileSync(PYTHON, ['-I', '-c', BUILD_WHEEL], {
    input: JSON.stringify({ files: spec.files, distInfo: `${dist}-${spec.version}.dist-info`, metadata, tag, entryPoints }),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { filename: `${dist}-${spec.version}-${tag}.whl`, bytes, metadata };
}

/** Reads fixture package folders into archive paths → text (`pyfix_helper/__init__.py` → its text). */
export function fixtureFiles(root: string, packages: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const pkg of packages) {
    for (const entry of execFileSync('find', [path.join(root, pkg), '-type', 'f', '-name', '*.py'], { encoding: 'utf8' }).trim().split('\n')) {
      if (entry) files[path.relative(root, entry).split(path.sep).join('/')] = readFileSync(entry, 'utf8');
    }
  }
  return files;
}

export interface IndexFile extends BuiltFile {
  /** Digest the index states; default the real one; null states none. */
  sha256?: string | null;
  requiresPython?: string;
  /** True, or a reason: the file is yanked (PEP 592). */
  yanked?: boolean | string;
}

export interface IndexProject {
  name: string;
  files: IndexFile[];
  /** `json`: PEP 691 when accepted, else HTML; `html`: HTML only; `malformed`: an invalid JSON page. @default "json" */
  format?: 'json' | 'html' | 'malformed';
}

export interface FakeIndex {
  /** Base URL, as PYPI_URL (the Simple API is at `<url>/simple`). */
  url: string;
  /** `<path> <accept>` of every request, in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

const normalise = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Starts an index on 127.0.0.1 serving `projects` (the array is read on every request: projects pushed later are served). */
export async function startPypiIndex(projects: IndexProject[]): Promise<FakeIndex> {
  const requests: string[] = [];
  // Looked up per request, so a test may add projects once it knows the index's URL.
  const byName = (name: string) => projects.find((p) => normalise(p.name) === name);
  const byFile = (filename: string) => projects.flatMap((p) => p.files).find((f) => f.filename === filename);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://index.invalid');
    const accept = String(req.headers.accept ?? '');
    requests.push(`${url.pathname} ${accept}`);
    const metadataFile = /^\/files\/([^/]+)\.metadata$/.exec(url.pathname);
    const metadata = metadataFile ? byFile(decodeURIComponent(metadataFile[1]!))?.metadata : undefined;
    if (metadata !== undefined) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return void res.end(metadata);
    }
    const file = /^\/files\/([^/]+)$/.exec(url.pathname);
    if (file) {
      const f = byFile(decodeURIComponent(file[1]!));
      if (!f) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.bytes.length });
      return void res.end(f.bytes);
    }
    const page = /^\/simple\/([^/]+)\/$/.exec(url.pathname);
    const project = page ? byName(decodeURIComponent(page[1]!)) : undefined;
    if (!project) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('Not Found');
    }
    const digest = (f: IndexFile) => (f.sha256 === undefined ? createHash('sha256').update(f.bytes).digest('hex') : f.sha256);
    const metadataDigest = (f: IndexFile) => createHash('sha256').update(f.metadata ?? '').digest('hex');
    const format = project.format ?? 'json';
    if (format === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
      return void res.end(JSON.stringify({ meta: { 'api-version': '1.1' }, name: project.name, files: [{ filename: 42, url: null }] }));
    }
    if (format === 'json' && accept.includes('application/vnd.pypi.simple.v1+json')) {
      const body = {
        meta: { 'api-version': '1.1', '_last-serial': 7 },
        name: normalise(project.name),
        versions: [],
        files: project.files.map((f) => {
          const sha = digest(f);
          return {
            filename: f.filename,
            url: `../../files/${encodeURIComponent(f.filename)}`,
            hashes: sha === null ? {} : { sha256: sha },
            'requires-python': f.requiresPython ?? null,
            yanked: f.yanked ?? false,
            ...(f.metadata === undefined ? {} : { 'core-metadata': { sha256: metadataDigest(f) } }),
            size: f.bytes.length,
            'upload-time': '2026-01-02T00:00:00.000000Z',
          };
        }),
      };
      res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
      return void res.end(JSON.stringify(body));
    }
    const anchors = project.files.map((f) => {
      const sha = digest(f);
      const attrs = [
        `href="/files/${encodeURIComponent(f.filename)}${sha === null ? '' : `#sha256=${sha}`}"`,
        f.requiresPython ? `data-requires-python="${escapeHtml(f.requiresPython)}"` : '',
        f.yanked === undefined || f.yanked === false ? '' : `data-yanked="${f.yanked === true ? '' : escapeHtml(f.yanked)}"`,
        f.metadata === undefined ? '' : `data-core-metadata="sha256=${metadataDigest(f)}" data-dist-info-metadata="sha256=${metadataDigest(f)}"`,
      ].filter(Boolean);
      return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br />`;
    });
    const html = [
      '<!DOCTYPE html>',
      '<html>',
      '  <head>',
      '    <meta name="pypi:repository-version" content="1.1">',
      `    <title>Links for ${escapeHtml(project.name)}</title>`,
      '  </head>',
      '  <body>',
      `    <h1>Links for ${escapeHtml(project.name)}</h1>`,
      ...anchors,
      '  </body>',
      '</html>',
      '',
    ].join('\n');
    res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+html' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
