/**
 * Rules on the input schema: what kind of value each argument carries (shell, code, SQL, paths, URLs,
 * credentials, money, recipients, lists of targets).
 * @internal
 */
import type { Features, PropInfo } from './features.ts';
import { mutating, propQuote, propRule } from './rule-kit.ts';
import { sentenceAt } from './text.ts';
import { READ_WRITE } from './rules-description.ts';
import { LEXICON_MAP } from './lexicon.ts';
import type { VerbClass } from './lexicon.ts';
import type { Rule, RuleMatch } from './rule-types.ts';
import type { Category } from '../records/index.ts';

const S = (name: string, properties: Record<string, unknown>, description?: string) => ({
  name, description, inputSchema: { type: 'object', properties },
});
const STR = { type: 'string' };

const SHELL_KEYS = new Set(['command', 'cmd', 'shellcommand', 'shell', 'bash', 'bashcommand', 'commandline',
  'cmdline', 'commands', 'powershell', 'terminalcommand', 'shellscript']);
const CODE_KEYS = new Set(['code', 'script', 'sourcecode', 'javascript', 'js', 'python', 'pythoncode', 'jscode',
  'snippet', 'functionbody', 'program', 'pagefunction']);
const CODE_HINT = /\b(?:javascript|typescript|python|code|script)\b|=>/i;
const SQL_KEYS = new Set(['sql', 'sqlquery', 'sqlstatement', 'rawsql', 'cypher', 'cypherquery']);
const MAYBE_SQL_KEYS = new Set(['query', 'statement', 'q', 'querytext']);
/** Words that make a `query` argument SQL. "database" alone does not: vector and document stores say it too. */
const SQL_HINT = /\bsql\b|\bselect\b[^.]*\bfrom\b|postgres|mysql|sqlite|\b(?:against|on|in) (?:the|a|your) (?:relational )?database\b|\bbigquery\b|snowflake|clickhouse|duckdb|\b(?:open)?cypher\b/i;
const PATH_KEY = /(?:path|paths|file|files|filename|filenames|filepath|dir|dirs|directory|directories|folder|folders|cwd|workdir|workingdirectory)$/;
const PATH_PAIR_KEYS = new Set(['source', 'destination', 'src', 'dest', 'target']);
const PATH_CONTEXT = new Set(['file', 'files', 'directory', 'dir', 'folder', 'path', 'paths']);
const URL_KEY = /(?:url|uri|urls|uris|endpoint|host|hostname|webhook|domain|ipaddress|baseurl|origin)$/;
const URL_FORMATS = new Set(['uri', 'url', 'uri-reference', 'iri', 'hostname', 'ipv4', 'ipv6']);
const CREDENTIAL_KEY = /(?:password|passwd|passphrase|secret|apikey|accesskey|privatekey|clientsecret|credential|credentials|bearertoken|accesstoken|authtoken|refreshtoken|sessiontoken|apitoken|authorization|cookie|otp|totp|mfacode)$/;
const MONEY_KEYS = new Set(['currency', 'price', 'unitprice', 'unitamount', 'amountcents', 'amountincents',
  'refundamount', 'chargeamount', 'payoutamount', 'notional', 'totalamount', 'fee', 'amountusd', 'valueusd']);
const AMOUNT_KEYS = new Set(['amount', 'total', 'value', 'cost', 'qty', 'quantity', 'sum']);
const MONEY_HINT = /\b(?:currency|cents?|usd|eur|gbp|dollars?|euros?|payments?|price|charges?|refunds?|funds|money|lamports|wei|sats?)\b|[$€£]/i;
const RECIPIENT_KEYS = new Set(['to', 'cc', 'bcc', 'recipient', 'recipients', 'email', 'emails', 'emailaddress',
  'toemail', 'toaddress', 'phone', 'phonenumber', 'channel', 'channelid', 'chatid', 'recipientid', 'recipientemail']);
const SEND_WORDS = new Set(['send', 'post', 'notify', 'message', 'email', 'mail', 'sms', 'text', 'reply', 'invite',
  'share', 'publish', 'broadcast', 'tweet', 'dm', 'forward', 'announce', 'alert', 'page', 'call']);
/** Documents that carry amounts but move no money: quoting, estimating or drafting a price. */
const NO_MONEY_MOVES: ReadonlySet<string> = new Set(['quote', 'quotes', 'estimate', 'estimates', 'proposal', 'proposals', 'draft', 'drafts', 'budget', 'budgets']);
const BULK_KEY = /(?:ids|names|entities|items|records|files|paths|messages|users|rows|issues|objects|keys|observations|relations|documents|emails|targets)$/;

/** True when the name or the opening verb says the tool sends something to someone. */
function sends(f: Features): boolean {
  if (f.words.some((w) => SEND_WORDS.has(w))) return true;
  const lead = f.leadVerb?.word.toLowerCase();
  return lead !== undefined && [lead, lead.replace(/s$/, ''), lead.replace(/es$/, '')].some((w) => SEND_WORDS.has(w));
}

function isStringish(p: PropInfo): boolean {
  return p.type === '' || p.type === 'string' || (p.type === 'array' && (p.itemType === 'string' || p.itemType === ''));
}

/** True for a property that carries an amount of money, not just a price. */
export function isAmountProp(p: PropInfo, f: Features): boolean {
  if (p.type !== '' && p.type !== 'number' && p.type !== 'integer' && p.type !== 'string') return false;
  if (MONEY_KEYS.has(p.key) && p.key !== 'currency' && p.key !== 'price' && p.key !== 'unitprice') return true;
  if (!AMOUNT_KEYS.has(p.key) && !p.key.endsWith('amount')) return false;
  return f.props.some((q) => q.key === 'currency') || MONEY_HINT.test(p.description) || MONEY_HINT.test(f.scan);
}

function isMoneyProp(p: PropInfo, f: Features): boolean {
  return MONEY_KEYS.has(p.key) || isAmountProp(p, f);
}

/** Words that say an argument named `command` picks one of the tool's own operations, not a command line. */
const SUBCOMMAND_HINT = /\b(?:against|of|for) (?:the|this) (?:specified |selected )?tool\b|\bsub-?commands?\b|\bcommand (?:name|to (?:invoke|call) on)\b/i;
const SHELL_HINT = /\b(?:shell|bash|zsh|sh|powershell|terminal|command[- ]line|cli|container|pod|host|machine|server|process|args?)\b/i;

/**
 * A property that takes a shell command: a string (or string array) whose name says so, unless it is an enum
 * (a fixed set of values is not arbitrary) or its description says it selects one of the tool's own sub-commands.
 */
export function isShellProp(p: PropInfo): boolean {
  if (!SHELL_KEYS.has(p.key) || !isStringish(p) || Array.isArray(p.schema.enum)) return false;
  return !(SUBCOMMAND_HINT.test(p.description) && !SHELL_HINT.test(p.description));
}

/** Names ending in "script" that are not code: a transcript, a subscript. */
const NOT_SCRIPT = /(?:tran|sub|super|post|manu|de)script$/;

/** Words that make an argument named `code` source code rather than an identifier (an item code, a country code). */
const RUNS_CODE = /\b(?:run|runs|execut\w*|evaluat\w*|interpret\w*|python|javascript|typescript|node\.?js|bash|repl|sandbox|snippet|source code)\b/i;

/**
 * A property that takes code to run: a code name, any `…Script` (`initScript`), or a function said to be code.
 * `code` itself is also an identifier (an item code), so it needs a word about running code in its own
 * description, the tool's description or the tool's name.
 */
export function isCodeProp(p: PropInfo, f: Features): boolean {
  if (!isStringish(p)) return false;
  if (p.key === 'code') return RUNS_CODE.test(p.description) || RUNS_CODE.test(f.scan) || f.nameVerbs.some((v) => v.verbClass === 'execute');
  return CODE_KEYS.has(p.key) || (p.key.endsWith('script') && !NOT_SCRIPT.test(p.key)) ||
    ((p.key === 'function' || p.key === 'expression') && CODE_HINT.test(p.description));
}

/**
 * A field of one step in a list of optional page actions (`actions[].script` of a hosted scraper): the rubric does
 * not make a scrape Execute for them (eval/LABELLING.md, "Web search and scraping").
 */
function isPageActionStep(p: PropInfo): boolean {
  const parents = p.path.split('.').slice(0, -1);
  return parents.some((x) => x === 'actions' || x === 'steps');
}

/** A property that takes raw SQL (or Cypher). */
export function isSqlProp(p: PropInfo, f: Features): boolean {
  return isStringish(p) && (SQL_KEYS.has(p.key) ||
    (MAYBE_SQL_KEYS.has(p.key) && (SQL_HINT.test(p.description) || SQL_HINT.test(f.scan) || SQL_HINT.test(f.serverText))));
}

/** A property that is a filesystem path. */
export function isPathProp(p: PropInfo, f: Features): boolean {
  return isStringish(p) && (PATH_KEY.test(p.key) || p.format === 'path' ||
    (PATH_PAIR_KEYS.has(p.key) && f.words.some((w) => PATH_CONTEXT.has(w))));
}

/** Says SQL only reads: "read-only", "SELECT queries", "only SELECT". */
const READ_ONLY_SQL = /\bread[- ]only\b|\bselect (?:quer(?:y|ies)|statements?)\b|\bonly select\b|\bselect[- ]only\b|^\s*select\b/i;
const LOCAL_DESTINATION_KEYS = new Set(['localpath', 'localfile', 'localfilepath', 'destination', 'destinationpath',
  'dest', 'destpath', 'outputpath', 'outputfile', 'savepath', 'saveto', 'targetpath', 'downloadpath', 'outputdir',
  'outputdirectory', 'localdir', 'localdirectory', 'destinationdir', 'destdir', 'savedir', 'downloaddir', 'targetdir']);

/**
 * True when `p` is required all the way down: a top-level property listed in the input schema's `required`, or a
 * property of an object argument that is itself required (or the only argument), listed in that object's `required`
 * (`{ params: { required: ["outputDir"], … } }`).
 */
function isRequired(f: Features, p: PropInfo): boolean {
  let schema: unknown = f.tool.inputSchema;
  const names = p.path.split('.');
  for (const [i, name] of names.entries()) {
    if (typeof schema !== 'object' || schema === null) return false;
    const record = schema as Record<string, unknown>;
    const properties = record['properties'];
    const required = record['required'];
    const listed = Array.isArray(required) && required.includes(name);
    const only = typeof properties === 'object' && properties !== null && Object.keys(properties).length === 1 && i < names.length - 1;
    if (!listed && !only) return false;
    schema = typeof properties === 'object' && properties !== null && Object.hasOwn(properties, name) ? (properties as Record<string, unknown>)[name] : undefined;
  }
  return true;
}

/** A property naming the local file a download is written to. */
function isLocalDestination(p: PropInfo): boolean {
  return isStringish(p) && LOCAL_DESTINATION_KEYS.has(p.key);
}

/** A property that is a URL, host or other network target. */
export function isUrlProp(p: PropInfo): boolean {
  return URL_FORMATS.has(p.format) || (isStringish(p) && URL_KEY.test(p.key));
}

/** Argument names that pick one of several operations of a multi-operation tool. */
const OPERATION_KEYS = new Set(['mode', 'operation', 'op', 'action', 'command', 'subcommand', 'method', 'task']);
const DELETE_VALUE = /^(?:delete|drop|remove|destroy|purge|truncate|wipe|erase|prune|clear|rm|del)(?:[_-]\w+)?$/i;

/** The verb class of an operation value: its first word through the lexicon (`create_policy` → write). */
function operationClass(value: string): VerbClass | undefined {
  if (DELETE_VALUE.test(value)) return 'delete';
  const first = value.split(/[^A-Za-z]+|(?<=[a-z])(?=[A-Z])/)[0]?.toLowerCase() ?? '';
  return LEXICON_MAP.get(first)?.verbClass;
}

/**
 * An operation argument without an enum whose description quotes its values: "Action to perform (e.g., 'create',
 * 'list', 'remove', 'inspect')". At least two quoted words, at least half of them known operations.
 */
function quotedOperations(p: PropInfo): string[] | undefined {
  const quoted = [...p.description.matchAll(/['"`]([A-Za-z][\w-]{1,30})['"`]/g)].map((m) => m[1] ?? '');
  if (quoted.length < 2) return undefined;
  const known = quoted.filter((v) => operationClass(v) !== undefined);
  return known.length * 2 >= quoted.length ? quoted : undefined;
}

/** The first operation argument (`mode`, `action`, …) whose enum offers an operation of `verbClass`. */
function operationOffering(f: Features, verbClass: VerbClass): RuleMatch | null {
  for (const p of f.props) {
    // An enum, or one variant's `const` of a discriminated union (`action: {const: "create_page"}`).
    const values = Array.isArray(p.schema.enum) ? p.schema.enum : typeof p.schema.const === 'string' ? [p.schema.const] : quotedOperations(p);
    if (!OPERATION_KEYS.has(p.key) || !values) continue;
    const hit = values.find((v) => typeof v === 'string' && operationClass(v) === verbClass);
    if (typeof hit === 'string') return { source: 'inputSchema', quote: propQuote(p), match: p.path, detail: `argument "${p.path}" offers "${hit}"` };
  }
  return null;
}

/**
 * A multi-operation tool whose operation argument offers a delete (`mode: ["list", "create", "delete"]`). The
 * rubric labels such a tool by its most dangerous listed operation, so this outweighs a name verb (3).
 */
const enumDeleteRule: Rule = {
  id: 'schema.enum.delete', category: 'Destructive', weight: 3,
  message: 'its argument "{match}" offers a deleting operation',
  examples: {
    match: [S('git_branch', { mode: { type: 'string', enum: ['list', 'create', 'delete', 'rename'] } }),
      S('manage_index', { operation: { type: 'string', enum: ['get', 'create', 'drop'] } }),
      S('docker_volume', { action: { type: 'string', description: "Action to perform (e.g., 'create', 'list', 'remove', 'inspect')" } }),
      S('manage_rls', { operation: { type: 'string', enum: ['enable', 'create_policy', 'drop_policy'] } }),
      // A discriminated union: one variant per action, each with its `const`.
      S('pages', { payload: { anyOf: [
        { type: 'object', properties: { action: { type: 'string', const: 'create_page' }, params: { type: 'object' } } },
        { type: 'object', properties: { action: { type: 'string', const: 'delete_page' }, page_id: { type: 'string' } } },
      ] } })],
    noMatch: [S('list_items', { sort: { type: 'string', enum: ['asc', 'desc'] } }),
      S('set_mode', { mode: { type: 'string', enum: ['fast', 'safe'] } }),
      S('docker_volume', { action: { type: 'string', description: "Action to perform (e.g., 'list' or 'inspect')" } }),
      S('ask', { mode: { type: 'string', description: "Either 'fast' or 'deep'; 'remove' is not accepted" } })],
  },
  test: (f) => operationOffering(f, 'delete'),
};

/** A multi-operation tool whose operation argument offers a change but no delete (`action: ["list", "new", "close"]`). */
const enumWriteRule: Rule = {
  id: 'schema.enum.write', category: 'Write', weight: 2,
  message: 'its argument "{match}" offers a modifying operation',
  examples: {
    match: [S('browser_tabs', { action: { type: 'string', enum: ['list', 'new', 'close', 'select'] } }),
      S('kubectl_context', { operation: { type: 'string', enum: ['list', 'get', 'set'] } })],
    noMatch: [S('git_branch', { mode: { type: 'string', enum: ['list', 'create', 'delete'] } }),
      S('get_commit', { detail: { type: 'string', enum: ['diff', 'files'] } }),
      S('search', { mode: { type: 'string', enum: ['list', 'get', 'search'] } })],
  },
  test: (f, ctx) => (ctx.fired('schema.enum.delete') ? null : operationOffering(f, 'write')),
};

/** Danger order of operation classes, least first. */
const OPERATION_DANGER: readonly VerbClass[] = ['read', 'write', 'execute', 'delete', 'pay'];
/** "Manage teams: list/get/get_members" — a slash-separated list of operation names after a colon. */
const OPERATION_LIST = /:\s*([A-Za-z][\w-]*(?:\s*(?:\/|,|,? (?:and|or)\b)\s*[A-Za-z][\w-]*(?: [a-z]+){0,2})+)/;

/**
 * The operations a consolidated tool's description lists after a colon in its first sentence ("Manage deployment:
 * get/cancel/list_for_app"), each classed by its first word as an operation argument's values are. At least two
 * must be known operations, and they must be at least half the list ("ratio: input/output" is not one). Returns the
 * most dangerous.
 */
function listedOperations(f: Features): { worst: VerbClass; match: string; quote: string } | undefined {
  const first = f.description.split(/\n|(?<=[.!?])\s/)[0] ?? '';
  const m = OPERATION_LIST.exec(first);
  if (!m || m.index > 80) return undefined;
  const ops = m[1]!.split(/\s*(?:\/|,|\band\b|\bor\b)\s*/).map((x) => x.trim().split(' ')[0]!).filter((x) => x !== '');
  const classes = ops.map(operationClass).filter((c): c is VerbClass => c !== undefined);
  if (classes.length < 2 || classes.length * 2 < ops.length) return undefined;
  const worst = classes.reduce((a, b) => (OPERATION_DANGER.indexOf(b) > OPERATION_DANGER.indexOf(a) ? b : a));
  return { worst, match: m[1]!, quote: first.trim().slice(0, 200) };
}

/**
 * A tool whose description lists its operations (LABELLING.md, "Modes and actions"): the most dangerous listed one
 * votes (2.5, above a name with no verb and an operation enum's write). A list of reads does not vote when the
 * schema's operation argument offers more: the list is then a summary.
 */
function listedOperationRule(verbClass: VerbClass, category: Category, examples: Rule['examples']): Rule {
  return {
    id: `desc.ops.${verbClass}`, category, weight: 2.5,
    message: 'its description lists its operations, the most dangerous being {match}',
    test(f, ctx) {
      const listed = listedOperations(f);
      if (listed?.worst !== verbClass) return null;
      if (verbClass === 'read' && (ctx.fired('schema.enum.delete') || ctx.fired('schema.enum.write'))) return null;
      return { source: 'description', quote: listed.quote, match: `"${listed.match}"` };
    },
    examples,
  };
}

const OPS = (description: string) => ({ name: 'teams', description });

export const SCHEMA_RULES: readonly Rule[] = [
  enumDeleteRule,
  enumWriteRule,
  listedOperationRule('read', 'Read', {
    match: [OPS('Manage teams: list/get/get_members/get_current'), OPS('Deployments: get / list_for_app'),
      OPS('Semantic versioning: compare, validate, and check range satisfaction')],
    noMatch: [OPS('Token counts: input/output'), OPS('Manage deployment: get/cancel/list_for_app'), OPS('Teams on the server.'),
      OPS('Fields: name, email and phone')],
  }),
  listedOperationRule('write', 'Write', {
    match: [OPS('Manage deployment: get/cancel/list_for_app'), OPS('Tags: list/add/update')],
    noMatch: [OPS('Manage teams: list/get'), OPS('Projects: list/create/delete')],
  }),
  listedOperationRule('execute', 'Execute', {
    match: [OPS('Apps: list/start/stop/restart')],
    noMatch: [OPS('Apps: list/get')],
  }),
  listedOperationRule('delete', 'Destructive', {
    match: [OPS('Projects: list/create/delete'), OPS('Manage env vars: list/create/update/delete_bulk')],
    noMatch: [OPS('Projects: list/create')],
  }),
  propRule(isShellProp, {
    id: 'schema.prop.shell', category: 'Execute', weight: 2.5, signal: 'shell-input',
    message: 'its argument "{match}" takes a shell command',
    examples: {
      match: [S('execute_command', { command: STR }), S('docker_exec', { cmd: { type: 'array', items: STR } })],
      noMatch: [S('list_commands', { filter: STR }), S('set_mode', { command: { type: 'boolean' } }),
        S('storage', { command: { type: 'string', description: 'The command to execute against the specified tool.' } }),
        S('manage_policy', { command: { type: 'string', enum: ['SELECT', 'INSERT', 'DELETE'] } })],
    },
  }),
  propRule((p, f) => isCodeProp(p, f) && !isPageActionStep(p), {
    id: 'schema.prop.code', category: 'Execute', weight: 3, signal: 'code-input',
    message: 'its argument "{match}" takes code to run',
    examples: {
      match: [S('puppeteer_evaluate', { script: STR }), S('run_python', { code: STR }), S('sandbox', { code: STR }, 'Executes Python in a sandbox.'),
        S('navigate_page', { url: STR, initScript: { type: 'string', description: 'A JavaScript script to run on each new document.' } })],
      noMatch: [S('get_country', { country_code: STR }), S('calculate', { expression: { type: 'string', description: 'e.g. 2+2' } }),
        S('scrape', { url: STR, actions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string', enum: ['click', 'script'] }, script: STR } } } }),
        S('get_transcript', { videoTranscript: STR }), S('update-item', { code: STR, name: STR }, 'Update an item in Xero.')],
    },
  }),
  propRule(isSqlProp, {
    id: 'schema.prop.sql', category: 'Execute', weight: 2.5, signal: 'sql-input', supersedes: ['name.verb.query'],
    message: 'its argument "{match}" takes raw SQL',
    examples: {
      match: [S('query', { sql: STR }, 'Run a read-only SQL query'), S('read_query', { query: STR }, 'Execute a SELECT query on the SQLite database')],
      noMatch: [S('search', { query: STR }, 'Search the web.')],
    },
  }),
  {
    id: 'schema.sql.read-only', category: 'Read', weight: 3,
    supersedes: ['schema.prop.sql', 'name.verb.execute', 'desc.lead.execute', 'title.lead.execute', 'desc.phrase.sql'],
    message: 'its definition says the raw SQL it takes only reads ("{match}")',
    test(f, ctx) {
      if (!ctx.fired('schema.prop.sql')) return null;
      const sql = f.props.find((p) => isSqlProp(p, f));
      if (READ_WRITE.test(f.scan)) return null;
      if (sql && READ_ONLY_SQL.test(sql.description)) return { source: 'inputSchema', quote: propQuote(sql), match: sql.path };
      const m = READ_ONLY_SQL.exec(f.scan);
      if (m) return { source: 'description', quote: sentenceAt(f.description, m.index, m[0].length), match: m[0] };
      return f.annotations?.readOnlyHint === true ? { source: 'annotations', quote: '"readOnlyHint": true', match: 'readOnlyHint true' } : null;
    },
    examples: {
      match: [S('query', { sql: STR }, 'Run a read-only SQL query'), S('read_query', { query: { type: 'string', description: 'SELECT SQL query to execute' } }, 'Execute a SELECT query on the SQLite database'),
        { name: 'run_sql', inputSchema: { type: 'object', properties: { sql: STR } }, annotations: { readOnlyHint: true } }],
      noMatch: [S('write_query', { query: { type: 'string', description: 'SQL query to execute' } }, 'Execute an INSERT, UPDATE, or DELETE query on the SQLite database'),
        S('search', { query: STR }, 'Read-only search of the web.'),
        S('query_graph', { query: STR }, 'Run an OpenCypher query on a graph. Supports both read-write and read-only queries.')],
    },
  },
  propRule(isLocalDestination, {
    id: 'schema.prop.download-target', category: 'Write', weight: 3.5,
    supersedes: ['name.verb.read', 'desc.lead.read', 'title.lead.read'],
    message: 'it downloads into a local file named by "{match}", which creates or overwrites that file',
    examples: {
      match: [{ name: 'sftp-download-file', description: 'Downloads a remote file to the local disk.',
        inputSchema: { type: 'object', properties: { remotePath: STR, localPath: STR }, required: ['remotePath', 'localPath'] } },
        { name: 'download_report_csv', description: 'Downloads the monthly report as CSV files.',
          inputSchema: { type: 'object', properties: { month: STR, outputDir: STR }, required: ['month', 'outputDir'] } },
        { name: 'download_usage', description: 'Downloads usage data.',
          inputSchema: { type: 'object', properties: { params: { type: 'object', properties: { org: STR, outputDir: STR }, required: ['org', 'outputDir'] } } } }],
      noMatch: [S('download', { url: STR }, 'Download a page and return its text.'), S('write_file', { localPath: STR }),
        S('download_attachment', { id: STR, local_path: STR }, 'Download an attachment; use local_path to save it to disk.'),
        { name: 'download_usage', description: 'Downloads usage data.',
          inputSchema: { type: 'object', properties: { params: { type: 'object', properties: { org: STR, outputDir: STR }, required: ['org'] }, other: STR } } }],
    },
  }, (_ctx, f) => (f.words.includes('download') || f.leadVerb?.word.toLowerCase().startsWith('download') === true) &&
    f.props.some((p) => isLocalDestination(p) && isRequired(f, p))),
  propRule(isPathProp, {
    id: 'schema.prop.path', signal: 'filesystem-path',
    message: 'its argument "{match}" is a filesystem path',
    examples: {
      match: [S('read_file', { path: STR }), S('move_file', { source: STR, destination: STR }), S('read_multiple_files', { paths: { type: 'array', items: STR } })],
      noMatch: [S('move_card', { destination: STR }), S('fetch', { url: STR })],
    },
  }),
  propRule(isUrlProp, {
    id: 'schema.prop.url', signal: 'network-target',
    message: 'its argument "{match}" is a network address',
    examples: {
      match: [S('fetch', { url: { type: 'string', format: 'uri' } }), S('connect', { host: STR })],
      noMatch: [S('read_file', { path: STR })],
    },
  }),
  propRule((p) => (isStringish(p) && (CREDENTIAL_KEY.test(p.key) || p.key === 'token')) || p.format === 'password' || p.schema['writeOnly'] === true, {
    id: 'schema.prop.credential', signal: 'credential',
    message: 'its argument "{match}" carries a credential',
    examples: {
      match: [S('login', { password: STR }), S('call_api', { api_key: STR }), S('auth', { token: STR })],
      noMatch: [S('complete', { max_tokens: { type: 'integer' } }), S('list', { page_token: STR })],
    },
  }),
  propRule(isMoneyProp, {
    id: 'schema.prop.money', signal: 'money',
    message: 'its argument "{match}" is an amount of money',
    examples: {
      match: [S('create_refund', { amount: { type: 'integer' }, currency: STR }), S('set_price', { price: { type: 'number' } })],
      noMatch: [S('scroll', { amount: { type: 'integer', description: 'Pixels to scroll' } })],
    },
  }),
  propRule(isAmountProp, {
    id: 'schema.money.mutating', category: 'Financial', weight: 3,
    supersedes: ['name.verb.write', 'desc.lead.write', 'title.lead.write'],
    message: 'it changes state and its argument "{match}" is an amount of money',
    examples: {
      match: [S('send', { to: STR, amount: { type: 'number' }, currency: STR }, 'Send funds to an address.')],
      noMatch: [S('list_charges', { amount: { type: 'integer' }, currency: STR }, 'List charges.'),
        S('create_product', { name: STR, price: { type: 'number' } }),
        S('create_quote', { contact: STR, unitAmount: { type: 'number' }, currency: STR }, 'Create a quote for a customer.')],
    },
  }, (ctx, f) => ctx.votes('Write') > 0 && ctx.votes('Read') < ctx.votes('Write') && !f.words.some((w) => NO_MONEY_MOVES.has(w))),
  propRule((p) => RECIPIENT_KEYS.has(p.key), {
    id: 'schema.prop.recipient', signal: 'recipient',
    message: 'its argument "{match}" names who receives the result',
    examples: {
      match: [S('send_email', { to: STR, body: STR }), S('slack_post_message', { channel_id: STR, text: STR })],
      noMatch: [S('get_channel_history', { channel_id: STR }, 'Get recent messages from a channel.'),
        S('create_customer', { name: STR, email: STR }, 'This tool will create a customer in Stripe.')],
    },
  }, (ctx, f) => mutating(ctx) && (ctx.hasSignal('open-world') || sends(f))),
  propRule((p) => p.type === 'array' && BULK_KEY.test(p.key), {
    id: 'schema.prop.bulk', signal: 'bulk',
    message: 'its argument "{match}" is a list of targets',
    examples: {
      match: [S('delete_entities', { entityNames: { type: 'array', items: STR } })],
      noMatch: [S('delete_entity', { entityName: STR })],
    },
  }),
];
