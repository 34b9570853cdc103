/**
 * Source hints: what a package's own JavaScript, Python, package.json and README say about the configuration it reads.
 * Only reads files; never runs anything.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ownSourceFiles } from '../package-files.ts';
import { readJavaScriptHints } from './js-hints.ts';
import type { DatabaseScheme, SourceHints } from './types.ts';
import { readPythonHints } from './python-hints.ts';
import { readmeEnvNames, readReadme } from './readme.ts';

const MAX_SOURCE_BYTES = 24 * 1024 * 1024;
const MAX_SOURCE_FILES = 4000;

/** Drivers, by module name, in the order a placeholder prefers them: SQLite first, as its file opens offline. */
const DRIVERS: Array<[RegExp, DatabaseScheme]> = [
  [/^(?:node:sqlite|better-sqlite3|sqlite3|sqlite|@libsql\/client|sql\.js|aiosqlite)$/, 'sqlite'],
  [/^(?:pg|postgres|pg-promise|@neondatabase\/serverless|@vercel\/postgres|psycopg|psycopg2|asyncpg|pg8000)$/, 'postgresql'],
  [/^(?:mysql|mysql2|mariadb)(?:\/promise)?$|^(?:pymysql|aiomysql|MySQLdb)$/, 'mysql'],
  [/^(?:mongodb|mongoose|pymongo|motor)$/, 'mongodb'],
  [/^(?:redis|ioredis|@redis\/client|aioredis)$/, 'redis'],
];


async function readPackageDependencies(packageDir: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    return ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((field) => {
      const deps = manifest[field];
      return typeof deps === 'object' && deps !== null ? Object.keys(deps) : [];
    });
  } catch {
    return [];
  }
}

/**
 * Reads the package's own JavaScript and Python (not its dependencies'; at most 4,000 files and 24 MiB, files over
 * 4 MiB skipped), its package.json and its README (the first 512 KiB) for the environment it reads and the database
 * drivers it uses. From the README only variable names are taken, from client configurations (`"env": {…}`) and
 * shell lines ({@link readmeEnvNames}); their example values are never used.
 */
export async function readSourceHints(packageDir: string): Promise<SourceHints> {
  const hints: SourceHints = { envNames: new Set(), numeric: new Set(), prefixes: new Map(), databaseSchemes: [] };
  const modules = new Set(await readPackageDependencies(packageDir));
  let bytes = 0;
  let files = 0;
  for await (const file of ownSourceFiles(packageDir, 0, { extensions: /\.(?:[cm]?js|py)$/ })) {
    if (++files > MAX_SOURCE_FILES || bytes > MAX_SOURCE_BYTES) break;
    const size = (await stat(file)).size;
    if (size > 4 * 1024 * 1024) continue;
    bytes += size;
    const text = await readFile(file, 'utf8');
    if (file.endsWith('.py')) readPythonHints(text, hints, modules);
    else readJavaScriptHints(text, hints, modules);
  }
  for (const name of readmeEnvNames(await readReadme(packageDir))) hints.envNames.add(name);
  for (const [pattern, scheme] of DRIVERS) {
    if ([...modules].some((m) => pattern.test(m))) hints.databaseSchemes.push(scheme);
  }
  return hints;
}
