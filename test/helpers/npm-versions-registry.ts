/**
 * A loopback npm registry whose packages gain versions while it runs, for tests that crawl over several nights:
 * `publish()` adds a packed version (or replaces one, as a registry that lets a version be republished would) and
 * moves the `latest` dist-tag to it. Packuments and tarballs are served in the public registry's shapes.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PackedVersion {
  manifest: Record<string, unknown>;
  tarball: Buffer;
}

export interface VersionsRegistry {
  url: string;
  requests: string[];
  /** Adds or replaces `manifest.version` of `manifest.name`, published at `publishedAt`, and tags it `latest`. */
  publish(packed: PackedVersion, publishedAt: Date): void;
  close(): Promise<void>;
}

export async function startVersionsRegistry(): Promise<VersionsRegistry> {
  const requests: string[] = [];
  const packages = new Map<string, { latest: string; versions: Map<string, PackedVersion & { publishedAt: Date }> }>();
  let base = '';
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '/');
    requests.push(url);
    const tarball = /^\/(.+)\/-\/[^/]+-(\d+\.\d+\.\d+)\.tgz$/.exec(url);
    if (tarball) {
      const found = packages.get(tarball[1]!)?.versions.get(tarball[2]!);
      if (!found) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.tarball.length });
      return void res.end(found.tarball);
    }
    const name = url.slice(1);
    const pkg = packages.get(name);
    if (!pkg) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: 'Not found' }));
    }
    const versions = new Map<string, unknown>();
    const time = new Map<string, string>([['created', '2026-01-01T00:00:00.000Z']]);
    for (const [version, p] of pkg.versions) {
      const integrity = `sha512-${createHash('sha512').update(p.tarball).digest('base64')}`;
      const shasum = createHash('sha1').update(p.tarball).digest('hex');
      versions.set(version, { ...p.manifest, _id: `${name}@${version}`, dist: { tarball: `${base}/${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity, shasum } });
      time.set(version, p.publishedAt.toISOString());
    }
    const latest = pkg.versions.get(pkg.latest)!;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name, 'dist-tags': { latest: pkg.latest }, versions: Object.fromEntries(versions), time: Object.fromEntries(time), description: latest.manifest.description }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    publish(packed, publishedAt) {
      const name = String(packed.manifest.name);
      const version = String(packed.manifest.version);
      let pkg = packages.get(name);
      if (!pkg) packages.set(name, (pkg = { latest: version, versions: new Map() }));
      pkg.versions.set(version, { ...packed, publishedAt });
      pkg.latest = version;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
