/**
 * Remote introspection: `initialize`, `tools/list` and the declared optional lists over Streamable HTTP (MCP
 * specification 2025-06-18, "Transports: Streamable HTTP") at the URL an MCP Registry entry gives in `remotes[]`,
 * with the SDK's `StreamableHTTPClientTransport` and no credentials.
 *
 * The one URL opened is the registry's, and only after checking it: http(s), no userinfo, no `{variable}` template
 * left in it, no required header declared, and a host that resolves to public addresses only (never loopback,
 * private, link-local or multicast: a registry entry must not turn the crawler against its own network). Every
 * request goes through {@link guardedFetch}, which refuses any other URL, never follows a redirect (a 3xx ends the
 * session; its `Location` is recorded, not opened), caps the bytes read over the session, and stops at the first
 * `401`, `403` or `WWW-Authenticate`: that is `needs_configuration`, and the authorization server metadata the
 * challenge points to is never fetched (no OAuth provider is given to the transport). Nothing a server sends — an
 * SSE `endpoint` event, a resource URI, a redirect, an OAuth metadata URL — is ever opened.
 *
 * The deprecated HTTP+SSE transport (2024-11-05) is not introspected: it only works by POSTing to the `endpoint`
 * URL the server sends, which is exactly what the crawler does not follow.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { USER_AGENT } from '../../http.ts';
import { failedSession, listLimits, runSession, type IntrospectOptions, type LiveResult, type SessionPhase } from '../../session/index.ts';
import type { FailureReason } from '../../../records/index.ts';
import { DEFAULT_SESSION_TIMEOUT_MS } from '../../defaults.ts';

/** A header a registry entry declares for a remote (`server.json` `remotes[].headers[]`, a `KeyValueInput`). */
export interface DeclaredHeader {
  name: string;
  isRequired?: boolean;
  isSecret?: boolean;
  /** A fixed value the entry gives; a header with one is sent as it is (unless secret). */
  value?: string | null;
}

export interface RemoteOptions extends Omit<IntrospectOptions, 'transportLimits'> {
  /** `remotes[].type`: `streamable-http` is introspected; `sse` is recorded as not followed. @default "streamable-http" */
  transport?: string;
  /** `remotes[].headers` of the registry entry. A required header without a fixed public value skips the remote. @default [] */
  headers?: DeclaredHeader[];
  /** Bytes read from every response body of the session together; more is `too_large`. @default 32 MiB */
  maxBodyBytes?: number;
  /** Connect to loopback and private addresses too. Only for tests against servers on 127.0.0.1. @default false */
  allowPrivateAddresses?: boolean;
}

/** Addresses a remote must not resolve to: the crawler's own host and networks (RFC 1918, 6598, 3927, 4193, 4291). */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True for an address the crawler does not connect to; IPv4-mapped IPv6 addresses are checked as IPv4. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the crawler stopped a remote session itself; `reason` is what gets recorded. */
class RemoteStop extends Error {
  constructor(
    readonly code: 'REMOTE_AUTH' | 'REMOTE_REDIRECT' | 'REMOTE_TOO_LARGE' | 'REMOTE_OTHER_URL' | 'REMOTE_ADDRESS',
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteStop';
  }
}

function cut(text: string, max = 300): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}

/** The URL as shown in messages: origin and path, without query or fragment (they may carry tokens). */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** Why the registry's URL is not opened, or null when it may be. */
export function refuseRemote(url: string, options: Pick<RemoteOptions, 'transport' | 'headers' | 'allowPrivateAddresses'>): { reason: FailureReason; message: string } | null {
  const transport = options.transport ?? 'streamable-http';
  if (transport === 'sse') {
    return { reason: 'protocol_error', message: 'only the deprecated HTTP+SSE transport is offered; it needs the endpoint URL the server sends, which the crawler does not follow' };
  }
  if (transport !== 'streamable-http') return { reason: 'protocol_error', message: `the remote transport "${cut(transport, 40)}" is not one the crawler speaks` };
  if (/\{[^}]*\}/.test(url)) {
    return { reason: 'needs_configuration', message: `the remote URL has template variables (${cut(url.match(/\{[^}]*\}/g)!.join(', '), 120)}) to fill in` };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { reason: 'protocol_error', message: `the registry gives a remote URL that does not parse: "${cut(url, 120)}"` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { reason: 'protocol_error', message: `the remote URL is not http(s): ${cut(parsed.protocol, 20)}` };
  if (parsed.username || parsed.password) return { reason: 'needs_configuration', message: 'the remote URL carries credentials, which the crawler does not use' };
  const required = (options.headers ?? []).filter((h) => h.isRequired && (h.isSecret || !h.value));
  if (required.length > 0) {
    return { reason: 'needs_configuration', message: `the registry entry declares the required header${required.length === 1 ? '' : 's'} ${required.map((h) => cut(h.name, 60)).join(', ')}; remotes that need credentials are not introspected` };
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateAddresses && isIP(host) !== 0 && isNonPublicAddress(host)) {
    return { reason: 'sandbox_violation', message: `the remote URL points at ${host}, a loopback, private or link-local address the crawler does not connect to` };
  }
  return null;
}

/** A DNS lookup for undici's connector that fails when any address of the host is not public. */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const refused = addresses.find((a) => isNonPublicAddress(a.address));
    if (refused) return callback(new RemoteStop('REMOTE_ADDRESS', 'sandbox_violation', `${hostname} resolves to ${refused.address}, a loopback, private or link-local address the crawler does not connect to`), '');
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    return callback(null, first.address, first.family);
  });
}

interface Guard {
  fetch: FetchLike;
  /** The first refusal, once the session was stopped by one. */
  stop: RemoteStop | null;
  bytes: number;
  close(): Promise<void>;
}

/**
 * The only fetch the transport gets: it opens `target` and nothing else, never follows a redirect, stops the
 * session (`abort`) at an auth challenge, a redirect or when the bytes read pass `maxBodyBytes`.
 */
function guardedFetch(target: URL, options: { maxBodyBytes: number; timeoutMs: number; allowPrivateAddresses: boolean; abort: () => void; signal: AbortSignal; headers: Record<string, string> }): Guard {
  const dispatcher = new Agent({
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connections: 2,
    ...(options.allowPrivateAddresses ? {} : { connect: { lookup: publicOnlyLookup } }),
  });
  const guard: Guard = {
    stop: null,
    bytes: 0,
    close: () => dispatcher.close(),
    fetch: async (url, init) => {
      const stop = (error: RemoteStop): never => {
        guard.stop ??= error;
        options.abort();
        throw error;
      };
      if (guard.stop) throw guard.stop;
      const asked = new URL(String(url));
      if (asked.href !== target.href) stop(new RemoteStop('REMOTE_OTHER_URL', 'protocol_error', `the client was sent to ${shown(asked)}; only the registry's URL is opened`));
      const headers = new Headers(init?.headers);
      headers.set('user-agent', USER_AGENT);
      for (const [name, value] of Object.entries(options.headers)) headers.set(name, value);
      const signal = init?.signal ? AbortSignal.any([init.signal, options.signal]) : options.signal;
      let response: Response;
      try {
        response = (await undiciFetch(asked, {
          method: init?.method,
          headers: [...headers.entries()],
          body: init?.body as string | undefined,
          redirect: 'manual',
          signal,
          dispatcher,
        })) as unknown as Response;
      } catch (error) {
        const refusal = findStop(error);
        if (refusal) stop(refusal);
        throw error;
      }
      const challenge = response.headers.get('www-authenticate');
      if (response.status === 401 || response.status === 403 || challenge !== null) {
        await response.body?.cancel().catch(() => undefined);
        stop(new RemoteStop('REMOTE_AUTH', 'needs_configuration',
          `${init?.method ?? 'GET'} answered ${response.status}${challenge ? ` with WWW-Authenticate: ${cut(challenge, 300)}` : ''}; it needs credentials, and the authorization metadata it points to is not fetched`));
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        stop(new RemoteStop('REMOTE_REDIRECT', 'protocol_error', `${init?.method ?? 'GET'} answered ${response.status}, a redirect${location ? ` to ${cut(location, 200)}` : ''}; redirects are not followed`));
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && guard.bytes + declared > options.maxBodyBytes) {
        await response.body?.cancel().catch(() => undefined);
        stop(new RemoteStop('REMOTE_TOO_LARGE', 'too_large', `a response declared ${declared} bytes, past the session's cap of ${options.maxBodyBytes}`));
      }
      if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
      const counted = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform: (chunk, controller) => {
            guard.bytes += chunk.byteLength;
            if (guard.bytes > options.maxBodyBytes) {
              const error = new RemoteStop('REMOTE_TOO_LARGE', 'too_large', `the responses passed ${options.maxBodyBytes} bytes`);
              guard.stop ??= error;
              options.abort();
              controller.error(error);
              return;
            }
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
  };
  return guard;
}

function findStop(error: unknown): RemoteStop | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    if (e instanceof RemoteStop) return e;
  }
  return null;
}

/** Network-level causes (DNS, refused, reset, TLS) of a failed fetch, as one line, or null. */
function networkCause(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth += 1) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+|ERR_TLS_[A-Z_]+|CERT_[A-Z_]+|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_[A-Z_]+)$/.test(code)) {
      return `${code}${e.message && !e.message.includes(code) ? ` ${cut(e.message, 200)}` : ''}`;
    }
  }
  return null;
}

/**
 * Introspects the remote server at `url` (from a registry entry's `remotes[]`) over Streamable HTTP, in one session
 * (`session/session.ts`). Never throws for anything the server does or for a URL that is refused: the result carries
 * the reason. `stderrTail` is empty (a remote has none).
 */
export async function introspectRemote(url: string, options: RemoteOptions = {}): Promise<LiveResult> {
  const refused = refuseRemote(url, options);
  if (refused) return failedSession(refused);
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const session = new AbortController();
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([session.signal, timeout, ...(options.signal ? [options.signal] : [])]);
  const fixedHeaders = Object.fromEntries((options.headers ?? []).filter((h) => h.value && !h.isSecret).map((h) => [h.name, h.value!]));
  const guard = guardedFetch(target, {
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    timeoutMs,
    allowPrivateAddresses: options.allowPrivateAddresses ?? false,
    abort: () => session.abort(),
    signal,
    headers: fixedHeaders,
  });
  const transport = new StreamableHTTPClientTransport(target, {
    fetch: guard.fetch,
    requestInit: { redirect: 'manual' },
    reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 },
  });
  return runSession({
    transport,
    failure: async (error, phase) => classifyRemoteFailure(error, guard.stop, timeout.aborted, phase, shown(target)),
    async end() {
      if (!signal.aborted && transport.sessionId) await transport.terminateSession();
    },
    async close() {
      session.abort();
      await guard.close().catch(() => undefined);
    },
    tail: () => '',
    protocolVersion: () => transport.protocolVersion ?? null,
  }, { timeoutMs, limits: listLimits(options), signal });
}

function classifyRemoteFailure(error: unknown, stop: RemoteStop | null, timedOut: boolean, phase: SessionPhase, where: string): { reason: FailureReason; message: string } {
  const refusal = stop ?? findStop(error);
  if (refusal) return { reason: refusal.reason, message: refusal.message };
  if (timedOut) return { reason: 'timed_out', message: `no answer to ${phase} from ${where} before the timeout` };
  const network = networkCause(error);
  if (network) return { reason: 'unreachable', message: `${where} could not be reached: ${network}` };
  const message = error instanceof Error ? error.message : String(error);
  return { reason: 'protocol_error', message: `${phase} failed: ${cut(message)}` };
}
