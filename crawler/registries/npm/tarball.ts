/**
 * Limits on what a package's own tarball may unpack to, checked before anything unpacks it. A tarball is small on the
 * wire but may expand to hundreds of thousands of empty files or to gigabytes of zeros (a 230 KB gzip holds 40,000
 * files, which took npm 40 s to write): every later step (npm's install, our unpack, the walks of the package's
 * files) pays for what it expands to, not for its size. The check reads the tarball once with node-tar's parser
 * (gzip included), counting entries and the bytes their headers declare, and stops at the first limit passed.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { CrawlError } from '../../errors.ts';

/** Most entries (files, folders, links) one package's tarball may hold. @default 20000 */
export const MAX_TARBALL_ENTRIES = 20_000;
/** Most bytes one package's tarball may unpack to, as its headers declare them. @default 256 MiB */
export const MAX_TARBALL_UNPACKED_BYTES = 256 * 1024 * 1024;

export interface TarballLimits {
  /** @default {@link MAX_TARBALL_ENTRIES} */
  maxEntries?: number;
  /** @default {@link MAX_TARBALL_UNPACKED_BYTES} */
  maxUnpackedBytes?: number;
}

/** What a tarball holds, as far as it was read. */
export interface TarballContents {
  entries: number;
  /** Bytes of the entries' contents (their headers' sizes). */
  unpackedBytes: number;
}

/**
 * Reads the tarball at `file` (gzip or plain tar) without writing anything and counts its entries and their bytes.
 * @throws CrawlError `PACKAGE_TOO_LARGE` as soon as it passes a limit (the message says which, and that the tarball is
 *   larger still); `INSTALL_FAILED` when it is not a readable tarball.
 */
export async function checkTarball(file: string, label: string, limits: TarballLimits = {}): Promise<TarballContents> {
  const maxEntries = limits.maxEntries ?? MAX_TARBALL_ENTRIES;
  const maxBytes = limits.maxUnpackedBytes ?? MAX_TARBALL_UNPACKED_BYTES;
  const seen: TarballContents = { entries: 0, unpackedBytes: 0 };
  let over: CrawlError | null = null;
  const parser = new Parser({ strict: true });
  const source = createReadStream(file);
  parser.on('entry', (entry: ReadEntry) => {
    seen.entries += 1;
    seen.unpackedBytes += entry.size ?? 0;
    entry.resume();
    if (over) return;
    if (seen.entries > maxEntries) {
      over = new CrawlError('PACKAGE_TOO_LARGE', `${label}: the tarball holds more than ${maxEntries} entries (files and folders); it is not unpacked`);
    } else if (seen.unpackedBytes > maxBytes) {
      over = new CrawlError('PACKAGE_TOO_LARGE', `${label}: the tarball unpacks to more than ${Math.round(maxBytes / (1024 * 1024))} MiB; it is not unpacked`);
    }
    if (over) source.destroy(over);
  });
  try {
    await pipeline(source, parser);
  } catch (error) {
    if (over) throw over;
    throw new CrawlError('INSTALL_FAILED', `${label}: the tarball could not be read: ${(error as Error).message}`, { cause: error });
  }
  if (over) throw over;
  return seen;
}
