/**
 * Finds the file that starts a package's server: its `bin` (the one named like the package, else the only one, else
 * one whose name mentions "mcp", else the first by name), else `main`, else `index.js`; and, for a package whose
 * chosen bin turns out to be a CLI, the other bins that name themselves a server ({@link otherServerBins}).
 * Source: npm package.json docs (`bin` as a string or a name→path map; `main` defaults to `index.js`).
 */
import { readdir, stat } from 'node:fs/promises';
import { CRAWLER_NOTE } from '../../session/failure.ts';
import path from 'node:path';

export interface EntryPoint {
  /** Path relative to the package directory, forward slashes. */
  file: string;
  /** Where it came from. */
  from: 'bin' | 'main' | 'index.js';
  /** The bin's name when `from` is "bin". */
  binName?: string;
}

interface EntryFields {
  name: string;
  bin?: string | Record<string, string>;
  main?: string;
}

function pickBin(name: string, bin: string | Record<string, string>): { binName: string; file: string } | null {
  const unscoped = name.replace(/^@[^/]+\//, '');
  if (typeof bin === 'string') return { binName: unscoped, file: bin };
  const names = Object.keys(bin).sort();
  const chosen =
    names.find((n) => n === unscoped) ??
    (names.length === 1 ? names[0] : undefined) ??
    names.find((n) => /mcp/i.test(n)) ??
    names[0];
  return chosen !== undefined && typeof bin[chosen] === 'string' ? { binName: chosen, file: bin[chosen] } : null;
}

async function isFileInside(root: string, relative: string): Promise<string | null> {
  const absolute = path.resolve(root, relative);
  if (absolute !== root && !absolute.startsWith(root + path.sep)) return null;
  for (const candidate of [absolute, `${absolute}.js`, `${absolute}.cjs`, `${absolute}.mjs`, path.join(absolute, 'index.js')]) {
    try {
      if ((await stat(candidate)).isFile()) return path.relative(root, candidate).split(path.sep).join('/');
    } catch {
      // try the next candidate
    }
  }
  return null;
}

/** Returns the entry point, or null when the package has nothing to start (a library with no CLI). */
export async function findEntryPoint(packageDir: string, fields: EntryFields): Promise<EntryPoint | null> {
  const root = path.resolve(packageDir);
  if (fields.bin !== undefined) {
    const picked = pickBin(fields.name, fields.bin);
    const file = picked ? await isFileInside(root, picked.file) : null;
    if (picked && file) return { file, from: 'bin', binName: picked.binName };
  }
  if (fields.main) {
    const file = await isFileInside(root, fields.main);
    if (file) return { file, from: 'main' };
  }
  const index = await isFileInside(root, 'index.js');
  return index ? { file: index, from: 'index.js' } : null;
}

/** Bin names that say they start the MCP server, in the order they are tried: a stdio switch, then "mcp", then "server". */
const SERVER_BIN_NAMES = [/stdio/i, /mcp/i, /server/i];

/**
 * The package's other bins that may start its MCP server when the chosen one did not: those whose name mentions
 * "stdio", "mcp" or "server" (in that order of preference, then by name), that resolve inside the package to a file
 * other than `chosen.file`, one per file, at most `max`. A package such as `x-mcp-server` whose `x-mcp-server` bin is
 * a Git CLI and whose `x-mcp-server-mcp` bin is the server is the case this is for.
 * @param max Most entries returned. @default 2
 */
export async function otherServerBins(packageDir: string, fields: EntryFields, chosen: EntryPoint, max = 2): Promise<EntryPoint[]> {
  if (fields.bin === undefined || typeof fields.bin === 'string') return [];
  const root = path.resolve(packageDir);
  const rank = (n: string) => SERVER_BIN_NAMES.findIndex((re) => re.test(n));
  const names = Object.keys(fields.bin)
    .filter((n) => n !== chosen.binName && rank(n) >= 0)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: EntryPoint[] = [];
  const seen = new Set([chosen.file]);
  for (const binName of names) {
    if (out.length >= max) break;
    const target = fields.bin[binName];
    const file = typeof target === 'string' ? await isFileInside(root, target) : null;
    if (!file || seen.has(file)) continue;
    seen.add(file);
    out.push({ file, from: 'bin', binName });
  }
  return out;
}

/**
 * The record of a package with no entry point ({@link findEntryPoint} returned null), in place of a stderr tail: what
 * its package.json says of `bin`, `main` and `exports` (each cut to 300 characters of JSON) and the names at its top
 * level (at most 40, folders with a trailing slash), as lines marked {@link CRAWLER_NOTE}.
 */
export async function entryPointReport(packageDir: string, fields: EntryFields & { exports?: unknown }): Promise<string> {
  const show = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value).slice(0, 300));
  const lines = [
    `${CRAWLER_NOTE} nothing to start: package.json "bin" ${show(fields.bin)}, "main" ${show(fields.main)}, "exports" ${show(fields.exports)}; no index.js at the top`,
  ];
  const entries = await readdir(packageDir, { withFileTypes: true }).catch(() => []);
  const names = entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
  lines.push(`${CRAWLER_NOTE} the package holds: ${names.slice(0, 40).join(', ')}${names.length > 40 ? `, and ${names.length - 40} more` : ''}`);
  return lines.join('\n');
}
