/**
 * A TCP proxy on loopback between the store and PostgreSQL, to take the database away as a restart or a network
 * fault does: {@link TcpProxy.cut} drops every connection and refuses new ones (the listening socket is closed),
 * {@link TcpProxy.restore} listens again on the same port. A tap sees each chunk a client sends before it is passed
 * on, and may have the proxy cut just before passing it (the statement never arrives) or just after (the server
 * acts on it, but its answer never comes back).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect } from 'node:net';

/** What the proxy does with one client chunk: pass it on, or cut before or after passing it. */
export type TapVerdict = 'pass' | 'cut-before' | 'cut-after';

export interface TcpProxy {
  /** The port the proxy listens on (the same after {@link restore}). */
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Drops every connection now and refuses new ones until {@link restore}. */
  cut(): Promise<void>;
  /** Accepts connections again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  /** Sees each chunk a client sends, with the client connection's number (1-based), before it is passed on. */
  tap?: (chunk: Buffer, connection: number) => TapVerdict;
  /** After a `cut-after` verdict, how long the server has to act on the chunk before the cut, in ms. @default 300 */
  settleMs?: number;
}

export async function startTcpProxy(targetHost: string, targetPort: number, options: TcpProxyOptions = {}): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let accepted = 0;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };

  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const cut = async () => {
    const listening = server;
    server = undefined;
    dropAll();
    if (listening) await new Promise<void>((resolve) => listening.close(() => resolve()));
  };

  const onConnection = (client: Socket) => {
    const number = ++accepted;
    track(client);
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    let relayAnswers = true;
    upstream.on('data', (chunk) => {
      if (relayAnswers) client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => {
      const verdict = options.tap?.(chunk, number) ?? 'pass';
      if (verdict === 'cut-before') return void cut();
      upstream.write(chunk);
      if (verdict === 'cut-after') {
        relayAnswers = false;
        setTimeout(() => void cut(), options.settleMs ?? 300);
      }
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer(onConnection);
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => {
        port = (next.address() as AddressInfo).port;
        server = next;
        resolve();
      });
    });

  await listen();
  return {
    get port() {
      return port;
    },
    get accepted() {
      return accepted;
    },
    cut,
    restore: () => (server ? Promise.resolve() : listen()),
    close: cut,
  };
}
