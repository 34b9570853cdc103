/**
 * Start-up configuration a server declares in its MCP Registry entry (`server.json`, registry schema 2025-09-29:
 * `packages[].environmentVariables[]`, `packageArguments[]`), turned into harmless placeholders for the strategy
 * ladder. Declared values come from the registry, not from us: they are as untrusted as the package, which is fine
 * because they only ever reach the sandboxed process. None of our own variables is ever added.
 */
import { setOwn, type DeclaredArgument, type DeclaredEnvVar } from '../../records/index.ts';
import { placeholderArgument, placeholderValue, REFUSING_URL, SCRATCH_DIR } from './placeholders.ts';

/** A POSIX-portable variable name (IEEE Std 1003.1, "Environment Variables"). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Variables the sandbox itself sets; a declaration never overrides them. */
const RESERVED = new Set(['PATH', 'HOME', 'TMPDIR', 'PWD', 'USER', 'LOGNAME', 'SHELL']);
/** Path-like variables stay unset: an invented path would be followed, a missing one is usually optional. */
const PATH_LIKE = /(?:^|_)(?:FILE|PATH|DIR|DIRECTORY|FOLDER)$/;

/** A value a registry `placeholder`/`default` can be used as: one short token, not prose such as "Your API key". */
function usable(value: string | null): value is string {
  return value !== null && value.length > 0 && value.length <= 256 && !/\s/.test(value) && !/[<>{}]/.test(value);
}

/**
 * Environment for declared variables: the declared `default`, else a usable `placeholder`, else the type-aware
 * {@link placeholderValue} for the name. Path-like variables without a default, reserved and malformed names are
 * left out.
 * @returns variable name → value; `{}` when nothing is declared.
 */
export function declaredEnvironment(variables: readonly DeclaredEnvVar[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of variables) {
    if (!VARIABLE_NAME.test(v.name) || RESERVED.has(v.name.toUpperCase())) continue;
    // The name is the server's: `__proto__` is a valid variable name, defined like any other.
    if (usable(v.default)) setOwn(env, v.name, placeholderArgument(v.default));
    else if (PATH_LIKE.test(v.name.toUpperCase())) continue;
    else if (usable(v.placeholder)) setOwn(env, v.name, placeholderArgument(v.placeholder));
    else setOwn(env, v.name, placeholderValue(v.name.toUpperCase()));
  }
  return env;
}

/** A placeholder for a value described only by its `valueHint` (`directory`, `url`, `port`…). */
function fromHint(hint: string | null): string {
  const h = (hint ?? '').toLowerCase();
  if (/dir|folder|path|root|workspace/.test(h)) return SCRATCH_DIR;
  if (/url|uri|endpoint/.test(h)) return REFUSING_URL;
  if (/port|number|count|int/.test(h)) return '9';
  return 'placeholder';
}

/**
 * Command-line arguments for the server from its declared package arguments, in order: a named argument becomes
 * `--name value` (or just `--name` when it carries no value), a positional one its value. Runtime arguments (for
 * `node`, `npx`, `uvx`) are not the server's and are left out, as are optional arguments with no value.
 * Values pass through {@link placeholderArgument}, so a declared `/path/to/dir` becomes the scratch directory.
 * @returns the argument list, or `null` when nothing applies.
 */
export function declaredArguments(args: readonly DeclaredArgument[]): string[] | null {
  const out: string[] = [];
  for (const a of args) {
    if (a.scope !== 'package') continue;
    const value = usable(a.value) ? placeholderArgument(a.value) : a.valueHint !== null || a.type === 'positional' ? fromHint(a.valueHint) : null;
    if (a.type === 'named') {
      if (!a.name || !/^-{1,2}[A-Za-z0-9][\w.-]{0,63}$/.test(a.name)) continue;
      if (!a.isRequired && value === null) continue;
      out.push(a.name);
      if (value !== null) out.push(value);
    } else if (a.isRequired || usable(a.value)) {
      out.push(value ?? 'placeholder');
    }
  }
  return out.length > 0 ? out : null;
}
