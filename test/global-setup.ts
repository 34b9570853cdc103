/**
 * Makes the suite run from any checkout. As root, the sandbox runs under an unprivileged host uid
 * (`crawler/sandbox.ts`), which cannot enter a checkout in a private directory (under /root, or in a 0700
 * `mktemp -d`). Before any test, this finds a root that uid can traverse, the way the command line places its package
 * cache (`scripts/sandbox-reach.ts`): a new 0755 directory under `os.tmpdir()`, or its stand-in under
 * /var/cache/mcp-catalogue when the temporary directory is private too. Tests make their package caches and
 * temporary directories there (`test/helpers/sandbox-paths.ts`). When the sandbox cannot read `test/fixtures` in
 * the checkout, the fixtures are copied below that root (directories 0755, files 0644, executables 0755) and the
 * tests read the copy. Everything is removed at the end.
 */
import { chmodSync, cpSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { SandboxUnavailableError } from '../crawler/errors.ts';
import { reachableDir, sandboxReaches } from '../scripts/sandbox-reach.ts';

const BWRAP = 'bwrap';
const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
const HOW_TO_FIX =
  "Every directory above TMPDIR must be searchable by others (chmod o+x), or set TMPDIR to such a directory (e.g. TMPDIR=/tmp); as root, /var/cache/mcp-catalogue must be writable.";

export default async function setup(project: TestProject): Promise<() => void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mcp-catalogue-test-'));
  chmodSync(scratch, 0o755);
  const made = [scratch];
  let root = scratch;
  let fixtures = FIXTURES;
  let sandboxStarts = true;
  try {
    const reached = await reachableDir(BWRAP, scratch);
    root = reached.dir;
    if (reached.moved) {
      made.push(root);
      note(`the sandbox's unprivileged uid cannot reach ${tmpdir()}; test caches go to ${root}`);
    }
  } catch (error) {
    if (!(error instanceof SandboxUnavailableError) || error.reason === 'unreachable') {
      rmSync(scratch, { recursive: true, force: true });
      throw new Error(`test set-up: no directory the sandbox's uid can reach for the test caches. ${HOW_TO_FIX}`, { cause: error });
    }
    // No bubblewrap or no namespaces: the sandbox's own tests say so; the rest of the suite runs.
    sandboxStarts = false;
    note(`the sandbox cannot start, so the fixtures stay where they are: ${error.message}`);
  }

  if (sandboxStarts && !sandboxReaches(BWRAP, FIXTURES)) {
    fixtures = path.join(root, 'fixtures');
    cpSync(FIXTURES, fixtures, { recursive: true });
    openToOthers(fixtures);
    if (!sandboxReaches(BWRAP, fixtures)) throw new Error(`test set-up: the sandbox's uid cannot read the fixtures copied to ${fixtures}. ${HOW_TO_FIX}`);
    note(`the sandbox's unprivileged uid cannot reach ${FIXTURES}; the tests read a copy in ${fixtures}`);
  }

  project.provide('sandboxFixtures', fixtures);
  project.provide('sandboxTemp', root);
  return () => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  };
}

/** Directories 0755, files 0644, or 0755 when any execute bit is set; symbolic links as they are. */
function openToOthers(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) openToOthers(file);
    else if (entry.isFile()) chmodSync(file, lstatSync(file).mode & 0o111 ? 0o755 : 0o644);
  }
}

function note(message: string): void {
  console.log(`[test set-up] ${message}`);
}
