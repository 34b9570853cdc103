/**
 * One process at a time per PGlite data directory. PGlite is PostgreSQL in one process with no shared memory between
 * processes: two processes that open one directory each write pages the other never sees, and rows are lost.
 *
 * The lock is an OS-level one: a listening Unix socket in Linux's abstract namespace (unix(7)), named after the
 * directory's device and inode. Binding a name that is bound fails with EADDRINUSE, atomically, and the kernel
 * unbinds it when the holder's last descriptor closes, which is also when the holder dies by any signal, SIGKILL
 * included. So no stale lock can outlive its holder, and no staleness timeout, pid reuse check or lock-file cleanup
 * is needed (a lock file with mtime heartbeats, as `proper-lockfile` keeps, frees a killed holder's lock only after
 * its timeout, and is lost by a holder whose event loop stalls past it, as PGlite's one-thread queries can).
 * Limits: Linux only (as the sandbox is), and processes in different network namespaces (containers sharing the
 * folder) do not see each other's socket.
 *
 * Beside the directory, `<dir>.holder.json` says who holds it (pid, command, start time), for the message a second
 * opener gets; it only informs, and a holder that died leaves one behind that the next holder overwrites.
 * @internal
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { StoreError } from './errors.ts';

/** Who holds a data directory, as `<dir>.holder.json` records it. */
export interface DirectoryHolder {
  pid: number;
  /** What the holder runs, e.g. `mcp-catalogue crawl`. */
  command: string;
  /** When it took the lock, ISO 8601. */
  startedAt: string;
}

/** A held lock; `release()` is idempotent. */
export interface DirectoryLock {
  release(): Promise<void>;
}

/** The file beside `dir` that names its holder. */
export function holderFile(dir: string): string {
  return `${path.resolve(dir)}.holder.json`;
}

/**
 * Takes the exclusive lock of the existing directory `dir` for this process, or fails at once.
 * @param command what this process runs, for a second opener's message (default: the script's file name)
 * @throws StoreError `DB_LOCKED` when another process (or this one, through another store) holds it, with the
 *   holder's pid, command and start time in the message when its holder file names a live process;
 *   `DB_OPEN_FAILED` when the directory cannot be examined or the socket cannot be bound for another reason.
 */
export async function lockDirectory(dir: string, command = defaultCommand()): Promise<DirectoryLock> {
  const absolute = path.resolve(dir);
  let name: string;
  try {
    const { dev, ino } = await stat(absolute);
    name = `\0mcp-catalogue/pglite/${dev}/${ino}`;
  } catch (cause) {
    throw new StoreError('DB_OPEN_FAILED', `PGlite: cannot examine data directory ${absolute}: ${String(cause)}`, { cause });
  }
  const server = createServer((socket) => socket.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new StoreError('DB_LOCKED', await lockedMessage(absolute), { cause });
    throw new StoreError('DB_OPEN_FAILED', `PGlite: cannot lock data directory ${absolute}: ${String(cause)}`, { cause });
  }
  // Held for as long as the process lives or until release; it must not keep the process alive by itself.
  server.unref();
  server.on('error', () => undefined);
  const holder: DirectoryHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  await writeFile(holderFile(absolute), `${JSON.stringify(holder)}\n`).catch(() => undefined);
  let released: Promise<void> | undefined;
  return {
    release: () => (released ??= release(server, absolute)),
  };
}

async function release(server: Server, dir: string): Promise<void> {
  // The holder file goes first, while the lock still keeps a next holder from writing its own.
  const current = await readHolder(dir);
  if (current?.pid === process.pid) await rm(holderFile(dir), { force: true }).catch(() => undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The message for a directory another process holds, naming that process when its holder file is current. */
async function lockedMessage(dir: string): Promise<string> {
  const holder = await readHolder(dir);
  const who = holder && isAlive(holder.pid)
    ? `process ${holder.pid} (${holder.command}, started ${holder.startedAt})`
    : 'another process';
  return `the data directory ${dir} is in use by ${who}; the embedded database is opened by one process at a time: wait for it to finish, or give another data directory (--data-dir), or use PostgreSQL (DATABASE_URL)`;
}

async function readHolder(dir: string): Promise<DirectoryHolder | undefined> {
  try {
    const value = JSON.parse(await readFile(holderFile(dir), 'utf8')) as Partial<DirectoryHolder>;
    if (!Number.isSafeInteger(value.pid) || typeof value.command !== 'string' || typeof value.startedAt !== 'string') return undefined;
    return { pid: value.pid!, command: value.command.slice(0, 200), startedAt: value.startedAt.slice(0, 40) };
  } catch {
    return undefined;
  }
}

/** Whether a process with `pid` exists (EPERM: it does, under another user). */
function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function defaultCommand(): string {
  return path.basename(process.argv[1] ?? 'node');
}
