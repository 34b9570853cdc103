/** Walking a package's own files (never its dependencies'), for the readers that look at source without running it. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Yields the JavaScript files (`.js`, `.cjs`, `.mjs`) below `dir`, skipping `node_modules`, dot folders and symbolic
 * links, at most 8 folders deep.
 */
export async function* ownSourceFiles(dir: string, depth = 0): AsyncGenerator<string> {
  if (depth > 8) return;
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
      yield* ownSourceFiles(full, depth + 1);
    } else if (entry.isFile() && /\.(?:[cm]?js)$/.test(entry.name)) {
      yield full;
    }
  }
}
