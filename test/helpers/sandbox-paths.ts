/**
 * Paths a test hands to the sandbox. As root, the sandbox runs under an unprivileged host uid that cannot enter a
 * checkout in a private directory (under /root, or in a 0700 `mktemp -d`); `test/global-setup.ts` finds a root
 * that uid can traverse and, when the checkout is out of its reach, copies the fixtures there.
 */
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** test/fixtures, or its copy the sandbox can read. */
    sandboxFixtures: string;
    /** A directory (0755) every user can traverse, for the suite's temporary directories and package caches. */
    sandboxTemp: string;
  }
}

/** `test/fixtures/<relative>` as the sandbox can read it: in the checkout, or its copy when the checkout is out of reach. */
export function sandboxFixture(relative: string): string {
  return path.join(inject('sandboxFixtures'), relative);
}

/**
 * A new directory made as `mkdtemp` makes one (0700), below a root the sandbox's uid can traverse: chmod it 0755
 * where the sandbox must read it (a package cache), as under `os.tmpdir()` before.
 */
export function sandboxTempDir(prefix: string): string {
  return mkdtempSync(path.join(inject('sandboxTemp'), prefix));
}
