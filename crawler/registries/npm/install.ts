/**
 * Installs an npm package at an exact version into a per-version cache directory, with install scripts disabled.
 *
 * Layout: `<cacheDir>/npm/<name with "/" as "+">/<version>/node_modules/<name>`; a `.installed.json` marker is
 * written last, so a directory without it is an unfinished install and is redone. The install runs npm itself
 * (trusted) with the network on and `--ignore-scripts`; no code of the package runs here. Before npm unpacks the
 * package's own tarball, `npm pack` fetches it (into npm's cache, which the install then reads) and its entries and
 * unpacked bytes are checked against the limits of `tarball.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extract } from 'tar';
import { CrawlError } from '../../errors.ts';
import { ByteTail } from '../../session/tail.ts';
import { isValidNpmName } from './spec.ts';
import { checkTarball, type TarballLimits } from './tarball.ts';

export interface InstallOptions {
  /** Root of the package cache. */
  cacheDir: string;
  /** npm registry base URL passed as `--registry`. */
  registryUrl: string;
  /** Time allowed for `npm install`, ms. @default 300000 */
  timeoutMs?: number;
  /** Limits on the package's own tarball (`tarball.ts`). */
  tarball?: TarballLimits;
  signal?: AbortSignal;
}

export interface InstalledPackage {
  /** The per-version directory (the `--prefix` of the install). */
  root: string;
  /** `<root>/node_modules/<name>`. */
  packageDir: string;
  /** True when the cache already held a finished install. */
  cached: boolean;
}

/** Variables npm may need to reach the registry: its cache, trusted CAs and proxies. Nothing else of ours. */
const NPM_PASSTHROUGH = /^(?:PATH|HOME|LANG|TMPDIR|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(?:HTTPS?|NO)_PROXY|(?:https?|no)_proxy|npm_config_(?:cache|cafile|proxy|https_proxy|noproxy|strict_ssl|userconfig))$/;

/** Environment handed to npm: only what it needs to run, find its cache and reach the registry. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && NPM_PASSTHROUGH.test(key)) env[key] = value;
  }
  return env;
}

export function installRoot(cacheDir: string, name: string, version: string): string {
  return path.join(cacheDir, 'npm', name.replace('/', '+'), version);
}

/**
 * Installs `name@version` (an exact version) unless the cache has it.
 * @throws CrawlError `PACKAGE_TOO_LARGE` when its tarball passes a limit of `tarball.ts` (nothing is installed);
 *   `INSTALL_FAILED` with npm's stderr tail in the message.
 */
export async function installNpmPackage(name: string, version: string, options: InstallOptions): Promise<InstalledPackage> {
  const root = installRoot(options.cacheDir, name, version);
  const packageDir = path.join(root, 'node_modules', name);
  try {
    await readFile(path.join(root, '.installed.json'), 'utf8');
    return { root, packageDir, cached: true };
  } catch {
    // not cached: install below
  }
  const staging = `${root}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await writeFile(path.join(staging, 'package.json'), JSON.stringify({ name: 'mcp-catalogue-install', private: true }));
  const args = [
    'install', `${name}@${version}`,
    '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--no-save',
    '--loglevel=error', '--prefix', staging, '--registry', options.registryUrl,
  ];
  try {
    // npm's cache keeps the tarball for the install; the copy goes.
    await rm(path.dirname(await fetchAndCheckTarball(name, version, staging, options)), { recursive: true, force: true });
    await runNpm(args, staging, options.timeoutMs ?? 300_000, options.signal);
    await rm(root, { recursive: true, force: true });
    await mkdir(path.dirname(root), { recursive: true });
    await rename(staging, root);
    await writeFile(path.join(root, '.installed.json'), JSON.stringify({ name, version, installedAt: new Date().toISOString() }));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { root, packageDir, cached: false };
}

/**
 * The package folder of `name@version` in the cache, without installing anything: a finished install's
 * `<root>/node_modules/<name>`, else a finished unpack's `package` folder (`unpackNpmPackage`); null when neither is
 * there or the name is not a valid npm name.
 */
export async function cachedNpmPackageDir(cacheDir: string, name: string, version: string): Promise<string | null> {
  if (!isValidNpmName(name) || version === '' || /[/\\]|^\.\.?$/.test(version)) return null;
  const root = installRoot(cacheDir, name, version);
  const unpacked = path.join(cacheDir, 'npm-files', name.replace('/', '+'), version);
  for (const [marker, dir] of [[path.join(root, '.installed.json'), path.join(root, 'node_modules', name)], [path.join(unpacked, '.unpacked.json'), path.join(unpacked, 'package')]] as const) {
    const [hasMarker, folder] = await Promise.all([stat(marker).then((s) => s.isFile(), () => false), stat(dir).then((s) => s.isDirectory(), () => false)]);
    if (hasMarker && folder) return dir;
  }
  return null;
}

/** Most bytes {@link unpackNpmPackage} writes: the files of one package, not its dependencies. */
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

/**
 * The package's own files without its dependencies, for static extraction when `npm install` failed (a dependency
 * the registry does not serve, say): `npm pack <name>@<version>` fetches the tarball the packument names and checks
 * its integrity, its entries and bytes are checked (`tarball.ts`), and node-tar unpacks regular files and folders
 * only (no links, no absolute or `..` paths), at most 256 MiB, into `<cacheDir>/npm-files/<name with "/" as
 * "+">/<version>`. Nothing in the package runs.
 * @returns The unpacked package folder (what `package/` held in the tarball).
 * @throws CrawlError `PACKAGE_TOO_LARGE` when the tarball passes a limit; `INSTALL_FAILED` when npm cannot fetch it or
 *   it does not unpack.
 */
export async function unpackNpmPackage(name: string, version: string, options: InstallOptions): Promise<string> {
  const root = path.join(options.cacheDir, 'npm-files', name.replace('/', '+'), version);
  const packageDir = path.join(root, 'package');
  try {
    await readFile(path.join(root, '.unpacked.json'), 'utf8');
    return packageDir;
  } catch {
    // not unpacked yet
  }
  const staging = `${root}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(path.join(staging, 'package'), { recursive: true });
  try {
    const tarball = await fetchAndCheckTarball(name, version, staging, options);
    let bytes = 0;
    await extract({
      file: tarball, cwd: path.join(staging, 'package'), strip: 1,
      filter: (_entryPath, entry) => {
        const type = 'type' in entry ? entry.type : null;
        if (type !== 'File' && type !== 'Directory') return false;
        bytes += 'size' in entry ? entry.size : 0;
        return bytes <= MAX_UNPACKED_BYTES;
      },
    });
    await rm(path.dirname(tarball), { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
    await mkdir(path.dirname(root), { recursive: true });
    await rename(staging, root);
    await writeFile(path.join(root, '.unpacked.json'), JSON.stringify({ name, version, bytes }));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof CrawlError) throw error;
    throw new CrawlError('INSTALL_FAILED', `${name}@${version}: the tarball did not unpack: ${(error as Error).message}`, { cause: error });
  }
  return packageDir;
}

/**
 * `npm pack <name>@<version>` into `dir` (npm fetches the tarball the packument names, checks its integrity and keeps
 * it in its cache), then {@link checkTarball}.
 * @returns The tarball's path.
 * @throws CrawlError `PACKAGE_TOO_LARGE` or `INSTALL_FAILED`.
 */
async function fetchAndCheckTarball(name: string, version: string, dir: string, options: InstallOptions): Promise<string> {
  const packDir = path.join(dir, '.pack');
  await mkdir(packDir, { recursive: true });
  await runNpm(
    ['pack', `${name}@${version}`, '--ignore-scripts', '--loglevel=error', '--pack-destination', packDir, '--registry', options.registryUrl],
    dir, options.timeoutMs ?? 300_000, options.signal,
  );
  const tarball = (await readdir(packDir)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new CrawlError('INSTALL_FAILED', `npm pack ${name}@${version} wrote no tarball`);
  const file = path.join(packDir, tarball);
  await checkTarball(file, `${name}@${version}`, options.tarball);
  return file;
}

function runNpm(args: string[], cwd: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stderr = new ByteTail(2048);
    const child = spawn('npm', args, { cwd, env: npmEnvironment(), stdio: ['ignore', 'ignore', 'pipe'], signal });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (cause) => {
      clearTimeout(timer);
      reject(new CrawlError('INSTALL_FAILED', `npm ${args[1]}: could not run npm: ${cause.message}`, { cause }));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const tail = stderr.text().split('\n').filter((l) => !/Unknown user config/.test(l)).join('\n').trim();
      const how = sig ? `killed by ${sig}${sig === 'SIGKILL' ? ` after ${timeoutMs} ms` : ''}` : `exit code ${code}`;
      reject(new CrawlError('INSTALL_FAILED', `npm ${args[0]} ${args[1]} failed (${how}): ${tail.slice(-1500)}`, { retryable: true }));
    });
  });
}
