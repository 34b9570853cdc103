/**
 * Rules on the tool name: verbs (lexicon.ts), money objects, bulk, admin and secret words.
 * @internal
 */
import { MONEY_NOUNS } from './lexicon.ts';
import { nameVerbRule } from './rule-kit.ts';
import type { Rule } from './rule-types.ts';

function nameWordRule(words: ReadonlySet<string>, data: Omit<Rule, 'test'>, onlyWithoutVerb = false): Rule {
  return {
    ...data,
    test(f) {
      if (onlyWithoutVerb && f.nameVerbs.length > 0) return null;
      const w = f.words.find((x) => words.has(x));
      return w === undefined ? null : { source: 'name', quote: f.name, match: w };
    },
  };
}

const SECRET_WORDS: ReadonlySet<string> = new Set(['secret', 'secrets', 'credential', 'credentials', 'password',
  'passwords', 'apikey', 'apikeys', 'keychain', 'vault']);
const KEY_KINDS: ReadonlySet<string> = new Set(['api', 'ssh', 'private', 'access', 'signing', 'gpg', 'pgp']);

const PROCESS_NOUNS: ReadonlySet<string> = new Set(['process', 'processes', 'pid', 'pids']);
const PROCESS_SIGNALS: ReadonlySet<string> = new Set(['kill', 'terminate', 'signal', 'interrupt']);
/** Verbs that empty a setting of the session, and the session's own state they may apply to. */
const SESSION_CLEARING: ReadonlySet<string> = new Set(['clear', 'reset', 'unset']);
const SESSION_STATE: ReadonlySet<string> = new Set(['session', 'context', 'setting', 'settings', 'selection',
  'working', 'cwd', 'workdir']);
const VCS_WORDS: ReadonlySet<string> = new Set(['git', 'hg', 'mercurial', 'svn', 'repo', 'repository']);
const CHART_VERBS: ReadonlySet<string> = new Set(['upgrade', 'rollback', 'update', 'apply']);
/** Verbs that bring one of the agent's open tabs to the front. */
const TAB_FOCUS: ReadonlySet<string> = new Set(['select', 'switch', 'focus', 'activate']);

export const NAME_RULES: readonly Rule[] = [
  nameVerbRule('read', {
    id: 'name.verb.read', category: 'Read', weight: 3,
    message: 'its name uses the retrieval verb "{match}"',
    examples: {
      match: [{ name: 'read_file' }, { name: 'listIssues' }, { name: 'github.search_code' }, { name: 'get_refund' }],
      noMatch: [{ name: 'write_file' }, { name: 'query' }, { name: 'checkout_cart' }],
    },
  }),
  nameVerbRule('write', {
    id: 'name.verb.write', category: 'Write', weight: 3,
    message: 'its name uses the modifying verb "{match}"',
    examples: {
      match: [{ name: 'write_file' }, { name: 'createIssue' }, { name: 'slack_post_message' }, { name: 'move_file' }],
      noMatch: [{ name: 'list_posts' }, { name: 'get_comment' }, { name: 'delete_issue' }],
    },
  }),
  nameVerbRule('delete', {
    id: 'name.verb.delete', category: 'Destructive', weight: 3,
    message: 'its name uses the deleting verb "{match}"',
    examples: {
      match: [{ name: 'delete_repository' }, { name: 'd1_database_delete' }, { name: 'dropTable' }, { name: 'reset_db' }],
      noMatch: [{ name: 'list_deleted_items' }, { name: 'get_reset_status' }, { name: 'create_issue' }],
    },
  }),
  nameVerbRule('execute', {
    id: 'name.verb.execute', category: 'Execute', weight: 3,
    message: 'its name uses the execution verb "{match}"',
    examples: {
      match: [{ name: 'run_build' }, { name: 'exec' }, { name: 'builder' }, { name: 'build_and_push_image_to_ecr' },
        { name: 'deploy_worker' }],
      noMatch: [{ name: 'get_build' }, { name: 'list_commands' }, { name: 'create_issue' }],
    },
  }),
  nameVerbRule('pay', {
    id: 'name.verb.pay', category: 'Financial', weight: 3.5,
    message: 'its name uses the payment verb "{match}"',
    examples: {
      match: [{ name: 'refund_payment' }, { name: 'buy_stock' }, { name: 'stripe_refund' }, { name: 'payout' }],
      noMatch: [{ name: 'get_refund' }, { name: 'list_charges' }, { name: 'create_refund' }, { name: 'git_checkout' }],
    },
  }),
  nameWordRule(new Set(['query']), {
    id: 'name.verb.query', category: 'Read', weight: 2,
    message: 'its name uses the verb "{match}", which usually retrieves data',
    examples: { match: [{ name: 'query' }, { name: 'query_logs' }], noMatch: [{ name: 'list_queries' }] },
  }),
  {
    id: 'name.verb.force-push', category: 'Destructive', weight: 3.5, signal: 'irreversible',
    supersedes: ['name.verb.write'],
    message: 'its name asks for a force push ("{match}"), which overwrites history',
    test(f) {
      const i = f.words.indexOf('force');
      return i >= 0 && f.words.includes('push') ? { source: 'name', quote: f.name, match: f.name } : null;
    },
    examples: { match: [{ name: 'git_force_push' }, { name: 'forcePush' }], noMatch: [{ name: 'git_push' }] },
  },
  {
    id: 'name.object.money', category: 'Financial', weight: 4,
    supersedes: ['name.verb.write', 'name.verb.delete', 'desc.lead.write', 'desc.lead.delete', 'title.lead.write', 'title.lead.delete'],
    message: 'its name applies a modifying verb to the money object "{match}"',
    test(f) {
      const verbs = f.nameVerbs.filter((v) => v.verbClass === 'write' || v.verbClass === 'delete');
      if (verbs.length === 0) return null;
      // The verb itself is not its object: `transfer_repository` transfers a repository, not money.
      const noun = f.words.find((w, i) => MONEY_NOUNS.has(w) && !verbs.some((v) => v.at === i));
      return noun === undefined ? null : { source: 'name', quote: f.name, match: noun };
    },
    examples: {
      match: [{ name: 'create_refund' }, { name: 'cancel_subscription' }, { name: 'create_charge' },
        { name: 'send_payment' }, { name: 'transfer_funds' }],
      noMatch: [{ name: 'list_payments' }, { name: 'get_refund' }, { name: 'create_customer' }, { name: 'transfer_repository' }],
    },
  },
  {
    id: 'name.object.process', category: 'Execute', weight: 3.5,
    supersedes: ['name.verb.delete', 'desc.lead.delete', 'title.lead.delete', 'desc.lead.write', 'title.lead.write'],
    message: 'its name signals an operating-system process ("{match}"): nothing stored is removed, but whatever that process was running ends',
    test(f) {
      const noun = f.words.find((w) => PROCESS_NOUNS.has(w));
      const verb = f.words.find((w) => PROCESS_SIGNALS.has(w));
      return noun !== undefined && verb !== undefined ? { source: 'name', quote: f.name, match: `${verb} ${noun}` } : null;
    },
    examples: {
      match: [{ name: 'kill_process' }, { name: 'signal-process' }, { name: 'terminateProcess' }],
      noMatch: [{ name: 'list_processes' }, { name: 'delete_process_definition' }, { name: 'kill_session' }],
    },
  },
  {
    id: 'name.object.session-state', category: 'Write', weight: 3.5, flag: 'scratch',
    supersedes: ['name.verb.delete', 'desc.lead.delete', 'title.lead.delete'],
    message: 'its name clears the agent\'s own session state ("{match}"), which removes nothing stored',
    test(f) {
      const verb = f.nameVerbs.find((v) => SESSION_CLEARING.has(v.word));
      const noun = f.words.find((w) => SESSION_STATE.has(w));
      return verb && noun !== undefined ? { source: 'name', quote: f.name, match: `${verb.word} ${noun}` } : null;
    },
    examples: {
      match: [{ name: 'git_clear_working_dir' }, { name: 'clear_codegen_session' }, { name: 'reset_context' }],
      noMatch: [{ name: 'clear_cache' }, { name: 'delete_session' }, { name: 'reset_database' }],
    },
  },
  {
    id: 'name.verb.vcs-fetch', category: 'Write', weight: 3.5,
    supersedes: ['name.verb.read', 'desc.lead.read', 'title.lead.read'],
    message: 'its name fetches or pulls into a version-control repository ("{match}"), which updates the local refs',
    test(f) {
      const verb = f.words.find((w) => w === 'fetch' || w === 'pull');
      if (verb === undefined || !(f.words.some((w) => VCS_WORDS.has(w)) || /\bgit\b/i.test(f.serverText))) return null;
      return { source: 'name', quote: f.name, match: verb };
    },
    examples: {
      match: [{ name: 'git_fetch' }, { name: 'git_pull' }, { name: 'fetch', server: { name: 'git-mcp-server' } }],
      noMatch: [{ name: 'fetch' }, { name: 'fetch_url' }, { name: 'get_pull_request' }],
    },
  },
  {
    id: 'name.object.chart', category: 'Execute', weight: 3.5,
    supersedes: ['name.verb.write', 'desc.lead.write', 'title.lead.write'],
    message: 'its name changes a deployed chart release ("{match}"), which rolls out software',
    test(f) {
      const noun = f.words.find((w) => w === 'helm' || w === 'chart' || w === 'charts');
      const verb = f.words.find((w) => CHART_VERBS.has(w));
      return noun !== undefined && verb !== undefined ? { source: 'name', quote: f.name, match: `${verb} ${noun}` } : null;
    },
    examples: {
      match: [{ name: 'upgrade_helm_chart' }, { name: 'helm_rollback' }],
      noMatch: [{ name: 'list_helm_releases' }, { name: 'upgrade_plan' }],
    },
  },
  {
    id: 'name.verb.drop-onto', category: 'Write', weight: 3.5,
    supersedes: ['name.verb.delete', 'desc.lead.delete', 'title.lead.delete'],
    message: 'its name drops something onto a page element ("{match}"), as drag and drop does, and deletes nothing',
    test(f) {
      if (!f.words.includes('drop')) return null;
      const onto = /\bdrop\w*\b[^.\n]{0,80}\b(?:onto|on to)\b/i.exec(f.scan);
      return onto || f.words.includes('drag') ? { source: 'name', quote: f.name, match: onto ? onto[0] : 'drag and drop' } : null;
    },
    examples: {
      match: [{ name: 'browser_drop', description: 'Drops the given files onto a page element.' }, { name: 'drag_and_drop' }],
      noMatch: [{ name: 'drop_table', description: 'Drop a table from the database.' }, { name: 'drop_index' }],
    },
  },
  {
    id: 'name.object.browser-tab', category: 'Read', weight: 3.5,
    supersedes: ['name.verb.write', 'desc.lead.write', 'title.lead.write'],
    message: 'its name picks or opens a tab of the agent\'s browser ("{match}"), which changes only what the agent looks at',
    test(f) {
      const noun = f.words.find((w) => w === 'page' || w === 'tab' || w === 'frame');
      if (noun === undefined) return null;
      const focus = f.words.find((w) => TAB_FOCUS.has(w));
      if (focus !== undefined) return { source: 'name', quote: f.name, match: `${focus} ${noun}` };
      // Opening a tab on a URL is navigation; opening a page elsewhere (a document) is not.
      const open = f.words.find((w) => w === 'new' || w === 'open');
      const onUrl = f.props.some((p) => p.key === 'url') && (noun === 'tab' || /\btab\b/i.test(f.scan));
      return open !== undefined && onUrl ? { source: 'name', quote: f.name, match: `${open} ${noun}` } : null;
    },
    examples: {
      match: [{ name: 'select_page' }, { name: 'browser_tab_select' },
        { name: 'new_page', description: 'Opens a tab on the given URL.', inputSchema: { type: 'object', properties: { url: { type: 'string' } } } }],
      noMatch: [{ name: 'new_page', description: 'Create a page in the workspace.', inputSchema: { type: 'object', properties: { title: { type: 'string' } } } },
        { name: 'close_tab' }, { name: 'select_option' }],
    },
  },
  nameWordRule(new Set(['info', 'status', 'stats', 'details', 'health', 'metadata', 'version', 'logs', 'history',
    'summary', 'overview', 'schema', 'usage', 'diagnostics']), {
    id: 'name.noun.read', category: 'Read', weight: 1.5,
    message: 'its name names something to look at ("{match}") and no action',
    examples: { match: [{ name: 'server_status' }, { name: 'repo_info' }], noMatch: [{ name: 'update_status' }] },
  }, true),
  nameWordRule(new Set(['bulk', 'batch', 'all', 'many', 'multiple', 'mass', 'every']), {
    id: 'name.word.bulk', signal: 'bulk',
    message: 'its name says it acts on many items at once ("{match}")',
    examples: { match: [{ name: 'bulk_delete' }, { name: 'deleteAllMessages' }], noMatch: [{ name: 'delete_message' }] },
  }),
  nameWordRule(new Set(['admin', 'sudo', 'root', 'superuser', 'iam', 'role', 'roles', 'permission', 'permissions',
    'privilege', 'privileges', 'acl', 'firewall']), {
    id: 'name.word.admin', signal: 'admin-scope',
    message: 'its name reaches administrative scope ("{match}")',
    examples: { match: [{ name: 'set_user_role' }, { name: 'admin_reset' }], noMatch: [{ name: 'set_user_name' }] },
  }),
  {
    id: 'name.word.secret', signal: 'credential', flag: 'secret-read',
    message: 'its name concerns secrets or credentials ("{match}")',
    test(f) {
      const w = f.words.find((x) => SECRET_WORDS.has(x));
      if (w !== undefined) return { source: 'name', quote: f.name, match: w };
      const k = f.words.findIndex((x) => x === 'key' || x === 'keys');
      const before = k > 0 ? f.words[k - 1] : undefined;
      return before !== undefined && KEY_KINDS.has(before) ? { source: 'name', quote: f.name, match: `${before} ${f.words[k]}` } : null;
    },
    examples: {
      match: [{ name: 'get_secret' }, { name: 'list_api_keys' }, { name: 'read_ssh_key' }],
      noMatch: [{ name: 'get_user' }, { name: 'count_tokens' }, { name: 'get_key_value' }],
    },
  },
];
