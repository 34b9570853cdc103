/**
 * Fixture servers written for the suite, each run through the real bubblewrap sandbox: what they do ends in the
 * right recorded outcome, and nothing leaves the sandbox.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectLive } from '../crawler/session/stdio.ts';
import { bubblewrapArgs, checkSandbox, DEFAULT_LIMITS, nodeRuntime, PACKAGE_MOUNT, spawnSandboxed, type SandboxLimits } from '../crawler/sandbox.ts';
import { HostUidPool } from '../crawler/sandbox/host-uid.ts';
import { sandboxFixture, sandboxTempDir } from './helpers/sandbox-paths.ts';

const hostile = sandboxFixture('servers/hostile');
const run = (file: string, options: Parameters<typeof introspectLive>[1] = {}, args: string[] = []) =>
  introspectLive({ packageRoot: hostile, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/${file}`, ...args] }, { timeoutMs: 15_000, ...options });

/** Runs `command` in the sandbox over the hostile fixtures, with stdin closed; its exit and output. */
function runCommand(command: string[], limits: Partial<SandboxLimits> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnSandboxed({ packageRoot: hostile, command, limits });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
const python = (script: string, ...args: string[]) => ['/usr/bin/python3', '-I', '-S', `${PACKAGE_MOUNT}/${script}`, ...args];

describe('bubblewrap profile', () => {
  it('is available on this machine', () => {
    expect(() => checkSandbox()).not.toThrow();
  });

  it('starts from an empty environment and unshares every namespace', () => {
    const args = bubblewrapArgs({ packageRoot: '/tmp', command: ['/usr/bin/true'], env: { EXTRA: '1' } });
    expect(args).toContain('--unshare-all');
    expect(args).toContain('--clearenv');
    expect(args).toContain('--die-with-parent');
    const set = args.flatMap((a, i) => (a === '--setenv' ? [args[i + 1]] : []));
    expect(set.sort()).toEqual(['EXTRA', 'HOME', 'LANG', 'PATH', 'TMPDIR']);
  });

  it('says so when the sandbox cannot reach the package cache', () => {
    const closed = sandboxTempDir('mcp-catalogue-closed-');
    const cache = path.join(closed, 'data/cache');
    mkdirSync(cache, { recursive: true });
    try {
      if (process.getuid?.() === 0) expect(() => checkSandbox('bwrap', cache)).toThrow(/cannot read the package cache/);
      chmodSync(closed, 0o755);
      expect(() => checkSandbox('bwrap', cache)).not.toThrow();
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });

  it('reports a missing bubblewrap with how to install it', () => {
    expect(() => checkSandbox('/nonexistent/bwrap')).toThrow(/apt-get install bubblewrap/);
  });

  it('mounts the package root nosuid and nodev, read-only or writable, so a setuid file in it runs without privilege', async () => {
    const dir = sandboxTempDir('mcp-catalogue-nosuid-');
    try {
      chmodSync(dir, 0o755);
      copyFileSync('/usr/bin/cat', path.join(dir, 'cat'));
      chmodSync(path.join(dir, 'cat'), 0o4755);
      for (const writablePackageRoot of [false, true]) {
        const child = spawnSandboxed({ packageRoot: dir, writablePackageRoot, command: [`${PACKAGE_MOUNT}/cat`, '/proc/self/mountinfo', '/proc/self/status'] });
        child.stdin.end();
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        expect(await new Promise((resolve) => child.once('close', resolve)), String(writablePackageRoot)).toBe(0);
        const mount = out.split('\n').find((l) => l.split(' ')[4] === PACKAGE_MOUNT);
        expect(mount?.split(' ')[5]?.split(','), String(writablePackageRoot)).toEqual(expect.arrayContaining(['nosuid', 'nodev', writablePackageRoot ? 'rw' : 'ro']));
        expect(out).toMatch(/^NoNewPrivs:\t1$/m);
        // Real, effective, saved and file-system uid are one: the setuid bit gave the process nothing.
        const uids = /^Uid:\t(\d+)\t(\d+)\t(\d+)\t(\d+)$/m.exec(out)?.slice(1);
        expect(new Set(uids).size, out).toBe(1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('hostile and broken servers in the sandbox', () => {
  let canaryDir: string;
  let canary: string;
  let listener: Server;
  let port = 0;
  let connections = 0;

  beforeAll(async () => {
    canaryDir = mkdtempSync(path.join(homedir(), '.mcp-catalogue-canary-'));
    canary = path.join(canaryDir, 'secret.txt');
    writeFileSync(canary, 'CANARY-7f3a');
    listener = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
  });

  afterAll(async () => {
    rmSync(canaryDir, { recursive: true, force: true });
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  it('cannot read the crawler home, write outside, reach the network or keep a child alive', async () => {
    const result = await run('escape.js', {}, [canary, String(port)]);
    expect(result.outcome).toBe('ok');
    const report = String(result.tools[0]?.description);
    expect(report).not.toContain('CANARY-7f3a');
    expect(report).toMatch(/canary-error:ENOENT/);
    expect(report).toMatch(/write-error:/);
    expect(report).toMatch(/pkg-write-error:EROFS/);
    expect(report).toMatch(/net-error:/);
    expect(report).toMatch(/env:HOME,LANG,PATH,PWD,TMPDIR( |$)/);
    expect(existsSync(`${canary}.written`)).toBe(false);
    expect(existsSync(path.join(hostile, 'planted.js'))).toBe(false);
    expect(connections).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const survivors = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('setInterval(()=>{},1000)'));
    expect(survivors).toEqual([]);
  });

  it('records needs_configuration with the stderr tail when a server asks for a key', async () => {
    const result = await run('needs-config.js');
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration', tools: [] });
    expect(result.stderrTail).toContain('ACME_API_KEY environment variable is required');
    expect(result.failureMessage).toContain('ACME_API_KEY');
  });

  it('records timed_out for a server that never answers, and kills it', async () => {
    const started = Date.now();
    const result = await run('silent.js', { timeoutMs: 2000 });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'timed_out' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('records too_large for endless stdout', async () => {
    const result = await run('flood.js', { transportLimits: { maxStdoutBytes: 1024 * 1024 } });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'too_large' });
  });

  it('records too_large for endless stderr, keeping its last 4 KiB', async () => {
    const result = await run('stderr-flood.js', { transportLimits: { maxStderrBytes: 1024 * 1024 } });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'too_large', failureMessage: 'stderr passed the size cap while waiting for initialize' });
    expect(result.stderrTail.length).toBeLessThanOrEqual(4096);
    expect(result.stderrTail).toContain('warning: still starting up\n');
  });

  it('skips garbage and half-frames on stdout and still lists the tools', async () => {
    const result = await run('noisy.js');
    expect(result.outcome).toBe('ok');
    expect(result.tools.map((t) => t.name)).toEqual(['echo']);
  });

  it('contains a fork bomb with the process limit and leaves nothing behind', async () => {
    // 64 processes and threads: a few Node children, so that the process limit binds before the tree's memory does.
    const result = await introspectLive(
      { packageRoot: hostile, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/fork-bomb.js`], limits: { processes: 64 } },
      { timeoutMs: 15_000 },
    );
    expect(result.outcome).toBe('ok');
    const [, alive, refused] = /alive (\d+) refused (\d+)/.exec(String(result.tools[0]?.description)) ?? [];
    expect(Number(refused)).toBeGreaterThan(0);
    expect(Number(alive)).toBeLessThan(64);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const survivors = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('setInterval(()=>{},1000)'));
    expect(survivors).toEqual([]);
  });

  it('stops a memory balloon at the data limit and records a sandbox violation', async () => {
    const result = await introspectLive(
      { packageRoot: hostile, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/balloon.js`], limits: { dataBytes: 256 * 1024 * 1024 } },
      { timeoutMs: 15_000 },
    );
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'sandbox_violation' });
  });

  it('refuses the system calls a server has no business making, and no others', async () => {
    const { code, stdout, stderr } = await runCommand(python('syscalls.py'));
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as Record<string, string>;
    const denied = ['ptrace', 'process_vm_readv', 'unshare', 'setns', 'mount', 'keyctl', 'bpf', 'perf_event_open', 'userfaultfd', 'personality', 'io_uring_setup', 'kcmp'];
    expect(Object.fromEntries(denied.map((name) => [name, report[name]]))).toEqual(Object.fromEntries(denied.map((name) => [name, 'EPERM'])));
    expect(report.clone3).toBe('ENOSYS');
    expect(report['unshare -Ur']).toMatch(/unshare failed: Operation not permitted/);
    expect(report).toMatchObject({ personality_query: 'ok', getpid: 'ok', fork: 'ok', subprocess: 'ok', thread: 'ok' });
  });

  it('cannot create a user namespace even without the seccomp filter (bwrap --disable-userns)', () => {
    const args = bubblewrapArgs({ packageRoot: hostile, command: ['/usr/bin/unshare', '-Ur', '/usr/bin/id', '-u'] });
    const at = args.indexOf('--seccomp');
    expect(at).toBeGreaterThan(0);
    args.splice(at, 2);
    const pool = new HostUidPool();
    const uid = process.getuid?.() === 0 ? pool.acquire() : null;
    try {
      const result = spawnSync('bwrap', args, { env: {}, encoding: 'utf8', timeout: 15_000, ...(uid === null ? {} : { uid, gid: uid }) });
      // The sandbox's user namespace allows no further one (user.max_user_namespaces is 1 in it), whatever the filter.
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/unshare failed: No space left on device/);
    } finally {
      if (uid !== null) pool.release(uid);
    }
  });

  it('caps /tmp and HOME at their tmpfs sizes', async () => {
    const { code, stdout, stderr } = await runCommand(python('fill.py', '/tmp', '/home/sandbox/scratch'));
    expect(code, stderr).toBe(0);
    const [tmp, home] = stdout.trim().split('\n').map((line) => JSON.parse(line) as { mib: number; error: string | null });
    expect(tmp).toMatchObject({ mib: DEFAULT_LIMITS.tmpBytes / (1024 * 1024), error: 'ENOSPC' });
    expect(home).toMatchObject({ mib: DEFAULT_LIMITS.homeBytes / (1024 * 1024), error: 'ENOSPC' });
  });

  it.runIf(process.getuid?.() === 0)('bounds the memory of the whole process tree and records which limit it hit', async () => {
    // Six children of 64 MiB each: every one is far below the data limit of a process, the tree is not below 256 MiB.
    const result = await introspectLive(
      { packageRoot: hostile, command: [nodeRuntime().executable, `${PACKAGE_MOUNT}/memory-tree.js`, '6'], limits: { memoryBytes: 256 * 1024 * 1024 } },
      { timeoutMs: 20_000 },
    );
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'sandbox_violation' });
    expect(result.failureMessage).toMatch(/^hit a sandbox resource limit during initialize: its processes together reached the sandbox's memory limit of 256 MiB/);
  });

  it('records too_large for a 100,000-tool list', async () => {
    const result = await run('many-tools.js', { maxTools: 5000 });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'too_large', tools: [] });
  });

  it('keeps 5 MB descriptions and hostile names as data', async () => {
    const result = await run('big-descriptions.js');
    expect(result.outcome).toBe('ok');
    expect(result.tools.map((t) => t.name)).toEqual(['../../etc/passwd', '<script>alert(1)</script>', 'ok_tool']);
    expect(result.tools[0]?.description).toHaveLength(5 * 1024 * 1024);
  });

  it('records crashed_on_start for an entry point that does not exist', async () => {
    const result = await run('missing.js');
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'crashed_on_start' });
    expect(result.stderrTail).toMatch(/Cannot find module/);
  });
});

describe('sessions ended early by what the server says', () => {
  const grace = { listener: 1000, sign_in: 1000, network: 1500 };

  it('ends a server that asks for an interactive sign-in as needs_configuration, long before the timeout', async () => {
    const started = Date.now();
    const result = await run('stall.js', { timeoutMs: 30_000, stallGraceMs: grace }, ['sign-in']);
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration', stalled: 'sign_in' });
    expect(result.failureMessage).toMatch(/^asked for an interactive sign-in and answered nothing for 1 s: Authorize this app/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reads a prompt written in pieces as one line', async () => {
    const result = await run('stall.js', { timeoutMs: 30_000, stallGraceMs: grace }, ['split']);
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration', stalled: 'sign_in' });
    expect(result.failureMessage).toContain(': Authorize this app by visiting this url: https://accounts.example/auth');
  });

  it('ends a server that keeps retrying a refused connection as sandbox_violation', async () => {
    const started = Date.now();
    const result = await run('stall.js', { timeoutMs: 30_000, stallGraceMs: grace }, ['network']);
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'sandbox_violation', stalled: 'network' });
    expect(result.failureMessage).toContain('ECONNREFUSED 127.0.0.1:9');
    expect(result.stderrTail.match(/ECONNREFUSED 127\.0\.0\.1:9\n/g)?.length).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('ends a server that announced an HTTP listener on stdout as http_only, with that line as its record', async () => {
    const started = Date.now();
    const result = await run('stall.js', { timeoutMs: 30_000, stallGraceMs: grace }, ['listener']);
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'http_only', stalled: 'listener' });
    expect(result.stderrTail).toMatch(/^\[mcp-catalogue\] the server wrote nothing to stderr; it was still running when the session stopped it after \d+\.\d s, during initialize, having written 55 byte\(s\) to stdout\n/);
    expect(result.stderrTail).toMatch(/\nDocs MCP server listening on http:\/\/localhost:3000\/mcp$/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps waiting for a server that answers within the grace period after a refused connection', async () => {
    const result = await run('stall.js', { timeoutMs: 30_000, stallGraceMs: { network: 4000 } }, ['late', '1000']);
    expect(result).toMatchObject({ outcome: 'ok', failureReason: null });
    expect(result.stalled).toBeUndefined();
    expect(result.tools.map((t) => t.name)).toEqual(['late_tool']);
  });

  it('waits out the timeout for a server that only says it runs on stdio, and for any server when told not to end early, still reading its sign-in prompt', async () => {
    const banner = await run('stall.js', { timeoutMs: 3000, stallGraceMs: grace }, ['stdio-banner']);
    expect(banner).toMatchObject({ outcome: 'failed', failureReason: 'timed_out' });
    const started = Date.now();
    const patient = await run('stall.js', { timeoutMs: 4000, stallGraceMs: false }, ['sign-in']);
    expect(patient).toMatchObject({ outcome: 'failed', failureReason: 'needs_configuration' });
    expect(patient.failureMessage).toMatch(/^no answer to initialize before the timeout; it asked for an interactive sign-in: Authorize/);
    expect(patient.stalled).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3900);
  });

  it('records what it saw when a server exits without a word on stderr', async () => {
    const result = await introspectLive({ packageRoot: hostile, command: [nodeRuntime().executable, '-e', 'process.stdout.write("banner only\\n")'] }, { timeoutMs: 15_000 });
    expect(result).toMatchObject({ outcome: 'failed', failureReason: 'crashed_on_start' });
    expect(result.stderrTail).toMatch(/^\[mcp-catalogue\] the server wrote nothing to stderr; it exited with code 0 after \d+\.\d s, during initialize, having written 12 byte\(s\) to stdout\n\[mcp-catalogue\] 1 stdout line\(s\) were not JSON-RPC; the last of them:\nbanner only$/);
  });
});
