/**
 * Installs one release of a PyPI project into its own virtual environment, without running any of its code outside
 * the sandbox.
 *
 * Layout: `<cacheDir>/pypi/<normalized name>/<version>/` holds `wheels/` (every wheel installed), `venv/` (a virtual
 * environment of {@link SANDBOX_PYTHON}), `launcher/` (see `entry.ts`) and `.installed.json`, written last, into a
 * staging folder renamed into place when finished, so a folder without it is an unfinished install and is redone. A
 * full disk (ENOSPC, EDQUOT) removes the staging folder and fails the install saying so, retried on a later run. The folder is mounted read-only at `/srv/pkg` when the
 * server runs.
 *
 * Steps:
 * 1. **Download** (our code, undici): the chosen wheel, checked against the SHA-256 digest the index gives. A file
 *    the index gives no digest for is not installed.
 * 2. **Resolve dependencies** (pip, outside the sandbox): a wheel that declares a dependency by URL (`name @ https://…`)
 *    is refused first, since pip would fetch it. Then `pip download --only-binary :all:` against the same index
 *    fetches the wheels of every dependency into `wheels/`, checking each against the digest in the index's link.
 *    pip only downloads here and reads the wheels' metadata: with binary-only it never unpacks a file into place and
 *    never calls a build backend, so nothing of the package can run. It runs under our interpreter in isolated mode
 *    (`-I`, `--isolated`: no user site, no configuration file, no PIP_* variable), with `--no-cache-dir` and an
 *    environment holding only PATH, LANG, a throwaway HOME and the proxy and CA variables needed to reach the index.
 * 3. **Check** (`wheel-size.ts`): the central directories of all the wheels together may list at most 100,000 members
 *    unpacking to at most 2 GiB; more is `PACKAGE_TOO_LARGE` and nothing is unpacked.
 * 4. **Install** (pip, inside the sandbox): the sandbox is started with no network at all and with only this
 *    folder writable; it creates the virtual environment and runs `pip install --no-index --find-links wheels/`,
 *    which unpacks the wheels, writes the console scripts and byte-compiles. So the unpacking of hostile archives,
 *    and anything pip or a wheel might do wrong there, is contained like a server start: a path that escapes, a
 *    `.pth` file or a script can reach nothing but the folder itself.
 * 5. **Seal**: back on the host the tree is given to our own uid, every directory made 0755 and every file 0644 (or
 *    0755 when executable), and any symbolic link other than the interpreter links `venv` makes is refused. Then
 *    the staging folder is renamed into place.
 *
 * Source distributions are never built: a release without a compatible wheel fails before step 1 (`wheels.ts`).
 * Building one would run its build backend; if that is ever configured, it must happen inside the sandbox.
 */
import { execFile } from 'node:child_process';
import { clean } from '@renovatebot/pep440';
import { createHash } from 'node:crypto';
import { chmod, lchown, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CrawlError, diskFullError, isDiskFull } from '../../errors.ts';
import type { HttpClient } from '../../http.ts';
import { DEFAULT_LIMITS, killSandboxed, PACKAGE_MOUNT, spawnSandboxed, type SandboxLimits } from '../../sandbox.ts';
import { ByteTail } from '../../session/tail.ts';
import { normalisePypiName, type DistributionFile } from './client.ts';
import { checkWheels, type WheelLimits } from './wheel-size.ts';
import type { PythonInterpreter } from './wheels.ts';

export interface PypiInstallOptions {
  /** Root of the package cache. */
  cacheDir: string;
  http: HttpClient;
  /** The Simple API index, e.g. `https://pypi.org/simple` (`simpleIndexUrl`). */
  indexUrl: string;
  interpreter: PythonInterpreter;
  /** Time allowed for each of the download and install steps, ms. @default 300000 */
  timeoutMs?: number;
  /** Largest wheel downloaded, bytes. @default 256 MiB */
  maxWheelBytes?: number;
  /** Limits on what all the wheels of the install unpack to (`wheel-size.ts`). */
  wheelLimits?: WheelLimits;
  /** Limits of the sandboxed install; CPU time defaults to 300 s here, and the tree's memory to twice the data limit. */
  limits?: Partial<SandboxLimits>;
  bwrapPath?: string;
  signal?: AbortSignal;
}

export interface InstalledPypiPackage {
  /** The per-version folder, mounted at `/srv/pkg`. */
  root: string;
  /** `<root>/venv`. */
  venvDir: string;
  /** The virtual environment's `site-packages` on the host. */
  sitePackages: string;
  /** The installed project's `.dist-info` folder on the host. */
  distInfoDir: string;
  /** Wheel file names installed, the project's own first. */
  wheels: string[];
  /** True when the cache already held a finished install. */
  cached: boolean;
}

interface Marker {
  name: string;
  version: string;
  wheel: string;
  sha256: string;
  wheels: string[];
  python: string;
  installedAt: string;
}

/** `<cacheDir>/pypi/<normalized name>/<version>`. */
export function pypiInstallRoot(cacheDir: string, name: string, version: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9.+!_-]*$/.test(version)) throw new CrawlError('INSTALL_FAILED', `"${version}" cannot name a folder`);
  return path.join(cacheDir, 'pypi', normalisePypiName(name), version);
}

function pythonMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** The virtual environment's `site-packages` for an interpreter version, relative to the install root. */
export function sitePackagesOf(pythonVersion: string): string {
  return path.join('venv', 'lib', `python${pythonMinor(pythonVersion)}`, 'site-packages');
}

/**
 * Installs `name` at `version` from `wheel` (a file of that release chosen by `selectWheel`), unless the cache has
 * it for the same Python minor version.
 * @throws CrawlError `INSTALL_FAILED`: the first line says what failed, the lines after it are pip's output tail.
 */
export async function installPypiPackage(name: string, version: string, wheel: DistributionFile, options: PypiInstallOptions): Promise<InstalledPypiPackage> {
  const root = pypiInstallRoot(options.cacheDir, name, version);
  const relativeSite = sitePackagesOf(options.interpreter.version);
  try {
    const marker = JSON.parse(await readFile(path.join(root, '.installed.json'), 'utf8')) as Marker;
    if (pythonMinor(marker.python) === pythonMinor(options.interpreter.version)) {
      const sitePackages = path.join(root, relativeSite);
      return { root, venvDir: path.join(root, 'venv'), sitePackages, distInfoDir: await findDistInfo(sitePackages, name, version), wheels: marker.wheels, cached: true };
    }
  } catch {
    // not cached (or cached for another Python): install below
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._+!-]*\.whl$/.test(wheel.filename)) throw new CrawlError('INSTALL_FAILED', `"${wheel.filename}" is not a wheel file name`);
  if (wheel.sha256 === null) {
    throw new CrawlError('INSTALL_FAILED', `the index gives no sha256 digest for ${wheel.filename}; a file that cannot be verified is not installed`);
  }
  const staging = `${root}.tmp-${process.pid}-${Date.now()}`;
  const wheelsDir = path.join(staging, 'wheels');
  await mkdir(wheelsDir, { recursive: true, mode: 0o755 });
  // The sandbox's uid must reach the staging folder whatever our umask is.
  for (const dir of [path.join(options.cacheDir, 'pypi'), path.dirname(root), staging, wheelsDir]) await chmod(dir, 0o755);
  try {
    const bytes = await options.http.getBytes(wheel.url, { signal: options.signal, accept: 'application/octet-stream', maxBodyBytes: options.maxWheelBytes ?? 256 * 1024 * 1024 });
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest !== wheel.sha256) {
      throw new CrawlError('INSTALL_FAILED', `sha256 mismatch for ${wheel.filename}: the index says ${wheel.sha256}, the downloaded ${bytes.length} bytes hash to ${digest}`);
    }
    await writeFile(path.join(wheelsDir, wheel.filename), bytes, { mode: 0o644 });
    const directReferences = findDirectReferences(await readWheelMetadata(path.join(wheelsDir, wheel.filename), options.interpreter.executable));
    if (directReferences.length > 0) {
      throw new CrawlError('INSTALL_FAILED', `${wheel.filename} declares a dependency by URL (${directReferences.slice(0, 3).join('; ')}); URLs a package gives are never fetched`);
    }
    await downloadDependencies(staging, wheel.filename, options);
    const downloaded = (await readdir(wheelsDir)).sort();
    const strays = downloaded.filter((f) => !f.endsWith('.whl'));
    if (strays.length > 0) throw new CrawlError('INSTALL_FAILED', `pip download left files that are not wheels: ${strays.join(', ')}`);
    for (const file of downloaded) await chmod(path.join(wheelsDir, file), 0o644);
    await checkWheels(downloaded.map((file) => ({ path: path.join(wheelsDir, file), name: file })), options.wheelLimits);
    await installInSandbox(staging, wheel.filename, options);
    await seal(staging);
    const sitePackages = path.join(staging, relativeSite);
    await findDistInfo(sitePackages, name, version);
    const wheels = [wheel.filename, ...downloaded.filter((f) => f !== wheel.filename)];
    const marker: Marker = { name: normalisePypiName(name), version, wheel: wheel.filename, sha256: wheel.sha256, wheels, python: options.interpreter.version, installedAt: new Date().toISOString() };
    // The marker goes in before the rename: a folder in the cache under its final name is always a finished install.
    await writeFile(path.join(staging, '.installed.json'), JSON.stringify(marker), { mode: 0o644 });
    await rm(root, { recursive: true, force: true });
    await mkdir(path.dirname(root), { recursive: true, mode: 0o755 });
    await rename(staging, root);
    const finalSite = path.join(root, relativeSite);
    return { root, venvDir: path.join(root, 'venv'), sitePackages: finalSite, distInfoDir: await findDistInfo(finalSite, name, version), wheels, cached: false };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (isDiskFull(error) && !options.signal?.aborted) throw diskFullError(error, options.cacheDir, `${name} ${version}`);
    if (error instanceof CrawlError || options.signal?.aborted) throw error;
    throw new CrawlError('INSTALL_FAILED', `installing ${name} ${version} failed: ${(error as Error).message}`, { cause: error });
  }
}

const READ_METADATA = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    found = [i for i in archive.infolist() if i.filename.count("/") == 1 and i.filename.endswith(".dist-info/METADATA")]
    if len(found) != 1 or found[0].file_size > 4 * 1024 * 1024:
        sys.exit("the wheel has no single .dist-info/METADATA of at most 4 MiB")
    sys.stdout.buffer.write(archive.read(found[0]))
`;

/**
 * The `METADATA` text inside a wheel, read with our interpreter's zipfile module (reading one archive member runs
 * nothing of the package).
 * @throws CrawlError `INSTALL_FAILED` when the wheel is not a zip or has no single METADATA.
 */
export function readWheelMetadata(wheelPath: string, python: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-I', '-c', READ_METADATA, wheelPath], { env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 30_000, maxBuffer: 5 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new CrawlError('INSTALL_FAILED', `${path.basename(wheelPath)} cannot be read as a wheel: ${String(stderr).trim().split('\n').pop() ?? error.message}`));
      resolve(stdout);
    });
  });
}

/**
 * The `Requires-Dist` entries of core metadata that name a URL instead of a version (PEP 508 direct references,
 * `name @ https://…`). pip would fetch those URLs; the crawler never opens a URL a package gives. (PyPI refuses
 * uploads with such dependencies, so dependencies resolved from PyPI itself have none.)
 */
export function findDirectReferences(metadata: string): string[] {
  const references: string[] = [];
  for (const line of metadata.split(/\r?\n/)) {
    if (line === '') break;
    const value = /^Requires-Dist:\s*(.*)$/i.exec(line)?.[1];
    if (value && /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@/.test(value)) references.push(value.trim().slice(0, 200));
  }
  return references;
}

/** Variables pip may need to reach the index: trusted CAs and proxies. Nothing else of ours. */
const PIP_PASSTHROUGH = /^(?:LANG|SSL_CERT_FILE|SSL_CERT_DIR|REQUESTS_CA_BUNDLE|(?:HTTPS?|NO|ALL)_PROXY|(?:https?|no|all)_proxy)$/;

function pipEnvironment(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && PIP_PASSTHROUGH.test(key)) env[key] = value;
  }
  return env;
}

/** Step 2 of the module comment: `pip download` of the wheel's dependencies, binary only, from the same index. */
async function downloadDependencies(staging: string, filename: string, options: PypiInstallOptions): Promise<void> {
  const home = path.join(staging, '.pip-home');
  await mkdir(home, { mode: 0o700 });
  const args = [
    '-I', '-m', 'pip', 'download',
    '--isolated', '--disable-pip-version-check', '--no-input', '--no-cache-dir', '--progress-bar', 'off',
    '--only-binary', ':all:', '--index-url', options.indexUrl,
    '--dest', path.join(staging, 'wheels'),
    path.join(staging, 'wheels', filename),
  ];
  const timeoutMs = options.timeoutMs ?? 300_000;
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(options.interpreter.executable, args, { cwd: staging, env: pipEnvironment(home), timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, signal: options.signal }, (error, stdout, stderr) => {
        if (!error) return resolve();
        const tail = `${stdout}\n${stderr}`.trim().slice(-3000);
        const how = error.killed ? `killed after ${timeoutMs} ms` : `exit code ${error.code}`;
        const line = /ERROR: (.*)/.exec(String(stderr))?.[1]?.trim() ?? 'see the output';
        reject(new CrawlError('INSTALL_FAILED', `pip could not fetch the dependencies of ${filename} as wheels (${how}): ${line}\n${tail}`));
      });
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Step 4 of the module comment: the virtual environment and `pip install`, inside the sandbox with no network. */
async function installInSandbox(staging: string, filename: string, options: PypiInstallOptions): Promise<void> {
  const python = options.interpreter.executable;
  const script = [
    'set -e',
    `${python} -I -m venv --without-pip ${PACKAGE_MOUNT}/venv`,
    `exec ${python} -I -m pip --python ${PACKAGE_MOUNT}/venv/bin/python install --isolated --disable-pip-version-check --no-input ` +
      `--no-cache-dir --progress-bar off --no-warn-script-location --no-index --only-binary :all: --find-links ${PACKAGE_MOUNT}/wheels "$1"`,
  ].join('\n');
  const timeoutMs = options.timeoutMs ?? 300_000;
  const output = new ByteTail(4096);
  const child = spawnSandboxed({
    packageRoot: staging,
    writablePackageRoot: true,
    command: ['/bin/sh', '-c', script, 'sh', `${PACKAGE_MOUNT}/wheels/${filename}`],
    // The tree's memory has room above one process's data limit: pip's byte-compiling of a module too big to compile
    // then fails in that process with a MemoryError, which pip passes over, instead of the whole install being killed.
    limits: { cpuSeconds: 300, memoryBytes: 2 * (options.limits?.dataBytes ?? DEFAULT_LIMITS.dataBytes), ...options.limits },
    bwrapPath: options.bwrapPath,
  });
  child.stdin.end();
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
  const timer = setTimeout(() => killSandboxed(child), timeoutMs);
  const onAbort = () => killSandboxed(child);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  }).finally(() => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  });
  if (exit.code === 0) return;
  const tail = output.text().trim();
  const line = /ERROR: (.*)/.exec(tail)?.[1]?.trim() ?? tail.split('\n').pop() ?? '';
  const how = exit.error ? `could not start the sandbox: ${exit.error.message}` : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  throw new CrawlError('INSTALL_FAILED', `pip install of ${filename} in the sandbox failed (${how}): ${line.slice(0, 500)}\n${tail}`);
}

/** Symbolic links `python -m venv` makes; any other link in an install is refused. */
const VENV_LINKS = /^venv\/(?:bin\/python(?:3(?:\.\d+)?)?|lib64)$/;

/** Step 5 of the module comment. */
async function seal(staging: string): Promise<void> {
  const root = process.getuid?.() === 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir)) {
      const full = path.join(dir, entry);
      const stat = await lstat(full);
      const relative = path.relative(staging, full).split(path.sep).join('/');
      if (stat.isSymbolicLink()) {
        if (!VENV_LINKS.test(relative)) throw new CrawlError('INSTALL_FAILED', `the install made an unexpected symbolic link: ${relative}`);
        if (root) await lchown(full, 0, 0);
        continue;
      }
      if (!stat.isDirectory() && !stat.isFile()) throw new CrawlError('INSTALL_FAILED', `the install made something that is not a file: ${relative}`);
      if (root) await lchown(full, 0, 0);
      await chmod(full, stat.isDirectory() || (stat.mode & 0o111) !== 0 ? 0o755 : 0o644);
      if (stat.isDirectory()) await walk(full);
    }
  };
  if (root) await lchown(staging, 0, 0);
  await chmod(staging, 0o755);
  await walk(staging);
}

/**
 * The `.dist-info` folder of `name` at `version` in `sitePackages` (PEP 376/PEP 427: `{name}-{version}.dist-info`,
 * compared by normalized name and version).
 * @throws CrawlError `INSTALL_FAILED` when it is not there.
 */
export async function findDistInfo(sitePackages: string, name: string, version: string): Promise<string> {
  const project = normalisePypiName(name);
  let entries: string[] = [];
  try {
    entries = await readdir(sitePackages);
  } catch {
    // reported below
  }
  for (const entry of entries) {
    const match = /^(.+)-([^-]+)\.dist-info$/.exec(entry);
    if (match && normalisePypiName(match[1]!) === project && clean(match[2]!) === clean(version)) return path.join(sitePackages, entry);
  }
  throw new CrawlError('INSTALL_FAILED', `pip reported success, but ${project} ${version} has no .dist-info in ${path.basename(sitePackages)}`);
}
