import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS, retryable, type FailureReason } from '../records/index.ts';

describe('retryable', () => {
  it.each<[FailureReason, boolean]>([
    ['registry_error', true],
    ['timed_out', true],
    ['unreachable', true],
    ['crawler_error', true],
    ['install_failed', false],
    ['needs_configuration', false],
    ['no_entry_point', false],
    ['crashed_on_start', false],
    ['protocol_error', false],
    ['http_only', false],
    ['sandbox_violation', false],
    ['too_large', false],
  ])('%s without evidence: transient %s', (reason, transient) => {
    expect(retryable(reason)).toBe(transient);
  });

  it('places every failure reason', () => {
    for (const reason of FAILURE_REASONS) expect(typeof retryable(reason)).toBe('boolean');
  });

  it.each([
    ['npm error code ECONNRESET\nnpm error network aborted', true],
    ['npm ERR! code ETIMEDOUT', true],
    ['npm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/x failed, reason: getaddrinfo EAI_AGAIN', true],
    ['npm ERR! code ENOTFOUND', true],
    ['npm ERR! code E503\nnpm ERR! 503 Service Unavailable - GET https://registry.npmjs.org/x', true],
    ['npm error network request to https://registry.npmjs.org/x failed, reason: socket hang up', true],
    ['TypeError: fetch failed', true],
    ["pip: ReadTimeoutError: HTTPSConnectionPool(host='files.pythonhosted.org'): Read timed out.", true],
    ['pip: ERROR: HTTP error 502 while getting https://files.pythonhosted.org/x.whl', true],
    ['pip: HTTP/1.1 502 Bad Gateway', true],
    ['npm ERR! code E404\nnpm ERR! 404 Not Found - GET https://registry.npmjs.org/nope', false],
    ['npm error code ETARGET\nnpm error notarget No matching version found for dep@^9.0.0', false],
    ['npm ERR! code ERESOLVE\nnpm ERR! unable to resolve dependency tree', false],
    ['x@1.0.0: the tarball did not unpack: TAR_BAD_ARCHIVE', false],
    ['pip: no wheel for this platform, sdist only', false],
    ['dependency 1.503.0 is broken', false],
  ])('install_failed with %j: transient %s', (tail, transient) => {
    expect(retryable('install_failed', { failureMessage: tail.split('\n')[0], stderrTail: tail })).toBe(transient);
  });

  it('reads the message as well as the tail', () => {
    expect(retryable('install_failed', { failureMessage: 'npm install failed (exit 1): npm error code ECONNRESET', stderrTail: '' })).toBe(true);
  });

  it('calls an unknown reason (from a newer build) permanent', () => {
    expect(retryable('some_future_reason' as FailureReason)).toBe(false);
  });
});
