/**
 * The one way out of npm's install sandbox: an HTTP forward proxy on a unix socket that reaches the configured npm
 * registry and nothing else. npm runs inside bubblewrap with no network (`--unshare-net`); a small bridge of ours
 * inside (`npm-bridge.mjs`) accepts npm's proxy connections on the sandbox's own loopback and carries each one to
 * this socket, bound into the sandbox. So whatever a packument or a tarball names (a dependency by URL, by git, a
 * tarball on another host), npm can only ask this proxy for it, and the proxy refuses.
 *
 * What passes, judged on the registry's origin (scheme, host, port) from `--npm-registry-url`:
 * - an `https:` registry: `CONNECT <host>:<port>` to exactly that host and port, tunnelled as bytes (TLS runs end to
 *   end between npm and the registry);
 * - an `http:` registry: `GET` and `HEAD` of an absolute `http://<host>:<port>/…` URL on exactly that origin,
 *   forwarded with hop-by-hop headers dropped.
 *
 * Anything else (another host or port, another method, an `Upgrade`, a CONNECT to an `http:` registry) gets `403`
 * and is logged in {@link RegistryProxy.refused}. The proxy connects straight to the registry; it uses no upstream
 * proxy, as the crawler's own HTTP client does not.
 */
import { rm } from 'node:fs/promises';
import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface RegistryProxy {
  /** The unix socket it listens on. */
  socketPath: string;
  /** What it refused, in order, without repeats: `CONNECT host:port` or `GET http://…`; at most {@link MAX_REFUSED}. */
  refused: string[];
  /** Stops listening and ends every connection and tunnel still open. */
  close(): Promise<void>;
}

/** Most refusals kept in {@link RegistryProxy.refused}. */
export const MAX_REFUSED = 20;

/** Headers that belong to one connection, not to the message a proxy forwards (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  const named = new Set(String(headers.connection ?? '').split(',').map((h) => h.trim().toLowerCase()));
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(key) && !named.has(key)) out[key] = value;
  }
  return out;
}

/** A host as URL parsing gives it, lower-cased and without IPv6 brackets. */
function bareHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/**
 * Starts the proxy for `registryUrl` on `socketPath` (an existing file there is replaced).
 * @throws TypeError when `registryUrl` is not an http or https URL; the listen error when the socket cannot be made.
 */
export async function startRegistryProxy(registryUrl: string, socketPath: string): Promise<RegistryProxy> {
  const registry = new URL(registryUrl);
  if (registry.protocol !== 'https:' && registry.protocol !== 'http:') throw new TypeError(`the npm registry URL must be http or https: ${registryUrl}`);
  const host = bareHost(registry.hostname);
  const port = Number(registry.port || (registry.protocol === 'https:' ? 443 : 80));
  const refused: string[] = [];
  const open = new Set<Duplex>();
  const track = (socket: Duplex) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const refuse = (what: string) => {
    if (!refused.includes(what) && refused.length < MAX_REFUSED) refused.push(what);
  };
  const REFUSAL = `only the npm registry ${registry.origin} is reachable during an install\n`;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL | null = null;
    try {
      target = new URL(req.url ?? '');
    } catch {
      // not an absolute URL: refused below
    }
    const method = req.method ?? '';
    const allowed = target !== null && registry.protocol === 'http:' && target.protocol === 'http:' && (method === 'GET' || method === 'HEAD')
      && bareHost(target.hostname) === host && Number(target.port || 80) === port && target.username === '' && target.password === '';
    if (!allowed || target === null) {
      refuse(`${method} ${(req.url ?? '').slice(0, 300)}`);
      res.writeHead(403, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(REFUSAL), connection: 'close' }).end(REFUSAL);
      return;
    }
    const upstream = httpRequest({ host, port, method, path: `${target.pathname}${target.search}`, headers: { ...forwardable(req.headers), host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
      res.end(`the registry could not be reached: ${error.message}\n`);
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    const target = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(req.url ?? '');
    if (registry.protocol !== 'https:' || !target || bareHost(target[1]!) !== host || Number(target[2]) !== port) {
      refuse(`CONNECT ${(req.url ?? '').slice(0, 300)}`);
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(REFUSAL)}\r\n\r\n${REFUSAL}`);
      return;
    }
    const upstream: Socket = connect({ host, port });
    track(upstream);
    let established = false;
    upstream.once('connect', () => {
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.once('error', (error) => {
      if (established) return end();
      client.end(`HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\nthe registry could not be reached: ${error.message}\n`);
    });
    client.once('error', end);
    upstream.once('close', end);
    client.once('close', end);
  });

  server.on('upgrade', (req: IncomingMessage, client: Duplex) => {
    refuse(`${req.method ?? ''} ${(req.url ?? '').slice(0, 300)} (upgrade)`);
    client.destroy();
  });
  server.on('connection', track);

  await rm(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    socketPath,
    refused,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      });
      await rm(socketPath, { force: true });
    },
  };
}
