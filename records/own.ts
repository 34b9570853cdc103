/**
 * Objects keyed by names that come from data (tool, parameter, server, package and annotation names, schema
 * property names). Any string is a valid name, `__proto__`, `constructor` and `hasOwnProperty` included, so such an
 * object is never written with `object[name] = value` (which sets the prototype for `__proto__`) and never read
 * with `object[name]`, `name in object` or truthiness (which find `Object.prototype` members). These helpers define
 * and read own properties only; an object built with them serialises every name with `JSON.stringify`.
 */

/** Defines `key` as an own enumerable, writable property of `target`, whatever the key (`__proto__` too). */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value of `target`'s own property `key`, or `undefined` (never an inherited one). Non-objects give `undefined`. */
export function getOwn(target: unknown, key: string): unknown {
  return typeof target === 'object' && target !== null && Object.hasOwn(target, key) ? (target as Record<string, unknown>)[key] : undefined;
}

/** Copies the own enumerable string-keyed properties of `source` onto `target` as own properties (a safe `Object.assign`). */
export function assignOwn(target: Record<string, unknown>, source: object): void {
  for (const [key, value] of Object.entries(source)) setOwn(target, key, value);
}
