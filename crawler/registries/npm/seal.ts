/**
 * Sealing an npm package tree before it joins the package cache. The cache must be readable by the sandbox's uid, so
 * every local user can reach it: a file that kept a tarball's setuid bit would run as its owner for anyone, and a
 * group- or world-writable one could be changed between crawls. npm (pacote) and node-tar keep a member's setuid,
 * setgid and sticky bits, so after every install or unpack the tree is walked, without following symbolic links, and
 * set to fixed modes: folders 0755, files 0755 when any execute bit was set and 0644 otherwise. Anything that is
 * not a file, a folder or a symbolic link (a FIFO, a socket, a device node) is removed. An install made in the
 * sandbox under another uid is given back to ours, and a symbolic link that points out of the tree (a `link:` or
 * `file:` dependency npm followed) fails the install: read on the host, it would lead the crawler's own reads
 * (static extraction) out of the package.
 */
import { chmod, lchown, lstat, readdir, readlink, rm } from 'node:fs/promises';
import path from 'node:path';
import { CrawlError } from '../../errors.ts';

/** What {@link sealPackageTree} changed, paths relative to the sealed root with `/` separators. */
export interface SealReport {
  /** Entries that had a setuid, setgid or sticky bit or group or world write, with the mode they had (0o7777 bits). */
  cleared: Array<{ path: string; mode: number }>;
  /** Entries removed because they were neither files, folders nor symbolic links. */
  removed: string[];
}

/** The bits no entry of a package may keep: setuid, setgid, sticky, group write and world write. */
const LOOSE_BITS = 0o7022;

/**
 * Gives every folder below `root` (and `root` itself) mode 0755 and every file 0755 or 0644, removes other entries
 * and leaves symbolic links as they are (their own mode means nothing on Linux, and they are never followed here)
 * when they point inside `root`. With `owner`, every entry, links included, is given to that uid and gid first.
 * A folder's mode is set after its contents', so a caller that made `root` 0700 opens it last.
 * @returns what was cleared or removed, in path order.
 * @throws CrawlError `INSTALL_FAILED` for a symbolic link whose target is outside `root`; the file system's error
 *   when an entry cannot be read or changed.
 */
export async function sealPackageTree(tree: string, options: { owner?: { uid: number; gid: number } } = {}): Promise<SealReport> {
  const root = path.resolve(tree);
  const report: SealReport = { cleared: [], removed: [] };
  const owner = options.owner;
  const visit = async (full: string): Promise<void> => {
    const stat = await lstat(full);
    const relative = path.relative(root, full).split(path.sep).join('/') || '.';
    if (stat.isSymbolicLink()) {
      const target = await readlink(full);
      const resolved = path.resolve(path.dirname(full), target);
      if (!resolved.startsWith(`${root}${path.sep}`)) {
        throw new CrawlError('INSTALL_FAILED', `the install made a symbolic link that leads out of the package folder: ${relative} -> ${target.slice(0, 200)}`);
      }
      if (owner) await lchown(full, owner.uid, owner.gid);
      return;
    }
    if (!stat.isDirectory() && !stat.isFile()) {
      await rm(full, { force: true });
      report.removed.push(relative);
      return;
    }
    if (owner && (stat.uid !== owner.uid || stat.gid !== owner.gid)) await lchown(full, owner.uid, owner.gid);
    const mode = stat.mode & 0o7777;
    const sealed = stat.isDirectory() || (mode & 0o111) !== 0 ? 0o755 : 0o644;
    if ((mode & LOOSE_BITS) !== 0) report.cleared.push({ path: relative, mode });
    // A folder is opened up only once what it holds is sealed.
    if (stat.isDirectory()) await Promise.all((await readdir(full)).map((entry) => visit(path.join(full, entry))));
    if (mode !== sealed) await chmod(full, sealed);
  };
  await visit(root);
  report.cleared.sort((a, b) => a.path.localeCompare(b.path));
  report.removed.sort();
  return report;
}

/** Entries a note names before it only counts the rest. */
const NOTE_NAMES = 10;

/** One line for the attempt's tail saying what {@link sealPackageTree} changed, or null when it changed nothing that matters. */
export function sealNote(report: SealReport): string | null {
  const parts: string[] = [];
  const list = (names: string[]) => `${names.slice(0, NOTE_NAMES).join(', ')}${names.length > NOTE_NAMES ? `, and ${names.length - NOTE_NAMES} more` : ''}`;
  if (report.cleared.length > 0) {
    parts.push(`the package's files came with modes that were cleared (setuid, setgid, sticky, group or world write): ${report.cleared.length} entries: ${list(report.cleared.map((e) => `${e.path} (${e.mode.toString(8)})`))}`);
  }
  if (report.removed.length > 0) parts.push(`${report.removed.length} entries that are neither files, folders nor links were removed: ${list(report.removed)}`);
  return parts.length > 0 ? parts.join('; ') : null;
}
