/**
 * Placeholder values: harmless stand-ins for the configuration a server asks for. URLs and connection strings point at
 * port 9 on the sandbox's own loopback, a SQLite database is a new file in the private scratch directory, keys look like
 * keys but are not, and file variables stay unset except for the formats in {@link PLACEHOLDER_FILES}.
 */
import type { DatabaseScheme, SourceHints } from './types.ts';

/** A scratch directory inside the sandbox's private HOME, for servers that want a directory argument. */
export const SCRATCH_DIR = '/home/sandbox/scratch';
/** A URL on the sandbox's loopback that refuses connections. */
export const REFUSING_URL = 'http://127.0.0.1:9';
/** A SQLite database file a server may create in the scratch directory. */
export const SQLITE_PLACEHOLDER = `${SCRATCH_DIR}/placeholder.db`;
/** An upper-case name with an underscore, as environment variables are written (`GITHUB_TOKEN`). */
export const UPPER_SNAKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
/** Names worth a placeholder: credentials, accounts, endpoints. */
const CONFIG_WORD = /(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PAT|USER|USERNAME|ACCOUNT|ID|URL|URI|HOST|ENDPOINT|DSN|CONNECTION|DATABASE|DB|ORG|ORGANIZATION|PROJECT|TEAM|WORKSPACE|EMAIL|DOMAIN|REGION|TENANT|CLIENT|SITE|INSTANCE|SERVER|BASE)(?:_|$)/;
/** Names never set: they would switch transports, logging or paths rather than satisfy a check. */
const NEVER = /(?:^|_)(?:PORT|TRANSPORT|MODE|DEBUG|LOG|LEVEL|VERBOSE|NODE|NPM|PATH|DIR|DIRECTORY|FILE|HOME|TMP|TEMP|PROXY|CA|CERT|TLS|SSL|ENV|CI|TZ|LANG|SHELL|TERM|READ_ONLY|READONLY|DISABLE|ENABLE|ALLOW|HTTP|SSE|STDIO|TIMEOUT|MAX|MIN|LIMIT|PUPPETEER|PLAYWRIGHT|BROWSER|CHROME)(?:_|$)/;
/** Directory variables: given the scratch directory, but only when a failed start named them. */
export const DIRECTORY_VARIABLE = /(?:^|_)(?:DIR|DIRS|DIRECTORY|DIRECTORIES|ROOT|FOLDER|VAULT|WORKSPACE|PATH)$/;
/** Path variables that name a file of some format the server will parse: never invented. */
export const FILE_LIKE = /(?:^|_)(?:FILE|CONFIG|CREDENTIALS?|KEY|CERT|TOKEN|SECRET|KEYS|JSON)(?:_|$)/;

/**
 * Configuration files of a well-known format that we write ourselves and place read-only in the sandbox, keyed by
 * the variable that points a server at one. Each names only things that reach nothing: a kubeconfig (Kubernetes
 * "Organizing Cluster Access Using kubeconfig Files": `clusters`, `contexts`, `users`, `current-context`) whose one
 * cluster is the refusing loopback URL and whose token is a placeholder. Given only when the package reads the
 * variable or a failed start speaks of the file (`mention`).
 */
export const PLACEHOLDER_FILES: Record<string, { target: string; mention: RegExp; content: string }> = {
  KUBECONFIG: {
    target: '/opt/mcp-catalogue/placeholders/kubeconfig',
    mention: /kubeconfig|kube[ _-]?config|current-context/i,
    content: [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: placeholder',
      '  cluster:',
      `    server: ${REFUSING_URL}`,
      'users:',
      '- name: placeholder',
      '  user:',
      '    token: placeholder',
      'contexts:',
      '- name: placeholder',
      '  context:',
      '    cluster: placeholder',
      '    user: placeholder',
      '    namespace: default',
      'current-context: placeholder',
      '',
    ].join('\n'),
  },
};

/** The {@link PLACEHOLDER_FILES} an environment points at, as sandbox files to place (`SandboxSpec.files`). */
export function placeholderFiles(env: Record<string, string>): Array<{ target: string; content: string }> {
  return Object.entries(PLACEHOLDER_FILES)
    .filter(([name, file]) => env[name] === file.target)
    .map(([, file]) => ({ target: file.target, content: file.content }));
}

/** True for variable names the placeholder ladder would set. */
export function wantsPlaceholder(name: string): boolean {
  return CONFIG_WORD.test(name) && !NEVER.test(name);
}

/**
 * True for a variable a failed start named as required ({@link requiredVariables} of `environment.ts`) that may get a
 * placeholder: any name but those that switch transports, logging or paths (`PORT`, `LOG_LEVEL`, `*_FILE`, …).
 */
export function requiredPlaceholder(name: string): boolean {
  return !NEVER.test(name);
}

/** A connection string for `scheme` that reaches nothing: loopback port 9, or a new SQLite file in scratch. */
export function databasePlaceholder(scheme: DatabaseScheme): string {
  switch (scheme) {
    case 'sqlite': return `sqlite://${SQLITE_PLACEHOLDER}`;
    case 'postgresql': return 'postgresql://placeholder:placeholder@127.0.0.1:9/placeholder';
    case 'mysql': return 'mysql://placeholder:placeholder@127.0.0.1:9/placeholder';
    case 'mongodb': return 'mongodb://127.0.0.1:9/placeholder';
    case 'redis': return 'redis://127.0.0.1:9';
  }
}

const KEY_PLACEHOLDER = 'placeholder0000000000000000000000';

/**
 * A type-aware placeholder for an environment variable (see the module comment). With `hints` from
 * {@link readSourceHints}, a variable the source checks for a prefix gets that prefix, one it reads as a number gets
 * `1`, and a generic database URL (`DATABASE_URL`, `DSN`) gets the scheme of the driver the package uses.
 */
export function placeholderValue(name: string, hints: Partial<Pick<SourceHints, 'numeric' | 'prefixes' | 'databaseSchemes'>> = {}): string {
  const prefix = hints.prefixes?.get(name);
  if (prefix !== undefined) return `${prefix}${KEY_PLACEHOLDER}`;
  if (hints.numeric?.has(name)) return '1';
  if (/SENTRY_DSN/.test(name)) return 'http://placeholder@127.0.0.1:9/1';
  if (/POSTGRES|(?:^|_)PG(?:_|$)/.test(name) && /URL|URI|DSN|CONNECTION|DATABASE/.test(name)) return databasePlaceholder('postgresql');
  if (/MONGO/.test(name)) return databasePlaceholder('mongodb');
  if (/REDIS/.test(name)) return databasePlaceholder('redis');
  if (/MYSQL|MARIADB/.test(name) && /URL|URI|DSN|CONNECTION/.test(name)) return databasePlaceholder('mysql');
  if (/(?:^|_)DSN$|(?:^|_)(?:DATABASE|DB)_(?:URL|URI|CONNECTION)|CONNECTION_STRING|CONNECTION_URL/.test(name)) {
    return databasePlaceholder(hints.databaseSchemes?.[0] ?? 'postgresql');
  }
  if (/(?:^|_)HOST(?:NAME)?$/.test(name)) return '127.0.0.1';
  if (/(?:^|_)(?:URL|URI|ENDPOINT|BASE|DSN|SERVER|INSTANCE|SITE)(?:_|$)/.test(name)) return REFUSING_URL;
  if (/(?:^|_)HOST(?:_|$)/.test(name)) return '127.0.0.1';
  if (/EMAIL/.test(name)) return 'placeholder@example.invalid';
  if (/STRIPE/.test(name)) return 'sk_test_placeholder000000000000000000';
  if (/(?:^|_)(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PAT)(?:_|$)/.test(name)) return KEY_PLACEHOLDER;
  if (/(?:^|_)REGION(?:_|$)/.test(name)) return 'us-east-1';
  return 'placeholder';
}

const DATABASE_URL_ARGUMENT = /^(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|sqlite3?):\/\//i;

/** Replaces what a README leaves for the user to fill in: `<account-id>`, `YOUR_KEY`, `$TOKEN`, `/path/to/dir`, connection strings. */
export function placeholderArgument(arg: string): string {
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 2) return `${arg.slice(0, eq + 1)}${placeholderArgument(arg.slice(eq + 1))}`;
  const database = DATABASE_URL_ARGUMENT.exec(arg)?.[1]?.toLowerCase();
  if (database) {
    if (database.startsWith('sqlite')) return `${database}://${SQLITE_PLACEHOLDER}`;
    const scheme: DatabaseScheme = database.startsWith('postgres') ? 'postgresql' : database.startsWith('mongo') ? 'mongodb' : database.startsWith('redis') ? 'redis' : 'mysql';
    return databasePlaceholder(scheme);
  }
  if (/^(?:\/path\/|\/Users\/|\/home\/|~\/|[A-Za-z]:\\|\.\/|\/tmp(?:\/|$)|\/absolute\/)/.test(arg)) return SCRATCH_DIR;
  if (/^https?:\/\//.test(arg)) return REFUSING_URL;
  if (/[<>{}$]|^your[-_]|^YOUR_|^xxx|placeholder/i.test(arg)) return 'placeholder';
  return arg;
}

/** A value for a command-line option, typed by its name like an environment variable; null for file options. */
export function optionPlaceholder(option: string, hints: Partial<SourceHints> = {}): string | null {
  const name = option.replace(/^-+/, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  if (/(?:^|_)PORT$/.test(name)) return null;
  if (/(?:^|_)(?:FILE|CONFIG|CREDENTIALS?|CERT)(?:_|$)/.test(name)) return null;
  if (DIRECTORY_VARIABLE.test(name) || /(?:^|_)(?:DIRS?|DIRECTORY|DIRECTORIES|FOLDER|ROOT)(?:_|$)/.test(name)) return SCRATCH_DIR;
  return placeholderValue(name, hints);
}
