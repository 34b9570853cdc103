/**
 * Installs an npm package at an exact version into a per-version cache directory, with install scripts disabled.
 *
 * Layout: `<cacheDir>/npm/<name with "/" as "+">/<version>/node_modules/<name>`. Everything, the `.installed.json`
 * marker last, is written into a staging folder beside it, renamed into place only when finished; a folder without the
 * marker is an unfinished install and is redone. When the disk fills up (ENOSPC, EDQUOT) the staging folder is removed
 * and the install fails with a message that says so ({@link diskFullError}), retried on a later run. npm itself (trusted) does the
 * install with `--ignore-scripts`, so no code of the package runs; it runs inside the sandbox, where the registry
 * is the only address it can reach (`sandboxed-npm.ts`). A version that depends on anything but a registry version
 * (a URL, git, a path) is refused before npm runs (`dependencies.ts`). Before npm unpacks the package's own tarball,
 * `npm pack` fetches it (into npm's cache, which the install then reads) and its entries and unpacked bytes are
 * checked against the limits of `tarball.ts`. The staging folder is private (0700) until the tree is sealed
 * (`seal.ts`: our uid, no setuid, setgid or sticky bit, no group or world write, no link out of it), and only then
 * renamed into the cache; the same holds for the unpacked tarball of {@link unpackNpmPackage}.
 */
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { extract } from 'tar';
import { CrawlError, diskFullError, isDiskFull } from '../../errors.ts';
import { PACKAGE_MOUNT } from '../../sandbox.ts';
import { foreignDependencies, foreignDependencyMessage } from './dependencies.ts';
import { refusedList, runNpmSandboxed } from './sandboxed-npm.ts';
import { sealNote, sealPackageTree } from './seal.ts';
import { isValidNpmName } from './spec.ts';
import { checkTarball, type TarballLimits } from './tarball.ts';

export interface InstallOptions {
  /** Root of the package cache. */
  cacheDir: string;
  /** npm registry base URL passed as `--registry`; the only origin the install can reach. */
  registryUrl: string;
  /**
   * The version's manifest from the packument: when given, its dependencies are checked before npm runs, and a
   * dependency npm would take from elsewhere than the registry fails the install (`dependencies.ts`).
   */
  manifest?: { dependencies?: unknown; peerDependencies?: unknown; peerDependenciesMeta?: unknown };
  /** Time allowed for `npm install`, ms. @default 300000 */
  timeoutMs?: number;
  /** Limits on the package's own tarball (`tarball.ts`). */
  tarball?: TarballLimits;
  signal?: AbortSignal;
  /** bubblewrap executable. @default "bwrap" */
  bwrapPath?: string;
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
  /** True when the cache already held a finished unpack. */
  cached: boolean;
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

/** Our own uid and gid, to which a sealed tree is given back from the install sandbox's. */
function ourOwner(): { uid: number; gid: number } | undefined {
  return process.getuid && process.getgid ? { uid: process.getuid(), gid: process.getgid() } : undefined;
}

/** Makes a private (0700) staging folder for `root`; it stays private until {@link sealPackageTree} has run on it. */
async function makeStaging(root: string): Promise<string> {
  const staging = `${root}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await chmod(staging, 0o700);
  return staging;
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
    return { root, packageDir, cached: true, notes: await cachedNotes(path.join(root, '.installed.json'), root) };
  } catch {
    // not cached: install below
  }
  const foreign = options.manifest ? foreignDependencies(options.manifest) : [];
  if (foreign.length > 0) throw new CrawlError('INSTALL_FAILED', foreignDependencyMessage(foreign));
  const staging = await makeStaging(root);
  const notes: string[] = [];
  await writeFile(path.join(staging, 'package.json'), JSON.stringify({ name: 'mcp-catalogue-install', private: true }), { mode: 0o644 });
  const args = [
    'install', `${name}@${version}`,
    '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--omit=dev', '--no-save',
    '--loglevel=error', '--prefix', PACKAGE_MOUNT,
  ];
  try {
    // npm's cache keeps the tarball for the install; the copy goes.
    await rm(await fetchAndCheckTarball(name, version, staging, options), { force: true });
    const run = await runNpmSandboxed(args, staging, { ...options, timeoutMs: options.timeoutMs ?? 300_000 });
    if (run.refused.length > 0) notes.push(`the install was refused ${refusedList(run.refused)}: only the registry is reachable; npm went on without it`);
    const note = sealNote(await sealPackageTree(staging, { owner: ourOwner() }));
    if (note) notes.push(note);
    // The marker goes in before the rename: a folder in the cache under its final name is always a finished install.
    await writeFile(path.join(staging, '.installed.json'), JSON.stringify({ name, version, installedAt: new Date().toISOString(), notes, sealed: true }), { mode: 0o644 });
    await rm(root, { recursive: true, force: true });
    await mkdir(path.dirname(root), { recursive: true });
    await rename(staging, root);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (isDiskFull(error) && !options.signal?.aborted) throw diskFullError(error, options.cacheDir, `${name}@${version}`);
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
 * its integrity, its entries and bytes are checked (`tarball.ts`), and node-tar unpacks regular files and folders
 * only (no links, no absolute or `..` paths), at most 256 MiB, into `<cacheDir>/npm-files/<name with "/" as
 * "+">/<version>`, sealed as an install is. Nothing in the package runs.
 * @returns The unpacked package folder (what `package/` held in the tarball) and what sealing changed.
 * @throws CrawlError `PACKAGE_TOO_LARGE` when the tarball passes a limit; `INSTALL_FAILED` when npm cannot fetch it or
 *   it does not unpack.
 */
export async function unpackNpmPackage(name: string, version: string, options: InstallOptions): Promise<UnpackedPackage> {
  const root = path.join(options.cacheDir, 'npm-files', name.replace('/', '+'), version);
  const packageDir = path.join(root, 'package');
  try {
    return { packageDir, notes: await cachedNotes(path.join(root, '.unpacked.json'), packageDir), cached: true };
  } catch {
    // not unpacked yet
  }
  const staging = await makeStaging(root);
  const notes: string[] = [];
  try {
    const tarball = await fetchAndCheckTarball(name, version, staging, options);
    await mkdir(path.join(staging, 'package'));
    let bytes = 0;
    await extract({
      file: tarball, cwd: path.join(staging, 'package'), strip: 1, preserveOwner: false,
      filter: (_entryPath, entry) => {
        const type = 'type' in entry ? entry.type : null;
        if (type !== 'File' && type !== 'Directory') return false;
        bytes += 'size' in entry ? entry.size : 0;
        return bytes <= MAX_UNPACKED_BYTES;
      },
    });
    await rm(tarball, { force: true });
    const note = sealNote(await sealPackageTree(staging, { owner: ourOwner() }));
    if (note) notes.push(note);
    await writeFile(path.join(staging, '.unpacked.json'), JSON.stringify({ name, version, bytes, notes, sealed: true }), { mode: 0o644 });
    await rm(root, { recursive: true, force: true });
    await mkdir(path.dirname(root), { recursive: true });
    await rename(staging, root);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (isDiskFull(error) && !options.signal?.aborted) throw diskFullError(error, options.cacheDir, `the files of ${name}@${version}`);
    if (error instanceof CrawlError) throw error;
    throw new CrawlError('INSTALL_FAILED', `${name}@${version}: the tarball did not unpack: ${(error as Error).message}`, { cause: error });
  }
  return { packageDir, notes, cached: false };
}

/**
 * `npm pack <name>@<version>` in the install sandbox into `staging` (npm fetches the tarball the packument names,
 * checks its integrity and keeps it in its cache), then {@link checkTarball}.
 * @returns The tarball's path, in `staging`.
 * @throws CrawlError `PACKAGE_TOO_LARGE` or `INSTALL_FAILED`.
 */
async function fetchAndCheckTarball(name: string, version: string, staging: string, options: InstallOptions): Promise<string> {
  await runNpmSandboxed(
    ['pack', `${name}@${version}`, '--ignore-scripts', '--loglevel=error', '--pack-destination', PACKAGE_MOUNT],
    staging, { ...options, timeoutMs: options.timeoutMs ?? 300_000 },
  );
  const tarball = (await readdir(staging)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new CrawlError('INSTALL_FAILED', `npm pack ${name}@${version} wrote no tarball`);
  const file = path.join(staging, tarball);
  await checkTarball(file, `${name}@${version}`, options.tarball);
  return file;
}
