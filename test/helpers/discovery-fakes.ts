/**
 * Loopback fakes of the four discovery APIs, answering in their published shapes: the MCP Registry
 * (`/v0.1/servers`), npm (`/-/v1/search`, packuments with ETags), PyPI (PEP 691 `/simple/`, `/pypi/<n>/json`) and
 * GitHub (`/search/repositories` with `created:` ranges, ETags). Each counts the requests it served; `override`
 * lets a test answer a request its own way (errors, loops, huge bodies).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Fake {
  url: string;
  /** `<path>?<query>` of every request, in arrival order. */
  requests: string[];
  /** Answers a request instead of the fake when it returns true. */
  override: ((req: IncomingMessage, res: ServerResponse, url: URL) => boolean) | null;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export async function startFake(handler: Handler): Promise<Fake> {
  const fake: Fake = { url: '', requests: [], override: null, close: async () => undefined };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push(`${url.pathname}${url.search}`);
    if (fake.override?.(req, res, url)) return;
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return fake;
}

/** Sends JSON with a strong ETag over the body; answers 304 when `If-None-Match` matches. */
export function sendJson(req: IncomingMessage, res: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag, ...headers }).end();
  res.writeHead(200, { 'content-type': 'application/json', etag, ...headers }).end(text);
}

// ---- MCP Registry -----------------------------------------------------------------------------------------------

export interface RegistryEntry {
  server: Record<string, unknown>;
  _meta: { 'io.modelcontextprotocol.registry/official': { status: string; updatedAt: string; publishedAt?: string; isLatest?: boolean } };
}

export function registryEntry(name: string, fields: Record<string, unknown>, meta: { status?: string; updatedAt: string; isLatest?: boolean }): RegistryEntry {
  return {
    server: { $schema: 'https://static.modelcontextprotocol.io/schemas/2025-10-17/server.schema.json', name, version: '1.0.0', ...fields },
    _meta: { 'io.modelcontextprotocol.registry/official': { status: meta.status ?? 'active', updatedAt: meta.updatedAt, isLatest: meta.isLatest ?? true } },
  };
}

/** Cursor = the name of the last entry of the page; `legacy` answers with `metadata.next_cursor`. */
export function registryHandler(entries: () => RegistryEntry[], options: { legacy?: boolean } = {}): Handler {
  return (req, res, url) => {
    if (url.pathname !== '/v0.1/servers') return void res.writeHead(404).end();
    const limit = Number(url.searchParams.get('limit') ?? 30);
    const since = url.searchParams.get('updated_since');
    const cursor = url.searchParams.get('cursor');
    let list = entries().filter((e) => !since || e._meta['io.modelcontextprotocol.registry/official'].updatedAt >= since);
    list = list.sort((a, b) => String(a.server.name).localeCompare(String(b.server.name)));
    const start = cursor ? list.findIndex((e) => String(e.server.name) === cursor) + 1 : 0;
    const page = list.slice(start, start + limit);
    const more = start + limit < list.length;
    const next = more ? String(page[page.length - 1]!.server.name) : undefined;
    const metadata = options.legacy ? { next_cursor: next, count: page.length } : { nextCursor: next, count: page.length };
    sendJson(req, res, { servers: page, metadata });
  };
}

// ---- npm ----------------------------------------------------------------------------------------------------------

export interface NpmPackage {
  name: string;
  version: string;
  keywords: string[];
  manifest?: Record<string, unknown>;
  monthly?: number;
}

export function npmHandler(packages: () => NpmPackage[]): Handler {
  return (req, res, url) => {
    if (url.pathname === '/-/v1/search') {
      const keyword = (url.searchParams.get('text') ?? '').replace(/^keywords:/, '');
      const size = Number(url.searchParams.get('size') ?? 20);
      const from = Number(url.searchParams.get('from') ?? 0);
      const hits = packages().filter((p) => p.keywords.includes(keyword));
      const objects = hits.slice(from, from + size).map((p) => ({
        downloads: { monthly: p.monthly ?? 0, weekly: Math.round((p.monthly ?? 0) / 4) },
        dependents: 0,
        updated: '2026-01-02T00:00:00.000Z',
        searchScore: 100,
        package: { name: p.name, keywords: p.keywords, version: p.version, description: `The ${p.name} package`, links: { npm: `https://www.npmjs.com/package/${p.name}` } },
        score: { final: 1, detail: { popularity: 1, quality: 1, maintenance: 1 } },
        flags: { insecure: 0 },
      }));
      return sendJson(req, res, { objects, total: hits.length, time: 'Thu Jan 01 2026 00:00:00 GMT+0000' });
    }
    const name = decodeURIComponent(url.pathname.slice(1));
    const p = packages().find((x) => x.name === name);
    if (!p) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    // Like most servers on npm, a fake package has a bin unless its manifest says otherwise (`bin: undefined` drops it).
    const manifest = { name: p.name, version: p.version, description: `The ${p.name} package`, keywords: p.keywords, bin: { server: 'dist/index.js' }, ...p.manifest };
    sendJson(req, res, {
      _id: p.name, name: p.name, 'dist-tags': { latest: p.version },
      versions: { [p.version]: { ...manifest, _id: `${p.name}@${p.version}`, dist: { tarball: `${url.origin}/${p.name}/-/x-${p.version}.tgz` } } },
      time: { created: '2026-01-01T00:00:00.000Z', [p.version]: '2026-01-02T00:00:00.000Z' },
    });
  };
}

// ---- PyPI ---------------------------------------------------------------------------------------------------------

export interface PypiProject {
  name: string;
  serial: number;
  version: string;
  summary?: string;
  description?: string;
  requires?: string[];
  projectUrls?: Record<string, string>;
}

export function pypiHandler(projects: () => PypiProject[]): Handler {
  return (req, res, url) => {
    if (url.pathname === '/simple/') {
      if (!String(req.headers.accept).includes('application/vnd.pypi.simple.v1+json')) return void res.writeHead(406).end();
      return sendJson(req, res, { meta: { 'api-version': '1.1', '_last-serial': 999 }, projects: projects().map((p) => ({ name: p.name, '_last-serial': p.serial })) }, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
    }
    const match = /^\/pypi\/([^/]+)\/json$/.exec(url.pathname);
    const p = match ? projects().find((x) => x.name.toLowerCase().replace(/[-_.]+/g, '-') === decodeURIComponent(match[1]!)) : undefined;
    if (!p) return void res.writeHead(404).end('{"message":"Not Found"}');
    sendJson(req, res, {
      info: {
        name: p.name, version: p.version, summary: p.summary ?? null, description: p.description ?? '', description_content_type: 'text/markdown',
        home_page: null, project_urls: p.projectUrls ?? null, requires_dist: p.requires ?? null, yanked: false, classifiers: [],
      },
      last_serial: p.serial, releases: {}, urls: [], vulnerabilities: [],
    });
  };
}

// ---- GitHub -------------------------------------------------------------------------------------------------------

export interface GithubRepo {
  id: number;
  full_name: string;
  created_at: string;
  topics: string[];
  description?: string | null;
  fork?: boolean;
  archived?: boolean;
  stargazers_count?: number;
  pushed_at?: string;
}

/** Parses `topic:<t> created:<from>..<to>` and pages by `per_page`/`page`, total_count uncapped, items capped at 1,000. */
export function githubHandler(repos: () => GithubRepo[]): Handler {
  return (req, res, url) => {
    if (url.pathname !== '/search/repositories') return void res.writeHead(404).end('{"message":"Not Found"}');
    const q = url.searchParams.get('q') ?? '';
    const topic = /topic:(\S+)/.exec(q)?.[1];
    const [from, to] = (/created:(\S+)\.\.(\S+)/.exec(q) ?? []).slice(1);
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const pageNo = Number(url.searchParams.get('page') ?? 1);
    const hits = repos().filter((r) => (!topic || r.topics.includes(topic)) && (!from || r.created_at.slice(0, 10) >= from) && (!to || r.created_at.slice(0, 10) <= to!));
    const items = hits.slice(0, 1000).slice((pageNo - 1) * perPage, pageNo * perPage).map((r) => ({
      id: r.id, node_id: `R_${r.id}`, name: r.full_name.split('/')[1], full_name: r.full_name, private: false,
      owner: { login: r.full_name.split('/')[0], id: 1, type: 'User' },
      html_url: `https://github.com/${r.full_name}`, description: r.description ?? null, fork: r.fork ?? false,
      url: `https://api.github.com/repos/${r.full_name}`, created_at: r.created_at, updated_at: r.pushed_at ?? r.created_at, pushed_at: r.pushed_at ?? r.created_at,
      stargazers_count: r.stargazers_count ?? 0, watchers_count: 0, language: 'TypeScript', forks_count: 0, archived: r.archived ?? false,
      topics: r.topics, default_branch: 'main', score: 1,
    }));
    sendJson(req, res, { total_count: hits.length, incomplete_results: false, items }, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '9', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) });
  };
}
