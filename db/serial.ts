/**
 * Runs async operations one at a time, in call order. PGlite is one connection: the store runs every operation
 * through one of these so a transaction never interleaves with another operation's statements.
 * @internal
 */
export type Runner = <T>(operation: () => Promise<T>) => Promise<T>;

/** Runs each operation as soon as it is called (PostgreSQL: the pool hands each its own connection). */
export const concurrent: Runner = (operation) => operation();

/** Returns a runner that starts each operation after the previous one settled, whatever its outcome. */
export function serial(): Runner {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(operation: () => Promise<T>): Promise<T> => {
    const result = tail.then(operation);
    tail = result.catch(() => undefined);
    return result;
  };
}
