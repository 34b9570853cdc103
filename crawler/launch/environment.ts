/** The placeholder environments the ladder tries, built from {@link readSourceHints} and what a failed start printed. */
import { readSourceHints } from './hints.ts';
import { DIRECTORY_VARIABLE, FILE_LIKE, PLACEHOLDER_FILES, SCRATCH_DIR, UPPER_SNAKE, placeholderValue, wantsPlaceholder } from './placeholders.ts';

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
