/** The failure taxonomy applied to what a failed session left behind (crawler/failure.ts), and lost connections. */
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { classifyFailure, type FailureEvidence } from '../crawler/failure.ts';
import { isLostConnection } from '../crawler/introspect.ts';

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
