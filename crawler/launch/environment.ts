/** The placeholder environments the ladder tries, built from {@link readSourceHints} and what a failed start printed. */
import { readSourceHints } from './hints.ts';
import { DIRECTORY_VARIABLE, FILE_LIKE, PLACEHOLDER_FILES, SCRATCH_DIR, UPPER_SNAKE, placeholderValue, requiredPlaceholder, wantsPlaceholder } from './placeholders.ts';

/** An environment variable's name as validation libraries print it: upper case, at least three characters. */
const VARIABLE = '[A-Z][A-Z0-9_]{2,}';

/** `phrase` as a pattern source matching it in any case, so that a pattern may stay case-sensitive for {@link VARIABLE}. */
function anyCase(phrase: string): string {
  return phrase.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/**
 * Validation errors that name a variable as required, one capture each:
 * - zod 3 issues as JSON (`"path": ["API_KEY"], "message": "Required"`) and flattened (`API_KEY: Required`,
 *   `API_KEY: [ 'Required' ]`, t3-env's `{ API_KEY: [ 'Required' ] }`);
 * - zod 4 (`✖ Invalid input: expected string, received undefined` then `→ at API_KEY`);
 * - sentences, envalid's among them (`Missing environment variable API_KEY`, `Missing required environment variable:
 *   API_KEY`, `environment variable API_KEY is required`, `API_KEY environment variable is not set`).
 */
const REQUIRED_VARIABLE = [
  new RegExp(`"path"\\s*:\\s*\\[\\s*"(${VARIABLE})"\\s*\\][^{}]{0,300}?"message"\\s*:\\s*"Required"`, 'g'),
  new RegExp(`"message"\\s*:\\s*"Required"[^{}]{0,300}?"path"\\s*:\\s*\\[\\s*"(${VARIABLE})"\\s*\\]`, 'g'),
  new RegExp(`(?<![\\w.])["']?(${VARIABLE})["']?\\s*:\\s*\\[?\\s*["']?(?:Required|Invalid input: expected \\w+, received undefined)\\b`, 'g'),
  new RegExp(`expected \\w+, received undefined\\s*\\n\\s*(?:→|->)\\s*at\\s+(${VARIABLE})\\b`, 'g'),
  new RegExp(`${anyCase('missing')} (?:${anyCase('required')} )?${anyCase('environment variable')}s?:?[ \\t]+["'\`]?(${VARIABLE})\\b`, 'g'),
  new RegExp(`${anyCase('environment variable')}\\s+["'\`]?(${VARIABLE})["'\`]?\\s+(?:is|was)\\s+(?:not set|required|missing|undefined)`, 'g'),
  new RegExp(`\\b(${VARIABLE})\\s+${anyCase('environment variable')}\\s+(?:is|was)\\s+(?:not set|required|missing|undefined)`, 'g'),
];

/**
 * Variables a failed start's validation error names as required ({@link REQUIRED_VARIABLE}; envalid's report lists
 * one a line, `NAME: undefined`, under `Missing environment variables:`), in order of appearance, without repeats.
 * Upper-case names only: a lower-case path is a configuration object's field, not a variable.
 */
export function requiredVariables(output: string): string[] {
  const found: Array<{ at: number; name: string }> = [];
  for (const pattern of REQUIRED_VARIABLE) for (const m of output.matchAll(pattern)) found.push({ at: m.index, name: m[1]! });
  // envalid: every indented `NAME: undefined` (or `: Missing`) line of its block.
  for (const block of output.matchAll(/missing environment variables:?\s*\n((?:[ \t]+\S[^\n]*\n?)+)/gi)) {
    for (const line of block[1]!.matchAll(new RegExp(`^[ \\t]+(${VARIABLE})[ \\t]*:`, 'gm'))) found.push({ at: block.index + line.index, name: line[1]! });
  }
  const names: string[] = [];
  for (const { name } of found.sort((a, b) => a.at - b.at)) if (!names.includes(name)) names.push(name);
  return names.filter((n) => !/_{2}|_$/.test(n)).slice(0, 20);
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
 * {@link placeholderValue} with the package's {@link SourceHints}, every variable a validation error in the failed
 * start's stderr names as required ({@link requiredVariables}), plus the scratch directory for directory
 * variables (`*_DIR`, `*_ROOT`, `*_PATH`, …, not file-like ones) that a failed start's stderr names. At most 40,
 * plus the variables of {@link PLACEHOLDER_FILES} the package reads or its stderr speaks of, pointing at our file.
 */
export async function placeholderEnvironment(packageDir: string, stderrTail = ''): Promise<Record<string, string>> {
  const hints = await readSourceHints(packageDir);
  const named = new Set<string>();
  for (const match of stderrTail.matchAll(UPPER_SNAKE)) named.add(match[0]);
  const env: Record<string, string> = {};
  for (const name of [...new Set([...hints.envNames, ...named])].filter(wantsPlaceholder).sort().slice(0, 40)) env[name] = placeholderValue(name, hints);
  // A variable a validation error says is required gets one whatever its name, unless it would switch the transport.
  for (const name of requiredVariables(stderrTail)) {
    if (env[name] === undefined && Object.keys(env).length < 40 && requiredPlaceholder(name)) env[name] = placeholderValue(name, hints);
  }
  for (const name of [...named].sort()) {
    if (Object.keys(env).length >= 40) break;
    if (env[name] === undefined && DIRECTORY_VARIABLE.test(name) && !FILE_LIKE.test(name) && !/^(?:PATH|HOME|TMPDIR|PWD|NODE_PATH)$/.test(name)) env[name] = SCRATCH_DIR;
  }
  for (const [name, file] of Object.entries(PLACEHOLDER_FILES)) {
    if (hints.envNames.has(name) || named.has(name) || file.mention.test(stderrTail)) env[name] = file.target;
  }
  return env;
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
