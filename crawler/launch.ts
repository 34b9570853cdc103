/**
 * How to start a server that will not start bare: the configuration it asks for, supplied as harmless placeholders.
 *
 * Everything here only *reads* the installed package (its own JavaScript and README) and the stderr of a failed
 * start; nothing is executed. Placeholders are chosen so that a server can get past its start-up checks but can
 * reach nothing: URLs point at port 9 on the sandbox's own loopback (no listener, and the sandbox has no other
 * network), keys look like keys but are not, and file or directory variables are left unset rather than invented.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ownSourceFiles } from './package-files.ts';

/** A scratch directory inside the sandbox's private HOME, for servers that want a directory argument. */
export const SCRATCH_DIR = '/home/sandbox/scratch';
/** A URL on the sandbox's loopback that refuses connections. */
export const REFUSING_URL = 'http://127.0.0.1:9';

const ENV_REFERENCE = /process\.env(?:\.([A-Z][A-Z0-9_]{1,63})\b|\[\s*['"]([A-Z][A-Z0-9_]{1,63})['"]\s*\])/g;
const UPPER_SNAKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
/** Names worth a placeholder: credentials, accounts, endpoints. */
const CONFIG_WORD = /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PAT|USER|USERNAME|ACCOUNT|ID|URL|URI|HOST|ENDPOINT|DSN|CONNECTION|DATABASE|DB|ORG|ORGANIZATION|PROJECT|TEAM|WORKSPACE|EMAIL|DOMAIN|REGION|TENANT|CLIENT|SITE|INSTANCE|SERVER|BASE)(?:_|$)/;
/** Names never set: they would switch transports, logging or paths rather than satisfy a check. */
const NEVER = /(?:^|_)(?:PORT|TRANSPORT|MODE|DEBUG|LOG|LEVEL|VERBOSE|NODE|NPM|PATH|DIR|DIRECTORY|FILE|HOME|TMP|TEMP|PROXY|CA|CERT|TLS|SSL|ENV|CI|TZ|LANG|SHELL|TERM|READ_ONLY|READONLY|DISABLE|ENABLE|ALLOW|HTTP|SSE|STDIO|TIMEOUT|MAX|MIN|LIMIT|PUPPETEER|PLAYWRIGHT|BROWSER|CHROME)(?:_|$)/;

const MAX_SOURCE_BYTES = 24 * 1024 * 1024;
const MAX_SOURCE_FILES = 4000;

/** True for variable names the placeholder ladder would set. */
export function wantsPlaceholder(name: string): boolean {
  return CONFIG_WORD.test(name) && !NEVER.test(name);
}

/** A type-aware placeholder for an environment variable (see the module comment). */
export function placeholderValue(name: string): string {
  if (/POSTGRES|(?:^|_)PG(?:_|$)/.test(name) && /URL|URI|DSN|CONNECTION|DATABASE/.test(name)) return 'postgresql://placeholder:placeholder@127.0.0.1:9/placeholder';
  if (/MONGO/.test(name)) return 'mongodb://127.0.0.1:9/placeholder';
  if (/REDIS/.test(name)) return 'redis://127.0.0.1:9';
  if (/MYSQL|MARIADB/.test(name) && /URL|URI|DSN|CONNECTION/.test(name)) return 'mysql://placeholder:placeholder@127.0.0.1:9/placeholder';
  if (/(?:^|_)(?:URL|URI|ENDPOINT|BASE|DSN|SERVER|INSTANCE|SITE)(?:_|$)/.test(name)) return REFUSING_URL;
  if (/(?:^|_)HOST(?:_|$)/.test(name)) return '127.0.0.1';
  if (/EMAIL/.test(name)) return 'placeholder@example.invalid';
  if (/STRIPE/.test(name)) return 'sk_test_placeholder000000000000000000';
  if (/(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PAT)(?:_|$)/.test(name)) return 'placeholder0000000000000000000000';
  if (/(?:^|_)REGION(?:_|$)/.test(name)) return 'us-east-1';
  return 'placeholder';
}

/**
 * Environment variable names a package reads (`process.env.X`, `process.env["X"]` in its own JavaScript, not its
 * dependencies') or names in its stderr, that {@link wantsPlaceholder}. Sorted; at most 40.
 */
export async function discoverEnvNames(packageDir: string, stderrTail = ''): Promise<string[]> {
  const names = new Set<string>();
  for (const match of stderrTail.matchAll(UPPER_SNAKE)) names.add(match[0]);
  let bytes = 0;
  let files = 0;
  for await (const file of ownSourceFiles(packageDir)) {
    if (++files > MAX_SOURCE_FILES || bytes > MAX_SOURCE_BYTES) break;
    const size = (await stat(file)).size;
    if (size > 4 * 1024 * 1024) continue;
    bytes += size;
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(ENV_REFERENCE)) names.add((match[1] ?? match[2])!);
  }
  return [...names].filter(wantsPlaceholder).sort().slice(0, 40);
}

/** Replaces what a README leaves for the user to fill in: `<account-id>`, `YOUR_KEY`, `$TOKEN`, `/path/to/dir`. */
export function placeholderArgument(arg: string): string {
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 2) return `${arg.slice(0, eq + 1)}${placeholderArgument(arg.slice(eq + 1))}`;
  if (/^(?:\/path\/|\/Users\/|\/home\/|~\/|[A-Za-z]:\\|\.\/|\/tmp\/|\/absolute\/)/.test(arg)) return SCRATCH_DIR;
  if (/^https?:\/\//.test(arg)) return REFUSING_URL;
  if (/[<>{}$]|^your[-_]|^YOUR_|^xxx|placeholder/i.test(arg)) return 'placeholder';
  return arg;
}

const ARGS_ARRAY = /"args"\s*:\s*\[([^\]]{0,600})\]/g;
const JSON_STRING = /"((?:[^"\\\n]|\\.){0,300})"/g;

/**
 * Argument lists a README documents for starting the package over stdio: from `"args": [...]` arrays of client
 * configurations that name the package (`["-y", "pkg@latest", "stdio"]` → `["stdio"]`) or its bin, and from
 * `npx pkg …` command lines. Placeholders replaced by {@link placeholderArgument}. Distinct, non-empty, at most 3,
 * in README order. Lists that select another transport (`--port`, `http`, `sse`) are skipped.
 */
export async function readmeArgumentLists(packageDir: string, packageName: string, binName?: string): Promise<string[][]> {
  let text: string;
  try {
    const files = await readdir(packageDir);
    const readme = files.find((f) => /^readme(?:\.md|\.markdown|\.txt)?$/i.test(f));
    if (!readme) return [];
    text = (await readFile(path.join(packageDir, readme), 'utf8')).slice(0, 512 * 1024);
  } catch {
    return [];
  }
  const isPackage = (s: string) => s === packageName || s.startsWith(`${packageName}@`) || (binName !== undefined && s === binName);
  const lists: string[][] = [];
  for (const match of text.matchAll(ARGS_ARRAY)) {
    const items = [...match[1]!.matchAll(JSON_STRING)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
    const at = items.findIndex(isPackage);
    if (at === -1) continue;
    lists.push(items.slice(at + 1));
  }
  const escaped = packageName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const npx = new RegExp(`npx\\s+(?:-y\\s+|--yes\\s+)?${escaped}(?:@[\\w.-]+)?((?:[ \\t]+[^\\s\`'"|&;#\\\\]+)*)`, 'g');
  for (const match of text.matchAll(npx)) lists.push(match[1]!.trim().split(/\s+/).filter(Boolean));
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const list of lists) {
    const args = list.map(placeholderArgument);
    const key = JSON.stringify(args);
    if (args.length === 0 || args.length > 12 || seen.has(key)) continue;
    if (args.some((a) => /^(?:--port|-p|--http|--sse|http|sse|streamable-http|--transport=(?:http|sse))$/i.test(a))) continue;
    seen.add(key);
    out.push(args);
    if (out.length === 3) break;
  }
  return out;
}
