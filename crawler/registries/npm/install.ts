/**
 * Installs an npm package at an exact version into a per-version cache directory, with install scripts disabled.
 *
 * Layout: `<cacheDir>/npm/<name with "/" as "+">/<version>/node_modules/<name>`; a `.installed.json` marker is
 * written last, so a directory without it is an unfinished install and is redone. The install runs npm itself
 * (trusted) with the network on and `--ignore-scripts`; no code of the package runs here. The staging folder is
 * private (0700) until the tree is sealed (`seal.ts`: no setuid, setgid or sticky bit, no group or world write), and
 * only then renamed into the cache; the same holds for the unpacked tarball of {@link unpackNpmPackage}.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extract } from 'tar';
import { CrawlError } from '../../errors.ts';
import { ByteTail } from '../../session/tail.ts';
import { sealNote, sealPackageTree } from './seal.ts';
import { isValidNpmName } from './spec.ts';

export interface InstallOptions {
  /** Root of the package cache. */
  cacheDir: string;
  /** npm registry base URL passed as `--registry`. */
  registryUrl: string;
  /** Time allowed for `npm install`, ms. @default 300000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface InstalledPackage {
  /** The per-version directory (the `--prefix` of the install). */
  root: string;
  /** `<root>/node_modules/<name>`. */
  packageDir: string;
  /** True when the cache already held a finished install. */
  cached: boolean;
  /** What the install changed in the package's files, one line each (`sealNote`), kept in the marker for later runs. */
  notes: string[];
}

/** The package folder of {@link unpackNpmPackage} and what unpacking changed in its files. */
export interface UnpackedPackage {
  /** What `package/` held in the tarball. */
  packageDir: string;
  /** As {@link InstalledPackage.notes}. */
  notes: string[];
}

/**
 * The `notes` of a finished install's or unpack's marker file. A marker written before trees were sealed (no
 * `sealed` field) has its tree `dir` sealed now, once, and the marker rewritten with what that changed.
 * @throws when there is no marker or it is not JSON: the install is unfinished.
 */
async function cachedNotes(marker: string, dir: string): Promise<string[]> {
  const parsed = JSON.parse(await readFile(marker, 'utf8')) as Record<string, unknown>;
  const notes = Array.isArray(parsed.notes) ? parsed.notes.filter((n): n is string => typeof n === 'string') : [];
  if (parsed.sealed === true) return notes;
  const note = sealNote(await sealPackageTree(dir));
  if (note) notes.push(note);
  await writeFile(marker, JSON.stringify({ ...parsed, notes, sealed: true }), { mode: 0o644 });
  return notes;
}

/** Makes a private (0700) staging folder for `root`; it stays private until {@link sealPackageTree} has run on it. */
async function makeStaging(root: string): Promise<string> {
  const staging = `${root}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await chmod(staging, 0o700);
  return staging;
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
 * @throws CrawlError `INSTALL_FAILED` with npm's stderr tail in the message.
 */
export async function installNpmPackage(name: string, version: string, options: InstallOptions): Promise<InstalledPackage> {
  const root = installRoot(options.cacheDir, name, version);
  const packageDir = path.join(root, 'node_modules', name);
  try {
    return { root, packageDir, cached: true, notes: await cachedNotes(path.join(root, '.installed.json'), root) };
  } catch {
    // not cached: install below
  }
  const staging = await makeStaging(root);
  const notes: string[] = [];
  await writeFile(path.join(staging, 'package.json'), JSON.stringify({ name: 'mcp-catalogue-install', private: true }));
  const args = [
    'install', `${name}@${version}`,
    '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--no-save',
    '--loglevel=error', '--prefix', staging, '--registry', options.registryUrl,
  ];
  try {
    await runNpm(args, staging, options.timeoutMs ?? 300_000, options.signal);
    const note = sealNote(await sealPackageTree(staging));
    if (note) notes.push(note);
    await rm(root, { recursive: true, force: true });
    await mkdir(path.dirname(root), { recursive: true });
    await rename(staging, root);
    await writeFile(path.join(root, '.installed.json'), JSON.stringify({ name, version, installedAt: new Date().toISOString(), notes, sealed: true }), { mode: 0o644 });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { root, packageDir, cached: false, notes };
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
 * its integrity, and node-tar unpacks regular files and folders only (no links, no absolute or `..` paths), at most
 * 256 MiB, into `<cacheDir>/npm-files/<name with "/" as "+">/<version>`, sealed as an install is. Nothing in the
 * package runs.
 * @returns The unpacked package folder (what `package/` held in the tarball) and what sealing changed.
 * @throws CrawlError `INSTALL_FAILED` when npm cannot fetch the tarball or it does not unpack.
 */
export async function unpackNpmPackage(name: string, version: string, options: InstallOptions): Promise<UnpackedPackage> {
  const root = path.join(options.cacheDir, 'npm-files', name.replace('/', '+'), version);
  const packageDir = path.join(root, 'package');
  try {
    return { packageDir, notes: await cachedNotes(path.join(root, '.unpacked.json'), packageDir) };
  } catch {
    // not unpacked yet
  }
  const staging = await makeStaging(root);
  const notes: string[] = [];
  await mkdir(path.join(staging, 'package'));
  try {
    await runNpm(
      ['pack', `${name}@${version}`, '--ignore-scripts', '--loglevel=error', '--pack-destination', staging, '--registry', options.registryUrl],
      staging, options.timeoutMs ?? 300_000, options.signal,
    );
    const tarball = (await readdir(staging)).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new CrawlError('INSTALL_FAILED', `npm pack ${name}@${version} wrote no tarball`);
    let bytes = 0;
    await extract({
      file: path.join(staging, tarball), cwd: path.join(staging, 'package'), strip: 1,
      filter: (_entryPath, entry) => {
        const type = 'type' in entry ? entry.type : null;
        if (type !== 'File' && type !== 'Directory') return false;
        bytes += 'size' in entry ? entry.size : 0;
        return bytes <= MAX_UNPACKED_BYTES;
      },
    });
    await rm(path.join(staging, tarball), { force: true });
    const note = sealNote(await sealPackageTree(path.join(staging, 'package')));
    if (note) notes.push(note);
    await chmod(staging, 0o755);
    await rm(root, { recursive: true, force: true });
    await mkdir(path.dirname(root), { recursive: true });
    await rename(staging, root);
    await writeFile(path.join(root, '.unpacked.json'), JSON.stringify({ name, version, bytes, notes, sealed: true }), { mode: 0o644 });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof CrawlError) throw error;
    throw new CrawlError('INSTALL_FAILED', `${name}@${version}: the tarball did not unpack: ${(error as Error).message}`, { cause: error });
  }
  return { packageDir, notes };
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
