/**
 * Host uids of sandboxes are unique across crawler processes (`crawler/sandbox/host-uid.ts`): two crawlers on one
 * machine never run sandboxes under the same uid, so they never share one RLIMIT_NPROC count.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { HostUidPool, INSTALL_HOST_UID, SANDBOX_HOST_UID_BASE } from '../crawler/sandbox/host-uid.ts';
import { sandboxFixture } from './helpers/sandbox-paths.ts';

const root = process.getuid?.() === 0;
const holder = path.join(import.meta.dirname, 'helpers/hold-sandboxes.ts');

/** Starts a crawler-like process holding `count` sandboxes; resolves with their host uids and a way to end it. */
function holdSandboxes(count: number): Promise<{ uids: number[]; end: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, String(count), sandboxFixture('servers/hostile')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    createInterface({ input: child.stdout }).once('line', (line) => {
      resolve({ uids: JSON.parse(line) as number[], end: () => (child.stdin.end(), exited) });
    });
  });
}

/** `/proc/<pid>/stat` field 22, as the pool reads it. */
function startTime(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

describe.runIf(root)('sandbox host uids across crawler processes', () => {
  it('never hands two crawler processes the same uid', async () => {
    const [a, b] = await Promise.all([holdSandboxes(3), holdSandboxes(3)]);
    try {
      expect(a.uids.every((uid) => uid >= SANDBOX_HOST_UID_BASE)).toBe(true);
      expect(b.uids.every((uid) => uid >= SANDBOX_HOST_UID_BASE)).toBe(true);
      expect(new Set([...a.uids, ...b.uids]).size).toBe(6);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  }, 60_000);
});

describe('the host uid pool', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const range = { base: 2_900_000, count: 16 };

  it('skips a uid another live process claimed, takes over a dead process\'s claim, and gives uids back', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-uids-'));
    // The parent process (vitest's) is alive: its claim holds. A pid past pid_max is no process: its claim is stale.
    writeFileSync(path.join(dir, `${range.base}.${process.ppid}.${startTime(process.ppid)}`), '');
    writeFileSync(path.join(dir, `${range.base + 1}.${process.ppid}.1`), ''); // the parent's pid, another start time: a reused pid
    writeFileSync(path.join(dir, `${range.base + 2}.99999999.5`), '');
    const pool = new HostUidPool(dir, range);
    expect(pool.acquire()).toBe(range.base + 1);
    expect(pool.acquire()).toBe(range.base + 2);
    expect(readdirSync(dir).sort()).toEqual([`${range.base}.${process.ppid}.${startTime(process.ppid)}`, `${range.base + 1}.${process.pid}.${startTime(process.pid)}`, `${range.base + 2}.${process.pid}.${startTime(process.pid)}`].sort());
    pool.release(range.base + 1);
    expect(new HostUidPool(dir, range).acquire()).toBe(range.base + 1);
  });

  it('refuses when every uid is claimed', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-uids-'));
    const pool = new HostUidPool(dir, { base: range.base, count: 2 });
    pool.acquire();
    pool.acquire();
    expect(() => pool.acquire()).toThrow(/no free sandbox uid from 2900000 to 2900001/);
  });

  it('never hands out the install uid, even when its range holds it', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-uids-'));
    // Other crawlers of the machine may run sandboxes under the uids just above it, which the pool skips too.
    const pool = new HostUidPool(dir, { base: INSTALL_HOST_UID, count: 256 });
    const uids = [pool.acquire(), pool.acquire()];
    expect(uids.every((uid) => uid > INSTALL_HOST_UID)).toBe(true);
    expect(() => new HostUidPool(dir, { base: INSTALL_HOST_UID, count: 1 }).acquire()).toThrow(/no free sandbox uid from 1799999 to 1799999/);
  });

  it.runIf(root)('skips a uid some process runs as, even without a claim', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-uids-'));
    const squatter = spawn('/usr/bin/sleep', ['30'], { uid: range.base, gid: range.base, stdio: 'ignore' });
    try {
      await new Promise((resolve) => squatter.once('spawn', resolve));
      expect(new HostUidPool(dir, range).acquire()).toBe(range.base + 1);
    } finally {
      squatter.kill('SIGKILL');
    }
  });
});
