/**
 * The bubblewrap sandbox every crawled package runs in (DESIGN.md §3).
 *
 * Profile: new user, pid, net, ipc, uts and cgroup namespaces (`--unshare-all`: no network at all), and no user
 * namespace inside it (`--disable-userns`); `--die-with-parent` and `--new-session`; an unprivileged uid/gid (65534);
 * read-only binds of the runtime (`/usr`, plus Node's prefix when it lives elsewhere), of a few harmless files of
 * `/etc`, and of the package's install root at {@link PACKAGE_MOUNT}, every bind `nosuid` and `nodev` (bwrap's default
 * for `--bind` and `--ro-bind`) and every process under `no_new_privs`, so no setuid file gains privilege; private
 * tmpfs `/tmp` and `HOME` of a fixed size; an environment built from nothing (`--clearenv`, then only the variables
 * given); a seccomp filter that refuses the system calls a server has no business making (`sandbox/seccomp.ts`); and
 * resource limits set by prlimit(1) inside the sandbox: CPU seconds, data segment bytes (RLIMIT_DATA: heap and private
 * mappings, which leaves WebAssembly's address-space reservations alone), processes, open files and file size.
 * Killing the bwrap process kills the whole tree: its init dies with it (`--die-with-parent`), and the kernel kills
 * every process of a PID namespace whose init has died.
 *
 * When the crawler runs as root, bwrap itself is started under an unprivileged host uid, one per sandbox and unique
 * across the machine's crawler processes (`sandbox/host-uid.ts`): the kernel does not enforce RLIMIT_NPROC for
 * processes whose real uid is root, which a user namespace created by root keeps. That uid must be able to read the
 * package cache. npm's installs (`registries/npm/sandboxed-npm.ts`), which run no code of a package, share one uid of
 * their own outside the pool, {@link INSTALL_HOST_UID}, that owns npm's cache. As root, the sandbox also gets a
 * control group of its own (`sandbox/cgroup.ts`) that bounds the memory and the processes of its whole tree; the
 * first process, a shell of ours, enters it and then drops to the host uid with setpriv(1) before it runs bwrap, so
 * nothing of the tree starts outside it.
 *
 * Python servers (`pypi/`) run on Debian's `/usr/bin/python3` from a virtual environment in their install root: the
 * interpreter and its standard library live under `/usr`, which is already mounted, so they need no other mount (an
 * interpreter under `/root`, such as pyenv's, would be out of the unprivileged uid's reach).
 */
import { spawn, spawnSync, type ChildProcessByStdio, type SpawnOptions, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SandboxUnavailableError } from './errors.ts';
import { cgroupSupport, SessionCgroup, type TreeLimitHit } from './sandbox/cgroup.ts';
import { HostUidPool, INSTALL_HOST_UID, SANDBOX_HOST_UID_BASE } from './sandbox/host-uid.ts';
import { seccompFilterBytes } from './sandbox/seccomp.ts';

export type { TreeLimitHit };
export { INSTALL_HOST_UID, SANDBOX_HOST_UID_BASE };

/** Where the package's install root appears inside the sandbox. */
export const PACKAGE_MOUNT = '/srv/pkg';
/** HOME inside the sandbox: a private tmpfs. */
export const SANDBOX_HOME = '/home/sandbox';

/** Resource limits applied inside the sandbox. */
export interface SandboxLimits {
  /** RLIMIT_CPU, seconds of CPU time. @default 60 */
  cpuSeconds: number;
  /** RLIMIT_DATA, bytes. @default 1 GiB */
  dataBytes: number;
  /** RLIMIT_NPROC, processes and threads of the sandbox's host uid (Node alone runs about 11 threads). @default 128 */
  processes: number;
  /** RLIMIT_NOFILE, open files. @default 1024 */
  openFiles: number;
  /** RLIMIT_FSIZE, bytes one file may grow to (the tmpfs is the only writable place). @default 64 MiB */
  fileSizeBytes: number;
  /**
   * Memory of the whole process tree (the control group's `memory.max`), its tmpfs files included, bytes; applied
   * only where control groups can be used (`sandbox/cgroup.ts`). @default 1 GiB
   */
  memoryBytes: number;
  /** Size of the `/tmp` tmpfs, bytes. @default 64 MiB */
  tmpBytes: number;
  /** Size of the `HOME` tmpfs (with `scratch/`), bytes. @default 64 MiB */
  homeBytes: number;
}

/**
 * The limits every sandbox gets unless its spec says otherwise. `processes` bounds both the host uid's processes
 * (RLIMIT_NPROC) and, where control groups can be used, the tree's (`pids.max`).
 */
export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 60,
  dataBytes: 1024 * 1024 * 1024,
  processes: 128,
  openFiles: 1024,
  fileSizeBytes: 64 * 1024 * 1024,
  memoryBytes: 1024 * 1024 * 1024,
  tmpBytes: 64 * 1024 * 1024,
  homeBytes: 64 * 1024 * 1024,
};

export interface SandboxSpec {
  /** Host directory mounted read-only at {@link PACKAGE_MOUNT}. */
  packageRoot: string;
  /** Command and arguments as seen inside the sandbox, e.g. `["/usr/bin/node", "/srv/pkg/node_modules/x/cli.js"]`. */
  command: string[];
  /** Host directory of another Node runtime, mounted read-only at `/opt/node` (see `runtime.ts`). */
  runtimeDir?: string | null;
  /** More host directories, each mounted read-only at its absolute `target` (e.g. a client tool that starts the server). @default [] */
  mounts?: Array<{ source: string; target: string }>;
  /**
   * Host directories mounted read-write at their absolute `target`; the caller makes them writable by the host uid
   * the sandbox runs under. Only for npm's own cache while npm installs (`npm/install.ts`); a server never gets one.
   * @default []
   */
  writableMounts?: Array<{ source: string; target: string }>;
  /**
   * The host uid (and gid) bwrap runs under when the crawler is root, instead of a free one from the pool of
   * {@link SANDBOX_HOST_UID_BASE}. Only for npm's installs ({@link INSTALL_HOST_UID}), which run no code of a
   * package and share npm's cache. Ignored when the crawler is not root.
   * @default a pool uid
   */
  hostUid?: number;
  /**
   * Files of ours placed read-only (mode 0444) at their absolute `target`, from memory (`bwrap --ro-bind-data`
   * through a pipe), so no host path has to be within the sandbox uid's reach. Their directories are created 0755.
   * @default []
   */
  files?: Array<{ target: string; content: string }>;
  /**
   * Mount {@link packageRoot} read-write, owned by the sandbox's host uid, instead of read-only. Only for installing
   * a PyPI package into its own staging directory (`pypi/install.ts`); a server is never started with it.
   * @default false
   */
  writablePackageRoot?: boolean;
  /** The whole environment of the sandboxed process, besides HOME, PATH, LANG and TMPDIR. */
  env?: Record<string, string>;
  limits?: Partial<SandboxLimits>;
  /** bubblewrap executable. @default "bwrap" */
  bwrapPath?: string;
}

/** Files of `/etc` a runtime may read at start; none holds a secret. */
const ETC_FILES = ['/etc/passwd', '/etc/group', '/etc/hosts', '/etc/nsswitch.conf', '/etc/localtime', '/etc/ssl', '/etc/ca-certificates'];

/** The Node runtime to run packages with, and the directory to bind read-only for it. */
export function nodeRuntime(): { executable: string; bindDir: string | null } {
  const executable = realpathSync(process.execPath);
  const prefix = path.dirname(path.dirname(executable));
  return { executable, bindDir: prefix === '/usr' || prefix.startsWith('/usr/') ? null : prefix };
}

/**
 * The full bwrap argument vector for a spec (exported for tests and `--dry-run` displays). bwrap reads the seccomp
 * filter ({@link seccompFilterBytes}) from descriptor `seccompFd`, by default the one after the spec's files.
 */
export function bubblewrapArgs(spec: SandboxSpec, seccompFd = FIRST_FILE_FD + (spec.files?.length ?? 0)): string[] {
  const limits = { ...DEFAULT_LIMITS, ...spec.limits };
  const runtime = nodeRuntime();
  const args = [
    '--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session',
    '--uid', '65534', '--gid', '65534', '--hostname', 'sandbox',
    '--ro-bind', '/usr', '/usr',
    '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib', '--symlink', 'usr/lib64', '/lib64', '--symlink', 'usr/sbin', '/sbin',
  ];
  if (runtime.bindDir) args.push('--ro-bind', runtime.bindDir, runtime.bindDir);
  if (spec.runtimeDir) args.push('--ro-bind', path.resolve(spec.runtimeDir), '/opt/node');
  for (const mount of spec.mounts ?? []) args.push('--ro-bind', path.resolve(mount.source), mount.target);
  for (const mount of spec.writableMounts ?? []) args.push('--bind', path.resolve(mount.source), mount.target);
  (spec.files ?? []).forEach((file, index) => {
    args.push('--perms', '0755', '--dir', path.posix.dirname(file.target), '--perms', '0444', '--ro-bind-data', String(FIRST_FILE_FD + index), file.target);
  });
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  args.push(
    '--proc', '/proc', '--dev', '/dev',
    '--size', String(limits.tmpBytes), '--tmpfs', '/tmp',
    '--size', String(limits.homeBytes), '--tmpfs', SANDBOX_HOME, '--dir', `${SANDBOX_HOME}/scratch`,
    spec.writablePackageRoot ? '--bind' : '--ro-bind', path.resolve(spec.packageRoot), PACKAGE_MOUNT,
    '--chdir', SANDBOX_HOME,
    '--clearenv',
  );
  const env: Record<string, string> = {
    ...spec.env,
    HOME: SANDBOX_HOME,
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TMPDIR: '/tmp',
  };
  for (const [key, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) args.push('--setenv', key, value);
  }
  args.push(
    '--seccomp', String(seccompFd),
    '--',
    '/usr/bin/prlimit',
    `--cpu=${limits.cpuSeconds}`,
    `--data=${limits.dataBytes}`,
    `--nproc=${limits.processes}`,
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeBytes}`,
    '--core=0',
    '--',
    ...spec.command,
  );
  return args;
}

export type SandboxedProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** The descriptor bwrap reads the first of {@link SandboxSpec.files} from; the next ones, then the seccomp filter, follow. */
const FIRST_FILE_FD = 3;

/** The filter every sandbox loads, built once. */
const SECCOMP_FILTER = seccompFilterBytes();

let hostUids: HostUidPool | undefined;

/**
 * The host uid for a new sandbox when we are root: `fixed` as given (not the pool's: it is neither claimed nor given
 * back), or one claimed from the machine-wide pool (`pooled`). Not root: null (run as ourselves).
 * @throws Error when the pool has no free uid.
 */
function acquireHostUid(fixed?: number): { uid: number; pooled: boolean } | null {
  if (process.getuid?.() !== 0) return null;
  if (fixed !== undefined) return { uid: fixed, pooled: false };
  hostUids ??= new HostUidPool();
  return { uid: hostUids.acquire(), pooled: true };
}

/** Gives a pooled uid back to the pool; a fixed uid, or none, is left alone. */
function releaseHostUid(host: { uid: number; pooled: boolean } | null): void {
  if (host?.pooled) hostUids?.release(host.uid);
}

/**
 * The first process of a sandbox in a control group: it writes its own pid to each `cgroup.procs` given before `--`,
 * so that it and all it starts are in the group, then runs the rest (setpriv, which drops to the host uid, then bwrap).
 */
const ENTER_CGROUP_SCRIPT = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/** How to start bwrap with `args`: as the host uid `uid` (null: as ourselves), inside `cgroup` when there is one. */
function launch(bwrapPath: string, args: string[], uid: number | null, cgroup: SessionCgroup | null): { file: string; args: string[]; options: SpawnOptions } {
  if (uid === null) return { file: bwrapPath, args, options: { env: {} } };
  if (cgroup === null) return { file: bwrapPath, args, options: { env: {}, uid, gid: uid } };
  const drop = ['/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'];
  return { file: '/bin/sh', args: ['-c', ENTER_CGROUP_SCRIPT, 'sh', ...cgroup.procsFiles, '--', ...drop, bwrapPath, ...args], options: { env: {} } };
}

/**
 * How this process's sandboxes bound their whole process tree: with a control group of which hierarchy, or (`cgroup`
 * null) only with the per-process limits, and why. Detected once (`sandbox/cgroup.ts`).
 */
export function treeLimitSupport(): { cgroup: 'v1' | 'v2' | null; note: string } {
  const support = cgroupSupport();
  switch (support.kind) {
    case 'v2':
      return { cgroup: 'v2', note: `each sandbox's memory and processes are bounded together by a cgroup v2 group under ${support.parent}` };
    case 'v1':
      return { cgroup: 'v1', note: `each sandbox's memory and processes are bounded together by cgroup v1 groups under ${support.memoryParent} and ${support.pidsParent}` };
    case 'none':
      return { cgroup: null, note: `sandboxes are bounded per process only (resource limits), not as a whole tree: ${support.why}` };
  }
}

const treeLimitHits = new WeakMap<SandboxedProcess, () => TreeLimitHit | null>();

/**
 * The limit of the whole tree that a sandbox reached, from its control group: `memory` when the kernel's OOM killer
 * ran in it, `processes` when a fork was refused at the tree's process limit; null when neither, or when the sandbox
 * had no control group. Answers during and after the sandbox's life.
 */
export function treeLimitHit(child: SandboxedProcess): TreeLimitHit | null {
  return treeLimitHits.get(child)?.() ?? null;
}

/**
 * Starts `spec` in the sandbox with stdin, stdout and stderr piped. The process is its own group leader.
 * @throws Error when no host uid is free, or the sandbox's control group cannot be made.
 */
export function spawnSandboxed(spec: SandboxSpec): SandboxedProcess {
  const limits = { ...DEFAULT_LIMITS, ...spec.limits };
  const host = acquireHostUid(spec.hostUid);
  const uid = host?.uid ?? null;
  let cgroup: SessionCgroup | null = null;
  try {
    if (uid !== null) cgroup = SessionCgroup.create({ memoryBytes: limits.memoryBytes, processes: limits.processes });
    if (uid !== null && spec.writablePackageRoot) chownSync(path.resolve(spec.packageRoot), uid, uid); // only the top directory: what is below is created inside
  } catch (error) {
    void cgroup?.remove();
    releaseHostUid(host);
    throw error;
  }
  const files = spec.files ?? [];
  const seccompFd = FIRST_FILE_FD + files.length;
  const how = launch(spec.bwrapPath ?? 'bwrap', bubblewrapArgs(spec, seccompFd), uid, cgroup);
  const child = spawn(how.file, how.args, {
    ...how.options,
    stdio: ['pipe', 'pipe', 'pipe', ...files.map(() => 'pipe' as const), 'pipe'],
    detached: true,
  }) as unknown as SandboxedProcess;
  const feed = (fd: number, content: string | Buffer) => {
    const pipe = child.stdio[fd] as Writable;
    pipe.on('error', () => {
      // bwrap died before reading it; its exit is reported through `close`.
    });
    pipe.end(content);
  };
  files.forEach((file, index) => feed(FIRST_FILE_FD + index, file.content));
  feed(seccompFd, SECCOMP_FILTER);
  if (cgroup !== null) treeLimitHits.set(child, () => cgroup.hit());
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    // The uid goes back to the pool once nothing of the tree can still run under it.
    if (cgroup === null) releaseHostUid(host);
    else void cgroup.remove().then(() => releaseHostUid(host));
  };
  child.once('close', release);
  child.once('error', release);
  return child;
}

/** Kills the sandbox: SIGKILL to bwrap's process group, which takes every process inside with it. */
export function killSandboxed(child: SandboxedProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/**
 * Checks that bubblewrap is installed, can create the namespaces the profile needs and can read `packageDir`
 * (the package cache), by running `/usr/bin/true` inside the same profile under the same host uid.
 * @throws SandboxUnavailableError saying how to install bubblewrap or why namespaces are refused.
 */
export function checkSandbox(bwrapPath = 'bwrap', packageDir = '/usr/share'): void {
  // The seccomp filter comes on stdin, which /usr/bin/true does not read.
  const args = bubblewrapArgs({ packageRoot: packageDir, command: ['/usr/bin/true'], bwrapPath }, 0);
  let host: { uid: number; pooled: boolean } | null = null;
  let cgroup: SessionCgroup | null = null;
  let result: SpawnSyncReturns<string>;
  try {
    host = acquireHostUid();
    const uid = host?.uid ?? null;
    if (uid !== null) cgroup = SessionCgroup.create({ memoryBytes: DEFAULT_LIMITS.memoryBytes, processes: DEFAULT_LIMITS.processes });
    const how = launch(bwrapPath, args, uid, cgroup);
    result = spawnSync(how.file, how.args, { ...how.options, input: SECCOMP_FILTER, encoding: 'utf8', timeout: 15_000 });
  } catch (error) {
    throw new SandboxUnavailableError(`the sandbox could not be prepared: ${(error as Error).message}`);
  } finally {
    // bwrap has exited and taken its PID namespace with it.
    cgroup?.removeSync();
    releaseHostUid(host);
  }
  // Started through setpriv (in a control group), a bwrap that cannot be run is setpriv's exit 127 or 126.
  const execFailed = cgroup !== null && (result.status === 127 || result.status === 126) && /failed to execute/.test(result.stderr ?? '');
  const spawnCode = execFailed ? (result.status === 127 ? 'ENOENT' : 'EACCES') : (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (spawnCode === 'ENOENT' || spawnCode === 'EACCES') {
    throw new SandboxUnavailableError(
      `bubblewrap ("${bwrapPath}") is not installed${spawnCode === 'EACCES' ? ' or cannot be run' : ''}; crawled packages are never run without it. ` +
        'Install it with `sudo apt-get install bubblewrap` (Debian/Ubuntu) or `sudo dnf install bubblewrap` (Fedora).',
      { reason: 'missing' },
    );
  }
  if (result.status !== 0 && /Can't find source path|Permission denied/.test(result.stderr ?? '')) {
    throw new SandboxUnavailableError(
      `the sandbox cannot read the package cache ${packageDir}${host === null ? '' : ` as uid ${host.uid}`}: ${(result.stderr ?? '').trim().slice(0, 300)}. ` +
        'Every directory above the cache must be readable and searchable by others (chmod o+rx), or choose another --data-dir.',
      { reason: 'unreachable' },
    );
  }
  if (result.status !== 0 && /Unknown option|--disable-userns|--size/.test(result.stderr ?? '')) {
    throw new SandboxUnavailableError(
      `bubblewrap ("${bwrapPath}") is too old for the sandbox's profile: ${(result.stderr ?? '').trim().slice(0, 300)}. ` +
        'It needs bubblewrap 0.8 or newer (--size, --disable-userns): Debian 12, Ubuntu 24.04, Fedora 38 or later.',
      { reason: 'missing' },
    );
  }
  if (result.status !== 0) {
    throw new SandboxUnavailableError(
      `bubblewrap ("${bwrapPath}") could not start a sandbox (exit ${result.status ?? result.signal}): ${(result.stderr ?? '').trim().slice(0, 500)}. ` +
        'Unprivileged user namespaces must be allowed (sysctl kernel.unprivileged_userns_clone=1, or run where bwrap is setuid).',
    );
  }
}
