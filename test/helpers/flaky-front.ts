/**
 * An HTTP front on loopback for a test registry, to make it fail as a real one does for a while: each request is
 * passed on, answered `503 Service Unavailable`, or has its connection reset (the socket destroyed before any
 * answer), as {@link FlakyFront.policy} decides from the request's path and how many times that path was asked for
 * since the last {@link FlakyFront.reset}. JSON bodies passed on have the backend's origin replaced by the front's,
 * so the tarball URLs a packument names lead back through the front.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FrontVerdict = 'pass' | '503' | 'reset';

export interface FlakyFront {
  url: string;
  /** Decides each request from its path and its 1-based count for that path. @default always 'pass' */
  policy: (path: string, count: number) => FrontVerdict;
  /** Every request's path and verdict, in arrival order. */
  log: Array<{ path: string; verdict: FrontVerdict }>;
  /** Forgets the per-path counts (and the log). */
  reset(): void;
  close(): Promise<void>;
}

export async function startFlakyFront(backendUrl: string): Promise<FlakyFront> {
  const backend = new URL(backendUrl);
  const counts = new Map<string, number>();
  const front: FlakyFront = {
    url: '',
    policy: () => 'pass',
    log: [],
    reset: () => {
      counts.clear();
      front.log.length = 0;
    },
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const verdict = front.policy(path, count);
    front.log.push({ path, verdict });
    if (verdict === 'reset') return void req.socket.destroy();
    if (verdict === '503') return void res.writeHead(503, { 'content-type': 'text/plain', connection: 'close' }).end('Service Unavailable');
    const upstream = request({ host: backend.hostname, port: backend.port, path, method: req.method, headers: { ...req.headers, host: backend.host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        let body = Buffer.concat(chunks);
        const headers = { ...answer.headers };
        // The body goes on whole, with its own length: the backend's framing does not.
        delete headers['transfer-encoding'];
        delete headers.connection;
        if (String(headers['content-type'] ?? '').includes('json')) body = Buffer.from(body.toString('utf8').split(backend.origin).join(front.url));
        headers['content-length'] = String(body.length);
        res.writeHead(answer.statusCode ?? 502, headers).end(body);
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  front.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return front;
}
