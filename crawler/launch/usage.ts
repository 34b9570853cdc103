/** What a failed start's output and a package's `--help` say about the options and sub-commands it needs. */
import { killSandboxed, spawnSandboxed, type SandboxSpec } from '../sandbox.ts';
import type { SourceHints } from './types.ts';
import { optionPlaceholder } from './placeholders.ts';

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

/** Sub-command names that start a server, most specific first. */
const SERVER_COMMANDS = ['mcp', 'stdio', 'serve', 'server', 'start', 'run'];
/**
 * A failed start that demands a sub-command: commander ("missing required argument 'command'"), yargs ("Not enough
 * non-option arguments", "at least one command"), cobra and others ("command is missing", "required command", "no
 * command given", "unknown command").
 */
const DEMANDS_COMMAND = /required command|missing (?:required )?(?:sub)?command|(?:sub)?command (?:is )?(?:missing|required)|missing required argument ['"`]?(?:sub)?(?:command|cmd)\b|no (?:sub)?command (?:was )?(?:given|specified|provided)|specify a (?:sub)?command|unknown command|not enough non-option arguments|at least one command/i;
/** A failed start that demands a command, or prints a usage or a list of commands. */
const NEEDS_COMMAND = new RegExp(`${DEMANDS_COMMAND.source}|\\busage:|^\\s*commands:`, 'im');

/** True when a failed start's output asks for a sub-command or prints a usage. */
export function asksForCommand(output: string): boolean {
  return NEEDS_COMMAND.test(output);
}

/** True when a failed start's output demands a sub-command in so many words ({@link DEMANDS_COMMAND}), not only a usage. */
export function demandsCommand(output: string): boolean {
  return DEMANDS_COMMAND.test(output);
}

/**
 * The sub-commands tried, one at a time, when a start demanded one ({@link demandsCommand}) but neither its output
 * nor its `--help` named a server command: the names CLIs most often give the command that starts their MCP server.
 */
export const LIKELY_SERVER_COMMANDS: readonly string[][] = [['mcp'], ['stdio'], ['serve'], ['start']];

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
