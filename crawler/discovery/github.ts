/**
 * The GitHub source: repository search by topic, split by creation date to get past the 1,000-result cap.
 *
 * Source: GitHub REST API, "Search repositories" (`GET /search/repositories?q=&per_page=100&page=`; answers
 * `{total_count, incomplete_results, items: [{id, full_name, html_url, description, fork, archived,
 * stargazers_count, pushed_at}]}`, at most 1,000 results per query) and "Rate limits" (`X-RateLimit-Remaining`,
 * `X-RateLimit-Reset` in epoch seconds, `Retry-After` in seconds on 403/429 secondary limits). Every page is
 * requested with the ETag stored by the last run: a 304 costs nothing against the limit and yields nothing new.
 *
 * Windows: one query per topic and year (`created:2025-01-01..2025-12-31`); a year over 1,000 results is split
 * into months, a month into days. Calendar windows keep URLs, and so ETags, stable from run to run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { HttpStatusError } from '../errors.ts';
import type { HttpTextResponse } from '../http.ts';
import { DiscoveryError } from './errors.ts';
import type { HostLimit } from './fetch.ts';
import { normaliseRepositoryUrl } from './repository.ts';
import { parseOrThrow } from './response.ts';
import { optBool, optNumber, optString, text } from './shapes.ts';
import type { Finding, ServerCandidate } from '../../records/index.ts';
import type { Source, SourceContext } from './types.ts';
import { DEFAULT_GITHUB_API_URL } from '../defaults.ts';

export const DEFAULT_GITHUB_TOPICS = ['mcp-server', 'mcp'] as const;
const RESULT_CAP = 1000;
const PER_PAGE = 100;

export interface GithubSourceOptions {
  /** API base URL (`GITHUB_API_URL`). @default "https://api.github.com" */
  baseUrl?: string;
  /** A token (`GITHUB_TOKEN`), sent as `Authorization: Bearer`; without one the search limit is 10 a minute. */
  token?: string;
  /** Topics searched. @default ["mcp-server", "mcp"] */
  topics?: readonly string[];
  /** First year of repository creation searched. @default 2014 */
  startYear?: number;
  /** The clock, for tests. @default () => new Date() */
  now?: () => Date;
  /** Longest wait for a rate limit to reset before `DISCOVERY_RATE_LIMITED`, ms. @default 60000 */
  maxRateLimitWaitMs?: number;
  /** Request limits for the API host. @default 2 at once */
  hostLimit?: HostLimit;
}

const pageSchema = z.object({
  total_count: z.number().int().nonnegative(),
  incomplete_results: optBool,
  items: z.array(z.unknown()),
});

const repoSchema = z.object({
  id: z.number().int(),
  full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  html_url: z.string(),
  description: z.string().nullish().catch(undefined),
  fork: optBool,
  archived: optBool,
  stargazers_count: optNumber,
  pushed_at: optString.nullable().catch(undefined),
});

interface Window {
  from: string;
  to: string;
  level: 'year' | 'month' | 'day';
}

export function githubSource(options: GithubSourceOptions = {}): Source {
  const baseUrl = (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const maxWaitMs = options.maxRateLimitWaitMs ?? 60_000;
  const limit = options.hostLimit ?? { concurrency: 2 };
  let pausedUntil = 0;

  async function waitForLimit(signal: AbortSignal, url: string): Promise<void> {
    const waitMs = pausedUntil - Date.now();
    if (waitMs <= 0) return;
    if (waitMs > maxWaitMs) {
      throw new DiscoveryError('DISCOVERY_RATE_LIMITED', `[GET] ${url}: rate limited for ${Math.ceil(waitMs / 1000)} s more (longer than ${maxWaitMs} ms); the next run continues`, { url });
    }
    await sleep(waitMs, undefined, { signal });
  }

  /** Notes `X-RateLimit-*` and `Retry-After`; returns true when the response is a rate-limit refusal. */
  function noteLimits(response: HttpTextResponse): boolean {
    const remaining = response.headers['x-ratelimit-remaining'];
    const reset = Number(response.headers['x-ratelimit-reset']);
    const retryAfter = Number(response.headers['retry-after']);
    const limited = (response.statusCode === 403 || response.statusCode === 429) && (remaining === '0' || Number.isFinite(retryAfter));
    if (Number.isFinite(retryAfter) && retryAfter >= 0 && (response.statusCode === 403 || response.statusCode === 429)) {
      pausedUntil = Math.max(pausedUntil, Date.now() + retryAfter * 1000);
    } else if (remaining === '0' && Number.isFinite(reset)) {
      pausedUntil = Math.max(pausedUntil, reset * 1000);
    }
    return limited;
  }

  async function page(context: SourceContext, query: string, pageNo: number): Promise<{ total: number; items: unknown[] | null }> {
    const url = `${baseUrl}/search/repositories?q=${encodeURIComponent(query)}&per_page=${PER_PAGE}&page=${pageNo}`;
    const stateKey = `etag:${query}|${pageNo}`;
    const stored = context.state.get(stateKey) as { etag?: string; total?: number } | undefined;
    const headers: Record<string, string> = { 'x-github-api-version': '2022-11-28' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (stored?.etag && typeof stored.total === 'number') headers['if-none-match'] = stored.etag;
    for (let attempt = 0; ; attempt++) {
      await waitForLimit(context.signal, url);
      const response = await context.fetch.getJson(url, { signal: context.signal, accept: 'application/vnd.github+json', headers, maxBodyBytes: 8 * 1024 * 1024, limit });
      if (noteLimits(response)) {
        if (attempt < 3) continue;
        throw new DiscoveryError('DISCOVERY_RATE_LIMITED', `[GET] ${url}: still rate limited after ${attempt + 1} attempts; the next run continues`, { url });
      }
      if (response.statusCode === 304 && stored && typeof stored.total === 'number') return { total: stored.total, items: null };
      if (response.statusCode < 200 || response.statusCode > 299) throw new HttpStatusError('GET', url, response.statusCode);
      const body = parseOrThrow(url, pageSchema, response.json);
      if (body.incomplete_results) context.warn(`${url}: GitHub marked the results incomplete`);
      if (response.headers.etag) context.state.set(stateKey, { etag: response.headers.etag, total: body.total_count });
      return { total: body.total_count, items: body.items };
    }
  }

  return {
    name: 'github',
    async *discover(context) {
      const handled = new Set<string>();
      const wanted = context.limit ?? Infinity;
      for (const topic of options.topics ?? DEFAULT_GITHUB_TOPICS) {
        const stack: Window[] = [];
        for (let year = now().getUTCFullYear(); year >= (options.startYear ?? 2014); year--) {
          stack.push({ from: `${year}-01-01`, to: `${year}-12-31`, level: 'year' });
        }
        stack.reverse();
        while (stack.length > 0) {
          if (handled.size >= wanted) return;
          const window = stack.shift()!;
          const query = `topic:${topic} created:${window.from}..${window.to}`;
          const first = await page(context, query, 1);
          if (first.total > RESULT_CAP && window.level !== 'day') {
            stack.unshift(...split(window));
            continue;
          }
          if (first.total > RESULT_CAP) context.warn(`${query}: ${first.total} results in one day; only the first ${RESULT_CAP} are listed`);
          const pages = Math.ceil(Math.min(first.total, RESULT_CAP) / PER_PAGE);
          for (let n = 1; n <= pages && handled.size < wanted; n++) {
            const result = n === 1 ? first : await page(context, query, n);
            for (const item of result.items ?? []) {
              const finding = toFinding(item, topic);
              if (!finding) {
                context.warn(`${query} page ${n}: skipped a repository of the wrong shape`);
                continue;
              }
              if (handled.has(finding.key)) continue;
              handled.add(finding.key);
              yield finding;
            }
          }
          await context.checkpoint();
        }
      }
    },
  };
}

/** A year into months, a month into days (UTC calendar). */
function split(window: Window): Window[] {
  const [y, m] = window.from.split('-').map(Number) as [number, number];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (window.level === 'year') {
    return Array.from({ length: 12 }, (_, i) => ({ from: `${y}-${pad(i + 1)}-01`, to: `${y}-${pad(i + 1)}-${pad(daysIn(y, i + 1))}`, level: 'month' as const }));
  }
  return Array.from({ length: daysIn(y, m) }, (_, i) => ({ from: `${y}-${pad(m)}-${pad(i + 1)}`, to: `${y}-${pad(m)}-${pad(i + 1)}`, level: 'day' as const }));
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toFinding(item: unknown, topic: string): Finding | null {
  const parsed = repoSchema.safeParse(item);
  if (!parsed.success) return null;
  const repo = parsed.data;
  const url = normaliseRepositoryUrl(repo.html_url) ?? `https://github.com/${repo.full_name.toLowerCase()}`;
  const identifier = repo.full_name.toLowerCase();
  const candidate: ServerCandidate = {
    source: 'github',
    registry: 'github',
    identifier,
    version: null,
    name: repo.full_name,
    description: text(repo.description),
    repository: { url, id: String(repo.id), subfolder: null },
    downloads: null,
    stars: repo.stargazers_count ?? null,
    packages: [],
    remotes: [],
    status: repo.archived ? 'deprecated' : 'active',
    fork: repo.fork ?? false,
    markers: [`topic:${topic}`],
    mcpName: null,
    updatedAt: repo.pushed_at ?? null,
  };
  return { key: `github:${identifier}`, marker: `${repo.pushed_at ?? ''}|${repo.archived ? 'archived' : ''}`, candidate };
}
