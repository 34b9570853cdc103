/**
 * PostgreSQL cannot store U+0000 in `text` nor in `jsonb` strings ("unsupported Unicode escape sequence"), and
 * crawled servers do send it (stderr of a crashed binary, poisoned descriptions). Every value written goes through
 * {@link scrub}, which replaces U+0000 with U+FFFD in strings and object keys, so one hostile package cannot fail a
 * write. Tool hashes are computed before scrubbing, from the definition as the server listed it. Keys are data: a
 * parameter or annotation named `__proto__` is copied as an own property like any other (`setOwn`).
 * @internal
 */
import { setOwn } from '../records/index.ts';

const NUL = '\u0000';
const REPLACEMENT = '\uFFFD';

export function scrub<T>(value: T): T {
  return scrubValue(value) as T;
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return value.includes(NUL) ? value.replaceAll(NUL, REPLACEMENT) : value;
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, scrubValue(key) as string, scrubValue(item));
    return out;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
