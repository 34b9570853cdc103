/**
 * How to start a server that will not start bare: the configuration it asks for, supplied as harmless placeholders.
 *
 * Everything here only *reads* the installed package (its own JavaScript, package.json and README) and what a failed
 * start printed; the one exception, {@link readUsage}, asks the package for its `--help` inside the sandbox.
 * Placeholders are chosen so that a server can get past its start-up checks but can reach nothing: URLs and
 * connection strings point at port 9 on the sandbox's own loopback (no listener, and the sandbox has no other
 * network), a SQLite database is a new file in the sandbox's private scratch directory, keys look like keys (with
 * the prefix the source checks for) but are not, and file variables are left unset rather than invented, except for the
 * few well-known formats we write ourselves ({@link PLACEHOLDER_FILES}, a kubeconfig).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ownSourceFiles } from '../package-files.ts';
import { killSandboxed, spawnSandboxed, type SandboxSpec } from '../sandbox.ts';

/** A scratch directory inside the sandbox's private HOME, for servers that want a directory argument. */
export const SCRATCH_DIR = '/home/sandbox/scratch';
/** A URL on the sandbox's loopback that refuses connections. */
export const REFUSING_URL = 'http://127.0.0.1:9';
/** A SQLite database file a server may create in the scratch directory. */
export const SQLITE_PLACEHOLDER = `${SCRATCH_DIR}/placeholder.db`;

const ENV_NAME = String.raw`(?:\.([A-Z][A-Z0-9_]{1,63})\b|\[\s*['"]([A-Z][A-Z0-9_]{1,63})['"]\s*\])`;
const ENV_REFERENCE = new RegExp(String.raw`process\.env${ENV_NAME}`, 'g');
/** `parseInt(process.env.X`, `Number(process.env.X`: a variable read as a number. */
const NUMERIC_USE = new RegExp(String.raw`\b(?:parseInt|parseFloat|Number)\(\s*process\.env${ENV_NAME}`, 'g');
/** `process.env.X.startsWith("sk_")`: a variable whose value must carry a prefix. */
const PREFIX_CHECK = new RegExp(String.raw`process\.env${ENV_NAME}\s*\??\.startsWith\(\s*['"]([\w.:-]{1,16})['"]`, 'g');
/** Python reads: `os.environ["X"]`, `os.environ.get("X")`, `environ.setdefault("X"`, `os.getenv("X")`. */
const PY_ENV_NAME = String.raw`(?:\b(?:os\.)?environ\s*(?:\[\s*|\.get\(\s*|\.setdefault\(\s*)|\b(?:os\.)?getenv\(\s*)['"]([A-Z][A-Z0-9_]{1,63})['"]`;
const PY_ENV_REFERENCE = new RegExp(PY_ENV_NAME, 'g');
/** `int(os.getenv("X"`, `float(os.environ["X"]`: a Python variable read as a number. */
const PY_NUMERIC_USE = new RegExp(String.raw`\b(?:int|float)\(\s*${PY_ENV_NAME}`, 'g');
/** Top-level modules of Python `import a.b` and `from a.b import c` statements. */
const PY_IMPORTED = /^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b|import[ \t]+([A-Za-z_]\w*))/gm;
/** Variables a README's client configuration sets: the body of `"env": { … }`. */
const README_ENV_BLOCK = /"env"\s*:\s*\{([^{}]{0,4000})\}/g;
const README_ENV_KEY = /"([A-Z][A-Z0-9_]{1,63})"\s*:/g;
/** Variables a README's shell lines set: `export X=`, `-e X=`, `--env X=`, or `X=… npx …` at a line's start. */
const README_SHELL_ENV = /(?:^|[ \t])(?:export[ \t]+|-e[ \t]+|--env[ \t]+|(?<=^[ \t]*(?:\$[ \t]+)?))([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/gm;
/** Module specifiers of `require(...)`, `import ... from`, `import(...)`. */
const IMPORTED = /(?:\brequire\(\s*|\bfrom\s*|\bimport\(\s*)['"]((?:node:)?[@a-z0-9][\w./-]{0,100})['"]/g;
const UPPER_SNAKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
/** Names worth a placeholder: credentials, accounts, endpoints. */
const CONFIG_WORD = /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PAT|USER|USERNAME|ACCOUNT|ID|URL|URI|HOST|ENDPOINT|DSN|CONNECTION|DATABASE|DB|ORG|ORGANIZATION|PROJECT|TEAM|WORKSPACE|EMAIL|DOMAIN|REGION|TENANT|CLIENT|SITE|INSTANCE|SERVER|BASE)(?:_|$)/;
/** Names never set: they would switch transports, logging or paths rather than satisfy a check. */
const NEVER = /(?:^|_)(?:PORT|TRANSPORT|MODE|DEBUG|LOG|LEVEL|VERBOSE|NODE|NPM|PATH|DIR|DIRECTORY|FILE|HOME|TMP|TEMP|PROXY|CA|CERT|TLS|SSL|ENV|CI|TZ|LANG|SHELL|TERM|READ_ONLY|READONLY|DISABLE|ENABLE|ALLOW|HTTP|SSE|STDIO|TIMEOUT|MAX|MIN|LIMIT|PUPPETEER|PLAYWRIGHT|BROWSER|CHROME)(?:_|$)/;
/** Directory variables: given the scratch directory, but only when a failed start named them. */
const DIRECTORY_VARIABLE = /(?:^|_)(?:DIR|DIRS|DIRECTORY|DIRECTORIES|ROOT|FOLDER|VAULT|WORKSPACE|PATH)$/;
/** Path variables that name a file of some format the server will parse: never invented. */
const FILE_LIKE = /(?:^|_)(?:FILE|CONFIG|CREDENTIALS?|KEY|CERT|TOKEN|SECRET|KEYS|JSON)(?:_|$)/;

/**
 * Configuration files of a well-known format that we write ourselves and place read-only in the sandbox, keyed by
 * the variable that points a server at one. Each names only things that reach nothing: a kubeconfig (Kubernetes
 * "Organizing Cluster Access Using kubeconfig Files": `clusters`, `contexts`, `users`, `current-context`) whose one
 * cluster is the refusing loopback URL and whose token is a placeholder. Given only when the package reads the
 * variable or a failed start speaks of the file (`mention`).
 */
export const PLACEHOLDER_FILES: Record<string, { target: string; mention: RegExp; content: string }> = {
  KUBECONFIG: {
    target: '/opt/mcp-catalogue/placeholders/kubeconfig',
    mention: /kubeconfig|kube[ _-]?config|current-context/i,
    content: [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: placeholder',
      '  cluster:',
      `    server: ${REFUSING_URL}`,
      'users:',
      '- name: placeholder',
      '  user:',
      '    token: placeholder',
      'contexts:',
      '- name: placeholder',
      '  context:',
      '    cluster: placeholder',
      '    user: placeholder',
      '    namespace: default',
      'current-context: placeholder',
      '',
    ].join('\n'),
  },
};

/** The {@link PLACEHOLDER_FILES} an environment points at, as sandbox files to place (`SandboxSpec.files`). */
export function placeholderFiles(env: Record<string, string>): Array<{ target: string; content: string }> {
  return Object.entries(PLACEHOLDER_FILES)
    .filter(([name, file]) => env[name] === file.target)
    .map(([, file]) => ({ target: file.target, content: file.content }));
}

const MAX_SOURCE_BYTES = 24 * 1024 * 1024;
const MAX_SOURCE_FILES = 4000;

/** Connection-string schemes of the database drivers a package may use. */
export type DatabaseScheme = 'sqlite' | 'postgresql' | 'mysql' | 'mongodb' | 'redis';

/** Drivers, by module name, in the order a placeholder prefers them: SQLite first, as its file opens offline. */
const DRIVERS: Array<[RegExp, DatabaseScheme]> = [
  [/^(?:node:sqlite|better-sqlite3|sqlite3|sqlite|@libsql\/client|sql\.js|aiosqlite)$/, 'sqlite'],
  [/^(?:pg|postgres|pg-promise|@neondatabase\/serverless|@vercel\/postgres|psycopg|psycopg2|asyncpg|pg8000)$/, 'postgresql'],
  [/^(?:mysql|mysql2|mariadb)(?:\/promise)?$|^(?:pymysql|aiomysql|MySQLdb)$/, 'mysql'],
  [/^(?:mongodb|mongoose|pymongo|motor)$/, 'mongodb'],
  [/^(?:redis|ioredis|@redis\/client|aioredis)$/, 'redis'],
];

/** What a package's own JavaScript or Python, its package.json and its README say about the configuration it reads. */
export interface SourceHints {
  /** Every upper-case name read from `process.env` (or Python's `os.environ`), or set by its README's examples. */
  envNames: Set<string>;
  /** Variables read as numbers. */
  numeric: Set<string>;
  /** Prefixes a variable's value is checked against. */
  prefixes: Map<string, string>;
  /** Database drivers it imports or depends on, as connection-string schemes, in {@link DRIVERS} order. */
  databaseSchemes: DatabaseScheme[];
}

/** True for variable names the placeholder ladder would set. */
export function wantsPlaceholder(name: string): boolean {
  return CONFIG_WORD.test(name) && !NEVER.test(name);
}

/** A connection string for `scheme` that reaches nothing: loopback port 9, or a new SQLite file in scratch. */
export function databasePlaceholder(scheme: DatabaseScheme): string {
  switch (scheme) {
    case 'sqlite': return `sqlite://${SQLITE_PLACEHOLDER}`;
    case 'postgresql': return 'postgresql://placeholder:placeholder@127.0.0.1:9/placeholder';
    case 'mysql': return 'mysql://placeholder:placeholder@127.0.0.1:9/placeholder';
    case 'mongodb': return 'mongodb://127.0.0.1:9/placeholder';
    case 'redis': return 'redis://127.0.0.1:9';
  }
}

const KEY_PLACEHOLDER = 'placeholder0000000000000000000000';

/**
 * A type-aware placeholder for an environment variable (see the module comment). With `hints` from
 * {@link readSourceHints}, a variable the source checks for a prefix gets that prefix, one it reads as a number gets
 * `1`, and a generic database URL (`DATABASE_URL`, `DSN`) gets the scheme of the driver the package uses.
 */
export function placeholderValue(name: string, hints: Partial<Pick<SourceHints, 'numeric' | 'prefixes' | 'databaseSchemes'>> = {}): string {
  const prefix = hints.prefixes?.get(name);
  if (prefix !== undefined) return `${prefix}${KEY_PLACEHOLDER}`;
  if (hints.numeric?.has(name)) return '1';
  if (/SENTRY_DSN/.test(name)) return 'http://placeholder@127.0.0.1:9/1';
  if (/POSTGRES|(?:^|_)PG(?:_|$)/.test(name) && /URL|URI|DSN|CONNECTION|DATABASE/.test(name)) return databasePlaceholder('postgresql');
  if (/MONGO/.test(name)) return databasePlaceholder('mongodb');
  if (/REDIS/.test(name)) return databasePlaceholder('redis');
  if (/MYSQL|MARIADB/.test(name) && /URL|URI|DSN|CONNECTION/.test(name)) return databasePlaceholder('mysql');
  if (/(?:^|_)DSN$|(?:^|_)(?:DATABASE|DB)_(?:URL|URI|CONNECTION)|CONNECTION_STRING|CONNECTION_URL/.test(name)) {
    return databasePlaceholder(hints.databaseSchemes?.[0] ?? 'postgresql');
  }
  if (/(?:^|_)HOST(?:NAME)?$/.test(name)) return '127.0.0.1';
  if (/(?:^|_)(?:URL|URI|ENDPOINT|BASE|DSN|SERVER|INSTANCE|SITE)(?:_|$)/.test(name)) return REFUSING_URL;
  if (/(?:^|_)HOST(?:_|$)/.test(name)) return '127.0.0.1';
  if (/EMAIL/.test(name)) return 'placeholder@example.invalid';
  if (/STRIPE/.test(name)) return 'sk_test_placeholder000000000000000000';
  if (/(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PAT)(?:_|$)/.test(name)) return KEY_PLACEHOLDER;
  if (/(?:^|_)REGION(?:_|$)/.test(name)) return 'us-east-1';
  return 'placeholder';
}

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
    if (file.endsWith('.py')) {
      for (const m of text.matchAll(PY_ENV_REFERENCE)) hints.envNames.add(m[1]!);
      for (const m of text.matchAll(PY_NUMERIC_USE)) hints.numeric.add(m[1]!);
      for (const m of text.matchAll(PY_IMPORTED)) modules.add((m[1] ?? m[2])!);
      continue;
    }
    for (const m of text.matchAll(ENV_REFERENCE)) hints.envNames.add((m[1] ?? m[2])!);
    for (const m of text.matchAll(NUMERIC_USE)) hints.numeric.add((m[1] ?? m[2])!);
    for (const m of text.matchAll(PREFIX_CHECK)) if (!hints.prefixes.has((m[1] ?? m[2])!)) hints.prefixes.set((m[1] ?? m[2])!, m[3]!);
    for (const m of text.matchAll(IMPORTED)) modules.add(m[1]!);
  }
  for (const name of readmeEnvNames(await readReadme(packageDir))) hints.envNames.add(name);
  for (const [pattern, scheme] of DRIVERS) {
    if ([...modules].some((m) => pattern.test(m))) hints.databaseSchemes.push(scheme);
  }
  return hints;
}

/**
 * Environment variable names a package reads (`process.env.X`, `process.env["X"]` in its own JavaScript, `os.environ`
 * and `os.getenv` in its own Python, not its dependencies'), that its README sets ({@link readmeEnvNames}) or that
 * its stderr names, and that {@link wantsPlaceholder}. Sorted; at most 40.
 */
export async function discoverEnvNames(packageDir: string, stderrTail = ''): Promise<string[]> {
  const names = new Set((await readSourceHints(packageDir)).envNames);
  for (const match of stderrTail.matchAll(UPPER_SNAKE)) names.add(match[0]);
  return [...names].filter(wantsPlaceholder).sort().slice(0, 40);
}

/**
 * The placeholder environment for a package: every variable {@link discoverEnvNames} finds, valued by
 * {@link placeholderValue} with the package's {@link SourceHints}, plus the scratch directory for directory
 * variables (`*_DIR`, `*_ROOT`, `*_PATH`, …, not file-like ones) that a failed start's stderr names. At most 40,
 * plus the variables of {@link PLACEHOLDER_FILES} the package reads or its stderr speaks of, pointing at our file.
 */
export async function placeholderEnvironment(packageDir: string, stderrTail = ''): Promise<Record<string, string>> {
  const hints = await readSourceHints(packageDir);
  const named = new Set<string>();
  for (const match of stderrTail.matchAll(UPPER_SNAKE)) named.add(match[0]);
  const env: Record<string, string> = {};
  for (const name of [...new Set([...hints.envNames, ...named])].filter(wantsPlaceholder).sort().slice(0, 40)) env[name] = placeholderValue(name, hints);
  for (const name of [...named].sort()) {
    if (Object.keys(env).length >= 40) break;
    if (env[name] === undefined && DIRECTORY_VARIABLE.test(name) && !FILE_LIKE.test(name) && !/^(?:PATH|HOME|TMPDIR|PWD|NODE_PATH)$/.test(name)) env[name] = SCRATCH_DIR;
  }
  for (const [name, file] of Object.entries(PLACEHOLDER_FILES)) {
    if (hints.envNames.has(name) || named.has(name) || file.mention.test(stderrTail)) env[name] = file.target;
  }
  return env;
}

const DATABASE_URL_ARGUMENT = /^(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|sqlite3?):\/\//i;

/** Replaces what a README leaves for the user to fill in: `<account-id>`, `YOUR_KEY`, `$TOKEN`, `/path/to/dir`, connection strings. */
export function placeholderArgument(arg: string): string {
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 2) return `${arg.slice(0, eq + 1)}${placeholderArgument(arg.slice(eq + 1))}`;
  const database = DATABASE_URL_ARGUMENT.exec(arg)?.[1]?.toLowerCase();
  if (database) {
    if (database.startsWith('sqlite')) return `${database}://${SQLITE_PLACEHOLDER}`;
    const scheme: DatabaseScheme = database.startsWith('postgres') ? 'postgresql' : database.startsWith('mongo') ? 'mongodb' : database.startsWith('redis') ? 'redis' : 'mysql';
    return databasePlaceholder(scheme);
  }
  if (/^(?:\/path\/|\/Users\/|\/home\/|~\/|[A-Za-z]:\\|\.\/|\/tmp(?:\/|$)|\/absolute\/)/.test(arg)) return SCRATCH_DIR;
  if (/^https?:\/\//.test(arg)) return REFUSING_URL;
  if (/[<>{}$]|^your[-_]|^YOUR_|^xxx|placeholder/i.test(arg)) return 'placeholder';
  return arg;
}

/** A value for a command-line option, typed by its name like an environment variable; null for file options. */
export function optionPlaceholder(option: string, hints: Partial<SourceHints> = {}): string | null {
  const name = option.replace(/^-+/, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  if (/(?:^|_)PORT$/.test(name)) return null;
  if (/(?:^|_)(?:FILE|CONFIG|CREDENTIALS?|CERT)(?:_|$)/.test(name)) return null;
  if (DIRECTORY_VARIABLE.test(name) || /(?:^|_)(?:DIRS?|DIRECTORY|DIRECTORIES|FOLDER|ROOT)(?:_|$)/.test(name)) return SCRATCH_DIR;
  return placeholderValue(name, hints);
}

/** `--api-key`, `--dev-server-url`: a long option as written on a command line. */
const LONG_OPTION = /--[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*/gi;

/**
 * Options a failed start said it requires, each with a placeholder value ({@link optionPlaceholder}), flattened
 * into one argument list. Understands commander (`required option '--x <v>' not specified`, `missing required
 * argument 'dir'`), yargs (`Missing required argument(s): x, y`), oclif (`Missing required flag x`), cobra
 * (`required flag(s) "x" not set`) and plain sentences that name a `--flag` next to "provide", "pass", "set",
 * "missing" or "required". Positional arguments become a value alone. At most 6 options.
 */
export function requiredOptions(stderr: string, hints: Partial<SourceHints> = {}): string[] {
  const options: string[] = [];
  const positionals: string[] = [];
  const add = (raw: string) => {
    const flag = raw.startsWith('-') ? raw.replace(/[=:,.]+$/, '') : raw.length === 1 ? `-${raw}` : `--${raw}`;
    if (!/^--?[a-z]/i.test(flag) || options.includes(flag) || /^--(?:help|version|port|http|sse|stdio|transport|host)$/.test(flag)) return;
    options.push(flag);
  };
  for (const m of stderr.matchAll(/required option '(-[\w-]+)(?:,\s*(--[\w-]+))?/gi)) add(m[2] ?? m[1]!);
  for (const m of stderr.matchAll(/missing required argument[s]?:\s*([\w-]+(?:,\s*[\w-]+)*)/gi)) for (const n of m[1]!.split(/,\s*/)) add(n);
  for (const m of stderr.matchAll(/missing required argument '([\w-]+)'/gi)) positionals.push(m[1]!);
  for (const m of stderr.matchAll(/missing required flags?:?\s+(--?[\w-]+|[\w-]+)/gi)) add(m[1]!);
  for (const m of stderr.matchAll(/required flag\(s\)\s+((?:"[\w-]+"(?:,\s*)?)+)\s+not set/gi)) for (const n of m[1]!.matchAll(/"([\w-]+)"/g)) add(n[1]!);
  for (const line of stderr.split(/\r?\n/)) {
    if (/^\s*usage:/i.test(line)) {
      // A usage line's options outside [brackets] that take a <value> are required.
      for (const m of line.replace(/\[[^\]]*\]/g, ' ').matchAll(/(--[a-z][\w-]*)[ =](?:<[^>]+>|[A-Z][A-Z_]+\b)/g)) add(m[1]!);
      continue;
    }
    // Lines of an options table ("  --log-level  Set log verbosity") describe options; they do not ask for one.
    if (/^\s*-/.test(line) || !/\b(?:provide|pass|set|specify|missing|required|requires|must)\b/i.test(line)) continue;
    // A sentence may offer alternatives ("use one of: --spec, --spec-from-stdin"): its first option is the one taken.
    const first = new RegExp(LONG_OPTION.source, 'i').exec(line);
    // A flag followed by a wide gap is an options table's entry, even when quoted inside another message.
    if (first && !/^\s{2,}\S/.test(line.slice(first.index! + first[0].length))) add(first[0]);
  }
  const args: string[] = [];
  for (const flag of options.slice(0, 6)) {
    const value = optionPlaceholder(flag, hints);
    if (value !== null) args.push(flag, value);
  }
  for (const name of positionals.slice(0, 2)) {
    const value = optionPlaceholder(name, hints);
    if (value !== null) args.push(value);
  }
  return args;
}

/**
 * What a failed start says about the Node it needs, as a semver range for `runtime.ts`, or null. Recognised: a
 * message naming the Node version it refuses ("Node.js 20 detected", "requires Node.js >= 22"); a built-in module
 * this Node lacks (`node:sqlite`, ERR_UNKNOWN_BUILTIN_MODULE); globals and methods added in later releases
 * (`WebSocket`, `navigator`, `Iterator` not defined, `Promise.withResolvers` not a function); `require()` of an ES
 * module (ERR_REQUIRE_ESM, allowed from Node 22.12). Only asked when the crawler's own Node ran the start.
 */
export function newerNodeWanted(output: string, ownMajor = Number(process.versions.node.split('.')[0])): string | null {
  const stated = /\b(?:requires?|needs?|minimum(?: version)?(?: of)?|at least|use|upgrade to)\s+Node(?:\.js|JS)?\s*(?:version\s*)?(?:>=?\s*|v|\^)?(\d{2})(?:\.(\d+))?/i.exec(output)
    ?? /\bNode(?:\.js|JS)?\s*(?:version\s*)?(?:>=\s*|v)?(\d{2})(?:\.(\d+))?(?:\.\d+)?\s*(?:or (?:higher|later|newer)|\+)/i.exec(output);
  if (stated && Number(stated[1]) > ownMajor) return `>=${stated[1]}.${stated[2] ?? 0}`;
  if (new RegExp(String.raw`\bNode(?:\.js)?\s*v?${ownMajor}(?:\.\d+)*\s+(?:detected|is not supported|is too old|is unsupported)`, 'i').test(output)) return `>=${ownMajor + 2}`;
  if (/ERR_UNKNOWN_BUILTIN_MODULE|No such built-in module: node:|Cannot find (?:module|package) 'node:sqlite'/.test(output)) return '>=22.5';
  if (/ERR_REQUIRE_ESM|require\(\) of ES Module/.test(output)) return '>=22.12';
  if (/ReferenceError: (?:WebSocket|CloseEvent|navigator|Iterator|CustomEvent) is not defined/.test(output)) return '>=22';
  if (/\.(?:withResolvers|fromAsync|groupBy|union|intersection|difference) is not a function/.test(output)) return '>=22';
  return null;
}

/** Sub-command names that start a server, most specific first. */
const SERVER_COMMANDS = ['mcp', 'stdio', 'serve', 'server', 'start', 'run'];
/** A failed start that asks for a command, or prints a usage. */
const NEEDS_COMMAND = /required command|missing (?:required )?(?:sub)?command|no (?:sub)?command (?:was )?(?:given|specified|provided)|specify a (?:sub)?command|unknown command|not enough non-option arguments|at least one command|\busage:|^\s*commands:/im;

/** True when a failed start's output asks for a sub-command or prints a usage. */
export function asksForCommand(output: string): boolean {
  return NEEDS_COMMAND.test(output);
}

/**
 * The server-starting sub-commands a CLI's usage text lists: the entries of its `Commands:` (`Available Commands:`,
 * `COMMANDS`) section whose name is one of `mcp`, `stdio`, `serve`, `server`, `start`, `run`, or whose description
 * speaks of MCP or stdio. Nested commands come back as their words (`mcp start` → `["mcp", "start"]`). At most 2.
 */
export function subcommandsFromUsage(usage: string): string[][] {
  const found: Array<{ words: string[]; rank: number }> = [];
  let inCommands = false;
  for (const raw of usage.split(/\r?\n/)) {
    if (/^\s*(?:available\s+)?(?:sub)?commands\s*:?\s*$/i.test(raw)) {
      inCommands = true;
      continue;
    }
    if (!inCommands) continue;
    if (raw.trim() === '') continue;
    if (!/^\s/.test(raw)) {
      inCommands = false;
      continue;
    }
    const [left, description = ''] = raw.trim().split(/\s{2,}|\t/, 2);
    const words = (left ?? '').split(/\s+/).filter((w) => /^[a-z][\w-]*$/i.test(w) && !/^(?:npx|node)$/.test(w));
    // yargs writes the program name first ("cli.js mcp"); a command name never contains a dot.
    const commandWords = words.filter((w) => !w.includes('.'));
    if (commandWords.length === 0 || (left ?? '').startsWith('-')) continue;
    const name = commandWords[0]!;
    const rank = SERVER_COMMANDS.indexOf(name.toLowerCase());
    const describesServer = /\b(?:mcp|stdio)\b/i.test(description) && /\b(?:server|start|run|serve|launch)\b/i.test(description);
    if (rank === -1 && !describesServer) continue;
    found.push({ words: commandWords.slice(0, 2).filter((w, i) => i === 0 || SERVER_COMMANDS.includes(w.toLowerCase())), rank: rank === -1 ? SERVER_COMMANDS.length : rank });
  }
  // "Expected 'init' or 'run'", "Run 'acme mcp' to start the MCP server": a server command named in quotes, alone or
  // after the program's name.
  for (const m of usage.matchAll(/['"`](?:[\w./@-]+ )?([a-z][\w-]*)['"`]/g)) {
    const rank = SERVER_COMMANDS.indexOf(m[1]!);
    if (rank !== -1 && !found.some((f) => f.words[0] === m[1])) found.push({ words: [m[1]!], rank });
  }
  return found.sort((a, b) => a.rank - b.rank).map((f) => f.words).slice(0, 2);
}

/**
 * Asks a package for its usage: runs `spec` (whose command should end in `--help`) in the sandbox and returns what
 * it wrote to stdout and stderr (at most 64 KiB each), after it exits or `timeoutMs` passes. Never throws for what
 * the package does.
 */
export function readUsage(spec: SandboxSpec, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawnSandboxed>;
    try {
      child = spawnSandboxed(spec);
    } catch {
      resolve('');
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < 65_536) out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < 65_536) err.push(chunk);
      errBytes += chunk.length;
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end();
    const timer = setTimeout(() => killSandboxed(child), timeoutMs);
    child.once('error', () => undefined);
    child.once('close', () => {
      clearTimeout(timer);
      resolve(`${Buffer.concat(out).toString('utf8').slice(0, 65_536)}\n${Buffer.concat(err).toString('utf8').slice(0, 65_536)}`);
    });
  });
}

const ARGS_ARRAY = /"args"\s*:\s*\[([^\]]{0,600})\]/g;
const COMMAND_AND_ARGS = /"command"\s*:\s*"([^"\n]{1,200})"\s*,\s*"args"\s*:\s*\[([^\]]{0,600})\]/g;
const JSON_STRING = /"((?:[^"\\\n]|\\.){0,300})"/g;
/** npx's own options before the package name. */
const NPX_OPTIONS = String.raw`(?:(?:-y|--yes|-q|--quiet|--)\s+)*`;
/** First arguments of commands that set a tool up rather than start its server (often interactive). */
const SETUP_COMMAND = /^(?:init|setup|login|logout|auth|authenticate|install|uninstall|config|configure|upgrade|update|doctor|help|version|--help|-h|--version|-v)$/i;
/** Arguments that select a transport other than stdio. */
const OTHER_TRANSPORT = /^(?:--port|--http|--sse|http|sse|streamable-http|--transport=(?:http|sse|streamable-http))$/i;

/** True when an argument list selects the stdio transport (`stdio`, `--stdio`, `--transport stdio`, `--transport=stdio`). */
export function selectsStdio(args: string[]): boolean {
  return args.some((a, i) => /^(?:stdio|--stdio|--transport=stdio)$/i.test(a) || (/^(?:--transport|-t)$/.test(a) && /^stdio$/i.test(args[i + 1] ?? '')));
}

/**
 * The arguments after the package name in an npx invocation: an npx `--` separator is dropped, and with
 * `--package <pkg> -- <bin> …` the bin name after the separator is the command, not an argument.
 */
function afterPackage(rest: string[], viaPackageOption: boolean): string[] {
  if (rest[0] !== '--') return rest;
  return viaPackageOption ? rest.slice(2) : rest.slice(1);
}

function selectsOtherTransport(args: string[]): boolean {
  return args.some((a, i) => OTHER_TRANSPORT.test(a) || (a === '-p' && /^\d+$/.test(args[i + 1] ?? '')) || (a === '--transport' && /^(?:http|sse|streamable-http)$/i.test(args[i + 1] ?? '')));
}

/**
 * Argument lists a README documents for starting the package over stdio: from `"args": [...]` arrays of client
 * configurations that name the package (`["-y", "pkg@latest", "stdio"]` → `["stdio"]`; an npx `--` separator after
 * the name is dropped), from configurations whose `"command"` is the package's bin (all their `args`), and from
 * `npx [-y] [--] pkg …` command lines. Placeholders replaced by {@link placeholderArgument}. Distinct, non-empty, at
 * most 3, in README order. Lists that select another transport (`--port`, `-p 3000`, `http`, `sse`) and set-up
 * commands (`init`, `setup`, `login`, `auth`, `install`, `config`, …) are skipped.
 */
export async function readmeArgumentLists(packageDir: string, packageName: string, binName?: string): Promise<string[][]> {
  const text = await readReadme(packageDir);
  if (!text) return [];
  const isPackage = (s: string) => s === packageName || s.startsWith(`${packageName}@`) || (binName !== undefined && s === binName);
  const strings = (body: string) => [...body.matchAll(JSON_STRING)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  const lists: Array<{ at: number; args: string[] }> = [];
  for (const match of text.matchAll(ARGS_ARRAY)) {
    const items = strings(match[1]!);
    const at = items.findIndex((s) => isPackage(s.replace(/^--package=/, '')));
    if (at === -1) continue;
    const viaPackageOption = items[at]!.startsWith('--package=') || /^(?:--package|-p)$/.test(items[at - 1] ?? '');
    lists.push({ at: match.index, args: afterPackage(items.slice(at + 1), viaPackageOption) });
  }
  for (const match of text.matchAll(COMMAND_AND_ARGS)) {
    const command = match[1]!.split('/').at(-1)!;
    if (command === binName || command === packageName) lists.push({ at: match.index, args: strings(match[2]!) });
  }
  const escaped = packageName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const npx = new RegExp(`npx\\s+${NPX_OPTIONS}(--package[= ]|-p )?${escaped}(?:@[\\w.-]+)?((?:[ \\t]+[^\\s\`'"|&;#\\\\]+)*)`, 'g');
  for (const match of text.matchAll(npx)) lists.push({ at: match.index, args: afterPackage(match[2]!.trim().split(/\s+/).filter(Boolean), match[1] !== undefined) });
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const { args: list } of lists.sort((a, b) => a.at - b.at)) {
    // `"--allowed-directories /tmp"` in one JSON string is an option and its value.
    const args = list.flatMap((a) => (/^--?[a-z][\w-]*\s+\S/i.test(a) ? a.split(/\s+/) : [a])).map(placeholderArgument);
    const key = JSON.stringify(args);
    if (args.length === 0 || args.length > 12 || seen.has(key)) continue;
    if (selectsOtherTransport(args) || SETUP_COMMAND.test(args[0]!)) continue;
    seen.add(key);
    out.push(args);
    if (out.length === 3) break;
  }
  return out;
}

/** The first 512 KiB of the package's README (`README`, `.md`, `.markdown` or `.txt`, any case), or '' when it has none. */
async function readReadme(packageDir: string): Promise<string> {
  try {
    const readme = (await readdir(packageDir)).find((f) => /^readme(?:\.md|\.markdown|\.txt)?$/i.test(f));
    if (!readme || (await stat(path.join(packageDir, readme))).size > 8 * 1024 * 1024) return '';
    return (await readFile(path.join(packageDir, readme), 'utf8')).slice(0, 512 * 1024);
  } catch {
    return '';
  }
}

/**
 * The environment variable names a README sets in its examples: the keys of `"env": { … }` objects of MCP client
 * configurations, and `NAME=` in shell lines (`export NAME=…`, docker's `-e NAME=…`, `--env NAME=…`, or `NAME=… npx …`
 * at the start of a line). Upper-case names with an underscore (shell) or any upper-case name (`env` keys); in
 * README order, distinct.
 */
export function readmeEnvNames(readme: string): string[] {
  const names = new Set<string>();
  for (const block of readme.matchAll(README_ENV_BLOCK)) for (const key of block[1]!.matchAll(README_ENV_KEY)) names.add(key[1]!);
  for (const m of readme.matchAll(README_SHELL_ENV)) names.add(m[1]!);
  return [...names];
}

/**
 * The placeholder environments the ladder tries, in order: everything {@link placeholderEnvironment} finds; then,
 * when a failed start's output names some of those variables as words (`DSN`, `GITHUB_TOKEN`), only those, for
 * servers that a variable they did not ask for sends down another path (an SSH tunnel, an unknown `DB_TYPE`).
 * Empty environments are left out.
 */
export async function placeholderEnvironments(packageDir: string, stderrTail = ''): Promise<Array<Record<string, string>>> {
  const all = await placeholderEnvironment(packageDir, stderrTail);
  const named = Object.fromEntries(Object.entries(all).filter(([name]) => new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(stderrTail)));
  const envs = [all];
  if (Object.keys(named).length > 0 && Object.keys(named).length < Object.keys(all).length) envs.push(named);
  return envs.filter((e) => Object.keys(e).length > 0);
}

/** What the ladder has seen of a package before it picks arguments. */
export interface ArgumentEvidence {
  /** stderr (and any stdout noise) of the failed starts so far. */
  output: string;
  /** Asks the package for its usage ({@link readUsage}); called only when a failed start asked for a command but listed none. */
  usage?: () => Promise<string>;
  hints?: Partial<SourceHints>;
}

/**
 * The argument lists the ladder tries, in order, at most 5: the options a failed start said it requires
 * ({@link requiredOptions}); the server sub-commands its output names ({@link subcommandsFromUsage}), or, when it
 * asked for a command and named none, those its `--help` lists, each followed by those options; then the README's
 * lists ({@link readmeArgumentLists}).
 */
export async function argumentLists(packageDir: string, packageName: string, binName: string | undefined, evidence: ArgumentEvidence): Promise<string[][]> {
  const lists: string[][] = [];
  const required = requiredOptions(evidence.output, evidence.hints);
  if (required.length > 0) lists.push(required);
  let commands = subcommandsFromUsage(evidence.output);
  if (commands.length === 0 && evidence.usage && asksForCommand(evidence.output)) commands = subcommandsFromUsage(await evidence.usage());
  for (const command of commands) lists.push([...command, ...required]);
  lists.push(...(await readmeArgumentLists(packageDir, packageName, binName)));
  const seen = new Set<string>();
  return lists.filter((l) => {
    const key = JSON.stringify(l);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, 5);
}
