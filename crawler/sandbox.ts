/**
 * The bubblewrap sandbox every crawled package runs in (DESIGN.md §3).
 *
 * Profile: new user, pid, net, ipc, uts and cgroup namespaces (`--unshare-all`: no network at all);
 * `--die-with-parent` and `--new-session`; an unprivileged uid/gid (65534); read-only binds of the runtime (`/usr`,
 * plus Node's prefix when it lives elsewhere), of a few harmless files of `/etc`, and of the package's install root
 * at {@link PACKAGE_MOUNT}, every bind `nosuid` and `nodev` (bwrap's default for `--bind` and `--ro-bind`) and every
 * process under `no_new_privs`, so no setuid file gains privilege; private tmpfs `/tmp` and `HOME`; an environment built from nothing (`--clearenv`, then
 * only the variables given); and resource limits set by prlimit(1) inside the sandbox: CPU seconds, data segment
 * bytes (RLIMIT_DATA: heap and private mappings, which leaves WebAssembly's address-space reservations alone),
 * processes, open files and file size. Killing the bwrap process kills the whole tree: its init dies with it
 * (`--die-with-parent`), and the kernel kills every process of a PID namespace whose init has died.
 *
 * When the crawler runs as root, bwrap itself is started under an unprivileged host uid, one per concurrent sandbox
 * ({@link SANDBOX_HOST_UID_BASE} and up): the kernel does not enforce RLIMIT_NPROC for processes whose real uid is
 * root, which a user namespace created by root keeps. That uid must be able to read the package cache. npm's installs
 * (`registries/npm/sandboxed-npm.ts`), which run no code of a package, share one uid of their own,
 * {@link INSTALL_HOST_UID}, that owns npm's cache.
 *
 * Python servers (`pypi/`) run on Debian's `/usr/bin/python3` from a virtual environment in their install root: the
 * interpreter and its standard library live under `/usr`, which is already mounted, so they need no other mount (an
 * interpreter under `/root`, such as pyenv's, would be out of the unprivileged uid's reach).
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { chownSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SandboxUnavailableError } from './errors.ts';

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
}

export const DEFAULT_LIMITS: SandboxLimits = {
  cpuSeconds: 60,
  dataBytes: 1024 * 1024 * 1024,
  processes: 128,
  openFiles: 1024,
  fileSizeBytes: 64 * 1024 * 1024,
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

/** The full bwrap argument vector for a spec (exported for tests and `--dry-run` displays). */
export function bubblewrapArgs(spec: SandboxSpec): string[] {
  const limits = { ...DEFAULT_LIMITS, ...spec.limits };
  const runtime = nodeRuntime();
  const args = [
    '--unshare-all', '--die-with-parent', '--new-session',
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
    '--tmpfs', '/tmp', '--tmpfs', SANDBOX_HOME, '--dir', `${SANDBOX_HOME}/scratch`,
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

/** The descriptor bwrap reads the first of {@link SandboxSpec.files} from; the next ones follow. */
const FIRST_FILE_FD = 3;

/** First host uid (and gid) sandboxes run under when the crawler is root; one uid per concurrent sandbox. */
export const SANDBOX_HOST_UID_BASE = 1_800_000;
/**
 * The host uid (and gid) npm's installs run under when the crawler is root (`SandboxSpec.hostUid`): one for all of
 * them, since they run no code of a package and share npm's cache, which this uid owns. No server ever runs as it.
 */
export const INSTALL_HOST_UID = SANDBOX_HOST_UID_BASE - 1;
const uidsInUse = new Set<number>();

/** The host uid for a new sandbox: `fixed`, or a free one from the pool, when we are root; else null (run as ourselves). */
function acquireHostUid(fixed?: number): number | null {
  if (process.getuid?.() !== 0) return null;
  if (fixed !== undefined) return fixed;
  let uid = SANDBOX_HOST_UID_BASE;
  while (uidsInUse.has(uid)) uid += 1;
  uidsInUse.add(uid);
  return uid;
}

/** Starts `spec` in the sandbox with stdin, stdout and stderr piped. The process is its own group leader. */
export function spawnSandboxed(spec: SandboxSpec): SandboxedProcess {
  const uid = acquireHostUid(spec.hostUid);
  const pooled = uid !== null && spec.hostUid === undefined;
  if (uid !== null && spec.writablePackageRoot) {
    try {
      chownSync(path.resolve(spec.packageRoot), uid, uid); // only the top directory: what is below is created inside
    } catch (error) {
      if (pooled) uidsInUse.delete(uid);
      throw error;
    }
  }
  const files = spec.files ?? [];
  const child = spawn(spec.bwrapPath ?? 'bwrap', bubblewrapArgs(spec), {
    stdio: ['pipe', 'pipe', 'pipe', ...files.map(() => 'pipe' as const)],
    env: {},
    detached: true,
    ...(uid === null ? {} : { uid, gid: uid }),
  }) as unknown as SandboxedProcess;
  files.forEach((file, index) => {
    const pipe = child.stdio[FIRST_FILE_FD + index] as Writable;
    pipe.on('error', () => {
      // bwrap died before reading it; its exit is reported through `close`.
    });
    pipe.end(file.content);
  });
  if (pooled && uid !== null) {
    let released = false;
    const release = () => {
      if (!released) uidsInUse.delete(uid);
      released = true;
    };
    child.once('close', release);
    child.once('error', release);
  }
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
  const args = bubblewrapArgs({ packageRoot: packageDir, command: ['/usr/bin/true'], bwrapPath });
  const uid = process.getuid?.() === 0 ? SANDBOX_HOST_UID_BASE : null;
  const result = spawnSync(bwrapPath, args, { env: {}, encoding: 'utf8', timeout: 15_000, ...(uid === null ? {} : { uid, gid: uid }) });
  const spawnCode = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (spawnCode === 'ENOENT' || spawnCode === 'EACCES') {
    throw new SandboxUnavailableError(
      `bubblewrap ("${bwrapPath}") is not installed${spawnCode === 'EACCES' ? ' or cannot be run' : ''}; crawled packages are never run without it. ` +
        'Install it with `sudo apt-get install bubblewrap` (Debian/Ubuntu) or `sudo dnf install bubblewrap` (Fedora).',
      { reason: 'missing' },
    );
  }
  if (result.status !== 0 && /Can't find source path|Permission denied/.test(result.stderr ?? '')) {
    throw new SandboxUnavailableError(
      `the sandbox cannot read the package cache ${packageDir}${uid === null ? '' : ` as uid ${uid}`}: ${(result.stderr ?? '').trim().slice(0, 300)}. ` +
        'Every directory above the cache must be readable and searchable by others (chmod o+rx), or choose another --data-dir.',
      { reason: 'unreachable' },
    );
  }
  if (result.status !== 0) {
    throw new SandboxUnavailableError(
      `bubblewrap ("${bwrapPath}") could not start a sandbox (exit ${result.status ?? result.signal}): ${(result.stderr ?? '').trim().slice(0, 500)}. ` +
        'Unprivileged user namespaces must be allowed (sysctl kernel.unprivileged_userns_clone=1, or run where bwrap is setuid).',
    );
  }
}
