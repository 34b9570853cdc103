/**
 * Which calls are side effects (`effects.ts`), recognised from the call's shape and where its callee comes from:
 * the package a name was imported or required from (`origin`), the chain of member names that leads to the method
 * (`names`), whether the root name is a global (`global`), and the literal values of its arguments where the
 * {@link Evaluator} can follow them. Nothing is run.
 *
 * | kind | recognised |
 * |---|---|
 * | fs.write, fs.delete, fs.read | `fs`, `fs/promises`, `fs-extra`, `graceful-fs` methods (`writeFile*`, `appendFile`, `mkdir`, `rm`, `unlink`, `rename`, `copyFile`, `createWriteStream`, `open(…, "w")`, …); `rimraf`, `del`, `trash`, `mkdirp`, `make-dir` |
 * | spawn | `child_process` (`exec*`, `spawn*`, `fork`), `execa`, `cross-spawn`, `shelljs.exec`, `zx`, `node-pty` |
 * | eval | global `eval`, `new Function`, `vm.*` (`runIn*Context`, `Script`, `compileFunction`), `vm2`, `isolated-vm` |
 * | http | global `fetch` (method from the options), `node-fetch`, `undici`, `axios` (and its instances), `got`, `ky`, `superagent`, `needle`, `http(s).request/get`, `octokit.request("DELETE /…")`, `client.post("/path")` on a client-like name |
 * | sql | an SQL literal passed to `query/execute/exec/run/prepare/all/get/raw/unsafe`, `sql\`…\`` templates, a database driver's `query` with a statement that is not literal, Prisma and MongoDB methods |
 * | browser | `goto`, `click`, `type`, `fill`, `evaluate`, `press`, … on puppeteer/playwright/selenium objects or on a `page`/`browser`/`frame` |
 * | payment | `charges.create`, `paymentIntents.create/confirm/capture`, `refunds.create`, `payouts.create`, `transfers.create`, `sendTransaction`, `signTransaction`, `writeContract`, `transfer`, `swap`, … |
 * | message | `sendMail`, `messages.create` (not an LLM SDK's), `chat.postMessage`, `sendMessage`, `send_message`, `emails.send`, `users.messages.send`, SendGrid's `send` |
 * @internal
 */
import type { EffectKind } from '../../records/index.ts';
import type { AnyNode } from './scope.ts';

export interface CalleeShape {
  /** The package the root name comes from (`fs`, `axios`, `@prisma/client`), without `node:`; undefined when unknown. */
  origin: string | undefined;
  /** The import's subpath when there is one (`fs/promises` → `promises`). */
  originSub?: string;
  /** Member names from the root to the method, `default` and interop names left out: `fs.promises.writeFile` → `['fs', 'promises', 'writeFile']`. */
  names: string[];
  /** The root is an identifier bound nowhere in the module (a global such as `fetch` or `eval`). */
  global: boolean;
}

/** What a sink needs of the evaluator: literal strings and object members of argument expressions. */
export interface ArgumentReader {
  string(node: AnyNode): string | undefined;
  /** A property of an object-literal argument, unresolved. */
  member(node: AnyNode, key: string): AnyNode | undefined;
}

export interface Sink {
  kind: EffectKind;
  detail: string;
}

const FS_PACKAGES = new Set(['fs', 'fs-extra', 'graceful-fs', 'mz', 'jsonfile', 'fs-jetpack']);
const FS_WRITE = new Set([
  'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'mkdirp', 'mkdirpSync', 'mkdtemp', 'mkdtempSync',
  'copyFile', 'copyFileSync', 'cp', 'cpSync', 'copy', 'copySync', 'createWriteStream', 'rename', 'renameSync', 'move', 'moveSync',
  'outputFile', 'outputFileSync', 'outputJson', 'outputJSON', 'outputJsonSync', 'writeJson', 'writeJSON', 'writeJsonSync', 'writeJSONSync',
  'ensureDir', 'ensureDirSync', 'ensureFile', 'ensureFileSync', 'symlink', 'symlinkSync', 'link', 'linkSync', 'chmod', 'chmodSync',
  'chown', 'chownSync', 'utimes', 'utimesSync', 'truncate', 'truncateSync', 'ftruncate', 'write', 'writeSync', 'writev',
]);
const FS_DELETE = new Set(['rm', 'rmSync', 'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'remove', 'removeSync', 'emptyDir', 'emptyDirSync', 'emptydir']);
const FS_READ = new Set([
  'readFile', 'readFileSync', 'readdir', 'readdirSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'access', 'accessSync', 'exists', 'existsSync',
  'createReadStream', 'readJson', 'readJSON', 'readJsonSync', 'opendir', 'opendirSync', 'realpath', 'realpathSync', 'readlink', 'readlinkSync', 'glob',
]);
const FS_NAMES = /^(?:fs|fsp|fse|fsPromises|fsExtra|fs_promises|promises)$/;
const DELETE_PACKAGES = new Set(['rimraf', 'del', 'trash', 'premove']);
const MKDIR_PACKAGES = new Set(['mkdirp', 'make-dir', 'write-file-atomic', 'move-file', 'cpy', 'steno']);

const CHILD_PROCESS = new Set(['exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync', 'fork']);
const SPAWN_PACKAGES = new Set(['execa', 'cross-spawn', 'zx', 'node-pty', 'tinyexec', 'nano-spawn', 'spawn-please', '@expo/spawn-async']);
const VM_METHODS = new Set(['runInNewContext', 'runInContext', 'runInThisContext', 'Script', 'compileFunction', 'SourceTextModule', 'createContext']);
const EVAL_PACKAGES = new Set(['vm2', 'isolated-vm', 'safe-eval', 'static-eval', 'quickjs-emscripten']);

const HTTP_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'del']);
const FETCH_PACKAGES = new Set(['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'undici', 'make-fetch-happen', 'ofetch', 'node-fetch-native']);
const CLIENT_PACKAGES = new Set(['axios', 'got', 'ky', 'ky-universal', 'superagent', 'needle', 'phin', 'wretch', 'redaxios', 'request', 'request-promise', 'request-promise-native', 'undici', 'ofetch']);
const CLIENT_NAME = /client|api|http|axios|request|rest|session|instance|fetcher|sdk/i;

const SQL_METHODS = new Set(['query', 'execute', 'exec', 'run', 'prepare', 'all', 'get', 'raw', 'unsafe', 'each', 'queryObject', 'queryArray', '$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', 'executeQuery', 'batch']);
const SQL_DRIVERS = new Set(['pg', 'mysql', 'mysql2', 'better-sqlite3', 'sqlite3', 'sqlite', 'mssql', 'tedious', 'oracledb', '@neondatabase/serverless', 'postgres',
  'pg-promise', 'duckdb', 'duckdb-async', '@duckdb/node-api', '@libsql/client', 'snowflake-sdk', '@google-cloud/bigquery', '@clickhouse/client', '@vercel/postgres', '@planetscale/database', 'mariadb', 'node-sql-parser', 'bun:sqlite', 'node:sqlite', 'sql.js']);
const SQL_VERB = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*\(?\s*(SELECT|INSERT|UPDATE|DELETE|DROP|TRUNCATE|CREATE|ALTER|REPLACE|MERGE|UPSERT|GRANT|REVOKE|WITH|SHOW|DESCRIBE|EXPLAIN|PRAGMA|VACUUM)\b/i;
const PRISMA = new Map([
  ['findMany', 'SELECT'], ['findUnique', 'SELECT'], ['findFirst', 'SELECT'], ['findUniqueOrThrow', 'SELECT'], ['findFirstOrThrow', 'SELECT'], ['count', 'SELECT'], ['aggregate', 'SELECT'], ['groupBy', 'SELECT'],
  ['create', 'INSERT'], ['createMany', 'INSERT'], ['update', 'UPDATE'], ['updateMany', 'UPDATE'], ['upsert', 'UPDATE'], ['delete', 'DELETE'], ['deleteMany', 'DELETE'],
]);
const MONGO = new Map([
  ['find', 'SELECT'], ['findOne', 'SELECT'], ['aggregate', 'SELECT'], ['countDocuments', 'SELECT'], ['distinct', 'SELECT'],
  ['insertOne', 'INSERT'], ['insertMany', 'INSERT'], ['updateOne', 'UPDATE'], ['updateMany', 'UPDATE'], ['replaceOne', 'UPDATE'], ['findOneAndUpdate', 'UPDATE'], ['bulkWrite', 'UPDATE'],
  ['deleteOne', 'DELETE'], ['deleteMany', 'DELETE'], ['findOneAndDelete', 'DELETE'], ['drop', 'DROP'], ['dropDatabase', 'DROP'], ['dropCollection', 'DROP'], ['dropIndex', 'DROP'],
]);

const BROWSER_PACKAGES = new Set(['puppeteer', 'puppeteer-core', 'puppeteer-extra', 'playwright', 'playwright-core', 'playwright-extra', '@playwright/test', 'selenium-webdriver', 'webdriverio', 'patchright']);
const BROWSER_METHODS = new Set(['goto', 'click', 'dblclick', 'type', 'fill', 'evaluate', 'press', 'selectOption', 'select', 'setContent', 'check', 'uncheck', 'setInputFiles', 'tap', 'hover', 'uploadFile', 'sendKeys']);
const BROWSER_NAMES = /^(?:page|browser|frame|context|tab|driver|locator|activePage|currentPage|browserPage|mainFrame)$/i;

const PAYMENT_PAIRS = new Set([
  'charges.create', 'charges.capture', 'paymentIntents.create', 'paymentIntents.confirm', 'paymentIntents.capture', 'refunds.create', 'payouts.create',
  'transfers.create', 'subscriptions.create', 'subscriptions.cancel', 'subscriptions.del', 'invoices.pay', 'invoices.sendInvoice', 'sessions.create',
  'paymentLinks.create', 'setupIntents.confirm', 'topups.create', 'payments.create', 'orders.capture', 'captures.refund', 'authorizations.capture',
]);
const PAYMENT_METHODS = new Set([
  'sendTransaction', 'signTransaction', 'sendRawTransaction', 'signAndSendTransaction', 'sendAndConfirmTransaction', 'sendAndConfirmRawTransaction',
  'writeContract', 'transfer', 'transferFrom', 'safeTransferFrom', 'swap', 'executeSwap', 'sendPayment', 'createPayment', 'submitOrder', 'placeOrder',
]);
const MESSAGE_PAIRS = new Set(['messages.create', 'chat.postMessage', 'chat.scheduleMessage', 'chat.postEphemeral', 'emails.send', 'messages.send', 'drafts.send', 'calls.create']);
const MESSAGE_METHODS = new Set(['sendMail', 'sendMessage', 'send_message', 'sendEmail', 'sendSms', 'sendSMS', 'sendText', 'sendTemplate', 'sendPhoto', 'sendDocument', 'publishMessage']);
const LLM_ORIGINS = /^(?:@anthropic-ai\/|openai$|@google\/genai|@google\/generative-ai|groq-sdk|@mistralai\/|cohere-ai|ollama$)/;
const LLM_NAMES = /anthropic|claude|openai|llm|gpt|model|^ai$|genai|beta/i;

/** The package name of an import specifier: `node:fs/promises` → `fs`, `@a/b/c` → `@a/b`. */
export function packageOf(specifier: string): { name: string; sub: string } {
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  const count = bare.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, count).join('/'), sub: parts.slice(count).join('/') };
}

/** What a call does, or null when it is not a recognised side effect. */
export function recogniseSink(call: AnyNode, shape: CalleeShape, args: ArgumentReader): Sink | null {
  const names = shape.names;
  const method = names[names.length - 1] ?? '';
  const pair = names.slice(-2).join('.');
  const origin = shape.origin;
  const argv: AnyNode[] = call.arguments ?? [];
  const isNew = call.type === 'NewExpression';

  if (call.type === 'TaggedTemplateExpression') {
    if (!/^(?:sql|SQL|unsafe)$/.test(method)) return null;
    const verb = sqlVerb(call.quasi?.quasis?.[0]?.value?.cooked ?? '');
    return verb ? { kind: 'sql', detail: verb } : null;
  }

  // Files.
  if (origin && (FS_PACKAGES.has(origin) || (origin === 'mz' && shape.originSub === 'fs')) || (!origin && names.slice(0, -1).some((n) => FS_NAMES.test(n)) && names.length >= 2)) {
    if (method === 'open' || method === 'openSync') {
      const flags = argv[1] ? args.string(argv[1]) : undefined;
      return { kind: flags && /[wa+]/.test(flags) ? 'fs.write' : 'fs.read', detail: method };
    }
    if (FS_DELETE.has(method)) return { kind: 'fs.delete', detail: method };
    if (FS_WRITE.has(method)) return { kind: 'fs.write', detail: method };
    if (FS_READ.has(method)) return { kind: 'fs.read', detail: method };
    if (origin) return null;
  }
  if (origin && DELETE_PACKAGES.has(origin)) return { kind: 'fs.delete', detail: origin };
  if (origin && MKDIR_PACKAGES.has(origin)) return { kind: 'fs.write', detail: origin };

  // Processes and code.
  if (origin === 'child_process' && CHILD_PROCESS.has(method)) return { kind: 'spawn', detail: `child_process.${method}` };
  if (origin && SPAWN_PACKAGES.has(origin)) return { kind: 'spawn', detail: origin };
  if (origin === 'shelljs') {
    if (method === 'exec') return { kind: 'spawn', detail: 'shelljs.exec' };
    if (method === 'rm') return { kind: 'fs.delete', detail: 'shelljs.rm' };
    return null;
  }
  if (shape.global && names.length === 1 && method === 'eval') return { kind: 'eval', detail: 'eval' };
  if (shape.global && names.length === 1 && method === 'Function') return { kind: 'eval', detail: isNew ? 'new Function' : 'Function' };
  if (origin === 'vm' && VM_METHODS.has(method) && method !== 'createContext') return { kind: 'eval', detail: `vm.${method}` };
  if (origin && EVAL_PACKAGES.has(origin) && /^(?:run|runSync|eval|evalSync|evalCode|compileScript|compileScriptSync|default|safeEval|evaluate)$/.test(method)) return { kind: 'eval', detail: `${origin}.${method}` };

  // HTTP.
  const fetchLike = (shape.global && (method === 'fetch' && (names.length === 1 || /^(?:globalThis|window|global|self)$/.test(names[0] ?? '')))) ||
    (origin !== undefined && FETCH_PACKAGES.has(origin) && (method === 'fetch' || method === 'default' || names.length === 1 || method === '$fetch' || method === 'ofetch'));
  if (fetchLike && !isNew) {
    const options = argv[1];
    const declared = options ? args.string(args.member(options, 'method')) : undefined;
    return httpSink(declared ?? 'GET', urlHost(argv[0], args));
  }
  if (origin === 'http' || origin === 'https' || origin === 'http2') {
    if (method !== 'request' && method !== 'get') return null;
    const options = argv[0] && args.string(argv[0]) === undefined ? argv[0] : argv[1];
    const declared = options ? args.string(args.member(options, 'method')) : undefined;
    const host = urlHost(argv[0], args) ?? (options ? (args.string(args.member(options, 'hostname')) ?? args.string(args.member(options, 'host'))) : undefined);
    return httpSink(method === 'get' ? 'GET' : (declared ?? 'GET'), host);
  }
  if (origin && CLIENT_PACKAGES.has(origin) && !isNew) {
    if (HTTP_VERBS.has(method.toLowerCase())) return httpSink(method === 'del' ? 'DELETE' : method, urlHost(argv[0], args));
    if (method === 'request' || names.length === 1 || method === 'default' || method === origin) {
      const config = argv[0] && args.string(argv[0]) === undefined ? argv[0] : argv[1];
      const declared = config ? args.string(args.member(config, 'method')) : undefined;
      const url = argv[0] && args.string(argv[0]) !== undefined ? argv[0] : config && args.member(config, 'url');
      return httpSink(declared ?? 'GET', urlHost(url, args));
    }
    if (method !== 'create' && method !== 'extend' && method !== 'defaults') return null;
  }
  if (method === 'request' && argv[0]) {
    // Octokit-style routes: request("DELETE /repos/{owner}/{repo}").
    const route = args.string(argv[0]);
    const m = route ? /^(GET|POST|PUT|PATCH|DELETE|HEAD)\s+(\S+)/.exec(route) : null;
    if (m) return httpSink(m[1]!, /^https?:/.test(m[2]!) ? hostOf(m[2]!) : origin?.startsWith('@octokit/') || names.some((n) => /octokit|github/i.test(n)) ? 'api.github.com' : undefined);
  }

  // Databases.
  if (origin === '@prisma/client' && PRISMA.has(method)) return { kind: 'sql', detail: `${PRISMA.get(method)} ${method}` };
  if ((origin === 'mongodb' || origin === 'mongoose') && MONGO.has(method)) return { kind: 'sql', detail: `${MONGO.get(method)} ${method}` };
  if (SQL_METHODS.has(method) && argv[0] && names.length >= 2) {
    const text = args.string(argv[0]) ?? templateHead(argv[0]) ?? (args.member(argv[0], 'text') && args.string(args.member(argv[0], 'text')!)) ?? (args.member(argv[0], 'sql') && args.string(args.member(argv[0], 'sql')!));
    const verb = text === undefined ? undefined : sqlVerb(text);
    if (verb) return { kind: 'sql', detail: verb };
    if (origin && SQL_DRIVERS.has(origin) && /^(?:query|execute|exec|run|prepare|all|get|unsafe|raw)$/.test(method) && text === undefined) return { kind: 'sql', detail: 'dynamic' };
  }

  // Money.
  if (PAYMENT_PAIRS.has(pair) && !(pair === 'sessions.create' && names[names.length - 3] !== 'checkout')) return { kind: 'payment', detail: pair };
  if (PAYMENT_METHODS.has(method) && !isNew && !(origin && FS_PACKAGES.has(origin))) return { kind: 'payment', detail: method };

  // Messages.
  if (MESSAGE_PAIRS.has(pair) && !isNew) {
    const llm = (origin !== undefined && LLM_ORIGINS.test(origin)) || names.slice(0, -2).some((n) => LLM_NAMES.test(n));
    if (!llm) return { kind: 'message', detail: pair };
  }
  if (MESSAGE_METHODS.has(method) && !isNew) return { kind: 'message', detail: method };
  if (origin === '@sendgrid/mail' && (method === 'send' || method === 'sendMultiple')) return { kind: 'message', detail: `sendgrid.${method}` };
  if (method === 'send' && names.length >= 2 && /^(?:channel|thread|webhook|webhookClient|user|member|dm)$/i.test(names[names.length - 2] ?? '')) return { kind: 'message', detail: pair };

  // Browsers.
  if (BROWSER_METHODS.has(method) && names.length >= 2 && ((origin && BROWSER_PACKAGES.has(origin)) || names.slice(0, -1).some((n) => BROWSER_NAMES.test(n)))) {
    if (method === 'type' && names[names.length - 2] === 'keyboard') return { kind: 'browser', detail: 'keyboard.type' };
    const host = method === 'goto' ? urlHost(argv[0], args) : undefined;
    return { kind: 'browser', detail: host ? `${method} ${host}` : method };
  }
  if (origin === 'selenium-webdriver' && method === 'get') return { kind: 'browser', detail: 'goto' };

  // A client-like object's verb with a path or URL: apiClient.delete(`/items/${id}`).
  if (HTTP_VERBS.has(method) && names.length >= 2 && names.slice(0, -1).some((n) => CLIENT_NAME.test(n)) && argv[0]) {
    const path = args.string(argv[0]) ?? templateHead(argv[0]);
    if (path !== undefined && /^(?:https?:\/\/|\/)/.test(path)) return httpSink(method === 'del' ? 'DELETE' : method, /^https?:/.test(path) ? hostOf(path) : undefined);
  }
  return null;
}

function httpSink(method: string, host: string | undefined): Sink {
  const verb = method.toUpperCase().slice(0, 10);
  return { kind: 'http', detail: host ? `${verb} ${host}` : verb };
}

/** The first text of a template literal, up to its first substitution. */
function templateHead(node: AnyNode): string | undefined {
  return node?.type === 'TemplateLiteral' ? (node.quasis[0]?.value?.cooked ?? undefined) : undefined;
}

function hostOf(url: string): string | undefined {
  const m = /^https?:\/\/([^/?#\s:]+)/i.exec(url);
  return m ? m[1]!.toLowerCase().slice(0, 100) : undefined;
}

/** The host of a URL argument, when it is literal (or a template that starts with a literal origin). */
function urlHost(node: AnyNode, args: ArgumentReader): string | undefined {
  if (!node) return undefined;
  // "https://host/path/" + id: the host is in the literal on the left.
  if (node.type === 'BinaryExpression' && node.operator === '+' && args.string(node) === undefined) return urlHost(node.left, args);
  const text = args.string(node) ?? templateHead(node);
  return text === undefined ? undefined : hostOf(text);
}

/** The statement verb of an SQL text (`WITH … DELETE` reads as its last data verb), or undefined. */
export function sqlVerb(text: string): string | undefined {
  const m = SQL_VERB.exec(text);
  if (!m) return undefined;
  const verb = m[1]!.toUpperCase();
  if (verb !== 'WITH') return verb;
  const main = /\)\s*(SELECT|INSERT|UPDATE|DELETE)\b/gi;
  let last: string | undefined;
  for (let hit = main.exec(text); hit; hit = main.exec(text)) last = hit[1]!.toUpperCase();
  return last ?? 'SELECT';
}
