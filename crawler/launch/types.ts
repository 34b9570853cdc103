/** Shapes the launch helpers share: what a package's source says about its configuration. */

/** Connection-string schemes of the database drivers a package may use. */
export type DatabaseScheme = 'sqlite' | 'postgresql' | 'mysql' | 'mongodb' | 'redis';

/** What a package's own JavaScript or Python, its package.json and its README say about the configuration it reads. */
export interface SourceHints {
  /** Every upper-case name read from `process.env` (or Python's `os.environ`), or set by its README's examples. */
  envNames: Set<string>;
  /** Variables read as numbers. */
  numeric: Set<string>;
  /** Prefixes a variable's value is checked against. */
  prefixes: Map<string, string>;
  /** Database drivers it imports or depends on, as connection-string schemes, in the order `hints.ts` prefers drivers (SQLite first). */
  databaseSchemes: DatabaseScheme[];
}
