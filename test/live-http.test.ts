/**
 * The live-http rung: a server that only listens on a port, run in the real sandbox under our relay, listed over
 * the sandbox's own loopback; and end to end, a package of that kind crawled from a loopback npm registry.
 */
import { chmodSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../crawler/index.ts';
import { HttpClient } from '../crawler/http.ts';
import { introspectLive } from '../crawler/session/stdio.ts';
import { httpRelaySpec, introspectOverHttp, RELAY_PATH, RELAY_PORT } from '../crawler/session/http-relay.ts';
import { bubblewrapArgs, nodeRuntime, PACKAGE_MOUNT, type SandboxSpec } from '../crawler/sandbox.ts';
import { openStore } from '../db/index.ts';
import { packFixture, startFakeRegistry, type FakeRegistry } from './helpers/npm-registry.ts';
import { sandboxFixture, sandboxTempDir } from './helpers/sandbox-paths.ts';

const fixture = sandboxFixture('servers/http-server');
const spec = (...args: string[]): SandboxSpec => ({ packageRoot: fixture, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/server.js`, ...args] });

/** True when something on the host accepts connections on 127.0.0.1:`port`. */
function hostListens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('live-http in the sandbox', () => {
  it('places the relay read-only from memory and gives the server PORT', () => {
    const relayed = httpRelaySpec(spec());
    expect(relayed.command.slice(1, 4)).toEqual([RELAY_PATH, String(RELAY_PORT), '--']);
    expect(relayed.env).toEqual({ PORT: String(RELAY_PORT) });
    const args = bubblewrapArgs(relayed);
    const at = args.indexOf('--ro-bind-data');
    expect(args.slice(at - 2, at + 3)).toEqual(['--perms', '0444', '--ro-bind-data', '3', RELAY_PATH]);
  });

  it('lists a Streamable HTTP server over the sandbox loopback, both tools/list pages and its prompts', async () => {
    const result = await introspectOverHttp(spec(), { timeoutMs: 20_000 });
    expect(result).toMatchObject({ outcome: 'ok', failureReason: null, serverInfo: { name: 'http-only-fixture', version: '1.0.0' } });
    expect(result.instructions).toBe(`served over Streamable HTTP on port ${RELAY_PORT}`);
    expect(result.tools.map((t) => t.name)).toEqual(['search_docs', 'delete_doc']);
    expect(result.prompts).toEqual([{ name: 'find_page', description: 'Finds a page.', arguments: [{ name: 'topic', required: true }] }]);
    expect(result.stderrTail).toContain(`Docs MCP server listening on http://localhost:${RELAY_PORT}/mcp`);
    expect(result.stderrTail).toContain(`mcp-catalogue relay: Streamable HTTP at http://`);
    expect(await hostListens(RELAY_PORT)).toBe(false);
  });

  it('follows the path the server announces', async () => {
    const result = await introspectOverHttp(spec('--path', '/api/v1/mcp'), { timeoutMs: 20_000 });
    expect(result.outcome).toBe('ok');
    expect(result.stderrTail).toMatch(/Streamable HTTP at http:\/\/\S+\/api\/v1\/mcp/);
  });

  it('finds a server that ignores PORT and announces nothing, by its listening socket', async () => {
    const result = await introspectOverHttp(spec('--fixed-port', '4817'), { timeoutMs: 20_000 });
    expect(result.outcome).toBe('ok');
    expect(result.stderrTail).toContain('Streamable HTTP at http://127.0.0.1:4817/mcp');
  });

  it('keeps a session id and the protocol version header, and reads answers sent as event streams', async () => {
    const result = await introspectOverHttp(spec('--stateful'), { timeoutMs: 20_000 });
    expect(result.outcome).toBe('ok');
    expect(result.tools).toHaveLength(2);
  });

  it('gives up on an endpoint that never answers and tries the next', async () => {
    const result = await introspectOverHttp(spec('--stuck-mcp'), { timeoutMs: 25_000 });
    expect(result.outcome).toBe('ok');
    expect(result.stderrTail).toMatch(/POST \/mcp: .*(abort|timeout)/i);
    expect(result.stderrTail).toMatch(/Streamable HTTP at http:\/\/\S+:3000\/\n/);
  });

  it('falls back to the older HTTP+SSE transport', async () => {
    const result = await introspectOverHttp(spec('--sse'), { timeoutMs: 20_000 });
    expect(result).toMatchObject({ outcome: 'ok', instructions: `served over HTTP+SSE on port ${RELAY_PORT}` });
    expect(result.tools.map((t) => t.name)).toEqual(['search_docs', 'delete_doc']);
    expect(result.stderrTail).toContain('HTTP+SSE at http://');
  });

  it('records the crash of a server that exits instead of listening', async () => {
    const result = await introspectOverHttp(
      { packageRoot: fixture, command: [nodeRuntime().executable, '-e', 'console.error("Error: DOCS_TOKEN is required"); process.exit(3)'] },
      { timeoutMs: 20_000 },
    );
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration' });
    expect(result.stderrTail).toContain('DOCS_TOKEN is required');
  });

  it('is needed: the same server started plainly is http_only', async () => {
    const result = await introspectLive(spec(), { timeoutMs: 3000 });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'http_only' });
  });
});

describe('live-http in the crawl ladder', () => {
  let registry: FakeRegistry;
  let work: string;

  beforeAll(async () => {
    registry = await startFakeRegistry([packFixture(fixture)]);
    work = sandboxTempDir('mcp-catalogue-live-http-');
    chmodSync(work, 0o755); // the sandbox's unprivileged uid must reach the package cache
  });

  afterAll(async () => {
    await registry?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('crawls an HTTP-only package from the registry and records method live-http', async () => {
    const store = await openStore({ dataDir: 'memory://' });
    const http = new HttpClient({ maxRetries: 0 });
    try {
      const summary = await crawl([{ registry: 'npm', name: 'http-only-mcp-fixture', version: 'latest' }], {
        store, http, npmRegistryUrl: registry.url, cacheDir: path.join(work, 'cache'), introspect: { timeoutMs: 4000 },
      });
      expect(summary.results[0]).toMatchObject({ outcome: 'ok', method: 'live-http', toolCount: 2 });
      const [entry] = await store.catalogue();
      expect(entry!.introspection).toMatchObject({ outcome: 'ok', method: 'live-http', toolCount: 2, prompts: [{ name: 'find_page' }] });
      expect(entry!.tools.map((t) => t.tool.name)).toEqual(['delete_doc', 'search_docs']);
    } finally {
      await http.close();
      await store.close();
    }
  }, 120_000);
});
