/**
 * npm itself, run inside the bubblewrap sandbox with the registry as the only address it can reach. The sandbox
 * has no network (`--unshare-net`); npm's `proxy` and `https-proxy` name a port of the sandbox's own loopback where
 * our bridge (`npm-bridge.mjs`) listens and carries each connection to our registry proxy (`registry-proxy.ts`) on
 * the host, over a unix socket bound into the sandbox. The proxy lets through the registry's own host and port and
 * refuses everything else, so neither a dependency by URL or git nor a tarball on another host is ever fetched.
 *
 * What npm gets: the staging folder read-write at `/srv/pkg` (its `--prefix` or `--pack-destination`),
 * npm's cache (`<cacheDir>/npm-cache`, read-write, shared by every install), its configuration from flags and an
 * npmrc we write (`--ignore-scripts` among them; the host's npmrc files and variables are never read), and, when the
 * crawler has `NODE_EXTRA_CA_CERTS`, that file's certificates, so that it trusts what the crawler trusts. When the
 * crawler is root, the sandbox runs under {@link INSTALL_HOST_UID}, which owns the staging folder and npm's cache;
 * no package code runs in it (scripts are off).
 */
import { readFileSync, realpathSync } from 'node:fs';
import { access, chmod, chown, constants, lchown, lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CrawlError, SandboxUnavailableError } from '../../errors.ts';
import { INSTALL_HOST_UID, killSandboxed, nodeRuntime, SANDBOX_HOME, spawnSandboxed, type SandboxLimits } from '../../sandbox.ts';
import { ByteTail } from '../../session/tail.ts';
import { startRegistryProxy } from './registry-proxy.ts';

export interface SandboxedNpmOptions {
  /** Root of the package cache: npm's cache and the proxy's sockets live below it. */
  cacheDir: string;
  /** The npm registry base URL: npm's `--registry`, and the only origin the proxy lets through. */
  registryUrl: string;
  /** Wall clock of the npm run, ms; it is killed after. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** bubblewrap executable. @default "bwrap" */
  bwrapPath?: string;
}

/** How a sandboxed npm run that exited 0 went. */
export interface NpmRun {
  /** Requests the proxy refused (`GET http://…`, `CONNECT host:port`): npm went on without them (optional dependencies). */
  refused: string[];
}

/** Where things appear inside the install sandbox. */
const PROXY_SOCKET_MOUNT = '/run/mcp-catalogue/registry.sock';
const BRIDGE_PATH = '/opt/mcp-catalogue/npm-bridge.mjs';
const NPMRC_PATH = '/opt/mcp-catalogue/npmrc';
/** npm's global configuration file: empty, so that no npmrc of the host (under npm's prefix) is read. */
const GLOBAL_NPMRC_PATH = '/opt/mcp-catalogue/npmrc-global';
const EXTRA_CA_PATH = '/opt/mcp-catalogue/extra-ca.pem';
const NPM_CACHE_MOUNT = '/var/cache/npm';
/** The bridge's port on the sandbox's own loopback (a network namespace of its own: nothing else listens there). */
const BRIDGE_PORT = 8080;
/** Longest path a unix socket may have on Linux (`sun_path` is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

const BRIDGE_SOURCE = readFileSync(new URL('./npm-bridge.mjs', import.meta.url), 'utf8');

/** npm's configuration besides the per-run flags: no scripts, no audit, no fund, no notifier, no lockfile, no logs. */
const NPMRC = [
  'ignore-scripts=true', 'audit=false', 'fund=false', 'update-notifier=false', 'package-lock=false', 'save=false',
  'progress=false', 'loglevel=error', 'logs-max=0', 'strict-ssl=true', 'noproxy=',
].join('\n') + '\n';

/**
 * Limits of an install sandbox: the wall clock's CPU seconds, 4 GiB of data (npm holds a big tree's packuments) and
 * 4 GiB of memory for its whole tree (the control group's, page cache of what it writes included), 1,024 processes
 * (RLIMIT_NPROC of the host uid, which all installs share, and the tree's own `pids.max`), 8,192 open files, 2 GiB
 * per file (a Node build's tarball and binary pass npm's cache), and tmpfs of 1 GiB at `/tmp` and 2 GiB at `HOME`
 * (npm's cache lives there when the package cache is not writable).
 */
function installLimits(timeoutMs: number): SandboxLimits {
  return {
    cpuSeconds: Math.max(60, Math.ceil(timeoutMs / 1000)), dataBytes: 4 * 1024 ** 3, memoryBytes: 4 * 1024 ** 3, processes: 1024, openFiles: 8192,
    fileSizeBytes: 2 * 1024 ** 3, tmpBytes: 1024 ** 3, homeBytes: 2 * 1024 ** 3,
  };
}

let npmLocation: { cli: string; mount: string | null } | null = null;

/**
 * npm's `npm-cli.js`, found from the `npm` on our PATH, and the folder to mount for it (null when it is under `/usr`,
 * which the sandbox mounts already).
 * @throws CrawlError `INSTALL_FAILED` when no npm is on the PATH.
 */
function findNpm(): { cli: string; mount: string | null } {
  if (npmLocation) return npmLocation;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    let real: string;
    try {
      real = realpathSync(path.join(dir, 'npm'));
    } catch {
      continue;
    }
    const cli = path.basename(real) === 'npm-cli.js' ? real : path.join(path.dirname(real), 'npm-cli.js');
    try {
      realpathSync(cli);
    } catch {
      continue;
    }
    const root = path.dirname(path.dirname(cli));
    npmLocation = { cli, mount: root === '/usr' || root.startsWith('/usr/') ? null : root };
    return npmLocation;
  }
  throw new CrawlError('INSTALL_FAILED', 'npm was not found on the PATH: installs need npm (npm-cli.js)');
}

/** Gives `dir` and everything below it to `uid` (links themselves, never their targets). */
async function chownTree(dir: string, uid: number): Promise<void> {
  await lchown(dir, uid, uid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(full, uid);
    else await lchown(full, uid, uid);
  }
}

/**
 * `<cacheDir>/<name>`, made 0700 and owned by `uid` when we are root (a folder another user made is given to it,
 * with all it holds). Not root: the folder when we can write it, else null.
 */
async function installerDir(cacheDir: string, name: string, uid: number | null): Promise<string | null> {
  const dir = path.join(path.resolve(cacheDir), name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (uid === null) return access(dir, constants.W_OK).then(() => dir, () => null);
  const stat = await lstat(dir);
  if (stat.uid !== uid) await chownTree(dir, uid);
  if ((stat.mode & 0o7777) !== 0o700) await chmod(dir, 0o700);
  return dir;
}

let socketCount = 0;

/**
 * Runs `npm <args…>` in the install sandbox with `staging` writable at `/srv/pkg`; `args` name paths as
 * seen inside (`--prefix /srv/pkg`). The registry, the proxy, npm's cache and its configuration files are added here.
 * @returns the proxy's refusals, when npm exited 0 anyway.
 * @throws CrawlError `INSTALL_FAILED`: when the proxy refused something npm needed, a message naming it (not
 *   retryable: the package asks for an address other than the registry); else npm's exit and output tail
 *   (retryable, as a network fault may be the cause). SandboxUnavailableError when the cache path is too long for
 *   the proxy's socket.
 */
export async function runNpmSandboxed(args: string[], staging: string, options: SandboxedNpmOptions): Promise<NpmRun> {
  const npm = findNpm();
  const uid = process.getuid?.() === 0 ? INSTALL_HOST_UID : null;
  const [npmCache, socketDir] = await Promise.all([installerDir(options.cacheDir, 'npm-cache', uid), installerDir(options.cacheDir, 'npm-proxy', uid)]);
  if (socketDir === null) throw new CrawlError('INSTALL_FAILED', `the package cache ${options.cacheDir} is not writable`);
  socketCount += 1;
  const socketPath = path.join(socketDir, `${process.pid}-${socketCount}.sock`);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new SandboxUnavailableError(
      `the package cache path is too long for the install's proxy socket (${socketPath} is over ${MAX_SOCKET_PATH} bytes); choose a shorter cache directory`,
      { reason: 'unreachable' },
    );
  }
  const extraCa = process.env.NODE_EXTRA_CA_CERTS ? await readFile(process.env.NODE_EXTRA_CA_CERTS, 'utf8').catch(() => null) : null;
  const proxy = await startRegistryProxy(options.registryUrl, socketPath);
  try {
    if (uid !== null) await chown(socketPath, uid, uid);
    await chmod(socketPath, 0o600);
    const node = nodeRuntime().executable;
    const proxyUrl = `http://127.0.0.1:${BRIDGE_PORT}/`;
    const flags = [
      `--registry=${options.registryUrl}`, `--proxy=${proxyUrl}`, `--https-proxy=${proxyUrl}`, '--ignore-scripts',
      `--userconfig=${NPMRC_PATH}`, `--globalconfig=${GLOBAL_NPMRC_PATH}`, `--cache=${npmCache === null ? `${SANDBOX_HOME}/.npm-run` : NPM_CACHE_MOUNT}`,
    ];
    const child = spawnSandboxed({
      packageRoot: staging,
      writablePackageRoot: true,
      hostUid: uid ?? undefined,
      command: [node, BRIDGE_PATH, PROXY_SOCKET_MOUNT, String(BRIDGE_PORT), '--', node, npm.cli, ...args, ...flags],
      mounts: [{ source: socketPath, target: PROXY_SOCKET_MOUNT }, ...(npm.mount ? [{ source: npm.mount, target: npm.mount }] : [])],
      writableMounts: npmCache === null ? [] : [{ source: npmCache, target: NPM_CACHE_MOUNT }],
      files: [
        { target: BRIDGE_PATH, content: BRIDGE_SOURCE },
        { target: NPMRC_PATH, content: NPMRC },
        { target: GLOBAL_NPMRC_PATH, content: '' },
        ...(extraCa === null ? [] : [{ target: EXTRA_CA_PATH, content: extraCa }]),
      ],
      env: extraCa === null ? {} : { NODE_EXTRA_CA_CERTS: EXTRA_CA_PATH },
      limits: installLimits(options.timeoutMs),
      bwrapPath: options.bwrapPath,
    });
    const output = new ByteTail(4096);
    child.stdin.end();
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killSandboxed(child);
    }, options.timeoutMs);
    const onAbort = () => killSandboxed(child);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    }).finally(() => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    });
    if (exit.code === 0) return { refused: [...proxy.refused] };
    const tail = output.text().split('\n').filter((l) => !/Unknown (?:user|global) config|^Warning: Ignoring extra certs|Log files were not written/.test(l)).join('\n').trim().slice(-1500);
    const how = exit.error
      ? `the sandbox could not start: ${exit.error.message}`
      : timedOut ? `killed after ${options.timeoutMs} ms` : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    const what = `npm ${args[0]} ${args[1]}`;
    if (proxy.refused.length > 0) {
      throw new CrawlError('INSTALL_FAILED', `${what} asked for ${refusedList(proxy.refused)}, which is not the registry ${new URL(options.registryUrl).origin}; the install reaches only the registry (${how}): ${tail}`);
    }
    throw new CrawlError('INSTALL_FAILED', `${what} failed (${how}): ${tail}`, { retryable: true });
  } finally {
    await proxy.close();
  }
}

/** At most three refusals, then how many more. */
export function refusedList(refused: readonly string[]): string {
  return `${refused.slice(0, 3).join(', ')}${refused.length > 3 ? `, and ${refused.length - 3} more` : ''}`;
}
