// The bridge between npm and the registry proxy during an install (see ./install.ts and ./registry-proxy.ts). It
// runs INSIDE the install sandbox, which has no network but its own loopback:
//
//   node npm-bridge.mjs <unix socket> <port> -- <npm command…>
//
// It listens on 127.0.0.1:<port> of the sandbox's loopback, carries every connection made there, byte for byte, to
// <unix socket> (the crawler's proxy, bound into the sandbox), then starts npm, whose `proxy` and `https-proxy` name
// that port. It decides nothing: what may pass is the proxy's choice. When npm exits, the bridge exits with its code
// (128 + the signal number when npm was killed).
//
// Dependency-free on purpose: it is placed alone into the sandbox from memory.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { constants } from 'node:os';

const SEPARATOR = process.argv.indexOf('--');
const SOCKET = process.argv[2];
const PORT = Number(process.argv[3]);
const COMMAND = process.argv.slice(SEPARATOR + 1);

if (SEPARATOR !== 4 || !SOCKET || !Number.isInteger(PORT) || COMMAND.length === 0) {
  process.stderr.write('usage: npm-bridge.mjs <unix socket> <port> -- <command…>\n');
  process.exit(2);
}

const server = createServer((client) => {
  const upstream = connect(SOCKET);
  client.pipe(upstream);
  upstream.pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
});

server.on('error', (error) => {
  process.stderr.write(`mcp-catalogue npm bridge: cannot listen on 127.0.0.1:${PORT}: ${error.message}\n`);
  process.exit(70);
});

server.listen(PORT, '127.0.0.1', () => {
  const child = spawn(COMMAND[0], COMMAND.slice(1), { stdio: 'inherit' });
  child.on('error', (error) => {
    process.stderr.write(`mcp-catalogue npm bridge: cannot start ${COMMAND[0]}: ${error.message}\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 9)));
});
