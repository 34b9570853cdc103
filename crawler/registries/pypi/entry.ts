/**
 * What starts an installed Python server: a console script from the wheel's `entry_points.txt`, else a top-level
 * package with a `__main__.py` (`python -m <package>`), and the small launcher file that starts it in the sandbox.
 *
 * Sources: PyPA "Entry points specification" (`entry_points.txt` is an INI file; `[console_scripts]` maps a command
 * name to `module[.sub]:object[.attr]`, optionally followed by `[extras]`), PEP 376 (`RECORD`, one installed path per
 * line as its first CSV field).
 *
 * Choice among console scripts: the one named like the project (PEP 503 normalization on both sides), else the only
 * one, else one naming "mcp", else one naming "server", else the first by name.
 */
import { chmod, lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CRAWLER_NOTE } from '../../session/failure.ts';
import { PACKAGE_MOUNT } from '../../sandbox.ts';
import { normalisePypiName } from './client.ts';

export type PythonEntryPoint =
  | { kind: 'console_script'; name: string; module: string; object: string }
  | { kind: 'module'; name: string; module: string };

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_METADATA_BYTES = 4 * 1024 * 1024;
const LAUNCHER_FILE = 'mcp_catalogue_launcher.py';

/** Reads a regular file of the install (never through a symbolic link), at most 4 MiB; null when absent. */
async function readInstalledFile(file: string): Promise<string | null> {
  try {
    const stat = await lstat(file);
    if (!stat.isFile() || stat.size > MAX_METADATA_BYTES) return null;
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The `[console_scripts]` of an `entry_points.txt`, as name → `{module, object}`; entries whose module or object is
 * not a dotted Python name, or whose name is not a plain command name, are left out.
 */
export function parseConsoleScripts(text: string): Array<{ name: string; module: string; object: string }> {
  const scripts: Array<{ name: string; module: string; object: string }> = [];
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (section !== 'console_scripts') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).replace(/\[[^\]]*\]\s*$/, '').trim();
    const [module, object, ...rest] = value.split(':').map((s) => s.trim());
    if (rest.length > 0 || !module || !object || !DOTTED.test(module) || !DOTTED.test(object) || !SCRIPT_NAME.test(name)) continue;
    scripts.push({ name, module, object });
  }
  return scripts;
}

/** Picks the console script to start (see the module comment). */
export function chooseConsoleScript<T extends { name: string }>(scripts: readonly T[], project: string): T | null {
  const wanted = normalisePypiName(project);
  const sorted = [...scripts].sort((a, b) => a.name.localeCompare(b.name));
  return (
    sorted.find((s) => normalisePypiName(s.name) === wanted) ??
    (sorted.length === 1 ? sorted[0] : undefined) ??
    sorted.find((s) => /mcp/i.test(s.name)) ??
    sorted.find((s) => /server/i.test(s.name)) ??
    sorted[0] ??
    null
  );
}

/** Returns the entry point of the installed project whose metadata is in `distInfoDir`, or null when it has none. */
export async function findPythonEntryPoint(distInfoDir: string, project: string): Promise<PythonEntryPoint | null> {
  const entryPoints = await readInstalledFile(path.join(distInfoDir, 'entry_points.txt'));
  const script = entryPoints === null ? null : chooseConsoleScript(parseConsoleScripts(entryPoints), project);
  if (script) return { kind: 'console_script', ...script };
  const record = await readInstalledFile(path.join(distInfoDir, 'RECORD'));
  if (record === null) return null;
  const mains = record
    .split(/\r?\n/)
    .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)\/__main__\.py,/.exec(line)?.[1])
    .filter((m): m is string => m !== undefined)
    .sort();
  const wanted = normalisePypiName(project);
  const module = mains.find((m) => normalisePypiName(m) === wanted) ?? (mains.length === 1 ? mains[0] : undefined);
  return module ? { kind: 'module', name: module, module } : null;
}

/**
 * The record of an installed project with no entry point ({@link findPythonEntryPoint} returned null), in place of a
 * stderr tail: the console scripts `entry_points.txt` declares (or that it is absent), and the top-level names the
 * wheel's `RECORD` installs (at most 40), as lines marked {@link CRAWLER_NOTE}.
 */
export async function pythonEntryPointReport(distInfoDir: string): Promise<string> {
  const entryPoints = await readInstalledFile(path.join(distInfoDir, 'entry_points.txt'));
  const scripts = entryPoints === null ? [] : parseConsoleScripts(entryPoints).map((s) => s.name);
  const record = (await readInstalledFile(path.join(distInfoDir, 'RECORD'))) ?? '';
  const top = [...new Set(record.split(/\r?\n/).map((line) => /^([^,/]+)(\/)?/.exec(line)).filter((m) => m !== null).map((m) => `${m![1]}${m![2] ?? ''}`))]
    .filter((n) => !n.endsWith('.dist-info/'))
    .sort();
  return [
    `${CRAWLER_NOTE} nothing to start: ${entryPoints === null ? 'no entry_points.txt' : `[console_scripts] ${scripts.length > 0 ? scripts.join(', ') : 'empty'}`}, and no package with a __main__ module`,
    `${CRAWLER_NOTE} the wheel installs: ${top.slice(0, 40).join(', ') || 'nothing RECORD lists'}${top.length > 40 ? `, and ${top.length - 40} more` : ''}`,
  ].join('\n');
}

/** The Python source of the launcher for `entry`: what pip's console-script wrapper does, or `runpy` for a module. */
export function launcherSource(entry: PythonEntryPoint): string {
  if (!DOTTED.test(entry.module)) throw new Error(`not a module name: ${entry.module}`);
  // The launcher's own folder leaves sys.path first, so it can shadow none of the package's modules.
  const unshadow = ['import os, sys', 'if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):', '    del sys.path[0]'];
  if (entry.kind === 'module') {
    return [
      `# Starts "python -m ${entry.module}" of the installed package (written by mcp-catalogue).`,
      ...unshadow,
      'import runpy',
      `runpy.run_module(${JSON.stringify(entry.module)}, run_name="__main__", alter_sys=True)`,
      '',
    ].join('\n');
  }
  if (!DOTTED.test(entry.object) || !SCRIPT_NAME.test(entry.name)) throw new Error(`not a console script: ${entry.name} = ${entry.object}`);
  const head = entry.object.split('.')[0]!;
  return [
    `# Starts the console script "${entry.name}" (${entry.module}:${entry.object}) of the installed package (written by mcp-catalogue).`,
    ...unshadow,
    `from ${entry.module} import ${head}`,
    `sys.argv[0] = ${JSON.stringify(entry.name)}`,
    `sys.exit(${entry.object}())`,
    '',
  ].join('\n');
}

/**
 * Writes the launcher into `<root>/launcher/` (replacing an older one atomically) and returns its path inside the
 * sandbox, `/srv/pkg/launcher/mcp_catalogue_launcher.py`.
 */
export async function writeLauncher(root: string, entry: PythonEntryPoint): Promise<string> {
  const dir = path.join(root, 'launcher');
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await chmod(dir, 0o755); // readable by the sandbox's uid whatever our umask is
  const temporary = path.join(dir, `.${LAUNCHER_FILE}.${process.pid}-${Date.now()}`);
  await writeFile(temporary, launcherSource(entry), { mode: 0o644 });
  await chmod(temporary, 0o644);
  await rename(temporary, path.join(dir, LAUNCHER_FILE));
  return `${PACKAGE_MOUNT}/launcher/${LAUNCHER_FILE}`;
}
