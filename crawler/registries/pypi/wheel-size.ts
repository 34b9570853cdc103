/**
 * Limits on what the wheels of one install may unpack to, checked before pip unpacks them. A wheel is a zip file
 * (PEP 427); its central directory lists every member with the size it unpacks to, and Python's `zipfile`, which pip
 * unpacks with, never writes more of a member than that size. So counting the central directory's entries and adding
 * up their sizes bounds what the install writes: a small wheel of a hundred thousand empty files, or of members that
 * inflate to gigabytes, is refused before it costs anything.
 *
 * The central directory is read from the end of the file (APPNOTE.TXT 4.3.16 end of central directory record, 4.3.14
 * and 4.3.15 for ZIP64, 4.3.12 central directory header, 4.5.3 ZIP64 extra field), in chunks, and reading stops at the
 * first limit passed.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { CrawlError } from '../../errors.ts';

/** Most members of all the wheels of one install together. @default 100000 */
export const MAX_WHEEL_ENTRIES = 100_000;
/** Most bytes all the wheels of one install unpack to together. @default 2 GiB */
export const MAX_WHEEL_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024;

export interface WheelLimits {
  /** @default {@link MAX_WHEEL_ENTRIES} */
  maxEntries?: number;
  /** @default {@link MAX_WHEEL_UNPACKED_BYTES} */
  maxUnpackedBytes?: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const MAX_COMMENT = 0xffff;

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Where the central directory is and how long, from the end records. @throws Error when the file is not a zip. */
async function centralDirectory(file: FileHandle, size: number): Promise<{ offset: number; length: number }> {
  const tailStart = Math.max(0, size - (22 + MAX_COMMENT));
  const tail = await readAt(file, tailStart, size - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new Error('no end of central directory record');
  let offset = tail.readUInt32LE(at + 16);
  let length = tail.readUInt32LE(at + 12);
  if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
    const recordAt = Number(tail.readBigUInt64LE(at - 20 + 8));
    const record = await readAt(file, recordAt, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new Error('a ZIP64 locator that points at no ZIP64 record');
    length = Number(record.readBigUInt64LE(40));
    offset = Number(record.readBigUInt64LE(48));
  }
  if (offset + length > size) throw new Error('a central directory past the end of the file');
  return { offset, length };
}

/**
 * Counts the members of the wheels at `files` and adds up the sizes they unpack to, all wheels together.
 * @throws CrawlError `PACKAGE_TOO_LARGE` as soon as a limit is passed (naming the wheel it was passed in);
 *   `INSTALL_FAILED` when a file is not a readable zip.
 */
export async function checkWheels(files: Array<{ path: string; name: string }>, limits: WheelLimits = {}): Promise<{ entries: number; unpackedBytes: number }> {
  const maxEntries = limits.maxEntries ?? MAX_WHEEL_ENTRIES;
  const maxBytes = limits.maxUnpackedBytes ?? MAX_WHEEL_UNPACKED_BYTES;
  let entries = 0;
  let unpackedBytes = 0;
  for (const { path, name } of files) {
    let file: FileHandle | undefined;
    try {
      file = await open(path, 'r');
      const { offset, length } = await centralDirectory(file, (await file.stat()).size);
      // Central directory headers, read in chunks; a header never spans more than 46 + 3 × 65535 bytes.
      let chunk: Buffer = Buffer.alloc(0);
      let chunkStart = offset;
      for (let at = offset; at < offset + length; ) {
        if (at + 46 > chunkStart + chunk.length) {
          chunk = await readAt(file, at, Math.min(offset + length - at, 1024 * 1024));
          chunkStart = at;
        }
        const local = at - chunkStart;
        if (chunk.length - local < 46 || chunk.readUInt32LE(local) !== CENTRAL_HEADER) throw new Error(`no central directory header at byte ${at}`);
        const nameLength = chunk.readUInt16LE(local + 28);
        const extraLength = chunk.readUInt16LE(local + 30);
        const headerLength = 46 + nameLength + extraLength + chunk.readUInt16LE(local + 32);
        if (local + headerLength > chunk.length) {
          if (local === 0 && chunk.length >= Math.min(headerLength, offset + length - at)) throw new Error(`a central directory header past its end at byte ${at}`);
          chunk = await readAt(file, at, Math.max(headerLength, Math.min(offset + length - at, 1024 * 1024)));
          chunkStart = at;
          continue;
        }
        let size = chunk.readUInt32LE(local + 24);
        if (size === 0xffffffff) {
          // The ZIP64 extra field (id 1) holds the real size first.
          for (let e = local + 46 + nameLength; e + 4 <= local + 46 + nameLength + extraLength; ) {
            const id = chunk.readUInt16LE(e);
            const dataLength = chunk.readUInt16LE(e + 2);
            if (id === 1 && dataLength >= 8) {
              size = Number(chunk.readBigUInt64LE(e + 4));
              break;
            }
            e += 4 + dataLength;
          }
        }
        entries += 1;
        unpackedBytes += size;
        if (entries > maxEntries) {
          throw new CrawlError('PACKAGE_TOO_LARGE', `the wheels of this install hold more than ${maxEntries} files (passed in ${name}); they are not unpacked`);
        }
        if (unpackedBytes > maxBytes) {
          throw new CrawlError('PACKAGE_TOO_LARGE', `the wheels of this install unpack to more than ${Math.round(maxBytes / (1024 * 1024))} MiB (passed in ${name}); they are not unpacked`);
        }
        at += headerLength;
      }
    } catch (error) {
      if (error instanceof CrawlError) throw error;
      throw new CrawlError('INSTALL_FAILED', `${name} cannot be read as a wheel: ${(error as Error).message}`, { cause: error });
    } finally {
      await file?.close();
    }
  }
  return { entries, unpackedBytes };
}
