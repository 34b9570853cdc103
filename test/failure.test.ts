/** The failure taxonomy applied to what a failed session left behind (crawler/failure.ts), and lost connections. */
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { classifyFailure, quietSessionTail, stallEvidence, type FailureEvidence } from '../crawler/session/failure.ts';
import { isLostConnection } from '../crawler/session/stdio.ts';

const exited = (stderrTail: string, code = 1): FailureEvidence => ({
  phase: 'initialize', timedOut: false, overflowed: false, exit: { code, signal: null }, stderrTail,
  noiseLines: 0, noiseSamples: [], errorMessage: 'Connection closed', protocolError: false,
});

describe('classifyFailure', () => {
  it('reads a usage dump as a request for configuration, even when it mentions a port', () => {
    const usage = 'Usage: cluster-server [flags]\n  --port int   start a streamable HTTP server on this port\n  --kubeconfig string\n';
    expect(classifyFailure(exited(usage))).toMatchObject({ reason: 'needs_configuration' });
    expect(classifyFailure(exited('usage:cluster-server --config FILE'))).toMatchObject({ reason: 'needs_configuration' });
  });

  it('takes only a line that starts with "usage:" for a usage dump', () => {
    expect(classifyFailure(exited('memory usage: 12 MB\nTypeError: x is not a function'))).toMatchObject({ reason: 'crashed_on_start' });
    expect(classifyFailure(exited('TypeError: x is not a function\n   Usage: tool <command>'))).toMatchObject({ reason: 'needs_configuration' });
  });

  it('calls an exit that announced a listener HTTP only', () => {
    expect(classifyFailure(exited('Server listening on http://localhost:3000'))).toMatchObject({ reason: 'http_only' });
  });
});

describe('classifyFailure at the timeout', () => {
  const hung = (stderrTail: string, noiseSamples: string[] = []): FailureEvidence => ({
    phase: 'initialize', timedOut: true, overflowed: false, exit: null, stderrTail,
    noiseLines: noiseSamples.length, noiseSamples, errorMessage: 'aborted', protocolError: false,
  });

  it('does not take "running on stdio" for an HTTP listener', () => {
    expect(classifyFailure(hung('MCP Server running on stdio'))).toMatchObject({ reason: 'timed_out' });
    expect(classifyFailure(hung('Server running on http://localhost:8080'))).toMatchObject({ reason: 'http_only' });
  });

  it('reads a sign-in prompt as a need for configuration, even with a loopback redirect in its URL', () => {
    const prompt = 'Open this URL in your browser: https://login.example/device?redirect_uri=http://localhost:3000/callback';
    expect(classifyFailure(hung(prompt))).toMatchObject({ reason: 'needs_configuration', message: expect.stringContaining('interactive sign-in') });
    expect(classifyFailure(hung('', ['Enter the device code ABCD-1234 at https://example.com/device']))).toMatchObject({ reason: 'needs_configuration' });
  });
});

describe('stallEvidence', () => {
  it('finds HTTP listeners by a port or a loopback address with a port', () => {
    expect(stallEvidence('[INFO] HTTP server listening on port 3333')).toEqual({ kind: 'listener', line: '[INFO] HTTP server listening on port 3333' });
    expect(stallEvidence('starting\nMCP server running at http://127.0.0.1:8931/mcp\n')?.kind).toBe('listener');
    expect(stallEvidence('SSE endpoint available at http://localhost:3001/sse')?.kind).toBe('listener');
  });

  it('does not take stdio banners, bind errors or ports in passing for listeners', () => {
    expect(stallEvidence('Server running on stdio')).toBeNull();
    expect(stallEvidence('Error: listen EADDRINUSE: address already in use 127.0.0.1:3000')?.kind).not.toBe('listener');
    expect(stallEvidence('Connecting to database on port 5432')).toBeNull();
    expect(stallEvidence('Loaded 12 tools; docs at https://example.com')).toBeNull();
  });

  it('puts a sign-in prompt first, whatever else the text says', () => {
    const text = 'listening on port 35799 for the OAuth callback\nAuthorize this app by visiting this url: https://accounts.example/o?redirect_uri=http%3A%2F%2Flocalhost';
    expect(stallEvidence(text)?.kind).toBe('sign_in');
    expect(stallEvidence('Waiting for authorization...')?.kind).toBe('sign_in');
    expect(stallEvidence('Press Enter to continue')?.kind).toBe('sign_in');
  });

  it('finds failed network requests, and prefers a listener line to them', () => {
    expect(stallEvidence('Caused by: Error: connect ECONNREFUSED 127.0.0.1:9')).toEqual({ kind: 'network', line: 'Caused by: Error: connect ECONNREFUSED 127.0.0.1:9' });
    expect(stallEvidence('TypeError: fetch failed\n  [cause]: Error: getaddrinfo EAI_AGAIN api.example.com')?.line).toBe('TypeError: fetch failed');
    expect(stallEvidence('telemetry: getaddrinfo ENOTFOUND t.example\nlistening on port 8080')?.kind).toBe('listener');
    expect(stallEvidence('Connected to 12 tools')).toBeNull();
  });

  it('looks only for the kinds it is given', () => {
    const text = 'listening on port 3000\nError: getaddrinfo EAI_AGAIN api.example.com';
    expect(stallEvidence(text, new Set(['network']))).toEqual({ kind: 'network', line: 'Error: getaddrinfo EAI_AGAIN api.example.com' });
    expect(stallEvidence(text, new Set(['sign_in']))).toBeNull();
  });

  it('cuts the line it quotes to 300 characters', () => {
    expect(stallEvidence(`listening on port 3000 ${'x'.repeat(1000)}`)?.line).toHaveLength(300);
  });
});

describe('quietSessionTail', () => {
  it('says how a silent session ended and quotes the stdout lines that were not JSON-RPC', () => {
    const tail = quietSessionTail({ phase: 'initialize', exit: { code: 0, signal: null }, elapsedMs: 412, stdoutBytes: 31, noiseLines: 1, noiseTail: 'LSMCP - Language Service MCP\n' });
    expect(tail).toBe([
      '[mcp-catalogue] the server wrote nothing to stderr; it exited with code 0 after 0.4 s, during initialize, having written 31 byte(s) to stdout',
      '[mcp-catalogue] 1 stdout line(s) were not JSON-RPC; the last of them:',
      'LSMCP - Language Service MCP',
    ].join('\n'));
  });

  it('tells a signal, and a session the crawler stopped, from an exit', () => {
    expect(quietSessionTail({ phase: 'tools/list', exit: { code: null, signal: 'SIGSEGV' }, elapsedMs: 2000, stdoutBytes: 0, noiseLines: 0, noiseTail: '' }))
      .toBe('[mcp-catalogue] the server wrote nothing to stderr; it was killed by SIGSEGV after 2.0 s, during tools/list, having written 0 byte(s) to stdout');
    expect(quietSessionTail({ phase: 'initialize', exit: null, elapsedMs: 30_000, stdoutBytes: 0, noiseLines: 0, noiseTail: '' }))
      .toContain('it was still running when the session stopped it after 30.0 s');
  });
});

describe('isLostConnection', () => {
  it('counts broken-pipe write errors and closed connections, not error responses', () => {
    expect(isLostConnection(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(true);
    expect(isLostConnection(Object.assign(new Error('destroyed'), { code: 'ERR_STREAM_DESTROYED' }))).toBe(true);
    expect(isLostConnection(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'))).toBe(true);
    expect(isLostConnection(new McpError(ErrorCode.InvalidParams, 'bad params'))).toBe(false);
    expect(isLostConnection(new Error('write EPIPE'))).toBe(false);
    expect(isLostConnection(null)).toBe(false);
  });
});
