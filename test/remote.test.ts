/**
 * Remote introspection against real Streamable HTTP MCP servers on 127.0.0.1, built with the SDK's server classes:
 * a good one, one that wants credentials, one that redirects, one whose body never ends. Every request that
 * reaches a listener is counted, so "never opened" is checked, not assumed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { discover, DiscoveryFetcher, mcpRegistrySource } from '../crawler/discovery/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { crawlRemoteServer, remoteServerOf } from '../crawler/registries/remote/crawl.ts';
import { introspectRemote, isNonPublicAddress, refuseRemote } from '../crawler/registries/remote/connect.ts';
import { openStore } from '../db/index.ts';
import { registryEntry, registryHandler, startFake } from './helpers/discovery-fakes.ts';

/** The MCP server every good endpoint serves: two tools, a prompt, a resource and a template. */
function notesServer(): McpServer {
  const server = new McpServer({ name: 'remote-notes', version: '2.1.0' }, { instructions: 'Remote notes for tests.' });
  server.registerTool('read_note', { description: 'Reads a note.', inputSchema: { id: z.string() } }, async () => ({ content: [] }));
  server.registerTool('delete_note', { description: 'Deletes a note for good.', inputSchema: { id: z.string() }, annotations: { destructiveHint: true } }, async () => ({ content: [] }));
  server.registerPrompt('summarise', { description: 'Summarises notes.', argsSchema: { folder: z.string() } }, async () => ({ messages: [] }));
  server.registerResource('note', new ResourceTemplate('notes://{id}', { list: undefined }), { description: 'One note.', mimeType: 'text/markdown' }, async () => ({ contents: [] }));
  return server;
}

interface Listener {
  url: string;
  /** `<METHOD> <path>` of every request, in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, listener: Listener) => void | Promise<void>): Promise<Listener> {
  const listener: Listener = { url: '', requests: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    listener.requests.push(`${req.method} ${req.url}`);
    void handler(req, res, listener);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  listener.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  listener.close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return listener;
}

/** Stateless Streamable HTTP: a fresh SDK server and transport per request, as the SDK's examples do. */
async function serveMcp(req: IncomingMessage, res: ServerResponse, canaryUri: string): Promise<void> {
  const server = notesServer();
  server.registerResource('remote-canary', canaryUri, { description: 'A URI the client must not open.' }, async () => ({ contents: [] }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

describe('remote servers over Streamable HTTP', () => {
  let canary: Listener;
  let good: Listener;
  let auth: Listener;
  let redirect: Listener;
  let endless: Listener;

  beforeAll(async () => {
    canary = await listen((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    good = await listen((req, res) => {
      if (req.url !== '/mcp') return void res.writeHead(404).end();
      return serveMcp(req, res, `${canary.url}/resource`);
    });
    auth = await listen((req, res, self) => {
      if (req.url?.startsWith('/.well-known/')) {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ resource: self.url, authorization_servers: [canary.url] }));
      }
      res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${self.url}/.well-known/oauth-protected-resource"`, 'content-type': 'application/json' });
      res.end('{"error":"unauthorized"}');
    });
    redirect = await listen((req, res) => {
      if (req.url === '/same-origin') return void res.writeHead(307, { location: '/mcp' }).end();
      if (req.url === '/elsewhere') return void res.writeHead(308, { location: `${canary.url}/mcp` }).end();
      return serveMcp(req, res, 'notes://x');
    });
    endless = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = `: ${'x'.repeat(16 * 1024)}\n\n`;
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
  });

  afterAll(async () => {
    await Promise.all([canary, good, auth, redirect, endless].map((l) => l?.close()));
  });

  const local = { allowPrivateAddresses: true, timeoutMs: 15_000 };

  it('lists tools, prompts, resources and templates of a good server, and opens no URI it lists', async () => {
    const result = await introspectRemote(`${good.url}/mcp`, local);
    expect(result).toMatchObject({
      outcome: 'ok',
      failureReason: null,
      serverInfo: { name: 'remote-notes', version: '2.1.0' },
      instructions: 'Remote notes for tests.',
      listFailures: [],
    });
    expect(result.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(result.tools.map((t) => t.name).sort()).toEqual(['delete_note', 'read_note']);
    expect(result.tools.find((t) => t.name === 'delete_note')?.annotations).toEqual({ destructiveHint: true });
    expect(result.prompts).toEqual([{ name: 'summarise', description: 'Summarises notes.', arguments: [{ name: 'folder', required: true }] }]);
    expect(result.resources).toContainEqual({ uri: `${canary.url}/resource`, name: 'remote-canary', description: 'A URI the client must not open.' });
    expect(result.resourceTemplates).toEqual([{ uriTemplate: 'notes://{id}', name: 'note', description: 'One note.', mimeType: 'text/markdown' }]);
    expect(good.requests.every((r) => r.endsWith(' /mcp'))).toBe(true);
    expect(canary.requests).toEqual([]);
  });

  it('records needs_configuration at a 401 and never fetches the metadata its challenge points to', async () => {
    const result = await introspectRemote(`${auth.url}/mcp`, local);
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration', tools: [] });
    expect(result.failureMessage).toContain('answered 401 with WWW-Authenticate: Bearer resource_metadata=');
    expect(auth.requests).toEqual(['POST /mcp']);
    expect(canary.requests).toEqual([]);
  });

  it('does not follow a redirect, not even within the origin', async () => {
    const same = await introspectRemote(`${redirect.url}/same-origin`, local);
    expect(same).toMatchObject({ outcome: 'failed', failureReason: 'protocol_error' });
    expect(same.failureMessage).toBe('POST answered 307, a redirect to /mcp; redirects are not followed');
    const elsewhere = await introspectRemote(`${redirect.url}/elsewhere`, local);
    expect(elsewhere.failureMessage).toContain(`answered 308, a redirect to ${canary.url}/mcp`);
    expect(redirect.requests).toEqual(['POST /same-origin', 'POST /elsewhere']);
    expect(canary.requests).toEqual([]);
  });

  it('cuts an endless body at the byte cap, well before the timeout', async () => {
    const started = Date.now();
    const result = await introspectRemote(`${endless.url}/mcp`, { ...local, maxBodyBytes: 1024 * 1024 });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'too_large', failureMessage: 'the responses passed 1048576 bytes' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('times out a server that never answers', async () => {
    const silent = await listen(() => undefined);
    try {
      const result = await introspectRemote(`${silent.url}/mcp`, { ...local, timeoutMs: 1500 });
      expect(result).toMatchObject({ outcome: 'failed', failureReason: 'timed_out' });
    } finally {
      await silent.close();
    }
  });

  it('records unreachable when nothing listens', async () => {
    const gone = await listen(() => undefined);
    await gone.close();
    const result = await introspectRemote(`${gone.url}/mcp`, local);
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'unreachable' });
    expect(result.failureMessage).toMatch(/ECONNREFUSED/);
  });

  it('by default connects to no loopback or private address, by literal or by name', async () => {
    const before = good.requests.length;
    const literal = await introspectRemote(`${good.url}/mcp`, { timeoutMs: 5000 });
    expect(literal).toMatchObject({ outcome: 'failed', failureReason: 'sandbox_violation' });
    const port = new URL(good.url).port;
    const named = await introspectRemote(`http://localhost:${port}/mcp`, { timeoutMs: 5000 });
    expect(named).toMatchObject({ outcome: 'failed', failureReason: 'sandbox_violation' });
    expect(named.failureMessage).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    const mapped = await introspectRemote(`http://[::ffff:127.0.0.1]:${port}/mcp`, { timeoutMs: 5000 });
    expect(mapped).toMatchObject({ outcome: 'failed', failureReason: 'sandbox_violation' });
    expect(good.requests.length).toBe(before);
  });

  it('skips remotes that need credentials, templates or the SSE endpoint without a request', async () => {
    const requests = good.requests.length;
    const url = `${good.url}/mcp`;
    expect(await introspectRemote(url, { ...local, headers: [{ name: 'Authorization', isRequired: true, isSecret: true }] })).toMatchObject({
      failureReason: 'needs_configuration',
      failureMessage: 'the registry entry declares the required header Authorization; remotes that need credentials are not introspected',
    });
    expect(await introspectRemote(`${good.url}/{tenant}/mcp`, local)).toMatchObject({ failureReason: 'needs_configuration' });
    expect(await introspectRemote(url, { ...local, transport: 'sse' })).toMatchObject({ failureReason: 'protocol_error', failureMessage: expect.stringContaining('endpoint URL') });
    expect(await introspectRemote(`http://user:secret@127.0.0.1:${new URL(good.url).port}/mcp`, local)).toMatchObject({ failureReason: 'needs_configuration' });
    expect(good.requests.length).toBe(requests);
  });

  it('stores a remote attempt under the registry name, with its lists, and a refused one with its reason', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    try {
      const run = await store.startCrawlRun();
      const base = { description: 'Remote notes', repositoryUrl: null, version: '2.1.0' };
      const ok = await crawlRemoteServer(
        { ...base, name: 'io.github.acme/notes', remotes: [{ type: 'sse', url: `${good.url}/sse` }, { type: 'streamable-http', url: `${good.url}/mcp` }] },
        run.id, { store, allowPrivateAddresses: true },
      );
      expect(ok).toMatchObject({ spec: 'mcp-registry:io.github.acme/notes@2.1.0', outcome: 'ok', method: 'remote-http', toolCount: 2 });
      const locked = await crawlRemoteServer({ ...base, name: 'io.github.acme/locked', remotes: [{ type: 'streamable-http', url: `${auth.url}/mcp` }] }, run.id, { store, allowPrivateAddresses: true });
      expect(locked).toMatchObject({ outcome: 'failed', method: 'none', failureReason: 'needs_configuration' });
      const [lockedEntry, notesEntry] = await store.catalogue();
      expect(notesEntry!.server).toMatchObject({ registry: 'mcp-registry', identifier: 'io.github.acme/notes' });
      expect(notesEntry!.introspection).toMatchObject({ outcome: 'ok', method: 'remote-http', toolCount: 2, prompts: [{ name: 'summarise' }] });
      expect(notesEntry!.tools.map((t) => t.tool.name)).toEqual(['delete_note', 'read_note']);
      expect(lockedEntry!.introspection).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration', crawlRunId: run.id });
    } finally {
      await store.close();
    }
  });

  it('reads a registry entry\'s declared headers and skips a remote that requires one, without a request', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    const http = new HttpClient({ maxRetries: 0 });
    const registry = await startFake(registryHandler(() => [
      registryEntry('io.github.acme/locked', {
        version: '3.0.0',
        remotes: [{ type: 'streamable-http', url: `${good.url}/mcp`, headers: [{ name: 'Authorization', description: 'Bearer token', is_required: true, is_secret: true }] }],
      }, { updatedAt: '2026-01-01T00:00:00Z' }),
      registryEntry('io.github.acme/open', { version: '1.0.0', remotes: [{ type: 'streamable-http', url: `${good.url}/mcp` }] }, { updatedAt: '2026-01-02T00:00:00Z' }),
    ]));
    try {
      const found = await discover({ store, sources: [mcpRegistrySource({ baseUrl: registry.url })], fetch: new DiscoveryFetcher(http) });
      const targets = found.servers.map(remoteServerOf);
      const locked = targets.find((t) => t?.name === 'io.github.acme/locked')!;
      expect(locked).toMatchObject({ version: '3.0.0', remotes: [{ type: 'streamable-http', headers: [{ name: 'Authorization', isRequired: true, isSecret: true, value: null }] }] });
      const before = good.requests.length;
      const run = await store.startCrawlRun();
      expect(await crawlRemoteServer(locked, run.id, { store, allowPrivateAddresses: true })).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration' });
      expect(good.requests.length).toBe(before);
      const open = targets.find((t) => t?.name === 'io.github.acme/open')!;
      expect(await crawlRemoteServer(open, run.id, { store, allowPrivateAddresses: true })).toMatchObject({ outcome: 'ok', method: 'remote-http', version: '1.0.0' });
    } finally {
      await registry.close();
      await http.close();
      await store.close();
    }
  });

  it('tells public from non-public addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:7f00:1', 'not-an-ip']) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isNonPublicAddress(address), address).toBe(false);
    expect(refuseRemote('ftp://example.com/mcp', {})).toMatchObject({ reason: 'protocol_error' });
    expect(refuseRemote('https://example.com/mcp', { headers: [{ name: 'X-Client', isRequired: true, value: 'catalogue' }] })).toBeNull();
  });
});
