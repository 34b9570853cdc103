/**
 * HTTP for the crawler, done once: undici with its retry interceptor (429 and 5xx, network errors, honouring
 * `Retry-After`), a per-request timeout, a User-Agent naming the project, a cap on body bytes, and an AbortSignal.
 */
import { Agent, interceptors, type Dispatcher } from 'undici';
import { CrawlError, HttpStatusError } from './errors.ts';
import { setOwn } from '../records/index.ts';

export const USER_AGENT = 'mcp-catalogue/0.1 (+https://github.com/mcp-catalogue/mcp-catalogue)';

export interface HttpOptions {
  /** Retries after the first attempt on 429/500/502/503/504 and network errors. @default 3 */
  maxRetries?: number;
  /** First backoff in ms, doubled each retry, unless `Retry-After` says otherwise. @default 500 */
  minTimeoutMs?: number;
  /** Longest backoff in ms. @default 10000 */
  maxTimeoutMs?: number;
  /** Time allowed for response headers and between body chunks, ms. @default 30000 */
  timeoutMs?: number;
  /** Largest accepted response body, bytes. @default 64 MiB */
  maxBodyBytes?: number;
  /** Connections per origin. @default 8 */
  connections?: number;
}

export interface GetJsonOptions {
  signal?: AbortSignal;
  accept?: string;
  /** Overrides {@link HttpOptions.maxBodyBytes} for this request. */
  maxBodyBytes?: number;
  /** Extra request headers (e.g. `authorization`, `if-none-match`); names in lower case. @default {} */
  headers?: Record<string, string>;
}

/** A response of any status, its body read as UTF-8 text within the body cap. */
export interface HttpTextResponse {
  statusCode: number;
  /** Response headers, names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body; empty for 304 and HEAD. */
  body: string;
}

/** A small JSON-over-HTTP client; one instance is shared by every request of a crawl. */
export class HttpClient {
  readonly #dispatcher: Dispatcher;
  readonly #maxBodyBytes: number;

  constructor(options: HttpOptions = {}) {
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
    this.#dispatcher = new Agent({
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connections: options.connections ?? 8,
    }).compose(
      interceptors.retry({
        maxRetries: options.maxRetries ?? 3,
        minTimeout: options.minTimeoutMs ?? 500,
        maxTimeout: options.maxTimeoutMs ?? 10_000,
        timeoutFactor: 2,
        retryAfter: true,
        statusCodes: [429, 500, 502, 503, 504],
        methods: ['GET', 'HEAD'],
      }),
    );
  }

  /**
   * GETs `url` and parses the body as JSON.
   * @throws HttpStatusError for a non-2xx status (after retries), CrawlError `HTTP_NETWORK`, `HTTP_BODY_TOO_LARGE`
   *   or `HTTP_BAD_JSON`.
   */
  async getJson(url: string, options: GetJsonOptions = {}): Promise<unknown> {
    const text = await this.getText(url, { ...options, accept: options.accept ?? 'application/json' });
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new CrawlError('HTTP_BAD_JSON', `[GET] ${url}: the body is not JSON (${text.length} characters)`, { cause });
    }
  }

  /** GETs `url` and returns the body as UTF-8 text. Errors as {@link getJson}, less `HTTP_BAD_JSON`. */
  async getText(url: string, options: GetJsonOptions = {}): Promise<string> {
    const response = await this.get(url, options);
    if (response.statusCode < 200 || response.statusCode > 299) throw new HttpStatusError('GET', url, response.statusCode);
    return response.body;
  }

  /**
   * GETs `url` and returns status, headers and body whatever the status, after the retry interceptor gave up or
   * succeeded: callers that handle 304 (conditional requests) or 403 rate limits read the response themselves.
   * A status that exhausted its retries (429, 5xx) is thrown as {@link HttpStatusError}.
   * @throws HttpStatusError, CrawlError `HTTP_NETWORK` or `HTTP_BODY_TOO_LARGE` (the body is discarded).
   */
  async get(url: string, options: GetJsonOptions = {}): Promise<HttpTextResponse> {
    const response = await this.#request(url, options);
    return { ...response, body: response.body.toString('utf8') };
  }

  /**
   * GETs `url` and returns the body as bytes (a wheel, an archive). Errors as {@link getText}.
   * @throws HttpStatusError for a non-2xx status, CrawlError `HTTP_NETWORK` or `HTTP_BODY_TOO_LARGE`.
   */
  async getBytes(url: string, options: GetJsonOptions = {}): Promise<Buffer> {
    const response = await this.#request(url, options);
    if (response.statusCode < 200 || response.statusCode > 299) throw new HttpStatusError('GET', url, response.statusCode);
    return response.body;
  }

  async #request(url: string, options: GetJsonOptions): Promise<{ statusCode: number; headers: Record<string, string>; body: Buffer }> {
    const limit = options.maxBodyBytes ?? this.#maxBodyBytes;
    const parsed = new URL(url);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#dispatcher.request({
        origin: parsed.origin,
        path: parsed.pathname + parsed.search,
        method: 'GET',
        headers: { ...options.headers, 'user-agent': USER_AGENT, accept: options.accept ?? '*/*' },
        signal: options.signal,
      });
    } catch (cause) {
      const status = (cause as { statusCode?: number }).statusCode;
      if (typeof status === 'number') throw new HttpStatusError('GET', url, status);
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new CrawlError('HTTP_NETWORK', `[GET] ${url}: ${message}`, { cause, retryable: true });
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) setOwn(headers, name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      await response.body.dump();
      return { statusCode: response.statusCode, headers, body: Buffer.alloc(0) };
    }
    const declared = Number(headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > limit) {
      await response.body.dump();
      throw new CrawlError('HTTP_BODY_TOO_LARGE', `[GET] ${url}: body of ${declared} bytes exceeds the ${limit}-byte limit`);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of response.body) {
        received += (chunk as Buffer).length;
        if (received > limit) {
          response.body.destroy();
          throw new CrawlError('HTTP_BODY_TOO_LARGE', `[GET] ${url}: body exceeds the ${limit}-byte limit`);
        }
        chunks.push(chunk as Buffer);
      }
    } catch (cause) {
      if (cause instanceof CrawlError) throw cause;
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new CrawlError('HTTP_NETWORK', `[GET] ${url}: reading the body failed: ${message}`, { cause, retryable: true });
    }
    return { statusCode: response.statusCode, headers, body: Buffer.concat(chunks) };
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}
