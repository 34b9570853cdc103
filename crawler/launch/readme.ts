/** What a package's README documents: argument lists of client configurations and npx lines, and the variables its examples set. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { placeholderArgument } from './placeholders.ts';

/** Variables a README's client configuration sets: the body of `"env": { … }`. */
const README_ENV_BLOCK = /"env"\s*:\s*\{([^{}]{0,4000})\}/g;
const README_ENV_KEY = /"([A-Z][A-Z0-9_]{1,63})"\s*:/g;
/** Variables a README's shell lines set: `export X=`, `-e X=`, `--env X=`, or `X=… npx …` at a line's start. */
const README_SHELL_ENV = /(?:^|[ \t])(?:export[ \t]+|-e[ \t]+|--env[ \t]+|(?<=^[ \t]*(?:\$[ \t]+)?))([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/gm;
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
export async function readReadme(packageDir: string): Promise<string> {
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
