/**
 * Host uids for sandboxes, unique across every crawler process of the machine. A root crawler starts each sandbox
 * under its own unprivileged host uid, since the kernel counts RLIMIT_NPROC per real uid and does not enforce it for
 * root. Two sandboxes that shared a uid would share one process count: one server's fork bomb would starve the
 * other, and both would be able to signal and trace each other's processes.
 *
 * A uid is claimed with a file in a directory every crawler of the machine shares ({@link HOST_UID_CLAIMS_DIR}), named
 * `<uid>.<pid>.<start time>`: the claiming process and its start time (`/proc/<pid>/stat`, field 22), so a claim
 * outlives neither its process nor a later process that reuses the pid. To claim, a crawler creates its claim file,
 * then lists the uid's claims: when it sees a live claim other than its own it withdraws and tries the next uid, and
 * claims of dead processes are deleted. Of two crawlers that race for one uid, the one that lists last sees the other,
 * so at most one keeps it (both may withdraw; they then try other uids). A uid some process still runs as (a crawler
 * of an older version, a process left behind) is skipped too.
 *
 * Deriving the uid from the crawler's pid would need no files, but it spreads the uids over the pid range
 * (`pid_max` × sandboxes per crawler), far above the compact range that other tools' subordinate-uid ranges avoid,
 * and a dead crawler's uid would be handed to a new process with its pid while a sandbox it left might still run.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** First host uid (and gid) sandboxes run under when the crawler is root. */
export const SANDBOX_HOST_UID_BASE = 1_800_000;
/**
 * The host uid (and gid) npm's installs run under when the crawler is root (`SandboxSpec.hostUid`): one for all of
 * them, since they run no code of a package and share npm's cache, which this uid owns. It lies just below the pool's
 * range, and a pool never hands it out, whatever its range, so no server ever runs as it.
 */
export const INSTALL_HOST_UID = SANDBOX_HOST_UID_BASE - 1;
/** How many uids the pool has, from {@link SANDBOX_HOST_UID_BASE} up. @default 65536 */
export const SANDBOX_HOST_UID_COUNT = 65_536;
/** Where every crawler of the machine keeps its claims (created 0700, root's). */
export const HOST_UID_CLAIMS_DIR = '/run/mcp-catalogue/uids';

/** The start time of process `pid` in clock ticks since boot (`/proc/<pid>/stat` field 22), or null when gone. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Host uids in the pool's range that some process runs as now (the owners of `/proc/<pid>`). */
function uidsRunning(base: number, count: number): Set<number> {
  const out = new Set<number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { uid } = statSync(`/proc/${entry}`);
      if (uid >= base && uid < base + count) out.add(uid);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** A claim file's name parts, or null for a name that is not one. */
function parseClaim(name: string): { uid: number; pid: number; start: string } | null {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(name);
  return match ? { uid: Number(match[1]), pid: Number(match[2]), start: match[3]! } : null;
}

/** Whether the process of a claim is still the one that made it. */
function claimIsLive(claim: { pid: number; start: string }): boolean {
  return startTime(claim.pid) === claim.start;
}

/**
 * A pool of host uids shared with every other crawler process that uses the same claims directory.
 * Synchronous: it runs as a sandbox starts, in a few file operations.
 */
export class HostUidPool {
  readonly #dir: string;
  readonly #base: number;
  readonly #count: number;
  readonly #self: { pid: number; start: string };
  readonly #held = new Set<number>();

  /**
   * @param dir the claims directory, created (0700) if missing. @default {@link HOST_UID_CLAIMS_DIR}
   * @param range the uids to hand out. @default {@link SANDBOX_HOST_UID_BASE}, {@link SANDBOX_HOST_UID_COUNT}
   */
  constructor(dir = HOST_UID_CLAIMS_DIR, range: { base?: number; count?: number } = {}) {
    this.#dir = dir;
    this.#base = range.base ?? SANDBOX_HOST_UID_BASE;
    this.#count = range.count ?? SANDBOX_HOST_UID_COUNT;
    this.#self = { pid: process.pid, start: startTime(process.pid) ?? '0' };
  }

  /**
   * Claims a uid no other sandbox of this machine runs under, lowest first; never {@link INSTALL_HOST_UID}.
   * @throws Error when the claims directory cannot be written, or every uid of the range is taken.
   */
  acquire(): number {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const running = uidsRunning(this.#base, this.#count);
    const claimed = this.#liveClaims();
    for (let uid = this.#base; uid < this.#base + this.#count; uid += 1) {
      if (uid === INSTALL_HOST_UID || this.#held.has(uid) || running.has(uid) || claimed.has(uid)) continue;
      if (this.#claim(uid)) {
        this.#held.add(uid);
        return uid;
      }
    }
    throw new Error(`no free sandbox uid from ${this.#base} to ${this.#base + this.#count - 1} (claims in ${this.#dir})`);
  }

  /** Gives `uid` back: its claim file is deleted. Releasing a uid not held does nothing. */
  release(uid: number): void {
    if (!this.#held.delete(uid)) return;
    try {
      unlinkSync(path.join(this.#dir, this.#claimName(uid)));
    } catch {
      // already gone
    }
  }

  #claimName(uid: number): string {
    return `${uid}.${this.#self.pid}.${this.#self.start}`;
  }

  /** Uids with a live claim; claims of dead processes are deleted on the way. */
  #liveClaims(): Set<number> {
    const out = new Set<number>();
    for (const name of readdirSync(this.#dir)) {
      const claim = parseClaim(name);
      if (!claim) continue;
      if (claimIsLive(claim)) out.add(claim.uid);
      else this.#unlinkQuietly(name);
    }
    return out;
  }

  /** Creates this process's claim of `uid`, and keeps it only if no other live claim of `uid` exists. */
  #claim(uid: number): boolean {
    const own = this.#claimName(uid);
    let fd: number;
    try {
      fd = openSync(path.join(this.#dir, own), 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      writeSync(fd, `${this.#self.pid}\n`);
    } finally {
      closeSync(fd);
    }
    const prefix = `${uid}.`;
    let contested = false;
    for (const name of readdirSync(this.#dir)) {
      if (name === own || !name.startsWith(prefix)) continue;
      const claim = parseClaim(name);
      if (!claim || claim.uid !== uid) continue;
      if (claimIsLive(claim)) contested = true;
      else this.#unlinkQuietly(name);
    }
    if (contested) this.#unlinkQuietly(own);
    return !contested;
  }

  #unlinkQuietly(name: string): void {
    try {
      unlinkSync(path.join(this.#dir, name));
    } catch {
      // another crawler deleted it first
    }
  }
}
