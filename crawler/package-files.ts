/** Walking a package's own files (never its dependencies'), for the readers that look at source without running it. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface SourceFileOptions {
  /** File names to yield. @default `/\.(?:[cm]?js)$/` (JavaScript) */
  extensions?: RegExp;
  /**
   * Also skip test code: folders named `__tests__`, `__mocks__`, `__fixtures__`, `test`, `tests`, `spec`, `e2e`
   * and files named `*.test.*` or `*.spec.*`. @default false
   */
  skipTests?: boolean;
}

const TEST_FOLDER = /^(?:__tests__|__mocks__|__fixtures__|tests?|specs?|e2e)$/;
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;

/**
 * Yields the files below `dir` whose names match `options.extensions` (JavaScript by default: `.js`, `.cjs`,
 * `.mjs`), in name order, skipping `node_modules`, dot folders and symbolic links, at most 8 folders deep.
 */
export async function* ownSourceFiles(dir: string, depth = 0, options: SourceFileOptions = {}): AsyncGenerator<string> {
  if (depth > 8) return;
  const extensions = options.extensions ?? /\.(?:[cm]?js)$/;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.isSymbolicLink()) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      if (options.skipTests && TEST_FOLDER.test(entry.name)) continue;
      yield* ownSourceFiles(full, depth + 1, options);
    } else if (entry.isFile() && extensions.test(entry.name)) {
      if (options.skipTests && TEST_FILE.test(entry.name)) continue;
      yield full;
    }
  }
}
