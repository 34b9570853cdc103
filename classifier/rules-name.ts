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
