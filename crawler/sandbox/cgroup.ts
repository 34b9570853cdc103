/**
 * One control group per sandbox, so that the memory and the processes of a server's whole process tree are bounded
 * together: resource limits (RLIMIT_*) bound each process alone, and a server that forks multiplies them.
 *
 * A session's group is `<the crawler's own group>/mcp-catalogue/<crawler pid>-<n>`, created when the sandbox starts
 * and removed when it has ended (what is left in it is killed first). The sandbox's first process enters the group
 * before it runs bubblewrap (`sandbox.ts`), so every process of the tree is born inside it. Two kinds of hierarchy:
 *
 * - cgroup v2 (the unified hierarchy): the group gets `memory.max`, `memory.swap.max` 0 and `pids.max`; hits are read
 *   from `memory.events` (`oom_kill`) and `pids.events` (`max`). The crawler's own group must offer the `memory` and
 *   `pids` controllers, and since v2 lets only a group without processes hand them down, the crawler moves itself
 *   into a leaf `<own>/crawler` when it is alone in its group (a systemd unit with `Delegate=yes`, or
 *   `systemd-run --scope -p Delegate=yes`). A group shared with other processes (a login shell's) is left alone.
 * - cgroup v1 (legacy or hybrid mounts, where the `memory` and `pids` controllers sit on their own hierarchies): the
 *   group is made in both, with `memory.limit_in_bytes` (and `memory.memsw.limit_in_bytes` when swap is accounted)
 *   and `pids.max`; hits are read from `memory.oom_control` (`oom_kill`) and `pids.events` (`max`).
 *
 * Only root can do this. Anywhere else (not root, no controllers, a read-only mount) {@link cgroupSupport} says why,
 * and the sandbox keeps its per-process limits alone.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Name of the folder under the crawler's own group that holds the sessions' groups. */
const SESSIONS_FOLDER = 'mcp-catalogue';

/** Limits of one sandbox's whole process tree. */
export interface TreeLimits {
  /** Memory of every process of the tree together, their tmpfs files included, bytes. */
  memoryBytes: number;
  /** Processes and threads of the tree together. */
  processes: number;
}

/** Which limit of {@link TreeLimits} the tree reached, with its value. */
export interface TreeLimitHit {
  kind: 'memory' | 'processes';
  /** The limit: bytes for memory, a count for processes. */
  limit: number;
}

/** Where session groups are made, or why none can be. */
export type CgroupSupport =
  | { kind: 'v2'; parent: string }
  | { kind: 'v1'; memoryParent: string; pidsParent: string }
  | { kind: 'none'; why: string };

interface Mount {
  /** The hierarchy's path that is mounted (`/` unless a container mounts only its part). */
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
  readOnly: boolean;
}

/** The cgroup and cgroup2 mounts of `/proc/self/mountinfo` (`proc(5)`: fields, then `-`, type, source, options). */
function cgroupMounts(mountinfo: string): Mount[] {
  const out: Mount[] = [];
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6) continue;
    const fsType = fields[dash + 1] ?? '';
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    out.push({
      root: unescape(fields[3]!), mountPoint: unescape(fields[4]!), fsType,
      superOptions: (fields[dash + 3] ?? '').split(','), readOnly: fields[5]!.split(',').includes('ro'),
    });
  }
  return out;
}

/** The directory of cgroup path `groupPath` under `mount`, or null when the mount does not show it. */
function directoryOf(mount: Mount, groupPath: string): string | null {
  if (mount.root === '/') return path.join(mount.mountPoint, groupPath);
  if (groupPath !== mount.root && !groupPath.startsWith(`${mount.root}/`)) return null;
  return path.join(mount.mountPoint, groupPath.slice(mount.root.length));
}

/**
 * Finds the crawler's own groups and prepares the folder sessions are made in. Never throws: anything that fails
 * gives `{ kind: 'none', why }`.
 */
export function detectCgroupSupport(): CgroupSupport {
  if (process.getuid?.() !== 0) return { kind: 'none', why: 'the crawler is not root, so it cannot make control groups' };
  let mounts: Mount[];
  let own: Array<{ controllers: string[]; path: string }>;
  try {
    mounts = cgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
    own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').filter(Boolean).map((line) => {
      const [, controllers = '', groupPath = '/'] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
      return { controllers: controllers.split(',').filter(Boolean), path: groupPath };
    });
  } catch (error) {
    return { kind: 'none', why: `the crawler's control groups could not be read: ${(error as Error).message}` };
  }
  const reasons: string[] = [];
  const unified = mounts.find((m) => m.fsType === 'cgroup2' && !m.readOnly);
  const unifiedPath = own.find((g) => g.controllers.length === 0)?.path;
  if (unified && unifiedPath !== undefined) {
    const dir = directoryOf(unified, unifiedPath);
    const v2 = dir === null ? `its cgroup2 group ${unifiedPath} is not under the mount` : prepareV2(dir);
    if (typeof v2 !== 'string') return v2;
    reasons.push(v2);
  }
  const v1Parent = (controller: 'memory' | 'pids'): string => {
    const mount = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes(controller) && !m.readOnly);
    const group = own.find((g) => g.controllers.includes(controller));
    if (!mount || !group) throw new Error(`no writable cgroup v1 ${controller} hierarchy`);
    const dir = directoryOf(mount, group.path);
    if (dir === null) throw new Error(`its ${controller} group ${group.path} is not under the mount`);
    const parent = path.join(dir, SESSIONS_FOLDER);
    mkdirSync(parent, { recursive: true });
    return parent;
  };
  try {
    const support = { kind: 'v1' as const, memoryParent: v1Parent('memory'), pidsParent: v1Parent('pids') };
    for (const parent of [support.memoryParent, support.pidsParent]) removeStaleSessions(parent);
    return support;
  } catch (error) {
    reasons.push(`cgroup v1: ${(error as Error).message}`);
  }
  return { kind: 'none', why: reasons.join('; ') };
}

/** Prepares `<own>/mcp-catalogue` with the memory and pids controllers in a v2 hierarchy; a string says why not. */
function prepareV2(own: string): CgroupSupport | string {
  try {
    const available = readFileSync(path.join(own, 'cgroup.controllers'), 'utf8').split(/\s+/);
    if (!available.includes('memory') || !available.includes('pids')) {
      return `cgroup v2: the memory and pids controllers are not offered to ${own} (it has: ${available.join(' ').trim() || 'none'})`;
    }
    if (!enableControllers(own)) {
      const members = readFileSync(path.join(own, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
      if (members.some((pid) => Number(pid) !== process.pid)) {
        return `cgroup v2: ${own} holds other processes than the crawler, so it cannot hand controllers down; run the crawler in a group of its own (systemd-run --scope -p Delegate=yes …)`;
      }
      const leaf = path.join(own, 'crawler');
      mkdirSync(leaf, { recursive: true });
      writeFileSync(path.join(leaf, 'cgroup.procs'), String(process.pid));
      if (!enableControllers(own)) return `cgroup v2: the memory and pids controllers could not be enabled below ${own}`;
    }
    const parent = path.join(own, SESSIONS_FOLDER);
    mkdirSync(parent, { recursive: true });
    if (!enableControllers(parent)) return `cgroup v2: the memory and pids controllers could not be enabled below ${parent}`;
    removeStaleSessions(parent);
    return { kind: 'v2', parent };
  } catch (error) {
    return `cgroup v2: ${(error as Error).message}`;
  }
}

/** Writes `+memory +pids` to `dir`'s `cgroup.subtree_control`; false when the kernel refuses (EBUSY: it has processes). */
function enableControllers(dir: string): boolean {
  try {
    const enabled = readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/);
    if (enabled.includes('memory') && enabled.includes('pids')) return true;
    writeFileSync(path.join(dir, 'cgroup.subtree_control'), '+memory +pids');
    return true;
  } catch {
    return false;
  }
}

/** Removes the session groups of crawler processes that are gone (a crawler killed before it could clean up). */
function removeStaleSessions(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(/^(\d+)-\d+$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    killMembers(path.join(parent, name));
    try {
      rmdirSync(path.join(parent, name));
    } catch {
      // still emptying; the next crawler tries again
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGKILL to every process of the group at `dir` (`cgroup.kill` where the kernel has it, else one by one). */
function killMembers(dir: string): void {
  try {
    writeFileSync(path.join(dir, 'cgroup.kill'), '1');
    return;
  } catch {
    // cgroup v1, or a kernel before 5.14
  }
  let pids: string[];
  try {
    pids = readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

let support: CgroupSupport | undefined;

/** {@link detectCgroupSupport} for this process, detected once. */
export function cgroupSupport(): CgroupSupport {
  support ??= detectCgroupSupport();
  return support;
}

let sessions = 0;

/** A session's group: made by {@link SessionCgroup.create}, entered by the sandbox's first process, removed after. */
export class SessionCgroup {
  /** The `cgroup.procs` files the sandbox's first process writes its pid to (one per hierarchy). */
  readonly procsFiles: string[];
  readonly #dirs: string[];
  readonly #kind: 'v1' | 'v2';
  readonly #limits: TreeLimits;
  #hit: TreeLimitHit | null = null;
  #removed = false;

  private constructor(kind: 'v1' | 'v2', dirs: string[], limits: TreeLimits) {
    this.#kind = kind;
    this.#dirs = dirs;
    this.#limits = limits;
    this.procsFiles = dirs.map((d) => path.join(d, 'cgroup.procs'));
  }

  /**
   * Makes a group with `limits` under the crawler's own groups, or returns null when control groups cannot be used
   * here ({@link cgroupSupport} says why).
   * @throws Error when the group or one of its limits cannot be written although control groups are in use.
   */
  static create(limits: TreeLimits, where: CgroupSupport = cgroupSupport()): SessionCgroup | null {
    if (where.kind === 'none') return null;
    sessions += 1;
    const name = `${process.pid}-${sessions}`;
    const dirs = where.kind === 'v2' ? [path.join(where.parent, name)] : [path.join(where.memoryParent, name), path.join(where.pidsParent, name)];
    const made: string[] = [];
    try {
      for (const dir of dirs) {
        mkdirSync(dir);
        made.push(dir);
      }
      const memoryDir = dirs[0]!;
      const pidsDir = dirs.at(-1)!;
      const bytes = String(Math.floor(limits.memoryBytes));
      if (where.kind === 'v2') {
        writeFileSync(path.join(memoryDir, 'memory.max'), bytes);
        tryWrite(path.join(memoryDir, 'memory.swap.max'), '0');
      } else {
        writeFileSync(path.join(memoryDir, 'memory.limit_in_bytes'), bytes);
        tryWrite(path.join(memoryDir, 'memory.memsw.limit_in_bytes'), bytes);
      }
      writeFileSync(path.join(pidsDir, 'pids.max'), String(Math.floor(limits.processes)));
    } catch (error) {
      for (const dir of made) tryRmdir(dir);
      throw error;
    }
    return new SessionCgroup(where.kind, dirs, limits);
  }

  /**
   * The tree limit the group's processes reached (the kernel's OOM killer ran in it, or a fork was refused at
   * `pids.max`), memory first; null when neither. Still answers after {@link remove}, from what it read then.
   */
  hit(): TreeLimitHit | null {
    if (this.#removed) return this.#hit;
    const memoryDir = this.#dirs[0]!;
    const pidsDir = this.#dirs.at(-1)!;
    const memoryFile = this.#kind === 'v2' ? 'memory.events' : 'memory.oom_control';
    if (counter(path.join(memoryDir, memoryFile), 'oom_kill') > 0) return { kind: 'memory', limit: this.#limits.memoryBytes };
    if (counter(path.join(pidsDir, 'pids.events'), 'max') > 0) return { kind: 'processes', limit: this.#limits.processes };
    return null;
  }

  /**
   * Reads {@link hit} one last time, kills whatever is left in the group and removes it, trying again for up to
   * `waitMs` while the kernel finishes with exiting processes. The first try is synchronous, so a group whose
   * processes are gone is removed even if the crawler exits right after. Never throws; a group it could not remove
   * is left for the next crawler's clean-up.
   * @returns whether every directory of the group is gone.
   */
  async remove(waitMs = 5000): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    while (!this.#removeOnce()) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  /** {@link remove}, waiting synchronously (for a sandbox run with spawnSync, whose processes are already ending). */
  removeSync(waitMs = 1000): boolean {
    const deadline = Date.now() + waitMs;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!this.#removeOnce()) {
      if (Date.now() >= deadline) return false;
      Atomics.wait(pause, 0, 0, 20);
    }
    return true;
  }

  #removeOnce(): boolean {
    if (!this.#removed) this.#hit = this.hit();
    this.#removed = true;
    let left = 0;
    for (const dir of this.#dirs) {
      killMembers(dir);
      if (!tryRmdir(dir)) left += 1;
    }
    return left === 0;
  }
}

/** The value of `key` in a flat-keyed cgroup file (`key value` lines); 0 when absent or unreadable. */
function counter(file: string, key: string): number {
  try {
    const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function tryWrite(file: string, value: string): void {
  try {
    appendFileSync(file, value);
  } catch {
    // an optional limit this kernel or hierarchy does not have (no swap accounting)
  }
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
