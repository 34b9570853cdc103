/**
 * HTTP for discovery: the shared {@link HttpClient} (retries on 429/5xx honouring `Retry-After`, timeouts, body
 * caps) behind one p-queue per host, so each registry gets its own concurrency and request rate. Counts requests
 * per host, which tests use to assert how little an incremental run fetches.
 */
import PQueue from 'p-queue';
import type { GetJsonOptions, HttpClient, HttpTextResponse } from '../http.ts';
import { DiscoveryError } from './errors.ts';

/** Limits for one host. */
export interface HostLimit {
  /** Requests in flight at once. @default 4 */
  concurrency?: number;
  /** Requests started per `intervalMs`. @default unlimited */
  intervalCap?: number;
  /** Window of `intervalCap`, ms. @default 1000 */
  intervalMs?: number;
}

export interface DiscoveryFetcherOptions {
  /** Limits by host (`registry.npmjs.org`, `127.0.0.1:8080`), overriding the limit a source asks for. @default {} */
  hostLimits?: Record<string, HostLimit>;
}

export type FetchOptions = GetJsonOptions & { limit?: HostLimit };

interface Shared {
  http: HttpClient;
  queues: Map<string, PQueue>;
  overrides: Record<string, HostLimit>;
}

export class DiscoveryFetcher {
  readonly #shared: Shared;
  readonly #parent: DiscoveryFetcher | null;
  /** Requests sent, by host (`host:port`). */
  readonly requests = new Map<string, number>();
  #answered = 0;

  constructor(http: HttpClient, options: DiscoveryFetcherOptions = {}, parent: DiscoveryFetcher | null = null) {
    this.#shared = parent ? parent.#shared : { http, queues: new Map(), overrides: options.hostLimits ?? {} };
    this.#parent = parent;
  }

  /** A fetcher sharing this one's client and host queues, with its own request counts (also added to this one's). */
  child(): DiscoveryFetcher {
    return new DiscoveryFetcher(this.#shared.http, {}, this);
  }

  /** Total requests sent so far. */
  get requestCount(): number {
    let total = 0;
    for (const n of this.requests.values()) total += n;
    return total;
  }

  /**
   * Requests that got an answer: any status the HTTP client returns (2xx, 304, 4xx), not those that ended in a network
   * error or in a 429 or 5xx still there after its retries.
   */
  get answeredCount(): number {
    return this.#answered;
  }

  /**
   * GETs `url` through its host's queue; `limit` is the source's default for that host (overridden by
   * `hostLimits`). Returns any status; see {@link HttpClient.get}.
   */
  async get(url: string, options: FetchOptions = {}): Promise<HttpTextResponse> {
    const host = new URL(url).host;
    const queue = this.#queue(host, options.limit);
    return queue.add(
      async () => {
        this.#count(host);
        const response = await this.#shared.http.get(url, options);
        this.#answer();
        return response;
      },
      { signal: options.signal, throwOnTimeout: true },
    );
  }

  /**
   * GETs `url` and parses a 2xx body as JSON; other statuses come back with `json: undefined`.
   * @throws DiscoveryError `DISCOVERY_BAD_RESPONSE` when a 2xx body is not JSON, and the HTTP client's errors.
   */
  async getJson(url: string, options: FetchOptions = {}): Promise<HttpTextResponse & { json: unknown }> {
    const response = await this.get(url, { accept: 'application/json', ...options });
    if (response.statusCode < 200 || response.statusCode > 299) return { ...response, json: undefined };
    try {
      return { ...response, json: JSON.parse(response.body) as unknown };
    } catch (cause) {
      throw new DiscoveryError('DISCOVERY_BAD_RESPONSE', `[GET] ${url}: the body is not JSON (${response.body.length} characters)`, { cause, url });
    }
  }

  #answer(): void {
    this.#answered += 1;
    if (this.#parent) this.#parent.#answer();
  }

  #count(host: string): void {
    this.requests.set(host, (this.requests.get(host) ?? 0) + 1);
    if (this.#parent) this.#parent.#count(host);
  }

  #queue(host: string, limit: HostLimit = {}): PQueue {
    let queue = this.#shared.queues.get(host);
    if (!queue) {
      const chosen = { ...limit, ...this.#shared.overrides[host] };
      queue = new PQueue({
        concurrency: chosen.concurrency ?? 4,
        ...(chosen.intervalCap ? { intervalCap: chosen.intervalCap, interval: chosen.intervalMs ?? 1000 } : {}),
      });
      this.#shared.queues.set(host, queue);
    }
    return queue;
  }
}
