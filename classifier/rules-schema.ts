/**
 * Rules on the input schema: what kind of value each argument carries (shell, code, SQL, paths, URLs,
 * credentials, money, recipients, lists of targets).
 * @internal
 */
import type { Features, PropInfo } from './features.ts';
import { mutating, propQuote, propRule } from './rule-kit.ts';
import type { Rule } from './rule-types.ts';

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
const SQL_HINT = /\bsql\b|\bselect\b[^.]*\bfrom\b|postgres|mysql|sqlite|\bdatabase\b|\bbigquery\b|snowflake|clickhouse|duckdb/i;
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

/** A property that takes code to run. */
export function isCodeProp(p: PropInfo): boolean {
  return isStringish(p) && (CODE_KEYS.has(p.key) || ((p.key === 'function' || p.key === 'expression') && CODE_HINT.test(p.description)));
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

/** A property that is a URL, host or other network target. */
export function isUrlProp(p: PropInfo): boolean {
  return URL_FORMATS.has(p.format) || (isStringish(p) && URL_KEY.test(p.key));
}

/** Argument names that pick one of several operations of a multi-operation tool. */
const OPERATION_KEYS = new Set(['mode', 'operation', 'op', 'action', 'command', 'subcommand', 'method', 'task']);
const DELETE_VALUE = /^(?:delete|drop|remove|destroy|purge|truncate|wipe|erase|prune|clear|rm|del)(?:[_-]\w+)?$/i;

/** A multi-operation tool whose operation argument offers a delete (`mode: ["list", "create", "delete"]`). */
const enumDeleteRule: Rule = {
  id: 'schema.enum.delete', category: 'Destructive', weight: 2,
  message: 'its argument "{match}" offers a deleting operation',
  examples: {
    match: [S('git_branch', { mode: { type: 'string', enum: ['list', 'create', 'delete', 'rename'] } }),
      S('manage_index', { operation: { type: 'string', enum: ['get', 'create', 'drop'] } })],
    noMatch: [S('list_items', { sort: { type: 'string', enum: ['asc', 'desc'] } }),
      S('set_mode', { mode: { type: 'string', enum: ['fast', 'safe'] } })],
  },
  test(f) {
    for (const p of f.props) {
      const values = p.schema.enum;
      if (!OPERATION_KEYS.has(p.key) || !Array.isArray(values)) continue;
      const hit = values.find((v) => typeof v === 'string' && DELETE_VALUE.test(v));
      if (typeof hit === 'string') return { source: 'inputSchema', quote: propQuote(p), match: p.path, detail: `argument "${p.path}" offers "${hit}"` };
    }
    return null;
  },
};

export const SCHEMA_RULES: readonly Rule[] = [
  enumDeleteRule,
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
  propRule(isCodeProp, {
    id: 'schema.prop.code', category: 'Execute', weight: 2, signal: 'code-input',
    message: 'its argument "{match}" takes code to run',
    examples: {
      match: [S('puppeteer_evaluate', { script: STR }), S('run_python', { code: STR })],
      noMatch: [S('get_country', { country_code: STR }), S('calculate', { expression: { type: 'string', description: 'e.g. 2+2' } })],
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
