/**
 * A real npm registry on loopback for tests: serves packuments (`GET /<name>`, scoped as `@scope%2fname`) and
 * tarballs packed by `npm pack` from fixture folders, in the shapes the public registry publishes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeRegistry {
  url: string;
  /** Request paths in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

interface Published {
  manifest: Record<string, unknown>;
  tarball: Buffer;
}

/** Packs `folder` with npm (scripts off) and returns its package.json and tarball bytes. */
export function packFixture(folder: string): Published {
  const out = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-pack-'));
  try {
    const file = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out, folder], { encoding: 'utf8', env: process.env })
      .trim()
      .split('\n')
      .pop()!;
    return { manifest: JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')), tarball: readFileSync(path.join(out, file)) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Starts a registry serving the given packed packages; every package gets the `latest` dist-tag. */
export async function startFakeRegistry(packages: Published[]): Promise<FakeRegistry> {
  const requests: string[] = [];
  let base = '';
  const byName = new Map(packages.map((p) => [String(p.manifest.name), p]));
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '/');
    requests.push(url);
    const tarball = /^\/(.+)\/-\/[^/]+-(\d+\.\d+\.\d+)\.tgz$/.exec(url);
    if (tarball) {
      const p = byName.get(tarball[1]!);
      if (!p) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': p.tarball.length });
      return void res.end(p.tarball);
    }
    const p = byName.get(url.slice(1));
    if (!p) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: 'Not found' }));
    }
    const name = String(p.manifest.name);
    const version = String(p.manifest.version);
    const integrity = `sha512-${createHash('sha512').update(p.tarball).digest('base64')}`;
    const shasum = createHash('sha1').update(p.tarball).digest('hex');
    const body = {
      name,
      'dist-tags': { latest: version },
      versions: {
        [version]: { ...p.manifest, _id: `${name}@${version}`, dist: { tarball: `${base}/${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity, shasum } },
      },
      time: { created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z', [version]: '2026-01-02T00:00:00.000Z' },
      description: p.manifest.description,
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
