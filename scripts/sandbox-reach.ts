/**
 * Directories the sandbox must read, and where they go when it cannot. Running as root, the sandbox starts under an
 * unprivileged host uid (`crawler/sandbox.ts`), which cannot enter a checkout or data directory under /root or in a
 * 0700 temporary directory. One mechanism for the command line's package cache and the test suite's fixtures and
 * caches (`test/global-setup.ts`).
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { checkSandbox, SandboxUnavailableError } from '../crawler/index.ts';

/** Where a directory out of the sandbox's reach moves (a checkout under /root). */
export const ROOT_CACHE_FALLBACK = '/var/cache/mcp-catalogue';

/**
 * Whether the sandbox can start and read `dir`: false when its uid cannot reach it.
 * @throws SandboxUnavailableError when the sandbox cannot start at all (no bubblewrap, namespaces refused).
 */
export function sandboxReaches(bwrapPath: string, dir: string): boolean {
  try {
    checkSandbox(bwrapPath, dir);
    return true;
  } catch (error) {
    if (error instanceof SandboxUnavailableError && error.reason === 'unreachable') return false;
    throw error;
  }
}

/** Where {@link reachableDir} moves `dir` when the sandbox cannot reach it (nothing is created or checked). */
export function fallbackDir(dir: string): string {
  return path.join(ROOT_CACHE_FALLBACK, createHash('sha256').update(dir).digest('hex').slice(0, 16));
}

/**
 * Creates `dir` (0755) and returns it when the sandbox can read it. When its uid cannot reach it and `movable`,
 * returns its stand-in `<ROOT_CACHE_FALLBACK>/<hash of dir>` instead, created and checked, with `moved` set.
 * @throws SandboxUnavailableError when the sandbox cannot start, or cannot reach `dir` (not movable) or its stand-in.
 */
export async function reachableDir(bwrapPath: string, dir: string, options: { movable?: boolean } = {}): Promise<{ dir: string; moved: boolean }> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  try {
    checkSandbox(bwrapPath, dir);
    return { dir, moved: false };
  } catch (error) {
    const movable = error instanceof SandboxUnavailableError && error.reason === 'unreachable' && options.movable !== false;
    if (!movable) throw error;
  }
  const fallback = fallbackDir(dir);
  await mkdir(fallback, { recursive: true, mode: 0o755 });
  checkSandbox(bwrapPath, fallback);
  return { dir: fallback, moved: true };
}
