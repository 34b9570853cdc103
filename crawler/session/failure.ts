/**
 * Deciding why a server failed from what it left behind: exit status, stderr tail, stdout noise, and what the
 * session was doing. One small function, so the taxonomy is applied the same way everywhere.
 */
import { CRAWLER_NOTE, type FailureReason } from '../../records/index.ts';
import type { TreeLimitHit } from '../sandbox.ts';

export interface FailureEvidence {
  /** What the client was waiting for when the session ended. */
  phase: 'initialize' | 'tools/list';
  timedOut: boolean;
  overflowed: boolean;
  /** Which stream passed its cap when `overflowed`. @default 'stdout' */
  overflowedStream?: 'stdout' | 'stderr' | null;
  exit: { code: number | null; signal: string | null } | null;
  stderrTail: string;
  noiseLines: number;
  noiseSamples: string[];
  /** Message of the error the client raised, if any. */
  errorMessage: string | null;
  /** True when the error was a JSON-RPC error response or an invalid result, not a lost connection. */
  protocolError: boolean;
  /** The limit of the sandbox's whole process tree it reached (its control group), if any. @default null */
  treeLimit?: TreeLimitHit | null;
}

/** How a {@link TreeLimitHit} reads in a failure message. */
function treeLimitText(hit: TreeLimitHit): string {
  return hit.kind === 'memory'
    ? `its processes together reached the sandbox's memory limit of ${Math.round(hit.limit / (1024 * 1024))} MiB and the kernel killed one`
    : `its processes together reached the sandbox's limit of ${hit.limit} processes and threads`;
}

const NEEDS_CONFIGURATION =
  /\b(?:api[ _-]?key|access[ _-]?token|auth(?:entication)?[ _-]?token|secret[ _-]?key|client[ _-]?secret|credentials?|environment variables?|env(?:ironment)? var(?:iable)?s?|must be (?:set|provided|specified)|(?:is|are) (?:not set|required|missing)|missing (?:required )?(?:configuration|config|env|argument|option)|please (?:set|provide|specify)|no .{0,40} (?:provided|configured|specified)|unauthori[sz]ed)\b|(?:^|\n)[ \t]*usage:/i;
/** A validation library's "required" for a named variable (zod's `API_KEY: Required`, `"message": "Required"`). */
const REQUIRED_SETTING = /\b[A-Z][A-Z0-9_]{2,}["']?\s*:\s*\[?\s*["']?Required\b|"message"\s*:\s*"Required"/;
/**
 * A file a failed start says it could not find, in the forms Node (`ENOENT: no such file or directory, open 'x'`),
 * Python (`FileNotFoundError: [Errno 2] No such file or directory: 'x'`) and servers' own messages (`x not found`,
 * `Could not find x`, `x does not exist`) give it; the path is the capture.
 */
const MISSING_FILE = [
  /ENOENT: no such file or directory, (?:open|stat|lstat|access|scandir) ['"]([^'"\n]{1,300})['"]/g,
  /No such file or directory: ['"]([^'"\n]{1,300})['"]/g,
  /(?:could not|cannot|can't|unable to|failed to) (?:find|open|read|load|locate) (?:the |a |your )?(?:(?:config(?:uration)?|credentials?|key|settings|token|secrets?) )?(?:file )?['"`]?([\w./~-]{1,300}?\.[a-z0-9]{2,8})['"`]?(?=[\s:,;)]|$)/gim,
  /['"`]?([\w./~-]{1,300}?\.[a-z0-9]{2,8})['"`]? (?:was )?(?:not found|does not exist|is missing|missing)/gim,
];
/** Files of keys, credentials and settings, by extension: a missing one is configuration, not a broken package. */
const CONFIG_FILE = /(?:^|\/)(?:\.env(?:\.[\w-]+)?|[^/]+\.(?:json|pem|key|p12|pfx|crt|cer|der|jks|keystore|ya?ml|toml|ini|cfg|conf|env))$/i;
/** Where the package's own files and the runtime live in the sandbox: a file missing there is a broken install, not configuration. */
const OWN_FILES = /^\/(?:srv\/pkg|opt\/node|usr)\//;

/**
 * The first credential or settings file a failed start says it could not find ({@link MISSING_FILE}): a key or
 * configuration file by its extension ({@link CONFIG_FILE}), outside the package's own install; null when none is.
 * A relative name (`credentials.json`) counts: servers read those from their working directory.
 */
export function missingConfigFile(stderrTail: string): string | null {
  const found: Array<{ at: number; file: string }> = [];
  for (const pattern of MISSING_FILE) for (const m of stderrTail.matchAll(pattern)) found.push({ at: m.index, file: m[1]! });
  found.sort((a, b) => a.at - b.at);
  return found.find(({ file }) => CONFIG_FILE.test(file) && !OWN_FILES.test(file) && !/(?:^|\/)node_modules\//.test(file) && !/(?:^|\/)package\.json$/.test(file))?.file ?? null;
}

const HTTP_ONLY = /\b(?:listening on|server (?:is )?(?:running|started|listening) (?:on|at)|https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::\d+)?|port \d{2,5}\b|sse endpoint|streamable http)/i;
/**
 * V8 failing to reserve address space (for a worker's or the main isolate's code range, its heap cage, a Wasm memory)
 * under the sandbox's RLIMIT_DATA: the limit is ours, the server did not crash.
 */
export const ADDRESS_SPACE_LIMIT = /Failed to reserve virtual memory for CodeRange|Fatal process out of memory: (?:Failed to reserve|Could not reserve|Oilpan: CagedHeap reservation|Failed to allocate (?:the )?(?:virtual )?memory)|Could not reserve (?:virtual )?memory for (?:the )?(?:CodeRange|pointer compression cage|heap)|WebAssembly\.Memory\(\): could not allocate memory/i;
const RESOURCE_LIMIT = /\b(?:heap out of memory|Array buffer allocation failed|Cannot allocate memory|ENOMEM|EAGAIN|Resource temporarily unavailable|EMFILE|too many open files|File size limit exceeded)\b/i;
const SANDBOX_DENIAL = /\b(?:EROFS|read-only file system|EACCES|permission denied|ENETUNREACH|EAI_AGAIN|getaddrinfo|ECONNREFUSED)\b/i;

/**
 * Whether any line of `text` matches {@link HTTP_ONLY} without saying it serves stdio ("Server running on stdio")
 * and without being a sign-in prompt (whose URL may carry a loopback redirect).
 */
function announcesHttp(text: string): boolean {
  return text.split(/\r?\n/).some((line) => HTTP_ONLY.test(line) && !/\bstdio\b/i.test(line) && !SIGN_IN.test(line));
}

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
  if (e.overflowed) return { reason: 'too_large', message: `${e.overflowedStream ?? 'stdout'} passed the size cap while waiting for ${e.phase}` };
  if (e.treeLimit) return { reason: 'sandbox_violation', message: `hit a sandbox resource limit during ${e.phase}: ${treeLimitText(e.treeLimit)}${said}` };
  if (ADDRESS_SPACE_LIMIT.test(e.stderrTail)) {
    const evidence = e.stderrTail.split(/\r?\n/).find((l) => ADDRESS_SPACE_LIMIT.test(l))?.trim().slice(0, 300) ?? line;
    return { reason: 'sandbox_limit', message: `the runtime could not reserve the virtual memory it needs under the sandbox's data limit during ${e.phase} (the limit is ours, not a crash of the server): ${evidence}` };
  }
  if (e.exit?.signal === 'SIGXCPU' || e.exit?.signal === 'SIGXFSZ' || RESOURCE_LIMIT.test(e.stderrTail)) {
    return { reason: 'sandbox_violation', message: `hit a sandbox resource limit${e.exit?.signal ? ` (${e.exit.signal})` : ''}${said}` };
  }
  if (e.protocolError) {
    return { reason: 'protocol_error', message: `${e.phase} failed: ${(e.errorMessage ?? 'invalid response').slice(0, 300)}` };
  }
  if (e.timedOut) {
    const signIn = [e.stderrTail, ...e.noiseSamples].flatMap((t) => t.split(/\r?\n/)).find((l) => SIGN_IN.test(l));
    if (signIn) return { reason: 'needs_configuration', message: `no answer to ${e.phase} before the timeout; it asked for an interactive sign-in: ${signIn.trim().slice(0, 300)}` };
    if (announcesHttp(e.stderrTail) || e.noiseSamples.some(announcesHttp)) {
      return { reason: 'http_only', message: `no answer on stdio to ${e.phase}; it seems to serve HTTP instead${said}` };
    }
    if (e.noiseLines > 0) {
      return { reason: 'protocol_error', message: `no JSON-RPC answer to ${e.phase}; stdout carried ${e.noiseLines} other line(s), e.g. "${e.noiseSamples[0] ?? ''}"` };
    }
    return { reason: 'timed_out', message: `no answer to ${e.phase} before the timeout${said}` };
  }
  if (e.exit && e.phase === 'initialize') {
    const how = e.exit.signal ? `was killed by ${e.exit.signal}` : `exited with code ${e.exit.code}`;
    const file = missingConfigFile(e.stderrTail);
    if (file !== null) return { reason: 'needs_configuration', message: `${how} before initialize: it needs the file ${file}, a key or settings file the sandbox does not have${said}` };
    if (NEEDS_CONFIGURATION.test(e.stderrTail) || REQUIRED_SETTING.test(e.stderrTail) || e.noiseSamples.some((s) => NEEDS_CONFIGURATION.test(s))) {
      return { reason: 'needs_configuration', message: `${how} before initialize, asking for configuration${said || `: ${e.noiseSamples[0] ?? ''}`}` };
    }
    if (announcesHttp(e.stderrTail)) return { reason: 'http_only', message: `${how}; it seems to serve HTTP, not stdio${said}` };
    if (SANDBOX_DENIAL.test(e.stderrTail)) return { reason: 'sandbox_violation', message: `${how} after the sandbox refused an operation${said}` };
    return { reason: 'crashed_on_start', message: `${how} before answering initialize${said || (e.noiseSamples[0] ? `: ${e.noiseSamples[0]}` : '')}` };
  }
  if (e.exit) {
    const how = e.exit.signal ? `was killed by ${e.exit.signal}` : `exited with code ${e.exit.code}`;
    return { reason: 'protocol_error', message: `${how} during ${e.phase}${said}` };
  }
  return { reason: 'protocol_error', message: `${e.phase} failed: ${(e.errorMessage ?? 'unknown error').slice(0, 300)}` };
}

/**
 * What a server that has not answered `initialize` may say that makes waiting out the whole timeout pointless:
 * - `listener`: it announced an HTTP listener (a port, or a loopback URL with a port), so it serves HTTP, not stdio;
 * - `sign_in`: it asked a person to sign in (open a URL, enter a device code, press a key), which never happens here;
 * - `network`: a connection or lookup failed (the sandbox has no network, and placeholder URLs refuse), and servers
 *   that wait on one retry until something gives up.
 */
export type StallKind = 'listener' | 'sign_in' | 'network';

/** How long a session waits for an answer after each {@link StallKind}, ms. */
export const STALL_GRACE_MS: Readonly<Record<StallKind, number>> = { listener: 5000, sign_in: 5000, network: 10_000 };

const SIGN_IN = /\b(?:authori[sz]e (?:this|the) (?:app|application|client)|(?:visit|open|go to|navigate to)(?:ing)? (?:this|the following|the) (?:url|link|page|address)|open(?:ed)? (?:it |this |the url )?in (?:a|your) browser|(?:device|user|verification) code|waiting for (?:the )?(?:user to )?(?:authori[sz]ation|authentication|login|log in|sign[- ]?in|approval)|press (?:enter|any key|return)|complete (?:the )?(?:sign[- ]?in|login|authentication) in)\b/i;
const LISTENER = /\b(?:listening|running|available|started|serving|accessible)\b[^\n]{0,60}?(?:\bport\s*:?\s*\d{2,5}\b|(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]|::):\d{2,5}\b)|\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\]):\d{2,5}\b/i;
const NOT_A_LISTENER = /\bstdio\b|EADDRINUSE|\berror\b|\bfailed\b|redirect_uri|callback/i;
const NETWORK_FAILURE = /\b(?:EAI_AGAIN|ENOTFOUND|ECONNREFUSED|ENETUNREACH|EHOSTUNREACH)\b|\bfetch failed\b|\bgetaddrinfo\b/i;

/**
 * The first line of `text` that is a {@link StallKind} among `kinds` (default all), sign-in first (a sign-in URL may
 * carry a loopback redirect), then a listener, then a network failure, with the line cut to 300 characters; null
 * when none is.
 */
export function stallEvidence(text: string, kinds: ReadonlySet<StallKind> = ALL_STALL_KINDS): { kind: StallKind; line: string } | null {
  let network: string | null = null;
  let listener: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const signIn = SIGN_IN.test(line);
    if (signIn && kinds.has('sign_in')) return { kind: 'sign_in', line: line.slice(0, 300) };
    if (listener === null && kinds.has('listener') && !signIn && LISTENER.test(line) && !NOT_A_LISTENER.test(line)) listener = line.slice(0, 300);
    if (network === null && kinds.has('network') && NETWORK_FAILURE.test(line)) network = line.slice(0, 300);
  }
  if (listener !== null) return { kind: 'listener', line: listener };
  return network !== null ? { kind: 'network', line: network } : null;
}

const ALL_STALL_KINDS: ReadonlySet<StallKind> = new Set(['listener', 'sign_in', 'network']);

/** The failure recorded for a session ended early by a {@link StallKind}, `waitedMs` after the evidence appeared. */
export function stallFailure(kind: StallKind, line: string, waitedMs: number): { reason: FailureReason; message: string } {
  const waited = `${(waitedMs / 1000).toFixed(0)} s`;
  switch (kind) {
    case 'listener':
      return { reason: 'http_only', message: `announced an HTTP listener and answered nothing on stdio for ${waited}: ${line}` };
    case 'sign_in':
      return { reason: 'needs_configuration', message: `asked for an interactive sign-in and answered nothing for ${waited}: ${line}` };
    case 'network':
      return { reason: 'sandbox_violation', message: `answered nothing for ${waited} after a network request failed (the sandbox has no network): ${line}` };
  }
}

export { CRAWLER_NOTE };

/**
 * The tail recorded for a failed session whose stderr was empty: what the session saw instead, so that every failure
 * carries some evidence. Two or three lines marked {@link CRAWLER_NOTE}: that stderr was empty, how the session
 * ended (exit code or signal; `exit` null when the session stopped it) and after how long, how many bytes came on
 * stdout; then the last stdout lines that were not JSON-RPC, verbatim.
 */
export function quietSessionTail(e: {
  phase: 'initialize' | 'tools/list';
  exit: { code: number | null; signal: string | null } | null;
  elapsedMs: number;
  stdoutBytes: number;
  noiseLines: number;
  noiseTail: string;
}): string {
  const ended = e.exit
    ? e.exit.signal ? `was killed by ${e.exit.signal}` : `exited with code ${e.exit.code}`
    : 'was still running when the session stopped it';
  const lines = [
    `${CRAWLER_NOTE} the server wrote nothing to stderr; it ${ended} after ${(e.elapsedMs / 1000).toFixed(1)} s, during ${e.phase}, having written ${e.stdoutBytes} byte(s) to stdout`,
  ];
  if (e.noiseLines > 0) {
    lines.push(`${CRAWLER_NOTE} ${e.noiseLines} stdout line(s) were not JSON-RPC; the last of them:`, e.noiseTail.replace(/\n+$/, ''));
  }
  return lines.join('\n');
}
