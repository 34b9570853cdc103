/**
 * zod helpers for lenient parsing of registry responses: a malformed field becomes `undefined`, a malformed
 * array item is dropped, so one bad entry never costs the page.
 * @internal
 */
import { z } from 'zod';
import { setOwn } from '../../records/index.ts';

export const optString = z.string().optional().catch(undefined);
export const optBool = z.boolean().optional().catch(undefined);
export const optNumber = z.number().finite().optional().catch(undefined);

/** An array whose items that fail `item` are dropped; anything that is not an array reads as `[]`. */
export function lenientArray<T extends z.ZodTypeAny>(item: T) {
  return z
    .array(z.unknown())
    .catch([])
    .transform((items) => items.flatMap((value) => {
      const parsed = item.safeParse(value);
      return parsed.success ? [parsed.data as z.infer<T>] : [];
    }));
}

/**
 * Copies JSON with `snake_case` keys renamed to `camelCase` (older registry responses), other keys untouched; every
 * key is copied as an own property, `__proto__` and `constructor` too. When a renamed key meets the same key written
 * in camelCase, the camelCase one wins.
 */
export function camelKeys(value: unknown, depth = 0): unknown {
  if (depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => camelKeys(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const camel = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(key) ? key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) : key;
    if (!Object.hasOwn(out, camel) || camel === key) setOwn(out, camel, camelKeys(item, depth + 1));
  }
  return out;
}

/** Trims and caps a text field from a registry (descriptions can be megabytes). */
export function text(value: string | undefined | null, maxChars = 2000): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  return trimmed.length > maxChars ? `${trimmed.slice(0, maxChars - 1)}…` : trimmed;
}
