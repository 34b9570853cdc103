/**
 * `writeSite`: the one place the site touches the disk. Pages are checked first (every path must stay inside the
 * output directory), written to a fresh directory beside it, and swapped in with two renames, so readers see the
 * old site or the new one, and a failed write leaves the old site untouched.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, parse, resolve, sep } from 'node:path';
import { SiteWriteError } from './errors.ts';
import type { SiteAsset, SitePage } from './types.ts';

/** Name of the file `writeSite` leaves in every directory it writes, marking it as safe to replace next time. */
export const SITE_MARKER = '.mcp-catalogue-site';

export interface WriteSiteOptions {
  /** Stops the write; the temporary directory is removed and the old site stays. */
  signal?: AbortSignal;
  /** Files written at once. @default 32 */
  concurrency?: number;
}

const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Absolute target of `pagePath` under `root`, or a {@link SiteWriteError} when it is not a safe relative path. */
export function safeTarget(root: string, pagePath: string): string {
  const segments = pagePath.split('/');
  const unsafe = segments.some((segment) => segment === '.' || segment === '..' || !SAFE_SEGMENT.test(segment));
  const target = resolve(root, ...segments);
  if (pagePath === '' || unsafe || !target.startsWith(root + sep)) {
    throw new SiteWriteError('SITE_UNSAFE_PATH', pagePath, `writeSite: page path ${JSON.stringify(pagePath.slice(0, 200))} is not a safe relative path inside ${root}; expected forward-slash segments of [A-Za-z0-9._-], no "." or "..".`);
  }
  return target;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Checks that `root` may be replaced: absent, empty, or written by us before. @returns whether it exists. */
export async function checkOutDir(root: string): Promise<boolean> {
  if (parse(root).root === root) throw new SiteWriteError('SITE_UNSAFE_OUTDIR', root, `writeSite: refusing to use the file system root ${root} as the output directory.`);
  if (!(await exists(root))) return false;
  if (!(await stat(root)).isDirectory()) throw new SiteWriteError('SITE_UNSAFE_OUTDIR', root, `writeSite: ${root} exists and is not a directory.`);
  const names = await readdir(root);
  if (names.length > 0 && !names.includes(SITE_MARKER)) {
    throw new SiteWriteError('SITE_OUTDIR_NOT_OURS', root, `writeSite: ${root} is not empty and has no ${SITE_MARKER} file, so it was not written by writeSite; refusing to replace it. Choose an empty or new directory.`);
  }
  return true;
}

async function writeAll(pages: Array<{ target: string; body: string | Uint8Array }>, concurrency: number, signal: AbortSignal | undefined): Promise<void> {
  const dirs = [...new Set(pages.map((page) => dirname(page.target)))].sort();
  for (const dir of dirs) await mkdir(dir, { recursive: true });
  for (let start = 0; start < pages.length; start += concurrency) {
    signal?.throwIfAborted();
    await Promise.all(pages.slice(start, start + concurrency).map((page) => writeFile(page.target, page.body, 'utf8')));
  }
}

/**
 * Writes `pages` under `outDir`, replacing what a previous `writeSite` left there. Text pages are written as UTF-8,
 * binary ones ({@link SiteAsset}) byte for byte.
 * @returns the number of pages and their total size in bytes (UTF-8).
 * @throws {@link SiteWriteError} `SITE_UNSAFE_PATH`, `SITE_DUPLICATE_PATH`, `SITE_OUTDIR_NOT_OURS`, `SITE_UNSAFE_OUTDIR`
 *   before anything is written; file system errors (with the old site left in place) while writing.
 */
export async function writeSite(pages: ReadonlyArray<SitePage | SiteAsset>, outDir: string, options: WriteSiteOptions = {}): Promise<{ pages: number; bytes: number }> {
  const root = resolve(outDir);
  const seen = new Set<string>();
  const planned = pages.map((page) => {
    const target = safeTarget(root, page.path);
    const key = page.path.toLowerCase();
    if (seen.has(key) || key === SITE_MARKER) throw new SiteWriteError('SITE_DUPLICATE_PATH', page.path, `writeSite: more than one page, or a page and the marker file, would be written to ${JSON.stringify(page.path)}.`);
    seen.add(key);
    return { path: page.path, target, body: page.body };
  });
  const hadOld = await checkOutDir(root);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = `${root}.tmp-${suffix}`;
  const old = `${root}.old-${suffix}`;
  await mkdir(dirname(root), { recursive: true });
  await mkdir(temp);
  try {
    await writeFile(resolve(temp, SITE_MARKER), 'Written by mcp-catalogue writeSite; the whole directory is replaced on the next build.\n', 'utf8');
    await writeAll(planned.map((page) => ({ target: resolve(temp, ...page.path.split('/')), body: page.body })), options.concurrency ?? 32, options.signal);
    options.signal?.throwIfAborted();
    if (hadOld) await rename(root, old);
    try {
      await rename(temp, root);
    } catch (error) {
      if (hadOld) await rename(old, root);
      throw error;
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
  return { pages: planned.length, bytes: planned.reduce((sum, page) => sum + Buffer.byteLength(page.body, 'utf8'), 0) };
}
