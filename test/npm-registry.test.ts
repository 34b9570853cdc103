/** The npm registry client against real HTTP servers on loopback serving the registry's shapes and failures. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CrawlError } from '../crawler/errors.ts';
import { HttpClient } from '../crawler/http.ts';
import { fetchPackument, packumentUrl, repositoryUrlOf, resolveVersion } from '../crawler/registries/npm/client.ts';
import { formatPackageSpec, parsePackageSpec, parsePackagesFile } from '../crawler/spec.ts';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const packument = {
  name: '@acme/mcp',
  'dist-tags': { latest: '1.2.0', next: '2.0.0-beta.1' },
  versions: {
    '1.0.0': { name: '@acme/mcp', version: '1.0.0', bin: { 'acme-mcp': 'dist/cli.js' } },
    '1.2.0': { name: '@acme/mcp', version: '1.2.0', bin: 'dist/cli.js', repository: { type: 'git', url: 'git+ssh://git@github.com/acme/mcp.git' } },
    '2.0.0-beta.1': { name: '@acme/mcp', version: '2.0.0-beta.1' },
  },
  time: { '1.2.0': '2026-03-01T10:00:00.000Z' },
};

describe('package specs', () => {
  it('parses names, scopes, versions and tags', () => {
    expect(parsePackageSpec('npm:@acme/mcp@^1')).toEqual({ registry: 'npm', name: '@acme/mcp', version: '^1' });
    expect(parsePackageSpec('npm:acme-mcp')).toEqual({ registry: 'npm', name: 'acme-mcp', version: 'latest' });
    expect(formatPackageSpec(parsePackageSpec('acme-mcp@next'))).toBe('npm:acme-mcp@next');
  });

  it('rejects what is not an npm spec', () => {
    expect(() => parsePackageSpec('npm:../etc/passwd')).toThrow(CrawlError);
    expect(() => parsePackageSpec('github:thing')).toThrow(/only npm:<name>\[@<version>\] and pypi:/);
    expect(() => parsePackageSpec('npm:Acme')).toThrow(/not a valid npm package name/);
  });

  it('reads a packages file with comments and reports bad lines by number', () => {
    const { specs, errors } = parsePackagesFile('# header\nnpm:a\n\nnpm:b@1.0.0 # pinned\nnot a spec\n');
    expect(specs.map(formatPackageSpec)).toEqual(['npm:a@latest', 'npm:b@1.0.0']);
    expect(errors).toEqual([{ line: 5, message: expect.stringContaining('not a spec') }]);
  });
});

describe('packuments', () => {
  it('fetches a scoped packument and resolves tags, exact versions and ranges', async () => {
    const seen: string[] = [];
    const base = await serve((req, res) => {
      seen.push(`${req.url} ${req.headers['user-agent']}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    });
    const http = new HttpClient();
    const p = await fetchPackument(http, base, '@acme/mcp');
    await http.close();
    expect(seen[0]).toMatch(/^\/@acme%2fmcp mcp-catalogue\//);
    expect(resolveVersion(p, 'latest').version).toBe('1.2.0');
    expect(resolveVersion(p, 'next').version).toBe('2.0.0-beta.1');
    expect(resolveVersion(p, '1.0.0').version).toBe('1.0.0');
    expect(resolveVersion(p, '^1.0.0').version).toBe('1.2.0');
    expect(resolveVersion(p, 'latest').publishedAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(repositoryUrlOf(resolveVersion(p, 'latest').manifest)).toBe('https://github.com/acme/mcp');
    expect(() => resolveVersion(p, '^3')).toThrow(expect.objectContaining({ code: 'VERSION_NOT_FOUND' }));
    // A wanted tag or version is looked up among the packument's own names only.
    for (const wanted of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => resolveVersion(p, wanted), wanted).toThrow(expect.objectContaining({ code: 'VERSION_NOT_FOUND', message: `@acme/mcp: no version matches "${wanted}"` }));
    }
    expect(packumentUrl('https://r.example/', '@a/b')).toBe('https://r.example/@a%2fb');
  });

  it('retries 503 and 429 with Retry-After, then succeeds', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) return void res.writeHead(503).end();
      if (calls === 2) return void res.writeHead(429, { 'retry-after': '1' }).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    });
    const http = new HttpClient({ minTimeoutMs: 10 });
    const started = Date.now();
    await expect(fetchPackument(http, base, '@acme/mcp')).resolves.toMatchObject({ name: '@acme/mcp' });
    await http.close();
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('turns 404, broken JSON, wrong shapes and oversized bodies into coded errors', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/missing') return void res.writeHead(404).end('{}');
      if (req.url === '/broken') return void res.writeHead(200).end('<html>oops');
      if (req.url === '/shape') return void res.writeHead(200).end(JSON.stringify({ versions: 'nope' }));
      res.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 0x20));
    });
    const http = new HttpClient({ maxBodyBytes: 1024 * 1024, maxRetries: 0 });
    await expect(fetchPackument(http, base, 'missing')).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
    await expect(fetchPackument(http, base, 'broken')).rejects.toMatchObject({ code: 'HTTP_BAD_JSON' });
    await expect(fetchPackument(http, base, 'shape')).rejects.toMatchObject({ code: 'PACKUMENT_INVALID' });
    await expect(fetchPackument(http, base, 'huge')).rejects.toMatchObject({ code: 'HTTP_BODY_TOO_LARGE' });
    await http.close();
  });
});
