/** What a package's own JavaScript says about the configuration it reads: `process.env` references, numeric reads, prefix checks, imported modules. */
import type { SourceHints } from './types.ts';

const ENV_NAME = String.raw`(?:\.([A-Z][A-Z0-9_]{1,63})\b|\[\s*['"]([A-Z][A-Z0-9_]{1,63})['"]\s*\])`;
const ENV_REFERENCE = new RegExp(String.raw`process\.env${ENV_NAME}`, 'g');
/** `parseInt(process.env.X`, `Number(process.env.X`: a variable read as a number. */
const NUMERIC_USE = new RegExp(String.raw`\b(?:parseInt|parseFloat|Number)\(\s*process\.env${ENV_NAME}`, 'g');
/** `process.env.X.startsWith("sk_")`: a variable whose value must carry a prefix. */
const PREFIX_CHECK = new RegExp(String.raw`process\.env${ENV_NAME}\s*\??\.startsWith\(\s*['"]([\w.:-]{1,16})['"]`, 'g');
/** Module specifiers of `require(...)`, `import ... from`, `import(...)`. */
const IMPORTED = /(?:\brequire\(\s*|\bfrom\s*|\bimport\(\s*)['"]((?:node:)?[@a-z0-9][\w./-]{0,100})['"]/g;

/** Adds what one JavaScript file's `text` reads from `process.env` to `hints`, and the modules it imports to `modules`. */
export function readJavaScriptHints(text: string, hints: SourceHints, modules: Set<string>): void {
  for (const m of text.matchAll(ENV_REFERENCE)) hints.envNames.add((m[1] ?? m[2])!);
  for (const m of text.matchAll(NUMERIC_USE)) hints.numeric.add((m[1] ?? m[2])!);
  for (const m of text.matchAll(PREFIX_CHECK)) if (!hints.prefixes.has((m[1] ?? m[2])!)) hints.prefixes.set((m[1] ?? m[2])!, m[3]!);
  for (const m of text.matchAll(IMPORTED)) modules.add(m[1]!);
}
