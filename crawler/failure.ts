/**
 * Deciding why a server failed from what it left behind: exit status, stderr tail, stdout noise, and what the
 * session was doing. One small function, so the taxonomy is applied the same way everywhere.
 */
import type { FailureReason } from './types.ts';

export interface FailureEvidence {
  /** What the client was waiting for when the session ended. */
  phase: 'initialize' | 'tools/list';
  timedOut: boolean;
  overflowed: boolean;
  exit: { code: number | null; signal: string | null } | null;
  stderrTail: string;
  noiseLines: number;
  noiseSamples: string[];
  /** Message of the error the client raised, if any. */
  errorMessage: string | null;
  /** True when the error was a JSON-RPC error response or an invalid result, not a lost connection. */
  protocolError: boolean;
}

const NEEDS_CONFIGURATION =
  /\b(?:api[ _-]?key|access[ _-]?token|auth(?:entication)?[ _-]?token|secret[ _-]?key|client[ _-]?secret|credentials?|environment variables?|env(?:ironment)? var(?:iable)?s?|must be (?:set|provided|specified)|(?:is|are) (?:not set|required|missing)|missing (?:required )?(?:configuration|config|env|argument|option)|please (?:set|provide|specify)|no .{0,40} (?:provided|configured|specified)|unauthori[sz]ed)\b|(?:^|\n)[ \t]*usage:/i;
const HTTP_ONLY = /\b(?:listening on|server (?:is )?(?:running|started|listening) (?:on|at)|https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?|port \d{2,5}\b|sse endpoint|streamable http)/i;
const RESOURCE_LIMIT = /\b(?:heap out of memory|Array buffer allocation failed|Cannot allocate memory|ENOMEM|EAGAIN|Resource temporarily unavailable|EMFILE|too many open files|File size limit exceeded)\b/i;
const SANDBOX_DENIAL = /\b(?:EROFS|read-only file system|EACCES|permission denied|ENETUNREACH|EAI_AGAIN|getaddrinfo|ECONNREFUSED)\b/i;

/** The last line of the stderr tail that looks like an error, else its last non-empty line, cut to 300 chars. */
export function keyLine(stderrTail: string): string {
  const lines = stderrTail.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const errorLine = [...lines].reverse().find((l) => /error|exception|fatal|required|missing|invalid|cannot|failed/i.test(l) && !/^at /.test(l));
  return (errorLine ?? lines.at(-1) ?? '').slice(0, 300);
}

/** Maps what a failed session left behind to a reason and a one-line message. */
export function classifyFailure(e: FailureEvidence): { reason: FailureReason; message: string } {
  const line = keyLine(e.stderrTail);
  const said = line ? `: ${line}` : '';
  if (e.overflowed) return { reason: 'too_large', message: `stdout passed the size cap while waiting for ${e.phase}` };
  if (e.exit?.signal === 'SIGXCPU' || e.exit?.signal === 'SIGXFSZ' || RESOURCE_LIMIT.test(e.stderrTail)) {
    return { reason: 'sandbox_violation', message: `hit a sandbox resource limit${e.exit?.signal ? ` (${e.exit.signal})` : ''}${said}` };
  }
  if (e.protocolError) {
    return { reason: 'protocol_error', message: `${e.phase} failed: ${(e.errorMessage ?? 'invalid response').slice(0, 300)}` };
  }
  if (e.timedOut) {
    if (HTTP_ONLY.test(e.stderrTail) || e.noiseSamples.some((s) => HTTP_ONLY.test(s))) {
      return { reason: 'http_only', message: `no answer on stdio to ${e.phase}; it seems to serve HTTP instead${said}` };
    }
    if (e.noiseLines > 0) {
      return { reason: 'protocol_error', message: `no JSON-RPC answer to ${e.phase}; stdout carried ${e.noiseLines} other line(s), e.g. "${e.noiseSamples[0] ?? ''}"` };
    }
    return { reason: 'timed_out', message: `no answer to ${e.phase} before the timeout${said}` };
  }
  if (e.exit && e.phase === 'initialize') {
    const how = e.exit.signal ? `was killed by ${e.exit.signal}` : `exited with code ${e.exit.code}`;
    if (NEEDS_CONFIGURATION.test(e.stderrTail) || e.noiseSamples.some((s) => NEEDS_CONFIGURATION.test(s))) {
      return { reason: 'needs_configuration', message: `${how} before initialize, asking for configuration${said || `: ${e.noiseSamples[0] ?? ''}`}` };
    }
    if (HTTP_ONLY.test(e.stderrTail)) return { reason: 'http_only', message: `${how}; it seems to serve HTTP, not stdio${said}` };
    if (SANDBOX_DENIAL.test(e.stderrTail)) return { reason: 'sandbox_violation', message: `${how} after the sandbox refused an operation${said}` };
    return { reason: 'crashed_on_start', message: `${how} before answering initialize${said || (e.noiseSamples[0] ? `: ${e.noiseSamples[0]}` : '')}` };
  }
  if (e.exit) {
    const how = e.exit.signal ? `was killed by ${e.exit.signal}` : `exited with code ${e.exit.code}`;
    return { reason: 'protocol_error', message: `${how} during ${e.phase}${said}` };
  }
  return { reason: 'protocol_error', message: `${e.phase} failed: ${(e.errorMessage ?? 'unknown error').slice(0, 300)}` };
}
