// The stdio ↔ HTTP relay of the `live-http` rung (see ../live-http.ts). It runs INSIDE the sandbox, beside the
// server it relays for, and only ever connects to the sandbox's own loopback: the crawler keeps speaking stdio to
// it, and nothing connects from the host.
//
//   node http-relay.mjs <port> -- <server command…>
//
// It starts the server with PORT=<port>, copies the server's stdout and stderr to its own stderr, and waits until
// the server listens: a port it announces ("listening on http://localhost:3000/mcp"), <port>, or whatever socket
// /proc/net/tcp{,6} shows listening in this network namespace (only the server's can). It then relays each
// newline-delimited JSON-RPC message from stdin over MCP Streamable HTTP (spec 2025-06-18, "Transports": POST with
// `Accept: application/json, text/event-stream`, `Mcp-Session-Id` and `MCP-Protocol-Version` headers; answers as
// JSON or as an SSE stream) and writes every message the server answers to stdout, one per line. The endpoint is
// found on the first message: announced paths, then /mcp, then /. When none answers, the deprecated HTTP+SSE
// transport is tried at /sse (GET an event stream, POST to the `endpoint` it names; here that URL is inside the
// sandbox, which has no other network). When the server exits, the relay exits with its code.
//
// Dependency-free on purpose (Node ≥ 18: fetch, readline, child_process): it is mounted alone into the sandbox.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const SEPARATOR = process.argv.indexOf('--');
const PORT = Number(process.argv[2]);
const COMMAND = process.argv.slice(SEPARATOR + 1);
const say = (line) => process.stderr.write(`mcp-catalogue relay: ${line}\n`);

if (SEPARATOR < 0 || COMMAND.length === 0 || !Number.isInteger(PORT)) {
  say('usage: http-relay.mjs <port> -- <command…>');
  process.exit(2);
}

const server = spawn(COMMAND[0], COMMAND.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PORT: String(PORT) } });
server.on('error', (error) => {
  say(`cannot start ${COMMAND[0]}: ${error.message}`);
  process.exit(127);
});
server.on('exit', (code, signal) => {
  say(`the server exited (${signal ?? `code ${code}`})`);
  process.exitCode = code ?? 1;
  setTimeout(() => process.exit(code ?? 1), 50);
});
server.stdin.on('error', () => undefined);

/** Ports and paths the server announced on stdout or stderr, newest last. */
const announced = [];
const ANNOUNCE = /https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|[a-z0-9.-]+):(\d{2,5})(\/[^\s'"`,)\]]*)?|\bport\s*:?\s*(\d{2,5})\b/gi;
let scanned = '';
function watch(chunk) {
  process.stderr.write(chunk);
  scanned = (scanned + chunk.toString('utf8')).slice(-4096);
  for (const m of scanned.matchAll(ANNOUNCE)) {
    const port = Number(m[1] ?? m[3]);
    const path = m[2] && m[2] !== '/' ? m[2].replace(/[.:;]+$/, '') : null;
    if (port > 0 && port < 65536 && !announced.some((a) => a.port === port && a.path === path)) announced.push({ port, path });
  }
  scanned = scanned.slice(-200);
}
server.stdout.on('data', watch);
server.stderr.on('data', watch);

/** Listening TCP sockets of this network namespace: `[{port, v6}]`, from /proc/net/tcp and tcp6 (state 0A). */
function listening() {
  const found = [];
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]]) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && fields[1]) found.push({ port: parseInt(fields[1].split(':')[1], 16), v6 });
    }
  }
  return found;
}

/** How long one endpoint candidate may take to answer the first message, ms. */
const PROBE_MS = 10_000;
/** How long to wait, once a socket listens, for the server to say where, ms. */
const GRACE_MS = 300;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a listening socket; prefers an announced port, then PORT, then the first one seen. */
async function waitForPort() {
  for (let tries = 0; ; tries += 1) {
    const open = listening();
    const pick = announced.findLast((a) => open.some((o) => o.port === a.port))?.port
      ?? (open.some((o) => o.port === PORT) ? PORT : open[0]?.port);
    if (pick !== undefined) {
      // A socket on :: (dual stack) or ::1 shows in tcp6 only; [::1] reaches both.
      const v6Only = open.filter((o) => o.port === pick).every((o) => o.v6);
      return { port: pick, host: v6Only ? '[::1]' : '127.0.0.1' };
    }
    if (tries % 50 === 49) say(`still waiting for the server to listen (PORT=${PORT})`);
    await sleep(100);
  }
}

// ---- stdin → HTTP -------------------------------------------------------------------------------------------

let session = null; // Mcp-Session-Id
let protocolVersion = null; // from the initialize result, sent as MCP-Protocol-Version
let initializeId;
let endpoint = null; // { kind: 'streamable', url } | { kind: 'sse', post }

function write(message) {
  if (message && message.id !== undefined && message.id === initializeId && typeof message.result?.protocolVersion === 'string') {
    protocolVersion = message.result.protocolVersion;
  }
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const answers = (data, id) => data !== null && typeof data === 'object' && data.jsonrpc === '2.0' && data.id === id && (data.result !== undefined || data.error !== undefined);

function errorFor(message, text) {
  if (message && message.id !== undefined && message.method !== undefined) write({ jsonrpc: '2.0', id: message.id, error: { code: -32000, message: `relay: ${text}`.slice(0, 500) } });
}

/** Reads an SSE body and calls `onEvent({event, data})` per event until the body ends or `onEvent` returns true. */
async function readEvents(body, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { event: 'message', data: [] };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let index;
    while ((index = buffer.search(/\r?\n/)) !== -1) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + (buffer[index] === '\r' ? 2 : 1));
      if (line === '') {
        if (event.data.length > 0 && onEvent({ event: event.event, data: event.data.join('\n') })) return;
        event = { event: 'message', data: [] };
      } else if (line.startsWith('data:')) event.data.push(line.slice(5).replace(/^ /, ''));
      else if (line.startsWith('event:')) event.event = line.slice(6).trim();
    }
  }
}

/**
 * POSTs one message with Streamable HTTP and writes what the server answers. Resolves to the status and whether the
 * answer to a request was seen; a body that holds no JSON-RPC answer to it is not written (a web page on `/`).
 */
async function postStreamable(url, message, signal) {
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (session) headers['mcp-session-id'] = session;
  if (protocolVersion) headers['mcp-protocol-version'] = protocolVersion;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(message), redirect: 'manual', signal });
  const id = response.headers.get('mcp-session-id');
  if (id) session = id;
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const isRequest = message.id !== undefined && message.method !== undefined;
  if (!isRequest || !response.ok || response.status === 202) {
    await response.body?.cancel();
    return { status: response.status, answered: false };
  }
  let answered = false;
  if (type === 'application/json') {
    let data;
    try {
      data = JSON.parse(await response.text());
    } catch {
      return { status: response.status, answered: false };
    }
    const batch = Array.isArray(data) ? data : [data];
    answered = batch.some((m) => answers(m, message.id));
    if (answered) for (const m of batch) write(m);
  } else if (type === 'text/event-stream') {
    await readEvents(response.body, (event) => {
      if (event.event !== 'message') return false;
      let data;
      try {
        data = JSON.parse(event.data);
      } catch {
        return false;
      }
      write(data);
      answered = answers(data, message.id);
      return answered;
    });
    await response.body?.cancel().catch(() => undefined);
  } else {
    await response.body?.cancel();
  }
  return { status: response.status, answered };
}

/** Legacy HTTP+SSE: GET the stream, wait for `endpoint`, then relay every `message` event to stdout. */
async function openSse(origin, path) {
  const stop = new AbortController();
  const probe = setTimeout(() => stop.abort(), PROBE_MS);
  const response = await fetch(`${origin}${path}`, { headers: { accept: 'text/event-stream' }, redirect: 'manual', signal: stop.signal });
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    clearTimeout(probe);
    await response.body?.cancel();
    return null;
  }
  return new Promise((resolve) => {
    let post = null;
    readEvents(response.body, (event) => {
      if (event.event === 'endpoint' && post === null) {
        clearTimeout(probe); // the stream stays open from here on
        post = new URL(event.data, `${origin}${path}`).href;
        resolve({ kind: 'sse', post });
      } else if (event.event === 'message') {
        try {
          write(JSON.parse(event.data));
        } catch {
          // not JSON: dropped, as the stdio transport drops noise
        }
      }
      return false;
    }).then(() => {
      if (post === null) resolve(null);
      else say('the SSE stream ended');
    }, () => resolve(null));
  });
}

/** Tries every candidate endpoint on the listening port once; the endpoint found, or null. */
async function probe(first) {
  const { port, host } = await waitForPort();
  const origin = `http://${host}:${port}`;
  const paths = [...new Set([...announced.filter((a) => a.port === port && a.path && !/\/sse\/?$/.test(a.path)).map((a) => a.path), '/mcp', '/'])];
  for (const path of paths) {
    try {
      // A candidate that never answers must not hold up the next one.
      const { answered } = await postStreamable(`${origin}${path}`, first, AbortSignal.timeout(PROBE_MS));
      if (answered) {
        say(`Streamable HTTP at ${origin}${path}`);
        return { kind: 'streamable', url: `${origin}${path}` };
      }
    } catch (error) {
      say(`POST ${path}: ${error.message}`);
    }
  }
  const ssePaths = [...new Set([...announced.filter((a) => a.port === port && a.path && /\/sse\/?$/.test(a.path)).map((a) => a.path), '/sse'])];
  for (const path of ssePaths) {
    const sse = await openSse(origin, path).catch(() => null);
    if (sse) {
      say(`HTTP+SSE at ${origin}${path}`);
      await fetch(sse.post, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first), redirect: 'manual' });
      return sse;
    }
  }
  say(`no MCP endpoint answered on port ${port} (tried POST ${paths.join(', ')} and GET ${ssePaths.join(', ')})`);
  return null;
}

/**
 * Finds the endpoint with the first message (normally `initialize`) and relays it. A server usually says where it
 * listens just after its socket is open, and may mount its routes a moment later: the first probe waits
 * {@link GRACE_MS}, and a second one follows a second after a probe that found nothing.
 */
async function connect(first) {
  await waitForPort();
  await sleep(GRACE_MS);
  const found = (await probe(first)) ?? (await sleep(1000).then(() => probe(first)));
  if (!found) errorFor(first, 'no MCP endpoint answered over HTTP (see the relay lines of the stderr tail)');
  return found;
}

async function relay(message) {
  if (endpoint === null) {
    endpoint = await connect(message);
    return;
  }
  if (endpoint.kind === 'sse') {
    const response = await fetch(endpoint.post, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), redirect: 'manual' });
    await response.body?.cancel();
    if (!response.ok) errorFor(message, `POST answered ${response.status}`);
    return;
  }
  const { status, answered } = await postStreamable(endpoint.url, message);
  if (message.id !== undefined && message.method !== undefined && !answered) errorFor(message, `POST answered ${status} without an answer to the request`);
  else if (status < 200 || status >= 300) say(`POST of a notification answered ${status}`);
}

let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (message?.method === 'initialize') initializeId = message.id;
  queue = queue.then(() => relay(message)).catch((error) => errorFor(message, error.message));
});
process.stdin.on('end', () => server.kill('SIGTERM'));
