/** What a package's own Python says about the configuration it reads: `os.environ` and `os.getenv` references, numeric reads, imported modules. */
import type { SourceHints } from './types.ts';

/** Python reads: `os.environ["X"]`, `os.environ.get("X")`, `environ.setdefault("X"`, `os.getenv("X")`. */
const PY_ENV_NAME = String.raw`(?:\b(?:os\.)?environ\s*(?:\[\s*|\.get\(\s*|\.setdefault\(\s*)|\b(?:os\.)?getenv\(\s*)['"]([A-Z][A-Z0-9_]{1,63})['"]`;
const PY_ENV_REFERENCE = new RegExp(PY_ENV_NAME, 'g');
/** `int(os.getenv("X"`, `float(os.environ["X"]`: a Python variable read as a number. */
const PY_NUMERIC_USE = new RegExp(String.raw`\b(?:int|float)\(\s*${PY_ENV_NAME}`, 'g');
/** Top-level modules of Python `import a.b` and `from a.b import c` statements. */
const PY_IMPORTED = /^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b|import[ \t]+([A-Za-z_]\w*))/gm;

/** Adds what one Python file's `text` reads from `os.environ` to `hints`, and the top-level modules it imports to `modules`. */
export function readPythonHints(text: string, hints: SourceHints, modules: Set<string>): void {
  for (const m of text.matchAll(PY_ENV_REFERENCE)) hints.envNames.add(m[1]!);
  for (const m of text.matchAll(PY_NUMERIC_USE)) hints.numeric.add(m[1]!);
  for (const m of text.matchAll(PY_IMPORTED)) modules.add((m[1] ?? m[2])!);
}
